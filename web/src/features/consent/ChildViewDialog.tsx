import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, Dialog, FormErrors, LiveRegion, Notice, RadioGroup, SelectField, Text, TextArea } from '../../components/ui';
import type { Language } from '../../i18n';
import { useErrorText } from '../../lib/errors';
import { fullName } from '../../lib/format';
import type { PersonRef, Purpose } from '../../types/api';
import { recordChildView } from './consent.api';
import { purposeName } from './consent-words';

/** The child's own voice: an objection blocks whatever the guardians said; "accepts" lifts an earlier one. */
export function ChildViewDialog({
  child,
  purposes,
  onClose,
  onSaved,
}: {
  child: PersonRef | null;
  purposes: readonly Purpose[];
  onClose: () => void;
  onSaved: (message: string) => void;
}) {
  const { t } = useTranslation();
  return (
    <Dialog open={child !== null} onClose={onClose} title={child ? t('consent.view.title', { name: fullName(child) }) : ''}>
      {child && <ViewForm child={child} purposes={purposes} onClose={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function ViewForm({ child, purposes, onClose, onSaved }: { child: PersonRef; purposes: readonly Purpose[]; onClose: () => void; onSaved: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const errorText = useErrorText();
  const [objects, setObjects] = useState<boolean | null>(null);
  const [purposeId, setPurposeId] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setAttempt((n) => n + 1);
    setFailure(null);
    if (objects === null) {
      setError(t('consent.view.required'));
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await recordChildView(child.id, { objects, purposeId: purposeId || null, ...(note.trim() ? { note: note.trim() } : {}) });
      onSaved(t(objects ? 'consent.view.savedObjects' : 'consent.view.savedAccepts', { name: fullName(child) }));
    } catch (caught) {
      setFailure(errorText(caught));
      setBusy(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)}>
      <Text>{t('consent.view.intro', { name: child.firstName })}</Text>
      <FormErrors key={attempt} errors={error ? [{ fieldId: 'view-objects-yes', message: error }] : []} />
      <RadioGroup
        name="view-objects"
        idPrefix="view-objects"
        legend={t('consent.view.question', { name: child.firstName })}
        options={[
          { value: 'yes', label: t('consent.view.objects', { name: child.firstName }) },
          { value: 'no', label: t('consent.view.accepts', { name: child.firstName }), description: t('consent.view.acceptsHint') },
        ]}
        value={objects === null ? null : objects ? 'yes' : 'no'}
        onChange={(value) => {
          setObjects(value === 'yes');
          setError(undefined);
        }}
        error={error}
      />
      <SelectField
        id="view-purpose"
        label={t('consent.view.purpose')}
        value={purposeId}
        onChange={(event) => setPurposeId(event.target.value)}
        options={[{ value: '', label: t('consent.view.allPurposes') }, ...purposes.map((purpose) => ({ value: purpose.id, label: purposeName(purpose, language) }))]}
      />
      <TextArea id="view-note" label={`${t('consent.view.note')} ${t('common.optional')}`} description={t('consent.view.noteHint')} rows={3} value={note} onChange={(event) => setNote(event.target.value)} />
      <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
      <div className="button-row">
        <Button type="submit" busy={busy} busyLabel={t('consent.view.saving')}>
          {t('consent.view.submit')}
        </Button>
        <Button variant="tertiary" onClick={onClose}>
          {t('common.cancel')}
        </Button>
      </div>
    </form>
  );
}
