import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Disclosure, SectionHeading, SelectField, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { isLanguage, languages } from '../../i18n';
import { formatDateTime } from '../../lib/format';
import type { Notice } from '../../types/api';
import { NoticeDiff } from './NoticeDiff';

/** Every published version of a purpose's notice, newest first, each with what it changed. */
export function NoticeVersions({ notices }: { notices: readonly Notice[] }) {
  const { t, i18n } = useTranslation();
  const uiLanguage = (i18n.resolvedLanguage ?? 'nb') as Language;
  const [shown, setShown] = useState<Language>('nb');
  const versions = [...new Set(notices.map((notice) => notice.version))].sort((a, b) => b - a);
  const find = (version: number, lang: Language) => notices.find((notice) => notice.version === version && notice.lang === lang) ?? null;

  return (
    <section aria-labelledby="notice-versions" className="stack">
      <SectionHeading id="notice-versions">{t('consent.versions.heading')}</SectionHeading>
      {versions.length === 0 ? (
        <Text>{t('consent.versions.none')}</Text>
      ) : (
        <>
          <SelectField
            id="versions-language"
            label={t('consent.versions.language')}
            value={shown}
            onChange={(event) => isLanguage(event.target.value) && setShown(event.target.value)}
            options={languages.map((l) => ({ value: l, label: t(`languages.${l}`), lang: l }))}
          />
          {versions.map((version, index) => {
            const any = notices.find((notice) => notice.version === version)!;
            const langs = notices.filter((notice) => notice.version === version).map((notice) => t(`languages.${notice.lang}`));
            const current = find(version, shown);
            const previousVersion = versions[index + 1];
            const previous = previousVersion === undefined ? null : find(previousVersion, shown);
            return (
              <Disclosure
                key={version}
                defaultOpen={index === 0}
                summary={t('consent.versions.summary', {
                  version,
                  date: formatDateTime(any.createdAt, uiLanguage),
                  kind: any.material ? t('consent.versions.material') : t('consent.versions.editorial'),
                })}
              >
                <div className="stack-tight">
                  <p className="subtle">{t('consent.versions.languages', { languages: langs.join(', ') })}</p>
                  {!current ? (
                    <Text>{t('consent.versions.missingLanguage')}</Text>
                  ) : (
                    <>
                      <p className="subtle">
                        {previousVersion === undefined
                          ? t('consent.versions.first')
                          : previous
                            ? t('consent.versions.comparedTo', { version: previousVersion })
                            : t('consent.versions.noPrevious', { version: previousVersion })}
                      </p>
                      <NoticeDiff before={previous} after={current} lang={shown} />
                    </>
                  )}
                </div>
              </Disclosure>
            );
          })}
        </>
      )}
    </section>
  );
}
