import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, FieldGroup, FormErrors, LiveRegion, Notice, Panel, RadioGroup, SectionHeading, Text, TextArea } from '../../components/ui';
import type { FormError } from '../../components/ui';
import type { Language } from '../../i18n';
import { languages } from '../../i18n';
import { useErrorText } from '../../lib/errors';
import type { Notice as NoticeVersion, NoticeField, NoticeText } from '../../types/api';
import { noticeFields } from '../../types/api';
import { publishNotice } from './consent.api';
import { NoticeDiff } from './NoticeDiff';

type Texts = Record<Language, NoticeText>;
const empty = (): NoticeText => ({ what: '', wherePublished: '', whoCanSee: '', retention: '', withdrawal: '', contact: '' });
const fieldId = (lang: Language, field: NoticeField) => `notice-${lang}-${field}`;

function latestTexts(notices: readonly NoticeVersion[]): { version: number; texts: Texts; previous: Partial<Record<Language, NoticeText>> } {
  const version = Math.max(0, ...notices.map((notice) => notice.version));
  const texts = { nb: empty(), nn: empty(), en: empty() };
  const previous: Partial<Record<Language, NoticeText>> = {};
  for (const notice of notices.filter((n) => n.version === version)) {
    const text = Object.fromEntries(noticeFields.map((field) => [field, notice[field]])) as NoticeText;
    texts[notice.lang] = { ...text };
    previous[notice.lang] = text;
  }
  return { version, texts, previous };
}

/**
 * Publishes a new version of the notice. The admin says in so many words whether the change is
 * material (everyone who said yes is asked again) or editorial (their answers stand), and sees
 * what changed before publishing.
 */
export function PublishNoticeForm({ purposeId, notices, onPublished }: { purposeId: string; notices: readonly NoticeVersion[]; onPublished: (notices: NoticeVersion[]) => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const headingId = useId();
  const latest = latestTexts(notices);
  const [texts, setTexts] = useState<Texts>(latest.texts);
  const [material, setMaterial] = useState<'material' | 'editorial' | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [status, setStatus] = useState<{ tone: 'success' | 'danger'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const first = latest.version === 0;
  const next = latest.version + 1;

  function update(lang: Language, field: NoticeField, value: string) {
    setTexts({ ...texts, [lang]: { ...texts[lang], [field]: value } });
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, string> = {};
    if (!first && !material) found['notice-material-material'] = t('consent.publish.materialRequired');
    for (const lang of languages) {
      const filled = noticeFields.filter((field) => texts[lang][field].trim());
      // Bokmål always; another language all or nothing (readers without it get Bokmål).
      if (lang !== 'nb' && filled.length === 0) continue;
      for (const field of noticeFields) {
        if (!texts[lang][field].trim()) found[fieldId(lang, field)] = lang === 'nb' ? t('consent.publish.required') : t('consent.publish.allOrNothing', { language: t(`languages.${lang}`) });
      }
    }
    setErrors(found);
    setAttempt((n) => n + 1);
    setStatus(null);
    if (Object.keys(found).length > 0) return;
    const trimmed = (lang: Language) => Object.fromEntries(noticeFields.map((field) => [field, texts[lang][field].trim()])) as NoticeText;
    const payload: { nb: NoticeText; nn?: NoticeText; en?: NoticeText } = { nb: trimmed('nb') };
    for (const lang of ['nn', 'en'] as const) if (noticeFields.some((field) => texts[lang][field].trim())) payload[lang] = trimmed(lang);
    setBusy(true);
    try {
      const published = await publishNotice(purposeId, { material: first || material === 'material', texts: payload });
      onPublished(published);
      setMaterial(null);
      setStatus({ tone: 'success', text: t(first || material === 'material' ? 'consent.publish.publishedMaterial' : 'consent.publish.publishedEditorial', { version: next }) });
    } catch (caught) {
      setStatus({ tone: 'danger', text: errorText(caught) });
    } finally {
      setBusy(false);
    }
  }

  const summary: FormError[] = Object.entries(errors).map(([id, message]) => ({ fieldId: id, message }));

  return (
    <Panel labelledBy={headingId}>
      <SectionHeading id={headingId}>{t('consent.publish.heading', { version: next })}</SectionHeading>
      <form className="form form-wide" noValidate onSubmit={(event) => void submit(event)}>
        <Text>{first ? t('consent.publish.introFirst') : t('consent.publish.intro')}</Text>
        <FormErrors key={attempt} errors={summary} />
        {!first && (
          <RadioGroup
            name="notice-material"
            idPrefix="notice-material"
            legend={t('consent.publish.materialLegend')}
            options={[
              { value: 'material', label: t('consent.publish.material'), description: t('consent.publish.materialHint') },
              { value: 'editorial', label: t('consent.publish.editorial'), description: t('consent.publish.editorialHint') },
            ]}
            value={material}
            onChange={(value) => setMaterial(value === 'material' ? 'material' : 'editorial')}
            error={errors['notice-material-material']}
          />
        )}
        {languages.map((lang) => (
          <FieldGroup
            key={lang}
            className="notice-language"
            legend={t(lang === 'nb' ? 'consent.publish.languageRequired' : 'consent.publish.languageOptional', { language: t(`languages.${lang}`) })}
          >
            {noticeFields.map((field) => (
              <TextArea
                key={field}
                id={fieldId(lang, field)}
                label={t(`consent.notice.${field}`)}
                description={lang === 'nb' ? t(`consent.publish.hints.${field}`) : undefined}
                rows={2}
                value={texts[lang][field]}
                onChange={(event) => update(lang, field, event.target.value)}
                error={errors[fieldId(lang, field)]}
                lang={lang}
              />
            ))}
          </FieldGroup>
        ))}
        {!first && latest.previous.nb && (
          <section aria-labelledby="notice-preview" className="stack-tight">
            <SectionHeading level={3} id="notice-preview">
              {t('consent.publish.preview', { version: latest.version })}
            </SectionHeading>
            <NoticeDiff before={latest.previous.nb} after={texts.nb} lang="nb" />
          </section>
        )}
        <LiveRegion>{status && <Notice tone={status.tone}>{status.text}</Notice>}</LiveRegion>
        <div>
          <Button type="submit" busy={busy} busyLabel={t('consent.publish.publishing')}>
            {t('consent.publish.submit', { version: next })}
          </Button>
        </div>
      </form>
    </Panel>
  );
}
