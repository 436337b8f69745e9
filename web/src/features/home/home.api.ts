import { api } from '../../lib/api';
import type { Group, Person, Publication, Takedown, Unit } from '../../types/api';

export async function fetchUnits(signal: AbortSignal): Promise<Unit[]> {
  return (await api<{ units: Unit[] }>('/api/units', { signal })).units;
}

export async function fetchGroups(unitId: string, signal: AbortSignal): Promise<Group[]> {
  return (await api<{ groups: Group[] }>(`/api/units/${encodeURIComponent(unitId)}/groups`, { signal })).groups;
}

/** For a guardian the server returns only their own children. */
export async function fetchPeople(signal: AbortSignal): Promise<Person[]> {
  return (await api<{ people: Person[] }>('/api/people', { signal })).people;
}

export async function fetchPerson(id: string, signal: AbortSignal): Promise<Person> {
  return (await api<{ person: Person }>(`/api/people/${encodeURIComponent(id)}`, { signal })).person;
}

/** What waits for staff and leaders: publications to review (leaders) and copies to take down. */
export async function fetchToDo(role: 'leader' | 'staff', signal: AbortSignal): Promise<{ reviews: number; takedowns: Takedown[] }> {
  const [pending, takedowns] = await Promise.all([
    role === 'leader' ? api<{ publications: Publication[] }>('/api/publications?status=pending_review&limit=200', { signal }) : Promise.resolve({ publications: [] }),
    api<{ takedowns: Takedown[] }>('/api/takedowns?status=open', { signal }),
  ]);
  return { reviews: pending.publications.length, takedowns: takedowns.takedowns };
}
