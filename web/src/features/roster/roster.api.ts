import { api } from '../../lib/api';
import type { Group, GuardianLink, GuardianRole, ImportReport, Person, Unit, UnitKind } from '../../types/api';

const id = encodeURIComponent;

export async function fetchUnits(signal?: AbortSignal): Promise<Unit[]> {
  return (await api<{ units: Unit[] }>('/api/units', { signal })).units;
}

export async function createUnit(input: { name: string; kind: UnitKind }): Promise<Unit> {
  return (await api<{ unit: Unit }>('/api/units', { method: 'POST', body: input })).unit;
}

export async function fetchGroups(unitId: string, signal?: AbortSignal): Promise<Group[]> {
  return (await api<{ groups: Group[] }>(`/api/units/${id(unitId)}/groups`, { signal })).groups;
}

export async function createGroup(unitId: string, name: string): Promise<Group> {
  return (await api<{ group: Group }>(`/api/units/${id(unitId)}/groups`, { method: 'POST', body: { name } })).group;
}

export type UnitWithGroups = Unit & { groups: Group[] };

/** Every unit the user may see, each with its groups. */
export async function fetchUnitsWithGroups(signal?: AbortSignal): Promise<UnitWithGroups[]> {
  const units = await fetchUnits(signal);
  return Promise.all(units.map(async (unit) => ({ ...unit, groups: await fetchGroups(unit.id, signal) })));
}

export async function fetchPeople(filter: { q?: string; groupId?: string; unitId?: string }, signal?: AbortSignal): Promise<Person[]> {
  const params = new URLSearchParams();
  if (filter.q) params.set('q', filter.q);
  if (filter.groupId) params.set('groupId', filter.groupId);
  if (filter.unitId) params.set('unitId', filter.unitId);
  const query = params.toString();
  return (await api<{ people: Person[] }>(`/api/people${query ? `?${query}` : ''}`, { signal })).people;
}

export async function fetchPerson(personId: string, signal?: AbortSignal): Promise<Person> {
  return (await api<{ person: Person }>(`/api/people/${id(personId)}`, { signal })).person;
}

export type NewPerson = {
  kind: 'child' | 'adult';
  firstName: string;
  lastName: string;
  birthDate: string | null;
  groupId?: string;
  from?: string;
};

export async function createPerson(input: NewPerson): Promise<Person> {
  return (await api<{ person: Person }>('/api/people', { method: 'POST', body: input })).person;
}

export async function fetchGuardians(personId: string, signal?: AbortSignal): Promise<GuardianLink[]> {
  return (await api<{ guardians: GuardianLink[] }>(`/api/people/${id(personId)}/guardians`, { signal })).guardians;
}

export type NewGuardian = {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string;
  role: GuardianRole;
  responsibility: boolean;
};

export async function addGuardian(personId: string, input: NewGuardian): Promise<GuardianLink> {
  return (await api<{ guardian: GuardianLink }>(`/api/people/${id(personId)}/guardians`, { method: 'POST', body: input })).guardian;
}

export function importRoster(csv: string, dryRun: boolean): Promise<ImportReport> {
  return api<ImportReport>(`/api/import/roster${dryRun ? '?dryRun=true' : ''}`, {
    method: 'POST',
    body: csv,
    contentType: 'text/csv; charset=utf-8',
  });
}
