import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';

/**
 * The database as the application sees it. Times are ISO-8601 UTC strings and dates are
 * YYYY-MM-DD strings on both engines, so comparisons and sorting behave the same everywhere.
 * Booleans are stored as 0/1 integers on both engines for the same reason.
 */
export interface Database {
  organisations: OrganisationTable;
  units: UnitTable;
  groups: GroupTable;
  people: PersonTable;
  memberships: MembershipTable;
  guardian_links: GuardianLinkTable;
  accounts: AccountTable;
  sessions: SessionTable;
  magic_links: MagicLinkTable;
  audit_events: AuditEventTable;
  purposes: PurposeTable;
  notices: NoticeTable;
  channels: ChannelTable;
  consent_decisions: ConsentDecisionTable;
  child_views: ChildViewTable;
  protection_changes: ProtectionChangeTable;
  consent_rounds: ConsentRoundTable;
  consent_round_recipients: ConsentRoundRecipientTable;
  organisation_settings: OrganisationSettingsTable;
  photos: PhotoTable;
  photo_tags: PhotoTagTable;
  publications: PublicationTable;
  takedowns: TakedownTable;
  guidelines: GuidelineTable;
  guideline_acknowledgements: GuidelineAcknowledgementTable;
  roster_versions: RosterVersionTable;
  consent_versions: ConsentVersionTable;
}

export type Role = 'admin' | 'leader' | 'staff' | 'guardian' | 'pupil';
export type UnitKind = 'kindergarten' | 'school';
export type PersonKind = 'child' | 'adult';
export type GuardianRole = 'parent' | 'foster_parent' | 'child_welfare' | 'appointed_guardian';

export interface OrganisationTable {
  id: string;
  name: string;
  created_at: string;
}

/** A random token per unit, replaced by triggers whenever the unit's roster of children changes. */
export interface RosterVersionTable {
  unit_id: string;
  token: string;
}

/** A random token per person, replaced by triggers whenever anything the consent rule reads about them changes. */
export interface ConsentVersionTable {
  person_id: string;
  token: string;
}

export interface UnitTable {
  id: string;
  organisation_id: string;
  name: string;
  kind: UnitKind;
  created_at: string;
  updated_at: string;
}

export interface GroupTable {
  id: string;
  unit_id: string;
  name: string;
  created_at: string;
  updated_at: string;
}

export interface PersonTable {
  id: string;
  organisation_id: string;
  kind: PersonKind;
  first_name: string;
  last_name: string;
  /** YYYY-MM-DD; null for adults whose birth date the registry has no need of. */
  birth_date: string | null;
  email: string | null;
  phone: string | null;
  /** Identifier in the source system the roster is imported from (not a national id number). */
  external_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface MembershipTable {
  id: string;
  person_id: string;
  group_id: string;
  from_date: string;
  /** Last day in the group; null while the person is still there. */
  to_date: string | null;
  created_at: string;
}

export interface GuardianLinkTable {
  id: string;
  child_id: string;
  guardian_id: string;
  role: GuardianRole;
  responsibility: number;
  created_at: string;
  updated_at: string;
}

export interface AccountTable {
  id: string;
  organisation_id: string;
  email: string;
  password_hash: string | null;
  role: Role;
  /** The unit a leader or staff member works in; null for other roles. */
  unit_id: string | null;
  /** The person a guardian or pupil account acts as. */
  person_id: string | null;
  active: number;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  id: string;
  account_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface MagicLinkTable {
  /** SHA-256 of the token; the token itself exists only in the e-mail. */
  token_hash: string;
  account_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  /** Where the link leads after signing in (a consent round's questions); null for the home page. */
  next_path: string | null;
}

export interface AuditEventTable {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  /** Canonical JSON of ids and codes only: never names or birth dates. */
  payload: string;
  prev_hash: string;
  hash: string;
  /** The organisation whose log shows the event; null for events of no organisation (a made-up sign-in link). Not hashed. */
  organisation_id: string | null;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** A repository runs on either the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export type Organisation = Selectable<OrganisationTable>;
export type Unit = Selectable<UnitTable>;
export type Group = Selectable<GroupTable>;
export type Person = Selectable<PersonTable>;
export type NewPerson = Insertable<PersonTable>;
export type PersonUpdate = Updateable<PersonTable>;
export type Membership = Selectable<MembershipTable>;
export type GuardianLink = Selectable<GuardianLinkTable>;
export type Account = Selectable<AccountTable>;
export type Session = Selectable<SessionTable>;
export type AuditEventRow = Selectable<AuditEventTable>;

export type Audience = 'internal' | 'closed' | 'public' | 'press';
export type Lang = 'nb' | 'nn' | 'en';

export interface PurposeTable {
  id: string;
  organisation_id: string;
  code: string;
  name_nb: string;
  name_nn: string;
  name_en: string;
  audience: Audience;
  guardian_rule: 'any' | 'both';
  /** Whether the purpose asks its own question about showing the first name with a photo. */
  first_name_question: number;
  /** Press: a consent covers one named occasion only. */
  per_occasion: number;
  active: number;
  sort_order: number;
  created_at: string;
  updated_at: string;
}

export interface NoticeTable {
  id: string;
  purpose_id: string;
  version: number;
  lang: Lang;
  /** A material change makes earlier consents stop counting. */
  material: number;
  what: string;
  where_published: string;
  who_can_see: string;
  retention: string;
  withdrawal: string;
  contact: string;
  /** SHA-256 of the canonical text shown to the person deciding. */
  sha256: string;
  created_by: string | null;
  created_at: string;
}

export interface ChannelTable {
  id: string;
  organisation_id: string;
  purpose_id: string;
  unit_id: string | null;
  name: string;
  slug: string;
  kind: 'hosted' | 'external';
  max_long_edge: number;
  active: number;
  created_at: string;
  updated_at: string;
}

export type DeciderRole = GuardianRole | 'self';

export interface ConsentDecisionTable {
  id: string;
  person_id: string;
  purpose_id: string;
  question: 'photo' | 'first_name';
  decision: 'given' | 'refused' | 'withdrawn';
  decided_by_person_id: string;
  decided_by_role: DeciderRole;
  method: 'web' | 'paper' | 'verbal';
  recorded_by_account_id: string;
  evidence_note: string | null;
  notice_id: string;
  notice_version: number;
  notice_sha256: string;
  occasion: string | null;
  decided_at: string;
  /** The last day a "given" is valid by the school-year rule; null for refusals and withdrawals. */
  valid_until: string | null;
}

export interface ChildViewTable {
  id: string;
  person_id: string;
  purpose_id: string | null;
  objects: number;
  note: string | null;
  recorded_by_account_id: string;
  recorded_at: string;
}

export interface ProtectionChangeTable {
  id: string;
  person_id: string;
  protected: number;
  changed_by_account_id: string;
  changed_at: string;
}

export interface ConsentRoundTable {
  id: string;
  unit_id: string;
  reason: 'school_year' | 'new_purpose' | 'notice_changed' | 'other';
  /** JSON array of purpose ids. */
  purpose_ids: string;
  started_by: string;
  started_at: string;
}

export interface ConsentRoundRecipientTable {
  id: string;
  round_id: string;
  account_id: string;
  sent_at: string;
  reminders: number;
  last_reminded_at: string | null;
}

export type Purpose = Selectable<PurposeTable>;
export type Notice = Selectable<NoticeTable>;
export type Channel = Selectable<ChannelTable>;
export type ConsentDecision = Selectable<ConsentDecisionTable>;
export type ChildView = Selectable<ChildViewTable>;
export type ProtectionChange = Selectable<ProtectionChangeTable>;
export type ConsentRound = Selectable<ConsentRoundTable>;

export interface OrganisationSettingsTable {
  organisation_id: string;
  self_consent_age: number | null;
  /** MM-DD */
  school_year_end: string | null;
  takedown_due_hours: number | null;
  retention_unpublished_days: number | null;
  updated_by: string | null;
  updated_at: string;
}

export interface PhotoTable {
  id: string;
  organisation_id: string;
  unit_id: string;
  group_id: string;
  uploaded_by: string;
  uploaded_at: string;
  /** When the photo was taken, as local time from the camera (with offset when known). */
  captured_at: string | null;
  /** Size of the display derivative. */
  width: number;
  height: number;
  display_blob: string;
  display_bytes: number;
  thumb_blob: string;
  thumb_width: number;
  thumb_height: number;
  kind: 'activity' | 'portrait';
  no_people: number;
  updated_at: string;
}

export type Photo = Selectable<PhotoTable>;

export interface PhotoTagTable {
  id: string;
  photo_id: string;
  /** null: a recognisable person who is not registered (a visitor). */
  person_id: string | null;
  recognisable: number;
  created_by: string;
  created_at: string;
}

export type PublicationStatus = 'pending_review' | 'published' | 'rejected' | 'unpublished';

export interface PublicationTable {
  id: string;
  organisation_id: string;
  unit_id: string;
  photo_id: string | null;
  channel_id: string;
  status: PublicationStatus;
  caption: string;
  alt_text: string;
  title: string | null;
  occasion: string | null;
  requested_by: string;
  requested_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  harm_assessed: number;
  review_note: string | null;
  published_at: string | null;
  unpublished_at: string | null;
  unpublish_reason: string | null;
  external_url: string | null;
  derivative_blob: string | null;
  derivative_width: number | null;
  derivative_height: number | null;
  /** JSON of the last gate decision. */
  gate: string;
  /** JSON array of consent decision ids relied on. */
  decision_ids: string;
  updated_at: string;
}

export interface TakedownTable {
  id: string;
  publication_id: string;
  unit_id: string;
  reason: string;
  person_id: string | null;
  requested_by: string | null;
  status: 'open' | 'done';
  created_at: string;
  due_at: string;
  done_at: string | null;
  done_by: string | null;
  evidence: string | null;
}

export interface GuidelineTable {
  id: string;
  organisation_id: string;
  version: number;
  lang: Lang;
  title: string;
  body: string;
  created_by: string | null;
  created_at: string;
}

export interface GuidelineAcknowledgementTable {
  id: string;
  account_id: string;
  organisation_id: string;
  version: number;
  acknowledged_at: string;
}

export type PhotoTag = Selectable<PhotoTagTable>;
export type Publication = Selectable<PublicationTable>;
export type Takedown = Selectable<TakedownTable>;
