import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button, FieldGroup, FormErrors, LiveRegion, Notice, Panel, SectionHeading, Text, TextArea, TextField } from '../../components/ui';
import { useErrorText } from '../../lib/errors';
import { useResource } from '../../lib/useResource';
import type { Guidelines, Lang } from '../../types/api';
import { fetchGuidelines, publishGuidelines } from './photos.api';
import type { GuidelineText } from './photos.api';

const langs: readonly Lang[] = ['nb', 'nn', 'en'];
type Texts = Record<Lang, GuidelineText>;
const empty: GuidelineText = { title: '', body: '' };

/** The current text in each language it exists in (the server falls back to Bokmål for the rest). */
async function currentTexts(signal: AbortSignal): Promise<Texts> {
  const all = await Promise.all(langs.map((lang) => fetchGuidelines(lang, signal)));
  const texts: Texts = { nb: { ...empty }, nn: { ...empty }, en: { ...empty } };
  for (const [i, lang] of langs.entries()) {
    const found = all[i];
    if (found && found.lang === lang) texts[lang] = { title: found.title, body: found.body };
  }
  return texts;
}

/** Admin: a new version of the guidelines. Everyone who uploads is asked to confirm it again. */
export function PublishGuidelinesForm({ current, onPublished }: { current: Guidelines | null; onPublished: (version: number) => Promise<void> }) {
  const { t } = useTranslation();
  const loaded = useResource((signal) => currentTexts(signal), [current?.version]);
  return (
    <Panel labelledBy="guidelines-publish">
      <SectionHeading id="guidelines-publish">{t('photos.guidelines.publishHeading')}</SectionHeading>
      <Text>{t('photos.guidelines.publishIntro')}</Text>
      {loaded.status === 'ready' && <PublishForm key={current?.version ?? 0} initial={loaded.data} onPublished={onPublished} />}
    </Panel>
  );
}

function PublishForm({ initial, onPublished }: { initial: Texts; onPublished: (version: number) => Promise<void> }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [texts, setTexts] = useState<Texts>(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = (lang: Lang, field: keyof GuidelineText, value: string) => setTexts((old) => ({ ...old, [lang]: { ...old[lang], [field]: value } }));

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: Record<string, string> = {};
    if (!texts.nb.title.trim()) found['guidelines-nb-title'] = t('photos.guidelines.titleRequired');
    if (!texts.nb.body.trim()) found['guidelines-nb-body'] = t('photos.guidelines.bodyRequired');
    for (const lang of ['nn', 'en'] as const) {
      const { title, body } = texts[lang];
      // A translation is both parts or neither.
      if (title.trim() && !body.trim()) found[`guidelines-${lang}-body`] = t('photos.guidelines.bodyRequired');
      if (body.trim() && !title.trim()) found[`guidelines-${lang}-title`] = t('photos.guidelines.titleRequired');
    }
    setErrors(found);
    setAttempt((n) => n + 1);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const clean = (text: GuidelineText) => ({ title: text.title.trim(), body: text.body.trim() });
      const version = await publishGuidelines({
        nb: clean(texts.nb),
        ...(texts.nn.title.trim() ? { nn: clean(texts.nn) } : {}),
        ...(texts.en.title.trim() ? { en: clean(texts.en) } : {}),
      });
      await onPublished(version);
    } catch (caught) {
      setFailure(errorText(caught));
      setBusy(false);
    }
  }

  const fields = (lang: Lang) => (
    <>
      <TextField
        id={`guidelines-${lang}-title`}
        label={t('photos.guidelines.titleField')}
        optional={lang !== 'nb'}
        value={texts[lang].title}
        onChange={(event) => change(lang, 'title', event.target.value)}
        error={errors[`guidelines-${lang}-title`]}
        lang={lang}
        autoComplete="off"
      />
      <TextArea
        id={`guidelines-${lang}-body`}
        label={`${t('photos.guidelines.bodyField')}${lang !== 'nb' ? ` ${t('common.optional')}` : ''}`}
        description={t('photos.guidelines.bodyHint')}
        rows={10}
        value={texts[lang].body}
        onChange={(event) => change(lang, 'body', event.target.value)}
        error={errors[`guidelines-${lang}-body`]}
        lang={lang}
      />
    </>
  );

  return (
    <form className="form form-wide" noValidate onSubmit={(event) => void submit(event)}>
      <FormErrors key={attempt} errors={Object.entries(errors).map(([fieldId, message]) => ({ fieldId, message }))} />
      {langs.map((lang) => (
        <FieldGroup
          key={lang}
          className="notice-language"
          legend={t(lang === 'nb' ? 'photos.guidelines.languageRequired' : 'photos.guidelines.languageOptional', { language: t(`languages.${lang}`) })}
        >
          {fields(lang)}
        </FieldGroup>
      ))}
      <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
      <div>
        <Button type="submit" busy={busy} busyLabel={t('photos.guidelines.publishing')}>
          {t('photos.guidelines.publish')}
        </Button>
      </div>
    </form>
  );
}
