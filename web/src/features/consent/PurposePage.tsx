import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useParams } from 'react-router';
import { ResourceView } from '../../components/ResourceView';
import { Button, CheckboxField, FormErrors, Link, LiveRegion, Notice, PageHeading, Panel, SectionHeading, SelectField, TextField } from '../../components/ui';
import type { Language } from '../../i18n';
import { useErrorText } from '../../lib/errors';
import { useResource } from '../../lib/useResource';
import type { Purpose } from '../../types/api';
import { audiences } from '../../types/api';
import { useAudienceOptions, useRuleOptions } from './admin-words';
import { editPurpose, fetchNotices, fetchPurposes } from './consent.api';
import { purposeName } from './consent-words';
import { NoticeVersions } from './NoticeVersions';
import { PublishNoticeForm } from './PublishNoticeForm';

/** Admin: one purpose's names and rules, its notice versions, and a new version. */
export function PurposePage() {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const { purposeId = '' } = useParams();
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const data = useResource(async (signal) => {
    const [purposes, notices] = await Promise.all([fetchPurposes(signal), fetchNotices(purposeId, signal)]);
    return { purpose: purposes.find((p) => p.id === purposeId) ?? null, notices };
  }, [purposeId]);
  const title = data.status === 'ready' && data.data.purpose ? purposeName(data.data.purpose, language) : t('consent.purpose.title');

  return (
    <div className="stack">
      <PageHeading title={title}>{title}</PageHeading>
      <p>
        <Link to="/admin/formal">{t('consent.purpose.back')}</Link>
      </p>
      <ResourceView resource={data}>
        {({ purpose, notices }) =>
          !purpose ? (
            <Notice tone="warning">{t('consent.purpose.notFound')}</Notice>
          ) : (
            <>
              {created && notices.length === 0 && <Notice tone="success">{t('consent.purpose.created')}</Notice>}
              {!created && notices.length === 0 && <Notice tone="warning">{t('consent.purpose.noNotice')}</Notice>}
              <EditPurposeForm purpose={purpose} onSaved={(saved) => data.status === 'ready' && data.set({ ...data.data, purpose: saved })} />
              <NoticeVersions notices={notices} />
              <PublishNoticeForm
                purposeId={purpose.id}
                notices={notices}
                onPublished={(published) => data.status === 'ready' && data.set({ ...data.data, notices: [...data.data.notices, ...published] })}
              />
            </>
          )
        }
      </ResourceView>
    </div>
  );
}

function EditPurposeForm({ purpose, onSaved }: { purpose: Purpose; onSaved: (purpose: Purpose) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const headingId = useId();
  const audienceOptions = useAudienceOptions();
  const ruleOptions = useRuleOptions();
  const [names, setNames] = useState({ nameNb: purpose.name.nb, nameNn: purpose.name.nn, nameEn: purpose.name.en });
  const [audience, setAudience] = useState(purpose.audience);
  const [rule, setRule] = useState(purpose.guardianRule);
  const [firstNameQuestion, setFirstNameQuestion] = useState(purpose.firstNameQuestion);
  const [perOccasion, setPerOccasion] = useState(purpose.perOccasion);
  const [active, setActive] = useState(purpose.active);
  const [errors, setErrors] = useState<Partial<Record<keyof typeof names, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: typeof errors = {};
    for (const key of Object.keys(names) as (keyof typeof names)[]) if (!names[key].trim()) found[key] = t('consent.purposes.nameRequired');
    setErrors(found);
    setAttempt((n) => n + 1);
    setStatus(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const saved = await editPurpose(purpose.id, {
        nameNb: names.nameNb.trim(),
        nameNn: names.nameNn.trim(),
        nameEn: names.nameEn.trim(),
        audience,
        guardianRule: rule,
        firstNameQuestion,
        perOccasion,
        active,
      });
      onSaved(saved);
      setStatus({ tone: 'success', text: t('consent.purpose.saved') });
    } catch (caught) {
      setStatus({ tone: 'danger', text: errorText(caught) });
    } finally {
      setBusy(false);
    }
  }

  const ids = { nameNb: 'edit-name-nb', nameNn: 'edit-name-nn', nameEn: 'edit-name-en' } as const;
  const summary = (Object.keys(ids) as (keyof typeof ids)[]).flatMap((key) => (errors[key] ? [{ fieldId: ids[key], message: errors[key] }] : []));

  return (
    <Panel labelledBy={headingId}>
      <SectionHeading id={headingId}>{t('consent.purpose.editHeading')}</SectionHeading>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <FormErrors key={attempt} errors={summary} />
        <p className="subtle">{t('consent.purpose.code', { code: purpose.code })}</p>
        {(['nameNb', 'nameNn', 'nameEn'] as const).map((key) => (
          <TextField
            key={key}
            id={ids[key]}
            label={t(`consent.purposes.${key}`)}
            lang={key === 'nameNn' ? 'nn' : key === 'nameEn' ? 'en' : undefined}
            value={names[key]}
            onChange={(event) => setNames({ ...names, [key]: event.target.value })}
            error={errors[key]}
            autoComplete="off"
          />
        ))}
        <SelectField
          id="edit-audience"
          label={t('consent.purposes.audience')}
          value={audience}
          onChange={(event) => setAudience(audiences.find((a) => a === event.target.value) ?? audience)}
          options={audienceOptions}
        />
        <SelectField
          id="edit-rule"
          label={t('consent.purposes.rule')}
          description={t('consent.purposes.ruleHint')}
          value={rule}
          onChange={(event) => setRule(event.target.value === 'both' ? 'both' : 'any')}
          options={ruleOptions}
        />
        <CheckboxField id="edit-first-name" label={t('consent.purposes.firstNameLabel')} checked={firstNameQuestion} onChange={(event) => setFirstNameQuestion(event.target.checked)} />
        <CheckboxField id="edit-per-occasion" label={t('consent.purposes.perOccasionLabel')} checked={perOccasion} onChange={(event) => setPerOccasion(event.target.checked)} />
        <CheckboxField id="edit-active" label={t('consent.purpose.activeLabel')} checked={active} onChange={(event) => setActive(event.target.checked)} />
        <LiveRegion>{status && <Notice tone={status.tone}>{status.text}</Notice>}</LiveRegion>
        <div>
          <Button type="submit" variant="secondary" busy={busy} busyLabel={t('consent.purpose.saving')}>
            {t('consent.purpose.save')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}
