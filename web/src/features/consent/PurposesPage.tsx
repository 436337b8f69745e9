import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ResourceView } from '../../components/ResourceView';
import { Button, CheckboxField, DataTable, FormErrors, Link, LiveRegion, Notice, PageHeading, Panel, SectionHeading, SelectField, Text, TextField } from '../../components/ui';
import type { FormError } from '../../components/ui';
import type { Language } from '../../i18n';
import { useErrorText } from '../../lib/errors';
import { useResource } from '../../lib/useResource';
import type { Audience, GuardianRule } from '../../types/api';
import { audiences } from '../../types/api';
import { useAudienceOptions, useRuleOptions } from './admin-words';
import { createPurpose, fetchPurposes } from './consent.api';
import { purposeName } from './consent-words';

/** Admin: the purposes guardians are asked about. */
export function PurposesPage() {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const purposes = useResource((signal) => fetchPurposes(signal), []);
  return (
    <div className="stack">
      <PageHeading>{t('consent.purposes.title')}</PageHeading>
      <Text>{t('consent.purposes.intro')}</Text>
      <ResourceView resource={purposes}>
        {(list) =>
          list.length === 0 ? (
            <Text>{t('consent.purposes.none')}</Text>
          ) : (
            <DataTable
              caption={t('consent.purposes.caption')}
              rows={[...list].sort((a, b) => a.sortOrder - b.sortOrder)}
              rowKey={(purpose) => purpose.id}
              columns={[
                {
                  key: 'name',
                  header: t('consent.purposes.name'),
                  rowHeader: true,
                  cell: (purpose) => <Link to={`/admin/formal/${encodeURIComponent(purpose.id)}`}>{purposeName(purpose, language)}</Link>,
                },
                { key: 'audience', header: t('consent.purposes.audience'), cell: (purpose) => t(`consent.audience.${purpose.audience}`) },
                { key: 'rule', header: t('consent.purposes.rule'), cell: (purpose) => t(`consent.rule.${purpose.guardianRule}`) },
                { key: 'firstName', header: t('consent.purposes.firstName'), cell: (purpose) => (purpose.firstNameQuestion ? t('common.yes') : t('common.no')) },
                { key: 'occasion', header: t('consent.purposes.perOccasion'), cell: (purpose) => (purpose.perOccasion ? t('common.yes') : t('common.no')) },
                { key: 'active', header: t('consent.purposes.active'), cell: (purpose) => (purpose.active ? t('common.yes') : t('common.no')) },
              ]}
            />
          )
        }
      </ResourceView>
      {/* Below the list, shown once the list is in (or could not be fetched), so it is not pushed down. */}
      {purposes.status !== 'loading' && <NewPurposeForm />}
    </div>
  );
}

type Field = 'code' | 'nameNb' | 'nameNn' | 'nameEn' | 'audience';
const fieldIds: Record<Field, string> = {
  code: 'purpose-code',
  nameNb: 'purpose-name-nb',
  nameNn: 'purpose-name-nn',
  nameEn: 'purpose-name-en',
  audience: 'purpose-audience',
};

function NewPurposeForm() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const headingId = useId();
  const audienceOptions = useAudienceOptions();
  const ruleOptions = useRuleOptions();
  const [values, setValues] = useState({ code: '', nameNb: '', nameNn: '', nameEn: '' });
  const [audience, setAudience] = useState<Audience | ''>('');
  const [rule, setRule] = useState<GuardianRule | ''>('');
  const [firstNameQuestion, setFirstNameQuestion] = useState(false);
  const [perOccasion, setPerOccasion] = useState(false);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: Partial<Record<Field, string>> = {};
    if (!/^[a-z0-9_-]{2,40}$/.test(values.code.trim())) found.code = t('consent.purposes.codeInvalid');
    if (!values.nameNb.trim()) found.nameNb = t('consent.purposes.nameRequired');
    if (!values.nameNn.trim()) found.nameNn = t('consent.purposes.nameRequired');
    if (!values.nameEn.trim()) found.nameEn = t('consent.purposes.nameRequired');
    if (!audience) found.audience = t('consent.purposes.audienceRequired');
    setErrors(found);
    setAttempt((n) => n + 1);
    setFailure(null);
    if (Object.keys(found).length > 0 || !audience) return;
    setBusy(true);
    try {
      const purpose = await createPurpose({
        code: values.code.trim(),
        nameNb: values.nameNb.trim(),
        nameNn: values.nameNn.trim(),
        nameEn: values.nameEn.trim(),
        audience,
        // Left out: the server picks the stricter rule for public and press audiences.
        ...(rule ? { guardianRule: rule } : {}),
        firstNameQuestion,
        perOccasion,
      });
      navigate(`/admin/formal/${encodeURIComponent(purpose.id)}`, { state: { created: true } });
    } catch (caught) {
      setFailure(errorText(caught));
      setBusy(false);
    }
  }

  const summary: FormError[] = (Object.keys(fieldIds) as Field[]).flatMap((field) => (errors[field] ? [{ fieldId: fieldIds[field], message: errors[field] }] : []));
  const text = (field: Exclude<Field, 'audience'>, label: string, extra: { description?: string; lang?: string } = {}) => (
    <TextField
      id={fieldIds[field]}
      label={label}
      value={values[field]}
      onChange={(event) => setValues({ ...values, [field]: event.target.value })}
      error={errors[field]}
      autoComplete="off"
      {...extra}
    />
  );

  return (
    <Panel labelledBy={headingId}>
      <SectionHeading id={headingId}>{t('consent.purposes.createHeading')}</SectionHeading>
      <form className="form" noValidate onSubmit={(event) => void submit(event)}>
        <FormErrors key={attempt} errors={summary} />
        {text('code', t('consent.purposes.code'), { description: t('consent.purposes.codeHint') })}
        {text('nameNb', t('consent.purposes.nameNb'))}
        {text('nameNn', t('consent.purposes.nameNn'), { lang: 'nn' })}
        {text('nameEn', t('consent.purposes.nameEn'), { lang: 'en' })}
        <SelectField
          id={fieldIds.audience}
          label={t('consent.purposes.audience')}
          description={t('consent.purposes.audienceHint')}
          value={audience}
          onChange={(event) => setAudience(audiences.find((a) => a === event.target.value) ?? '')}
          options={[{ value: '', label: t('consent.purposes.chooseAudience') }, ...audienceOptions]}
          error={errors.audience}
        />
        <SelectField
          id="purpose-rule"
          label={t('consent.purposes.rule')}
          description={t('consent.purposes.ruleHint')}
          value={rule}
          onChange={(event) => setRule(event.target.value === 'any' || event.target.value === 'both' ? event.target.value : '')}
          options={[{ value: '', label: t('consent.purposes.ruleDefault') }, ...ruleOptions]}
        />
        <CheckboxField id="purpose-first-name" label={t('consent.purposes.firstNameLabel')} checked={firstNameQuestion} onChange={(event) => setFirstNameQuestion(event.target.checked)} />
        <CheckboxField id="purpose-per-occasion" label={t('consent.purposes.perOccasionLabel')} checked={perOccasion} onChange={(event) => setPerOccasion(event.target.checked)} />
        <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
        <div>
          <Button type="submit" busy={busy} busyLabel={t('consent.purposes.creating')}>
            {t('consent.purposes.create')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}
