import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ResourceView } from '../../components/ResourceView';
import { DownloadLink, Link, Notice, PageHeading, SectionHeading, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { formatLongDate, fullName } from '../../lib/format';
import { useUser } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { PersonConsents } from '../../types/api';
import { consentRecordUrl, fetchConsents } from './consent.api';
import { ConsentHistory } from './ConsentHistory';
import { PurposeCard } from './PurposeCard';
import { RightsPanel } from '../help/RightsPanel';

/** /samtykke/:personId: one child's (or the pupil's own) consents. */
export function PersonConsentPage() {
  const { personId = '' } = useParams();
  return <PersonConsentView personId={personId} />;
}

export function PersonConsentView({ personId }: { personId: string }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const user = useUser();
  const consents = useResource((signal) => fetchConsents(personId, language, signal), [personId, language]);
  const own = user.personId === personId;

  const { status } = consents;
  const set = status === 'ready' ? consents.set : null;
  // No loading state in between: the page keeps what it shows (and where focus is) until the new answer is in.
  const refresh = useCallback(async () => {
    const fresh = await fetchConsents(personId, language);
    set?.(fresh);
  }, [personId, language, set]);

  const title = own
    ? t('consent.person.ownTitle')
    : status === 'ready'
      ? t('consent.person.title', { name: fullName(consents.data.person) })
      : t('consent.person.titleLoading');

  return (
    <div className="stack consent-page">
      <PageHeading title={title}>{title}</PageHeading>
      <ResourceView resource={consents}>{(data) => <PersonConsentBody data={data} own={own} refresh={refresh} />}</ResourceView>
    </div>
  );
}

function PersonConsentBody({ data, own, refresh }: { data: PersonConsents; own: boolean; refresh: () => Promise<void> }) {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const user = useUser();
  const { person } = data;
  const self = data.decidesSelf;
  const view = { me: user.personId, self: self && own, childName: person.firstName };
  // From the self-consent age the answers are the pupil's own: a guardian sees that, not what they are.
  const privateToPupil = self && !own && !data.canDecide;

  return (
    <>
      {own ? (
        <Text>{t('consent.person.introSelf')}</Text>
      ) : data.canDecide ? (
        <Text>{t('consent.person.introGuardian', { name: person.firstName })}</Text>
      ) : null}
      {!own && self && !data.canDecide && (
        <Notice tone="info">{t('consent.person.decidesSelf', { name: person.firstName })}</Notice>
      )}
      {!own && !self && !data.canDecide && <Notice tone="info">{t('consent.person.readOnly')}</Notice>}
      {own && !self && data.selfConsentFrom && (
        <Notice tone="info">{t('consent.person.notYetSelf', { date: formatLongDate(data.selfConsentFrom, language) })}</Notice>
      )}
      {data.canDecide && <Text>{own ? t('consent.person.noConsequencesSelf') : t('consent.person.noConsequences', { name: person.firstName })}</Text>}

      {privateToPupil ? null : data.purposes.length === 0 ? (
        <Text>{t('consent.person.noPurposes')}</Text>
      ) : (
        data.purposes.map((entry) => (
          <PurposeCard
            key={entry.purpose.id}
            personId={person.id}
            entry={entry}
            view={view}
            canDecide={data.canDecide}
            history={data.history.filter((decision) => decision.purposeId === entry.purpose.id)}
            refresh={refresh}
          />
        ))
      )}

      <section aria-labelledby="consent-photos" className="stack-tight">
        <SectionHeading id="consent-photos">{t('consent.person.photosHeading')}</SectionHeading>
        <p>
          <Link to={`/samtykke/${encodeURIComponent(person.id)}/bilder`}>
            {own ? t('consent.person.photosSelf') : t('consent.person.photos', { name: person.firstName })}
          </Link>
        </p>
      </section>

      {!privateToPupil && <ConsentHistory history={data.history} purposes={data.purposes.map((p) => p.purpose)} me={user.personId} />}

      {!privateToPupil && (
        <section aria-labelledby="consent-record" className="stack-tight">
          <SectionHeading id="consent-record">{t('consent.download.heading')}</SectionHeading>
          <Text>{t('consent.download.intro')}</Text>
          <ul className="link-list">
            <li>
              <DownloadLink href={consentRecordUrl(person.id, 'iso27560', language)}>{t('consent.download.iso27560')}</DownloadLink>
            </li>
            <li>
              <DownloadLink href={consentRecordUrl(person.id, 'kantara', language)}>{t('consent.download.kantara')}</DownloadLink>
            </li>
          </ul>
        </section>
      )}

      <RightsPanel self={own} contact={data.purposes.find((entry) => entry.notice)?.notice?.contact ?? null} />
    </>
  );
}
