import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ResourceView } from '../../components/ResourceView';
import {
  Button,
  CheckboxField,
  DataTable,
  DetailsList,
  FormErrors,
  Link,
  LiveRegion,
  Notice,
  PageHeading,
  Panel,
  SectionHeading,
  SelectField,
  Text,
  TextField,
} from '../../components/ui';
import type { FormError } from '../../components/ui';
import { currentLanguage } from '../../i18n';
import { isApiError } from '../../lib/api';
import { useErrorText } from '../../lib/errors';
import { formatDate, fullName, isEmail } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import { guardianRoles } from '../../types/api';
import type { GuardianLink, GuardianRole, Membership, Person } from '../../types/api';
import { indexGroups } from './groups';
import type { GroupIndex } from './groups';
import { addGuardian, fetchGuardians, fetchPerson, fetchUnitsWithGroups } from './roster.api';

export function PersonPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const data = useResource(
    async (signal) => {
      const [person, guardians, units] = await Promise.all([
        fetchPerson(id, signal),
        fetchGuardians(id, signal),
        fetchUnitsWithGroups(signal),
      ]);
      return { person, guardians, groups: indexGroups(units) };
    },
    [id],
  );
  const name = data.status === 'ready' ? fullName(data.data.person) : t('roster.person.title');

  if (data.status === 'failed' && isApiError(data.error) && data.error.status === 404) {
    return (
      <div className="stack">
        <PageHeading>{t('roster.person.title')}</PageHeading>
        <Text>{t('roster.person.notFound')}</Text>
        <p>
          <Link to="/admin/personer">{t('roster.person.backToList')}</Link>
        </p>
      </div>
    );
  }

  return (
    <div className="stack">
      <p>
        <Link to="/admin/personer">{t('roster.person.backToList')}</Link>
      </p>
      <PageHeading title={name}>{name}</PageHeading>
      <ResourceView resource={data}>
        {({ person, guardians, groups }) => (
          <>
            <PersonDetails person={person} />
            <Memberships person={person} groups={groups} />
            <Guardians
              person={person}
              guardians={guardians}
              onAdded={(link) => {
                if (data.status === 'ready') data.set({ ...data.data, guardians: [...data.data.guardians, link] });
              }}
            />
          </>
        )}
      </ResourceView>
    </div>
  );
}

function PersonDetails({ person }: { person: Person }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  const none = t('common.none');
  return (
    <section aria-labelledby="person-details" className="stack">
      <SectionHeading id="person-details">{t('roster.person.details')}</SectionHeading>
      <DetailsList
        items={[
          { term: t('roster.person.kind'), value: t(`roster.personKinds.${person.kind}`) },
          { term: t('roster.person.birthDate'), value: formatDate(person.birthDate, language) || none },
          { term: t('roster.person.email'), value: person.email || none },
          { term: t('roster.person.phone'), value: person.phone || none },
          { term: t('roster.person.externalId'), value: person.externalId || none },
        ]}
      />
    </section>
  );
}

function Memberships({ person, groups }: { person: Person; groups: GroupIndex }) {
  const { t } = useTranslation();
  const language = currentLanguage();
  return (
    <section aria-labelledby="person-memberships" className="stack">
      <SectionHeading id="person-memberships">{t('roster.person.memberships')}</SectionHeading>
      {person.memberships.length === 0 ? (
        <Text>{t('roster.person.noMemberships')}</Text>
      ) : (
        <DataTable<Membership>
          caption={t('roster.person.membershipsCaption', { name: fullName(person) })}
          captionHidden
          rows={person.memberships}
          rowKey={(membership) => membership.id}
          columns={[
            {
              key: 'group',
              header: t('roster.person.group'),
              rowHeader: true,
              cell: (membership) => {
                const group = groups.get(membership.groupId);
                return group ? `${group.unitName} – ${group.groupName}` : t('common.none');
              },
            },
            { key: 'from', header: t('roster.person.from'), cell: (membership) => formatDate(membership.from, language) },
            { key: 'to', header: t('roster.person.to'), cell: (membership) => formatDate(membership.to, language) || t('common.none') },
          ]}
        />
      )}
    </section>
  );
}

function Guardians({ person, guardians, onAdded }: { person: Person; guardians: GuardianLink[]; onAdded(link: GuardianLink): void }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <section aria-labelledby="person-guardians" className="stack">
      <SectionHeading id="person-guardians">{t('roster.person.guardians')}</SectionHeading>
      {guardians.length === 0 ? (
        <Text>{t('roster.person.noGuardians')}</Text>
      ) : (
        <DataTable<GuardianLink>
          caption={t('roster.person.guardiansCaption', { name: fullName(person) })}
          captionHidden
          rows={guardians}
          rowKey={(link) => link.id}
          columns={[
            { key: 'name', header: t('roster.person.guardianName'), rowHeader: true, cell: (link) => fullName(link.guardian) },
            { key: 'role', header: t('roster.person.role'), cell: (link) => t(`roster.roles.${link.role}`) },
            {
              key: 'responsibility',
              header: t('roster.person.responsibility'),
              cell: (link) => (link.responsibility ? t('common.yes') : t('common.no')),
            },
            { key: 'email', header: t('roster.person.email'), cell: (link) => link.guardian.email || t('common.none') },
            { key: 'phone', header: t('roster.person.phone'), cell: (link) => link.guardian.phone || t('common.none') },
          ]}
        />
      )}
      <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
      <GuardianForm
        personId={person.id}
        onAdded={(link) => {
          onAdded(link);
          setMessage(t('roster.person.guardianAdded', { name: fullName(link.guardian) }));
        }}
      />
    </section>
  );
}

type GuardianField = 'firstName' | 'lastName' | 'email';
const guardianFieldIds: Record<GuardianField, string> = {
  firstName: 'guardian-first-name',
  lastName: 'guardian-last-name',
  email: 'guardian-email',
};

function GuardianForm({ personId, onAdded }: { personId: string; onAdded(link: GuardianLink): void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const headingId = useId();
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [email, setEmail] = useState('');
  const [phone, setPhone] = useState('');
  const [role, setRole] = useState<GuardianRole>('parent');
  const [responsibility, setResponsibility] = useState(true);
  const [errors, setErrors] = useState<Partial<Record<GuardianField, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: Partial<Record<GuardianField, string>> = {};
    if (!firstName.trim()) found.firstName = t('roster.newPerson.firstNameRequired');
    if (!lastName.trim()) found.lastName = t('roster.newPerson.lastNameRequired');
    if (!email.trim()) found.email = t('roster.person.emailRequired');
    else if (!isEmail(email)) found.email = t('roster.person.emailInvalid');
    setErrors(found);
    setAttempt((n) => n + 1);
    setFailure(null);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const link = await addGuardian(personId, {
        firstName: firstName.trim(),
        lastName: lastName.trim(),
        email: email.trim(),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        role,
        responsibility,
      });
      onAdded(link);
      setFirstName('');
      setLastName('');
      setEmail('');
      setPhone('');
    } catch (caught) {
      setFailure(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  const summary: FormError[] = (Object.keys(guardianFieldIds) as GuardianField[]).flatMap((field) => {
    const message = errors[field];
    return message ? [{ fieldId: guardianFieldIds[field], message }] : [];
  });

  return (
    <Panel labelledBy={headingId}>
      <SectionHeading level={3} id={headingId}>
        {t('roster.person.addGuardian')}
      </SectionHeading>
      <form className="form" noValidate onSubmit={submit}>
        <FormErrors key={attempt} errors={summary} />
        <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
        <TextField
          id={guardianFieldIds.firstName}
          label={t('roster.person.guardianFirstName')}
          value={firstName}
          onChange={(event) => setFirstName(event.target.value)}
          error={errors.firstName}
          autoComplete="off"
        />
        <TextField
          id={guardianFieldIds.lastName}
          label={t('roster.person.guardianLastName')}
          value={lastName}
          onChange={(event) => setLastName(event.target.value)}
          error={errors.lastName}
          autoComplete="off"
        />
        <TextField
          id={guardianFieldIds.email}
          type="email"
          inputMode="email"
          label={t('roster.person.guardianEmail')}
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={errors.email}
          autoComplete="off"
        />
        <TextField
          id="guardian-phone"
          type="tel"
          inputMode="tel"
          optional
          label={t('roster.person.guardianPhone')}
          value={phone}
          onChange={(event) => setPhone(event.target.value)}
          autoComplete="off"
        />
        <SelectField
          id="guardian-role"
          label={t('roster.person.guardianRole')}
          value={role}
          onChange={(event) => setRole(guardianRoles.find((candidate) => candidate === event.target.value) ?? 'parent')}
          options={guardianRoles.map((value) => ({ value, label: t(`roster.roles.${value}`) }))}
        />
        <CheckboxField
          id="guardian-responsibility"
          label={t('roster.person.guardianResponsibility')}
          checked={responsibility}
          onChange={(event) => setResponsibility(event.target.checked)}
        />
        <div>
          <Button type="submit" busy={busy}>
            {t('roster.person.guardianSubmit')}
          </Button>
        </div>
      </form>
    </Panel>
  );
}
