import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ResourceView } from '../../components/ResourceView';
import { Link, PageHeading, Text } from '../../components/ui';
import { useResource } from '../../lib/useResource';
import { PeopleTable } from './PeopleTable';
import { fetchGroups, fetchPeople } from './roster.api';

/** The people of one group, for leaders and staff of its unit (and admins). */
export function GroupPage() {
  const { t } = useTranslation();
  const { unitId = '', groupId = '' } = useParams();
  const data = useResource(
    async (signal) => {
      const [groups, people] = await Promise.all([fetchGroups(unitId, signal), fetchPeople({ groupId }, signal)]);
      return { group: groups.find((candidate) => candidate.id === groupId) ?? null, people };
    },
    [unitId, groupId],
  );
  const name = data.status === 'ready' && data.data.group ? data.data.group.name : t('roster.group.title');

  return (
    <div className="stack">
      <PageHeading title={name}>{name}</PageHeading>
      <ResourceView resource={data}>
        {({ group, people }) =>
          !group ? (
            <>
              <Text>{t('roster.group.notFound')}</Text>
              <p>
                <Link to="/">{t('notFound.home')}</Link>
              </p>
            </>
          ) : (
            <>
              <p>
                <Link to={`/enheter/${encodeURIComponent(unitId)}/grupper/${encodeURIComponent(groupId)}/samtykker`}>
                  {t('roster.group.consents', { name: group.name })}
                </Link>
              </p>
              {people.length === 0 ? (
                <Text>{t('roster.group.none')}</Text>
              ) : (
                <PeopleTable caption={t('roster.group.caption', { name: group.name })} people={people} groups={new Map()} showGroups={false} />
              )}
            </>
          )
        }
      </ResourceView>
    </div>
  );
}
