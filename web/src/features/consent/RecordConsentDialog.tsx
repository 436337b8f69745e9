import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ResourceView } from '../../components/ResourceView';
import { Button, Dialog, FormErrors, LiveRegion, Notice, RadioGroup, SelectField, Text, TextArea, TextField } from '../../components/ui';
import type { FormError } from '../../components/ui';
import type { Language } from '../../i18n';
import { isApiError } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { fullName } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import type { ConsentQuestion, PersonRef } from '../../types/api';
import { answer, fetchConsents, fetchGuardians } from './consent.api';
import { purposeName } from './consent-words';

/** Staff record an answer a guardian (or a pupil of 15+) gave on paper or by word of mouth. */
export function RecordConsentDialog({ child, onClose, onSaved }: { child: PersonRef | null; onClose: () => void; onSaved: (message: string) => void }) {
  const { t } = useTranslation();
  return (
    <Dialog open={child !== null} onClose={onClose} title={child ? t('consent.record.title', { name: fullName(child) }) : ''}>
      {child && <RecordForm child={child} onClose={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

type Field = 'purpose' | 'occasion' | 'decider' | 'decision' | 'method' | 'evidence';

function RecordForm({ child, onClose, onSaved }: { child: PersonRef; onClose: () => void; onSaved: (message: string) => void }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const errorText = useErrorText();
  const data = useResource(
    async (signal) => {
      const [consents, guardians] = await Promise.all([fetchConsents(child.id, language, signal), fetchGuardians(child.id, signal)]);
      return { consents, guardians: guardians.filter((link) => link.responsibility) };
    },
    [child.id, language],
  );
  const [purposeId, setPurposeId] = useState('');
  const [question, setQuestion] = useState<ConsentQuestion>('photo');
  const [occasion, setOccasion] = useState('');
  const [decider, setDecider] = useState('');
  const [decision, setDecision] = useState<'given' | 'refused' | null>(null);
  const [method, setMethod] = useState<'paper' | 'verbal' | null>(null);
  const [evidence, setEvidence] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  return (
    <ResourceView resource={data}>
      {({ consents, guardians }) => {
        const answerable = consents.purposes.filter((entry) => entry.notice !== null);
        const chosen = answerable.find((entry) => entry.purpose.id === purposeId);
        const deciders = consents.decidesSelf
          ? [{ value: 'self', label: t('consent.record.self', { name: fullName(consents.person) }) }]
          : guardians
              .map((link) => ({ value: link.guardian.id, label: `${fullName(link.guardian)} (${t(`roster.roles.${link.role}`)})` }))
              .sort((a, b) => a.label.localeCompare(b.label, 'nb'));

        async function submit(event: FormEvent<HTMLFormElement>) {
          event.preventDefault();
          if (busy) return;
          const found: Partial<Record<Field, string>> = {};
          if (!chosen) found.purpose = t('consent.record.purposeRequired');
          if (chosen?.purpose.perOccasion && !occasion.trim()) found.occasion = t('consent.record.occasionRequired');
          if (!decider) found.decider = t('consent.record.deciderRequired');
          if (!decision) found.decision = t('consent.record.decisionRequired');
          if (!method) found.method = t('consent.record.methodRequired');
          if (!evidence.trim()) found.evidence = t('consent.record.evidenceRequired');
          setErrors(found);
          setAttempt((n) => n + 1);
          setFailure(null);
          if (Object.keys(found).length > 0 || !chosen?.notice || !decision || !method) return;
          const asked: ConsentQuestion = chosen.purpose.firstNameQuestion ? question : 'photo';
          setBusy(true);
          try {
            await answer(child.id, {
              purposeId: chosen.purpose.id,
              question: asked,
              decision,
              noticeVersion: chosen.notice.version,
              lang: language,
              ...(chosen.purpose.perOccasion ? { occasion: occasion.trim() } : {}),
              onBehalfOf: decider,
              method,
              evidenceNote: evidence.trim(),
            });
            onSaved(
              t(decision === 'given' ? 'consent.record.savedYes' : 'consent.record.savedNo', {
                name: fullName(child),
                question: t(`consent.questionWord.${asked}`),
                purpose: purposeName(chosen.purpose, language),
              }),
            );
          } catch (error) {
            setFailure(isApiError(error, 'NOTICE_OUTDATED') ? t('consent.record.noticeOutdated') : errorText(error));
            if (isApiError(error, 'NOTICE_OUTDATED')) data.reload();
            setBusy(false);
          }
        }

        const summary: FormError[] = (
          [
            ['purpose', 'record-purpose'],
            ['occasion', 'record-occasion'],
            ['decider', 'record-decider'],
            ['decision', 'record-decision-given'],
            ['method', 'record-method-paper'],
            ['evidence', 'record-evidence'],
          ] as const
        ).flatMap(([field, fieldId]) => (errors[field] ? [{ fieldId, message: errors[field] }] : []));

        return (
          <form className="form" noValidate onSubmit={(event) => void submit(event)}>
            <Text>{t('consent.record.intro')}</Text>
            <FormErrors key={attempt} errors={summary} />
            <SelectField
              id="record-purpose"
              label={t('consent.record.purpose')}
              value={purposeId}
              onChange={(event) => setPurposeId(event.target.value)}
              options={[
                { value: '', label: t('consent.record.choosePurpose') },
                ...answerable.map((entry) => ({ value: entry.purpose.id, label: purposeName(entry.purpose, language) })),
              ]}
              error={errors.purpose}
              description={chosen?.notice ? t('consent.record.noticeVersion', { version: chosen.notice.version }) : undefined}
            />
            {chosen?.purpose.firstNameQuestion && (
              <RadioGroup
                name="record-question"
                idPrefix="record-question"
                legend={t('consent.record.question')}
                options={[
                  { value: 'photo', label: t('consent.question.photo') },
                  { value: 'first_name', label: t('consent.question.first_name') },
                ]}
                value={question}
                onChange={(value) => setQuestion(value === 'first_name' ? 'first_name' : 'photo')}
              />
            )}
            {chosen?.purpose.perOccasion && (
              <TextField
                id="record-occasion"
                label={t('consent.record.occasion')}
                description={t('consent.record.occasionHint')}
                value={occasion}
                onChange={(event) => setOccasion(event.target.value)}
                error={errors.occasion}
                autoComplete="off"
              />
            )}
            {deciders.length === 0 ? (
              <Notice tone="warning">{t('consent.record.noGuardians')}</Notice>
            ) : (
              <SelectField
                id="record-decider"
                label={t('consent.record.decider')}
                value={decider}
                onChange={(event) => setDecider(event.target.value)}
                options={[{ value: '', label: t('consent.record.chooseDecider') }, ...deciders]}
                error={errors.decider}
              />
            )}
            <RadioGroup
              name="record-decision"
              idPrefix="record-decision"
              legend={t('consent.record.decision')}
              options={[
                { value: 'given', label: t('consent.record.given') },
                { value: 'refused', label: t('consent.record.refused') },
              ]}
              value={decision}
              onChange={(value) => setDecision(value === 'given' ? 'given' : 'refused')}
              error={errors.decision}
            />
            <RadioGroup
              name="record-method"
              idPrefix="record-method"
              legend={t('consent.record.method')}
              options={[
                { value: 'paper', label: t('consent.record.paper') },
                { value: 'verbal', label: t('consent.record.verbal') },
              ]}
              value={method}
              onChange={(value) => setMethod(value === 'paper' ? 'paper' : 'verbal')}
              error={errors.method}
            />
            <TextArea
              id="record-evidence"
              label={t('consent.record.evidence')}
              description={t('consent.record.evidenceHint')}
              rows={3}
              value={evidence}
              onChange={(event) => setEvidence(event.target.value)}
              error={errors.evidence}
            />
            <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
            <div className="button-row">
              <Button type="submit" busy={busy} busyLabel={t('consent.record.saving')}>
                {t('consent.record.submit')}
              </Button>
              <Button variant="tertiary" onClick={onClose}>
                {t('common.cancel')}
              </Button>
            </div>
          </form>
        );
      }}
    </ResourceView>
  );
}
