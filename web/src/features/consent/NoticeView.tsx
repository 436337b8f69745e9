import { useTranslation } from 'react-i18next';
import { DetailsList } from '../../components/ui';
import type { Language } from '../../i18n';
import { formatDate } from '../../lib/format';
import type { Notice } from '../../types/api';
import { noticeFields } from '../../types/api';

/** The six parts of a purpose's notice, in full, with its version. */
export function NoticeView({ notice }: { notice: Notice }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  return (
    <div className="stack-tight notice-text">
      <DetailsList items={noticeFields.map((field) => ({ term: t(`consent.notice.${field}`), value: notice[field] }))} />
      <p className="subtle">
        {t('consent.notice.version', { version: notice.version, date: formatDate(notice.createdAt, language) })}
        {notice.lang !== language && <> {t('consent.notice.otherLanguage', { language: t(`languages.${notice.lang}`) })}</>}
      </p>
    </div>
  );
}
