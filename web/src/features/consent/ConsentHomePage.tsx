import { useTranslation } from 'react-i18next';
import { ResourceView } from '../../components/ResourceView';
import { Link, PageHeading, Panel, Text } from '../../components/ui';
import type { Language } from '../../i18n';
import { formatDate, fullName } from '../../lib/format';
import { useUser } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { PersonConsents } from '../../types/api';
import { fetchConsents, fetchMyPeople } from './consent.api';
import { PersonConsentView } from './PersonConsentPage';
import { RightsPanel } from '../help/RightsPanel';

/**
 * Where consent-round e-mails lead. A pupil who decides for themself gets their own questions;
 * a guardian gets their children, each with what is still waiting for them.
 */
export function ConsentHomePage() {
  const user = useUser();
  const { t } = useTranslation();
  if (user.role === 'pupil') {
    return user.personId ? <PersonConsentView personId={user.personId} /> : <PageHeading>{t('consent.home.pupilTitle')}</PageHeading>;
  }
  return <MyChildren />;
}

/** Questions still waiting for the signed-in guardian's own answer. */
function waitingForMe(consents: PersonConsents, me: string | null): number {
  if (!consents.canDecide) return 0;
  return consents.purposes
    .filter((p) => p.notice && !p.purpose.perOccasion)
    .flatMap((p) => p.questions)
    .filter((q) => !q.state.valid && q.myAnswer === null && q.state.awaiting.some((person) => person.id === me)).length;
}

function MyChildren() {
  const { t, i18n } = useTranslation();
  const language = (i18n.resolvedLanguage ?? 'nb') as Language;
  const user = useUser();
  const children = useResource(
    async (signal) => {
      const people = await fetchMyPeople(signal);
      return Promise.all(people.map(async (person) => ({ person, consents: await fetchConsents(person.id, language, signal) })));
    },
    [language],
  );
  return (
    <div className="stack">
      <PageHeading>{t('consent.home.title')}</PageHeading>
      <Text>{t('consent.home.intro')}</Text>
      <ResourceView resource={children}>
        {(list) => (
          <>
            {list.length === 0 ? (
              <Text>{t('home.noChildren')}</Text>
            ) : (
              <ul className="card-list" aria-label={t('consent.home.title')}>
                {list.map(({ person, consents }) => {
                  const waiting = waitingForMe(consents, user.personId);
                  return (
                    <li key={person.id}>
                      <Panel as="div">
                        <p className="card-list__title">
                          <Link to={`/samtykke/${encodeURIComponent(person.id)}`}>{fullName(person)}</Link>
                        </p>
                        {person.birthDate && <Text>{t('home.born', { date: formatDate(person.birthDate, language) })}</Text>}
                        <Text>
                          {consents.decidesSelf && !consents.canDecide
                            ? t('consent.home.decidesSelf', { name: person.firstName })
                            : waiting > 0
                              ? t('consent.home.waiting', { count: waiting })
                              : t('consent.home.nothingWaiting')}
                        </Text>
                        <p>
                          <Link to={`/samtykke/${encodeURIComponent(person.id)}/bilder`}>{t('consent.home.photos', { name: person.firstName })}</Link>
                        </p>
                      </Panel>
                    </li>
                  );
                })}
              </ul>
            )}
            <RightsPanel />
          </>
        )}
      </ResourceView>
    </div>
  );
}
