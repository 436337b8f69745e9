import { api } from '../../lib/api';
import type {
  Channel,
  ChildPublication,
  Gate,
  GuidelineAcknowledgements,
  Group,
  Person,
  PhotoKind,
  PhotoTag,
  PhotoWithTags,
  Publication,
  PublicationStatus,
  PublicationStory,
  Purpose,
  Takedown,
  Unit,
} from '../../types/api';

const id = encodeURIComponent;

// Photo and tags

export async function fetchPhoto(photoId: string, signal?: AbortSignal): Promise<PhotoWithTags> {
  return (await api<{ photo: PhotoWithTags }>(`/api/photos/${id(photoId)}`, { signal })).photo;
}

export type TagInput = { personId: string; recognisable: boolean };

export async function saveTags(photoId: string, tags: TagInput[]): Promise<PhotoTag[]> {
  return (await api<{ tags: PhotoTag[] }>(`/api/photos/${id(photoId)}/tags`, { method: 'PUT', body: tags })).tags;
}

export async function savePhotoFlags(photoId: string, changes: { kind?: PhotoKind; noPeople?: boolean }): Promise<PhotoWithTags> {
  return (await api<{ photo: PhotoWithTags }>(`/api/photos/${id(photoId)}`, { method: 'PATCH', body: changes })).photo;
}

export async function fetchGroupChildren(groupId: string, signal?: AbortSignal): Promise<Person[]> {
  return (await api<{ people: Person[] }>(`/api/people?groupId=${id(groupId)}&kind=child`, { signal })).people;
}

export async function searchUnitChildren(unitId: string, q: string, signal?: AbortSignal): Promise<Person[]> {
  const query = new URLSearchParams({ unitId, kind: 'child', q });
  return (await api<{ people: Person[] }>(`/api/people?${query.toString()}`, { signal })).people;
}

export async function fetchUnits(signal?: AbortSignal): Promise<Unit[]> {
  return (await api<{ units: Unit[] }>('/api/units', { signal })).units;
}

export async function fetchGroups(unitId: string, signal?: AbortSignal): Promise<Group[]> {
  return (await api<{ groups: Group[] }>(`/api/units/${id(unitId)}/groups`, { signal })).groups;
}

// Channels and purposes

export async function fetchChannels(signal?: AbortSignal): Promise<Channel[]> {
  return (await api<{ channels: Channel[] }>('/api/channels', { signal })).channels;
}

export async function fetchPurposes(signal?: AbortSignal): Promise<Purpose[]> {
  return (await api<{ purposes: Purpose[] }>('/api/purposes', { signal })).purposes;
}

// The gate and publications

export type PublishTexts = { channelId: string; caption: string; altText: string; title: string; occasion?: string | null };

export async function checkGate(photoId: string, input: PublishTexts, signal?: AbortSignal): Promise<Gate> {
  return (await api<{ gate: Gate }>(`/api/photos/${id(photoId)}/gate`, { method: 'POST', body: input, signal })).gate;
}

export function requestPublication(input: PublishTexts & { photoId: string }): Promise<{ publication: Publication; gate: Gate }> {
  return api<{ publication: Publication; gate: Gate }>('/api/publications', { method: 'POST', body: input });
}

export type PublicationFilter = { unitId?: string; channelId?: string; status?: PublicationStatus; from?: string; to?: string };

function filterQuery(filter: PublicationFilter & { limit?: number }): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined && value !== '') query.set(key, String(value));
  return query.toString();
}

export async function fetchPublications(filter: PublicationFilter & { limit?: number }, signal?: AbortSignal): Promise<Publication[]> {
  return (await api<{ publications: Publication[] }>(`/api/publications?${filterQuery(filter)}`, { signal })).publications;
}

export function publicationsCsvUrl(filter: PublicationFilter): string {
  const query = filterQuery(filter);
  return `/api/publications.csv${query ? `?${query}` : ''}`;
}

export function fetchStory(publicationId: string, signal?: AbortSignal): Promise<PublicationStory> {
  return api<PublicationStory>(`/api/publications/${id(publicationId)}`, { signal });
}

export async function review(publicationId: string, input: { approve: boolean; harmAssessment: boolean; note: string | null }): Promise<Publication> {
  return (await api<{ publication: Publication }>(`/api/publications/${id(publicationId)}/review`, { method: 'POST', body: input })).publication;
}

export async function unpublish(publicationId: string): Promise<Publication> {
  return (await api<{ publication: Publication }>(`/api/publications/${id(publicationId)}/unpublish`, { method: 'POST' })).publication;
}

export async function recordExternalUrl(publicationId: string, externalUrl: string): Promise<Publication> {
  return (await api<{ publication: Publication }>(`/api/publications/${id(publicationId)}`, { method: 'PATCH', body: { externalUrl } })).publication;
}

export const publicationImageUrl = (publicationId: string) => `/api/publications/${id(publicationId)}/image`;

// Takedowns

export async function fetchTakedowns(status: 'open' | 'done', signal?: AbortSignal): Promise<Takedown[]> {
  return (await api<{ takedowns: Takedown[] }>(`/api/takedowns?status=${status}`, { signal })).takedowns;
}

export async function takedownDone(takedownId: string, evidence: string): Promise<Takedown> {
  return (await api<{ takedown: Takedown }>(`/api/takedowns/${id(takedownId)}/done`, { method: 'POST', body: { evidence } })).takedown;
}

// Who is who: account ids in the log are shown as e-mail addresses where the leader can see them.

export async function fetchUnitAccounts(unitId: string, signal?: AbortSignal): Promise<Map<string, string>> {
  const list = await api<GuidelineAcknowledgements>(`/api/units/${id(unitId)}/guideline-acknowledgements`, { signal });
  return new Map(list.people.map((p) => [p.accountId, p.email]));
}

// Guardians

/** A guardian's own children (a pupil gets themself). */
export async function fetchMyPeople(signal?: AbortSignal): Promise<Person[]> {
  return (await api<{ people: Person[] }>('/api/people', { signal })).people;
}

export async function fetchPerson(personId: string, signal?: AbortSignal): Promise<Person> {
  return (await api<{ person: Person }>(`/api/people/${id(personId)}`, { signal })).person;
}

export async function fetchChildPublications(personId: string, signal?: AbortSignal): Promise<ChildPublication[]> {
  return (await api<{ publications: ChildPublication[] }>(`/api/people/${id(personId)}/publications`, { signal })).publications;
}

export async function askTakedown(publicationId: string, personId: string): Promise<Publication> {
  return (await api<{ publication: Publication }>(`/api/publications/${id(publicationId)}/takedown-request`, { method: 'POST', body: { personId } })).publication;
}
