import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ResourceView } from '../../components/ResourceView';
import { Button, FormErrors, Link, LiveRegion, Notice, PageHeading, Panel, SectionHeading, SelectField, Tag, Text, TextField } from '../../components/ui';
import { useErrorText } from '../../lib/errors';
import { useResource } from '../../lib/useResource';
import type { Group, UnitKind } from '../../types/api';
import { createGroup, createUnit, fetchUnitsWithGroups } from './roster.api';
import type { UnitWithGroups } from './roster.api';

export function UnitsPage() {
  const { t } = useTranslation();
  const units = useResource((signal) => fetchUnitsWithGroups(signal), []);
  const [message, setMessage] = useState<string | null>(null);

  function addUnit(unit: UnitWithGroups) {
    if (units.status === 'ready') units.set([...units.data, unit]);
    setMessage(t('roster.units.created', { name: unit.name }));
  }

  function addGroup(group: Group) {
    if (units.status !== 'ready') return;
    units.set(units.data.map((unit) => (unit.id === group.unitId ? { ...unit, groups: [...unit.groups, group] } : unit)));
    setMessage(t('roster.units.groupCreated', { name: group.name }));
  }

  return (
    <div className="stack">
      <PageHeading>{t('roster.units.title')}</PageHeading>
      <LiveRegion>{message && <Notice tone="success">{message}</Notice>}</LiveRegion>
      <ResourceView resource={units}>
        {(list) => (
          <section aria-labelledby="units-list" className="stack">
            <SectionHeading id="units-list">{t('roster.units.listHeading')}</SectionHeading>
            {list.length === 0 ? (
              <Text>{t('roster.units.none')}</Text>
            ) : (
              list.map((unit) => <UnitPanel key={unit.id} unit={unit} onGroupCreated={addGroup} />)
            )}
          </section>
        )}
      </ResourceView>
      {/* Below the list, shown once the list is in (or could not be fetched), so it is not pushed down. */}
      {units.status !== 'loading' && <NewUnitForm onCreated={addUnit} />}
    </div>
  );
}

function UnitPanel({ unit, onGroupCreated }: { unit: UnitWithGroups; onGroupCreated(group: Group): void }) {
  const { t } = useTranslation();
  const headingId = useId();
  const groupsId = useId();
  return (
    <Panel labelledBy={headingId}>
      <div className="panel-title">
        <SectionHeading level={3} id={headingId}>
          {unit.name}
        </SectionHeading>
        <Tag>{t(`roster.kinds.${unit.kind}`)}</Tag>
      </div>
      <p className="subtle" id={groupsId}>
        {t('roster.units.groups', { name: unit.name })}
      </p>
      {unit.groups.length === 0 ? (
        <Text>{t('roster.units.noGroups')}</Text>
      ) : (
        <ul className="link-list" aria-labelledby={groupsId}>
          {unit.groups.map((group) => (
            <li key={group.id}>
              <Link to={`/admin/personer?gruppe=${encodeURIComponent(group.id)}`}>{group.name}</Link>
            </li>
          ))}
        </ul>
      )}
      <NewGroupForm unit={unit} onCreated={onGroupCreated} />
    </Panel>
  );
}

function NewGroupForm({ unit, onCreated }: { unit: UnitWithGroups; onCreated(group: Group): void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const fieldId = `group-name-${unit.id}`;
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    if (!name.trim()) {
      setError(t('roster.units.groupNameRequired'));
      document.getElementById(fieldId)?.focus();
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      onCreated(await createGroup(unit.id, name.trim()));
      setName('');
    } catch (caught) {
      setFailure(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form form-inline" noValidate onSubmit={submit}>
      <TextField
        id={fieldId}
        label={t('roster.units.groupName', { name: unit.name })}
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={error}
        autoComplete="off"
      />
      <div>
        <Button type="submit" variant="secondary" busy={busy}>
          {t('roster.units.createGroup')}
        </Button>
      </div>
      <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
    </form>
  );
}

function NewUnitForm({ onCreated }: { onCreated(unit: UnitWithGroups): void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const headingId = useId();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<UnitKind>('kindergarten');
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const found = name.trim() ? undefined : t('roster.units.nameRequired');
    setError(found);
    setAttempt((n) => n + 1);
    setFailure(null);
    if (found) return;
    setBusy(true);
    try {
      const unit = await createUnit({ name: name.trim(), kind });
      onCreated({ ...unit, groups: [] });
      setName('');
    } catch (caught) {
      setFailure(errorText(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Panel labelledBy={headingId}>
      <SectionHeading id={headingId}>{t('roster.units.createHeading')}</SectionHeading>
      <form className="form" noValidate onSubmit={submit}>
        <FormErrors key={attempt} errors={error ? [{ fieldId: 'unit-name', message: error }] : []} />
        <TextField id="unit-name" label={t('roster.units.name')} value={name} onChange={(event) => setName(event.target.value)} error={error} autoComplete="off" />
        <SelectField
          id="unit-kind"
          label={t('roster.units.kind')}
          value={kind}
          onChange={(event) => setKind(event.target.value === 'school' ? 'school' : 'kindergarten')}
          options={[
            { value: 'kindergarten', label: t('roster.kinds.kindergarten') },
            { value: 'school', label: t('roster.kinds.school') },
          ]}
        />
        <div>
          <Button type="submit" busy={busy}>
            {t('roster.units.create')}
          </Button>
        </div>
        <LiveRegion politeness="assertive">{failure && <Notice tone="danger">{failure}</Notice>}</LiveRegion>
      </form>
    </Panel>
  );
}
