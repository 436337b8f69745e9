import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { Button, FormErrors, LiveRegion, Notice, PageHeading, SelectField, TextField } from '../../components/ui';
import type { FormError } from '../../components/ui';
import { useErrorText } from '../../lib/errors';
import { formatDate, parseDate, todayIso } from '../../lib/format';
import { useResource } from '../../lib/useResource';
import { groupOptions } from './groups';
import { createPerson, fetchUnitsWithGroups } from './roster.api';
import type { NewPerson } from './roster.api';

type Field = 'firstName' | 'lastName' | 'birthDate' | 'from';
const fieldIds: Record<Field, string> = {
  firstName: 'person-first-name',
  lastName: 'person-last-name',
  birthDate: 'person-birth-date',
  from: 'person-from',
};

export function NewPersonPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const units = useResource((signal) => fetchUnitsWithGroups(signal), []);
  const [kind, setKind] = useState<'child' | 'adult'>('child');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [birthDate, setBirthDate] = useState('');
  const [groupId, setGroupId] = useState('');
  const [from, setFrom] = useState(() => formatDate(todayIso(), 'nb'));
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found: Partial<Record<Field, string>> = {};
    if (!firstName.trim()) found.firstName = t('roster.newPerson.firstNameRequired');
    if (!lastName.trim()) found.lastName = t('roster.newPerson.lastNameRequired');
    const birth = birthDate.trim() ? parseDate(birthDate) : null;
    if (!birthDate.trim() && kind === 'child') found.birthDate = t('roster.newPerson.birthDateRequired');
    else if (birthDate.trim() && !birth) found.birthDate = t('roster.newPerson.dateInvalid');
    const start = groupId ? parseDate(from) : null;
    if (groupId && !start) found.from = t('roster.newPerson.dateInvalid');
    setErrors(found);
    setAttempt((n) => n + 1);
    setFailure(null);
    if (Object.keys(found).length > 0) return;

    const input: NewPerson = { kind, firstName: firstName.trim(), lastName: lastName.trim(), birthDate: birth };
    if (groupId && start) Object.assign(input, { groupId, from: start });
    setBusy(true);
    try {
      const person = await createPerson(input);
      navigate(`/admin/personer/${encodeURIComponent(person.id)}`);
    } catch (caught) {
      setFailure(errorText(caught));
      setBusy(false);
    }
  }

  const summary: FormError[] = (Object.keys(fieldIds) as Field[]).flatMap((field) => {
    const message = errors[field];
    return message ? [{ fieldId: fieldIds[field], message }] : [];
  });
  const groups = [{ value: '', label: t('roster.newPerson.noGroup') }, ...(units.status === 'ready' ? groupOptions(units.data) : [])];

  return (
    <div className="stack page-narrow">
      <PageHeading>{t('roster.newPerson.title')}</PageHeading>
      <form className="form" noValidate onSubmit={submit}>
        <FormErrors key={attempt} errors={summary} />
        <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
        <SelectField
          id="person-kind"
          label={t('roster.newPerson.kind')}
          value={kind}
          onChange={(event) => setKind(event.target.value === 'adult' ? 'adult' : 'child')}
          options={[
            { value: 'child', label: t('roster.personKinds.child') },
            { value: 'adult', label: t('roster.personKinds.adult') },
          ]}
        />
        <TextField
          id={fieldIds.firstName}
          label={t('roster.newPerson.firstName')}
          value={firstName}
          onChange={(event) => setFirstName(event.target.value)}
          error={errors.firstName}
          autoComplete="off"
        />
        <TextField
          id={fieldIds.lastName}
          label={t('roster.newPerson.lastName')}
          value={lastName}
          onChange={(event) => setLastName(event.target.value)}
          error={errors.lastName}
          autoComplete="off"
        />
        <TextField
          id={fieldIds.birthDate}
          label={t('roster.newPerson.birthDate')}
          description={t('common.dateHint')}
          optional={kind === 'adult'}
          inputMode="numeric"
          value={birthDate}
          onChange={(event) => setBirthDate(event.target.value)}
          error={errors.birthDate}
          autoComplete="off"
        />
        <SelectField
          id="person-group"
          label={t('roster.newPerson.group')}
          value={groupId}
          onChange={(event) => setGroupId(event.target.value)}
          options={groups}
        />
        {groupId && (
          <TextField
            id={fieldIds.from}
            label={t('roster.newPerson.from')}
            description={t('common.dateHint')}
            inputMode="numeric"
            value={from}
            onChange={(event) => setFrom(event.target.value)}
            error={errors.from}
            autoComplete="off"
          />
        )}
        <div>
          <Button type="submit" busy={busy} busyLabel={t('roster.newPerson.submitting')}>
            {t('roster.newPerson.submit')}
          </Button>
        </div>
      </form>
    </div>
  );
}
