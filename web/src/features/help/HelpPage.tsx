import { useTranslation } from 'react-i18next';
import { ResourceView } from '../../components/ResourceView';
import { ExternalLink, PageHeading, SectionHeading, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { schoolYearEnd } from './school-year';
import { formatLongDate } from '../../lib/format';
import { useSession } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { Settings } from '../../types/api';
import { fetchNotices, fetchPurposes, fetchSettings } from '../consent/consent.api';

/** The contact line of the organisation's consent texts (the first purpose's newest notice). */
async function fetchContact(language: Language, signal: AbortSignal): Promise<string | null> {
  const purposes = (await fetchPurposes(signal)).filter((p) => p.active);
  const first = purposes.sort((a, b) => a.sortOrder - b.sortOrder)[0];
  if (!first) return null;
  const notices = await fetchNotices(first.id, signal);
  const newest = (lang: string) => notices.filter((n) => n.lang === lang).sort((a, b) => b.version - a.version)[0];
  return (newest(language) ?? newest('nb'))?.contact ?? null;
}

/**
 * Help and rights for guardians and pupils: what is kept, for how long, whom to ask, how to get
 * things removed. Open to everyone (a guardian whose sign-in link has run out needs it most);
 * signed in, it gives the organisation's own figures and contact.
 */
export function HelpPage() {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const { session } = useSession();
  const signedIn = session.status === 'authenticated';
  const facts = useResource(
    async (signal) => {
      if (!signedIn) return null;
      const [settings, contact] = await Promise.all([fetchSettings(signal), fetchContact(language, signal)]);
      return { settings, contact };
    },
    [language, signedIn],
  );

  return (
    <div className="stack page-narrow">
      <PageHeading>{t('help.title')}</PageHeading>
      <Text>{t('help.intro')}</Text>
      <ResourceView resource={facts}>
        {(found) => <HelpBody settings={found?.settings ?? null} contact={found?.contact ?? null} language={language} />}
      </ResourceView>
    </div>
  );
}

function HelpBody({ settings, contact, language }: { settings: Settings | null; contact: string | null; language: Language }) {
  const { t } = useTranslation();
  return (
    <>
      {settings ? <Text>{t('help.selfAge', { age: settings.selfConsentAge })}</Text> : <Text>{t('help.signIn')}</Text>}

      <section aria-labelledby="help-voluntary" className="stack-tight">
        <SectionHeading id="help-voluntary">{t('help.voluntaryHeading')}</SectionHeading>
        <Text>{t('help.voluntary')}</Text>
      </section>

      <section aria-labelledby="help-keeps" className="stack-tight">
        <SectionHeading id="help-keeps">{t('help.keepsHeading')}</SectionHeading>
        <ul>
          <li>{t('help.keepsPeople')}</li>
          <li>{t('help.keepsAnswers')}</li>
          <li>{t('help.keepsView')}</li>
          <li>{t('help.keepsPhotos')}</li>
          <li>{t('help.keepsPublications')}</li>
          <li>{t('help.keepsLog')}</li>
        </ul>
        <Text>{t('help.notKept')}</Text>
      </section>

      <section aria-labelledby="help-how-long" className="stack-tight">
        <SectionHeading id="help-how-long">{t('help.howLongHeading')}</SectionHeading>
        <Text>
          {settings
            ? t('help.howLongConsent', { date: formatLongDate(schoolYearEnd(settings.schoolYearEnd), language) })
            : t('help.howLongConsentGeneric')}
        </Text>
        <Text>{settings ? t('help.howLongPhotos', { days: settings.retentionUnpublishedDays }) : t('help.howLongPhotosGeneric')}</Text>
        <Text>{t('help.howLongPublished')}</Text>
        <Text>{t('help.howLongHistory')}</Text>
      </section>

      <section aria-labelledby="help-remove" className="stack-tight">
        <SectionHeading id="help-remove">{t('help.removeHeading')}</SectionHeading>
        <Text>{settings ? t('help.removeWithdraw', { hours: settings.takedownDueHours }) : t('help.removeWithdrawGeneric')}</Text>
        <Text>{t('help.removeOne')}</Text>
        <Text>{t('help.removeElsewhere')}</Text>
        <p>
          <ExternalLink href="https://slettmeg.no/">{t('help.slettmeg')}</ExternalLink>
        </p>
      </section>

      <section aria-labelledby="help-contact" className="stack-tight">
        <SectionHeading id="help-contact">{t('help.contactHeading')}</SectionHeading>
        <Text>{t('help.contact')}</Text>
        {contact && <Text>{t('help.contactLine', { contact })}</Text>}
      </section>

      <section aria-labelledby="help-rights" className="stack-tight">
        <SectionHeading id="help-rights">{t('help.rightsHeading')}</SectionHeading>
        <Text>{t('help.rightsAccess')}</Text>
        <Text>{t('help.rightsComplain')}</Text>
        <p>
          <ExternalLink href="https://www.datatilsynet.no/">{t('help.datatilsynet')}</ExternalLink>
        </p>
      </section>
    </>
  );
}
