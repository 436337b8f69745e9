import { useTranslation } from 'react-i18next';
import { DataTable, Link } from '../../components/ui';
import type { Column } from '../../components/ui';
import { currentLanguage } from '../../i18n';
import { formatDate, fullName } from '../../lib/format';
import type { Person } from '../../types/api';
import { isActive } from './groups';
import type { GroupIndex } from './groups';

export function PeopleTable({
  caption,
  people,
  groups,
  linkToPerson = false,
  showGroups = true,
}: {
  caption: string;
  people: readonly Person[];
  groups: GroupIndex;
  linkToPerson?: boolean;
  showGroups?: boolean;
}) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const columns: Column<Person>[] = [
    {
      key: 'name',
      header: t('roster.people.name'),
      rowHeader: true,
      cell: (person) =>
        linkToPerson ? <Link to={`/admin/personer/${encodeURIComponent(person.id)}`}>{fullName(person)}</Link> : fullName(person),
    },
    { key: 'birthDate', header: t('roster.people.birthDate'), cell: (person) => formatDate(person.birthDate, language) || t('common.none') },
    { key: 'kind', header: t('roster.people.kind'), cell: (person) => t(`roster.personKinds.${person.kind}`) },
  ];
  if (showGroups) {
    columns.push({
      key: 'groups',
      header: t('roster.people.groups'),
      cell: (person) =>
        person.memberships
          .filter((membership) => isActive(membership))
          .map((membership) => groups.get(membership.groupId)?.groupName)
          .filter(Boolean)
          .join(', ') || t('common.none'),
    });
  }
  const collator = new Intl.Collator('nb');
  const sorted = [...people].sort((a, b) => collator.compare(a.lastName, b.lastName) || collator.compare(a.firstName, b.firstName));
  return <DataTable caption={caption} columns={columns} rows={sorted} rowKey={(person) => person.id} />;
}
