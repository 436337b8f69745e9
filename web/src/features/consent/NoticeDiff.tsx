import { useTranslation } from 'react-i18next';
import type { NoticeText } from '../../types/api';
import { noticeFields } from '../../types/api';
import { diffWords, isUnchanged } from './text-diff';

/**
 * What changed in each of the six parts of a notice. Removed words are struck through and
 * added words underlined (not colour alone), and screen readers hear where each change starts and ends.
 */
export function NoticeDiff({ before, after, lang }: { before: NoticeText | null; after: NoticeText; lang?: string }) {
  const { t } = useTranslation();
  return (
    <dl className="notice-diff details-list">
      {noticeFields.map((field) => {
        const parts = diffWords(before?.[field] ?? '', after[field]);
        return (
          <div key={field}>
            <dt>{t(`consent.notice.${field}`)}</dt>
            <dd>
              {before === null ? (
                <p lang={lang}>{after[field]}</p>
              ) : isUnchanged(parts) ? (
                <span className="subtle">{t('consent.diff.unchanged')}</span>
              ) : (
                <p className="diff-text" lang={lang}>
                  {parts.map((part, index) =>
                    part.kind === 'same' ? (
                      <span key={index}>{part.text}</span>
                    ) : part.kind === 'removed' ? (
                      <del key={index}>
                        <span className="ds-sr-only">[{t('consent.diff.removed')}: </span>
                        {part.text}
                        <span className="ds-sr-only">]</span>
                      </del>
                    ) : (
                      <ins key={index}>
                        <span className="ds-sr-only">[{t('consent.diff.added')}: </span>
                        {part.text}
                        <span className="ds-sr-only">]</span>
                      </ins>
                    ),
                  )}
                </p>
              )}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}
