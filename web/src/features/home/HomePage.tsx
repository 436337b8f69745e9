import { useTranslation } from 'react-i18next';
import { ResourceView } from '../../components/ResourceView';
import { Link, PageHeading, Panel, SectionHeading, StatusIcon, Tag, Text } from '../../components/ui';
import { currentLanguage } from '../../i18n';
import { formatDate, fullName } from '../../lib/format';
import { useUser } from '../../lib/session';
import { useResource } from '../../lib/useResource';
import type { User } from '../../types/api';
import { fetchGroups, fetchPeople, fetchPerson, fetchToDo, fetchUnits } from './home.api';
import { RightsPanel } from '../help/RightsPanel';

export function HomePage() {
  const user = useUser();
  switch (user.role) {
    case 'admin':
      return <AdminHome />;
    case 'leader':
    case 'staff':
      return <UnitHome user={user} />;
    case 'guardian':
      return <GuardianHome />;
    case 'pupil':
      return <PupilHome user={user} />;
  }
}

function AdminHome() {
  const { t } = useTranslation();
  const links = [
    { to: '/admin/enheter', title: t('home.adminUnits'), text: t('home.adminUnitsText') },
    { to: '/admin/personer', title: t('home.adminPeople'), text: t('home.adminPeopleText') },
    { to: '/admin/import', title: t('home.adminImport'), text: t('home.adminImportText') },
    { to: '/admin/formal', title: t('home.adminPurposes'), text: t('home.adminPurposesText') },
    { to: '/admin/kanaler', title: t('home.adminChannels'), text: t('home.adminChannelsText') },
    { to: '/admin/innstillinger', title: t('home.adminSettings'), text: t('home.adminSettingsText') },
  ];
  return (
    <div className="stack">
      <PageHeading>{t('home.title')}</PageHeading>
      <Text>{t('home.adminIntro')}</Text>
      <ul className="card-list">
        {links.map((link) => (
          <li key={link.to}>
            <Panel as="div">
              <p className="card-list__title">
                <Link to={link.to}>{link.title}</Link>
              </p>
              <Text>{link.text}</Text>
            </Panel>
          </li>
        ))}
      </ul>
    </div>
  );
}

function UnitHome({ user }: { user: User }) {
  const { t } = useTranslation();
  const data = useResource(
    async (signal) => {
      const units = await fetchUnits(signal);
      const unit = units.find((candidate) => candidate.id === user.unitId) ?? units[0];
      if (!unit) return null;
      return { unit, groups: await fetchGroups(unit.id, signal) };
    },
    [user.unitId],
  );
  return (
    <div className="stack">
      <PageHeading title={data.status === 'ready' && data.data ? data.data.unit.name : t('home.title')}>
        {data.status === 'ready' && data.data ? data.data.unit.name : t('home.title')}
      </PageHeading>
      <ResourceView resource={data}>
        {(found) =>
          !found ? (
            <Text>{t('home.noUnit')}</Text>
          ) : (
            <section aria-labelledby="home-groups" className="stack">
              <p>
                <Tag>{t(`roster.kinds.${found.unit.kind}`)}</Tag>
              </p>
              {(user.role === 'leader' || user.role === 'staff') && <ToDo role={user.role} />}
              <SectionHeading id="home-groups">{t('home.groups')}</SectionHeading>
              {found.groups.length === 0 ? (
                <Text>{t('home.noGroups')}</Text>
              ) : (
                <ul className="link-list">
                  {found.groups.map((group) => (
                    <li key={group.id}>
                      <Link to={`/enheter/${group.unitId}/grupper/${group.id}`}>{group.name}</Link>
                      {' · '}
                      <Link to={`/enheter/${group.unitId}/grupper/${group.id}/samtykker`}>{t('home.groupConsents', { name: group.name })}</Link>
                      {' · '}
                      <Link to={`/bilder?gruppe=${encodeURIComponent(group.id)}`}>{t('home.groupPhotos', { name: group.name })}</Link>
                    </li>
                  ))}
                </ul>
              )}
            </section>
          )
        }
      </ResourceView>
    </div>
  );
}

/** What is waiting: photos to review (leaders) and copies outside Samtykke to take down. */
function ToDo({ role }: { role: 'leader' | 'staff' }) {
  const { t } = useTranslation();
  const todo = useResource((signal) => fetchToDo(role, signal), [role]);
  // The front page still works if this cannot be loaded; the pages themselves say why.
  if (todo.status !== 'ready') return null;
  const { reviews, takedowns } = todo.data;
  const overdue = takedowns.filter((task) => task.overdue).length;
  return (
    <section aria-labelledby="home-todo" className="stack-tight">
      <SectionHeading id="home-todo">{t('home.todo')}</SectionHeading>
      <ul className="link-list">
        <li>
          <Link to="/bilder/last-opp">{t('home.upload')}</Link>
        </li>
        {role === 'leader' && (
          <li>
            <Link to="/godkjenning">{t('home.reviews', { count: reviews })}</Link>
          </li>
        )}
        <li>
          <Link to="/nedtakinger">{t('home.takedowns', { count: takedowns.length })}</Link>
          {overdue > 0 && (
            <span className="icon-text home-overdue">
              <StatusIcon kind="no" />
              <strong>{t('home.overdue', { count: overdue })}</strong>
            </span>
          )}
        </li>
      </ul>
    </section>
  );
}

function GuardianHome() {
  const { t } = useTranslation();
  const language = currentLanguage();
  const children = useResource((signal) => fetchPeople(signal), []);
  return (
    <div className="stack">
      <PageHeading>{t('home.myChildren')}</PageHeading>
      <ResourceView resource={children}>
        {(people) => (
          <>
            {people.length === 0 ? (
              <Text>{t('home.noChildren')}</Text>
            ) : (
              <ul className="card-list" aria-label={t('home.myChildren')}>
                {people.map((child) => (
                  <li key={child.id}>
                    <Panel as="div">
                      <p className="card-list__title">{fullName(child)}</p>
                      {child.birthDate && <Text>{t('home.born', { date: formatDate(child.birthDate, language) })}</Text>}
                      <p>
                        <Link to={`/samtykke/${encodeURIComponent(child.id)}`}>{t('home.childConsents', { name: child.firstName })}</Link>
                      </p>
                      <p>
                        <Link to={`/samtykke/${encodeURIComponent(child.id)}/bilder`}>{t('home.childPhotos', { name: child.firstName })}</Link>
                      </p>
                    </Panel>
                  </li>
                ))}
              </ul>
            )}
            <RightsPanel />
          </>
        )}
      </ResourceView>
    </div>
  );
}

function PupilHome({ user }: { user: User }) {
  const { t } = useTranslation();
  const personId = user.personId;
  const person = useResource(async (signal) => (personId ? fetchPerson(personId, signal) : null), [personId]);
  return (
    <div className="stack">
      <PageHeading>{t('home.title')}</PageHeading>
      <ResourceView resource={person}>
        {(found) => (
          <>
            <Text>{t('home.pupilSignedIn', { name: found ? fullName(found) : user.email })}</Text>
            <p>
              <Link to="/samtykke">{t('home.pupilConsents')}</Link>
            </p>
            <RightsPanel self />
          </>
        )}
      </ResourceView>
    </div>
  );
}
