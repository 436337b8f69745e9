import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ResourceView } from '../../components/ResourceView';
import { Button, ButtonLink, LiveRegion, PageHeading, SelectField, Text, TextField } from '../../components/ui';
import { useResource } from '../../lib/useResource';
import { groupOptions, indexGroups } from './groups';
import { PeopleTable } from './PeopleTable';
import { fetchPeople, fetchUnitsWithGroups } from './roster.api';

export function PeoplePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const groupId = params.get('gruppe') ?? '';
  const units = useResource((signal) => fetchUnitsWithGroups(signal), []);
  const people = useResource((signal) => fetchPeople({ q, groupId }, signal), [q, groupId]);
  const [draftQ, setDraftQ] = useState(q);
  const [draftGroup, setDraftGroup] = useState(groupId);
  // Back and forward change the address, and the form shows what is listed.
  useEffect(() => {
    setDraftQ(q);
    setDraftGroup(groupId);
  }, [q, groupId]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const next = new URLSearchParams();
    if (draftQ.trim()) next.set('q', draftQ.trim());
    if (draftGroup) next.set('gruppe', draftGroup);
    setParams(next);
  }

  const groups = units.status === 'ready' ? indexGroups(units.data) : new Map();
  const options = [{ value: '', label: t('roster.people.allGroups') }, ...(units.status === 'ready' ? groupOptions(units.data) : [])];

  return (
    <div className="stack">
      <div className="page-title-row">
        <PageHeading>{t('roster.people.title')}</PageHeading>
        <ButtonLink to="/admin/personer/ny">{t('roster.people.newPerson')}</ButtonLink>
      </div>
      <div role="search" className="filter" aria-label={t('roster.people.filterHeading')}>
        <form className="form form-filter" onSubmit={submit}>
          <TextField
            id="people-q"
            type="search"
            label={t('roster.people.search')}
            optional
            value={draftQ}
            onChange={(event) => setDraftQ(event.target.value)}
            autoComplete="off"
          />
          <SelectField
            id="people-group"
            label={t('roster.people.group')}
            value={draftGroup}
            onChange={(event) => setDraftGroup(event.target.value)}
            options={options}
          />
          <div>
            <Button type="submit" variant="secondary">
              {t('roster.people.filter')}
            </Button>
          </div>
        </form>
      </div>
      <LiveRegion>{people.status === 'ready' && <p className="subtle">{t('roster.people.count', { count: people.data.length })}</p>}</LiveRegion>
      <ResourceView resource={people}>
        {(list) =>
          list.length === 0 ? (
            <Text>{t('roster.people.none')}</Text>
          ) : (
            <PeopleTable caption={t('roster.people.caption')} people={list} groups={groups} linkToPerson />
          )
        }
      </ResourceView>
    </div>
  );
}
