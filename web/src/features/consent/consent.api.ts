import { api } from '../../lib/api';
import type {
  Channel,
  ConsentDecision,
  ConsentMethod,
  ConsentQuestion,
  ConsentRound,
  Group,
  GroupConsentOverview,
  GuardianLink,
  Lang,
  Notice,
  NoticeText,
  Person,
  PersonConsents,
  Purpose,
  RoundReason,
  Settings,
  Unit,
} from '../../types/api';

const id = encodeURIComponent;

// People

/** A guardian gets their own children; a pupil gets themself. */
export async function fetchMyPeople(signal?: AbortSignal): Promise<Person[]> {
  return (await api<{ people: Person[] }>('/api/people', { signal })).people;
}

export function fetchConsents(personId: string, lang: Lang, signal?: AbortSignal): Promise<PersonConsents> {
  return api<PersonConsents>(`/api/people/${id(personId)}/consents?lang=${lang}`, { signal });
}

export async function fetchGuardians(personId: string, signal?: AbortSignal): Promise<GuardianLink[]> {
  return (await api<{ guardians: GuardianLink[] }>(`/api/people/${id(personId)}/guardians`, { signal })).guardians;
}

export function consentRecordUrl(personId: string, format: 'iso27560' | 'kantara', lang: Lang): string {
  return `/api/people/${id(personId)}/consent-record?format=${format}&lang=${lang}`;
}

// Answers

export type Answer = {
  purposeId: string;
  question: ConsentQuestion;
  decision: 'given' | 'refused';
  /** The notice version the person read before answering. */
  noticeVersion: number;
  lang: Lang;
  occasion?: string;
};

/** Staff recording an answer given on paper or by word of mouth. */
export type RecordedAnswer = Answer & { onBehalfOf: string; method: Exclude<ConsentMethod, 'web'>; evidenceNote: string };

export async function answer(personId: string, input: Answer | RecordedAnswer): Promise<ConsentDecision> {
  return (await api<{ decision: ConsentDecision }>(`/api/people/${id(personId)}/consents`, { method: 'POST', body: input })).decision;
}

export async function withdraw(personId: string, purposeId: string, input: { question: ConsentQuestion; lang: Lang; occasion?: string }): Promise<ConsentDecision> {
  return (await api<{ decision: ConsentDecision }>(`/api/people/${id(personId)}/consents/${id(purposeId)}/withdraw`, { method: 'POST', body: input })).decision;
}

export function recordChildView(personId: string, input: { objects: boolean; purposeId: string | null; note?: string }): Promise<unknown> {
  return api(`/api/people/${id(personId)}/views`, { method: 'POST', body: input });
}

export async function fetchProtection(personId: string, signal?: AbortSignal): Promise<boolean> {
  return (await api<{ protected: boolean }>(`/api/people/${id(personId)}/protection`, { signal })).protected;
}

export async function setProtection(personId: string, value: boolean): Promise<boolean> {
  return (await api<{ protected: boolean }>(`/api/people/${id(personId)}/protection`, { method: 'PUT', body: { protected: value } })).protected;
}

// Staff and leaders

export function fetchOverview(groupId: string, signal?: AbortSignal): Promise<GroupConsentOverview> {
  return api<GroupConsentOverview>(`/api/groups/${id(groupId)}/consent-overview`, { signal });
}

export async function fetchUnits(signal?: AbortSignal): Promise<Unit[]> {
  return (await api<{ units: Unit[] }>('/api/units', { signal })).units;
}

export async function fetchGroups(unitId: string, signal?: AbortSignal): Promise<Group[]> {
  return (await api<{ groups: Group[] }>(`/api/units/${id(unitId)}/groups`, { signal })).groups;
}

export async function fetchRounds(unitId: string, signal?: AbortSignal): Promise<ConsentRound[]> {
  return (await api<{ rounds: ConsentRound[] }>(`/api/consent-rounds?unitId=${id(unitId)}`, { signal })).rounds;
}

export async function startRound(input: { unitId: string; purposeIds: string[]; reason: RoundReason; lang: Lang }): Promise<ConsentRound> {
  return (await api<{ round: ConsentRound }>('/api/consent-rounds', { method: 'POST', body: input })).round;
}

export async function remindRound(roundId: string, lang: Lang): Promise<ConsentRound & { reminded: number }> {
  return (await api<{ round: ConsentRound & { reminded: number } }>(`/api/consent-rounds/${id(roundId)}/remind`, { method: 'POST', body: { lang } })).round;
}

// Admin

export async function fetchPurposes(signal?: AbortSignal): Promise<Purpose[]> {
  return (await api<{ purposes: Purpose[] }>('/api/purposes', { signal })).purposes;
}

export type PurposeFields = {
  nameNb: string;
  nameNn: string;
  nameEn: string;
  audience: Purpose['audience'];
  guardianRule: Purpose['guardianRule'];
  firstNameQuestion: boolean;
  perOccasion: boolean;
};

export async function createPurpose(input: Omit<PurposeFields, 'guardianRule'> & { code: string; guardianRule?: Purpose['guardianRule'] }): Promise<Purpose> {
  return (await api<{ purpose: Purpose }>('/api/purposes', { method: 'POST', body: input })).purpose;
}

export async function editPurpose(purposeId: string, changes: Partial<PurposeFields> & { active?: boolean }): Promise<Purpose> {
  return (await api<{ purpose: Purpose }>(`/api/purposes/${id(purposeId)}`, { method: 'PATCH', body: changes })).purpose;
}

export async function fetchNotices(purposeId: string, signal?: AbortSignal): Promise<Notice[]> {
  return (await api<{ notices: Notice[] }>(`/api/purposes/${id(purposeId)}/notices`, { signal })).notices;
}

export async function publishNotice(purposeId: string, input: { material: boolean; texts: Partial<Record<Lang, NoticeText>> & { nb: NoticeText } }): Promise<Notice[]> {
  return (await api<{ notices: Notice[] }>(`/api/purposes/${id(purposeId)}/notices`, { method: 'POST', body: input })).notices;
}

export async function fetchChannels(signal?: AbortSignal): Promise<Channel[]> {
  return (await api<{ channels: Channel[] }>('/api/channels', { signal })).channels;
}

export async function createChannel(input: Omit<Channel, 'id' | 'active' | 'maxLongEdge'> & { maxLongEdge?: number }): Promise<Channel> {
  return (await api<{ channel: Channel }>('/api/channels', { method: 'POST', body: input })).channel;
}

export async function editChannel(channelId: string, changes: Partial<Pick<Channel, 'name' | 'kind' | 'maxLongEdge' | 'active'>>): Promise<Channel> {
  return (await api<{ channel: Channel }>(`/api/channels/${id(channelId)}`, { method: 'PATCH', body: changes })).channel;
}

export async function fetchSettings(signal?: AbortSignal): Promise<Settings> {
  return (await api<{ settings: Settings }>('/api/settings', { signal })).settings;
}

export type SettingsChanges = Partial<Record<'selfConsentAge' | 'takedownDueHours' | 'retentionUnpublishedDays', number | null> & { schoolYearEnd: string | null }>;

export async function saveSettings(changes: SettingsChanges): Promise<Settings> {
  return (await api<{ settings: Settings }>('/api/settings', { method: 'PUT', body: changes })).settings;
}
