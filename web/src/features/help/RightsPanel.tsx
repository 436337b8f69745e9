import { useTranslation } from 'react-i18next';
import { ExternalLink, Link, Panel, SectionHeading, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { schoolYearEnd } from './school-year';
import { formatLongDate } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import { fetchSettings } from '../consent/consent.api';

/**
 * What every page for guardians and pupils says about their rights (issue #7, part 5): what is
 * kept, for how long, whom to contact, how to get something removed, and that saying no costs
 * nothing. The figures are the organisation's own settings.
 */
export function RightsPanel({ self = false, contact }: { self?: boolean; contact?: string | null }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const settings = useResource((signal) => fetchSettings(signal), []);
  const facts = settings.status === 'ready' ? settings.data : null;
  // Shown whole once the figures are in (or could not be fetched), so nothing below it jumps.
  if (settings.status === 'loading') return null;

  return (
    <Panel labelledBy="rights-heading">
      <div className="stack-tight rights">
        <SectionHeading id="rights-heading">{t('rights.heading')}</SectionHeading>
        <Text>{self ? t('rights.voluntarySelf') : t('rights.voluntary')}</Text>
        <Text>{self ? t('rights.keepsSelf') : t('rights.keeps')}</Text>
        {facts ? (
          <>
            <Text>
              {t(self ? 'rights.howLongSelf' : 'rights.howLong', {
                date: formatLongDate(schoolYearEnd(facts.schoolYearEnd), language),
                days: facts.retentionUnpublishedDays,
              })}
            </Text>
            <Text>{t('rights.removal', { hours: facts.takedownDueHours })}</Text>
          </>
        ) : (
          // The figures could not be fetched: the same facts, without them.
          <>
            <Text>{t('help.howLongConsentGeneric')}</Text>
            <Text>{t('help.removeWithdrawGeneric')}</Text>
          </>
        )}
        <Text>{t('rights.elsewhere')}</Text>
        <Text>
          {t('rights.contact')}
          {contact ? ` ${t('help.contactLine', { contact })}` : ''}
        </Text>
        <ul className="link-list">
          <li>
            <Link to="/hjelp">{t('rights.more')}</Link>
          </li>
          <li>
            <ExternalLink href="https://slettmeg.no/">{t('help.slettmeg')}</ExternalLink>
          </li>
        </ul>
      </div>
    </Panel>
  );
}
