import { useTranslation } from 'react-i18next';
import { SectionHeading, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { formatDateTime, fullName } from '../../lib/format';
import type { ConsentDecision, Purpose } from '../../types/api';
import { purposeName } from './consent-words';

/** Every answer ever given for the person, newest first: who, what, when, how, on which text. */
export function ConsentHistory({ history, purposes, me }: { history: readonly ConsentDecision[]; purposes: readonly Purpose[]; me: string | null }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const names = new Map(purposes.map((purpose) => [purpose.id, purposeName(purpose, language)]));
  return (
    <section aria-labelledby="consent-history" className="stack-tight">
      <SectionHeading id="consent-history">{t('consent.history.heading')}</SectionHeading>
      {history.length === 0 ? (
        <Text>{t('consent.history.none')}</Text>
      ) : (
        <ol className="history-list">
          {history.map((decision) => {
            const who =
              decision.decidedBy.id === me
                ? t('consent.history.you')
                : `${fullName(decision.decidedBy)} (${decision.decidedBy.role === 'self' ? t('consent.history.self') : t(`roster.roles.${decision.decidedBy.role}`).toLowerCase()})`;
            return (
              <li key={decision.id}>
                <p className="history-list__when">{formatDateTime(decision.decidedAt, language)}</p>
                <p>
                  {t(`consent.history.${decision.decision}`, {
                    who,
                    question: t(`consent.questionWord.${decision.question}`),
                    purpose: names.get(decision.purposeId) ?? t('consent.history.unknownPurpose'),
                  })}{' '}
                  {t(`consent.history.method.${decision.method}`)}{' '}
                  {t('consent.history.noticeVersion', { version: decision.noticeVersion })}
                  {decision.occasion && <> {t('consent.history.occasion', { occasion: decision.occasion })}</>}
                </p>
                {decision.evidenceNote && <p className="subtle">{t('consent.history.evidence', { note: decision.evidenceNote })}</p>}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
