// Response shapes of the HTTP API (see DESIGN.md), shared by every feature.

export type Role = 'admin' | 'leader' | 'staff' | 'guardian' | 'pupil';

export type User = {
  id: string;
  email: string;
  role: Role;
  organisationId: string;
  unitId: string | null;
  personId: string | null;
};

export type SessionResponse = {
  token: string;
  expiresAt: string;
  user: User;
  /** Sign-in links from a consent round say where to go next (a path in the app). */
  next?: string | null;
};

export type UnitKind = 'kindergarten' | 'school';
export type Unit = { id: string; organisationId: string; name: string; kind: UnitKind };
export type Group = { id: string; unitId: string; name: string };

export type Membership = { id: string; groupId: string; unitId: string; from: string; to: string | null };

export type Person = {
  id: string;
  kind: 'child' | 'adult';
  firstName: string;
  lastName: string;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  memberships: Membership[];
};

export type GuardianRole = 'parent' | 'foster_parent' | 'child_welfare' | 'appointed_guardian';
export const guardianRoles: readonly GuardianRole[] = ['parent', 'foster_parent', 'child_welfare', 'appointed_guardian'];

export type GuardianLink = {
  id: string;
  childId: string;
  role: GuardianRole;
  responsibility: boolean;
  guardian: { id: string; firstName: string; lastName: string; email: string | null; phone: string | null };
};

export type ImportRowError = { row: number; column: string | null; code: string; message: string };

export type ImportSummary = {
  units: number;
  groupsCreated: number;
  childrenCreated: number;
  childrenUpdated: number;
  guardiansCreated: number;
  linksCreated: number;
  linksUpdated: number;
  membershipsCreated: number;
  unchanged: number;
};

export type ImportReport = {
  dryRun: boolean;
  rows: number;
  summary: ImportSummary;
  errors: ImportRowError[];
};

// Consent (purposes, notices, channels, decisions, rounds, settings)

export type Lang = 'nb' | 'nn' | 'en';
export type Audience = 'internal' | 'closed' | 'public' | 'press';
export const audiences: readonly Audience[] = ['internal', 'closed', 'public', 'press'];
export type GuardianRule = 'any' | 'both';

export type Purpose = {
  id: string;
  code: string;
  name: Record<Lang, string>;
  audience: Audience;
  guardianRule: GuardianRule;
  firstNameQuestion: boolean;
  perOccasion: boolean;
  active: boolean;
  sortOrder: number;
};

export const noticeFields = ['what', 'wherePublished', 'whoCanSee', 'retention', 'withdrawal', 'contact'] as const;
export type NoticeField = (typeof noticeFields)[number];
export type NoticeText = Record<NoticeField, string>;

export type Notice = NoticeText & {
  id: string;
  purposeId: string;
  version: number;
  lang: Lang;
  material: boolean;
  sha256: string;
  createdAt: string;
};

export type Channel = {
  id: string;
  purposeId: string;
  unitId: string | null;
  name: string;
  slug: string;
  kind: 'hosted' | 'external';
  maxLongEdge: number;
  active: boolean;
};

export type Settings = {
  selfConsentAge: number;
  schoolYearEnd: string;
  takedownDueHours: number;
  retentionUnpublishedDays: number;
  overridden: string[];
};

export type ReasonCode =
  | 'NO_CONSENT'
  | 'CONSENT_REFUSED'
  | 'CONSENT_WITHDRAWN'
  | 'CONSENT_EXPIRED'
  | 'AWAITING_GUARDIAN'
  | 'NOTICE_CHANGED'
  | 'CHILD_OBJECTS'
  | 'NOT_PUBLISHABLE'
  | 'PROTECTED'
  | 'LEFT_UNIT';

export type ConsentQuestion = 'photo' | 'first_name';
export type PersonRef = { id: string; firstName: string; lastName: string };
export type AnswerState = 'given' | 'refused' | 'withdrawn' | 'expired' | 'notice_changed' | 'none';

export type ConsentState = {
  valid: boolean;
  reasons: ReasonCode[];
  decidedBy: 'guardians' | 'self';
  awaiting: PersonRef[];
  validUntil: string | null;
  decisionIds: string[];
  answers: { decider: PersonRef; state: AnswerState; decisionId: string | null; validUntil: string | null }[];
};

export type QuestionConsent = {
  question: ConsentQuestion;
  state: ConsentState;
  myAnswer: 'given' | 'refused' | 'withdrawn' | null;
};

export type ConsentMethod = 'web' | 'paper' | 'verbal';
export type DeciderRole = GuardianRole | 'self';

export type ConsentDecision = {
  id: string;
  purposeId: string;
  question: ConsentQuestion;
  decision: 'given' | 'refused' | 'withdrawn';
  decidedBy: PersonRef & { role: DeciderRole };
  method: ConsentMethod;
  evidenceNote: string | null;
  noticeVersion: number;
  noticeSha256: string;
  occasion: string | null;
  decidedAt: string;
  validUntil: string | null;
};

export type PurposeConsent = { purpose: Purpose; notice: Notice | null; questions: QuestionConsent[] };

export type PersonConsents = {
  person: PersonRef & { birthDate: string | null };
  decidesSelf: boolean;
  selfConsentFrom: string | null;
  canDecide: boolean;
  purposes: PurposeConsent[];
  history: ConsentDecision[];
};

export type OverviewCell = { purposeId: string; question: ConsentQuestion; valid: boolean; reasons: ReasonCode[]; validUntil: string | null };

export type GroupConsentOverview = {
  group: { id: string; unitId: string; name: string };
  date: string;
  purposes: Purpose[];
  children: { person: PersonRef; cells: OverviewCell[] }[];
};

export type RoundReason = 'school_year' | 'new_purpose' | 'notice_changed' | 'other';
export const roundReasons: readonly RoundReason[] = ['school_year', 'new_purpose', 'notice_changed', 'other'];

export type ConsentRound = {
  id: string;
  unitId: string;
  reason: RoundReason;
  purposeIds: string[];
  startedAt: string;
  recipients: number;
  unreachable: number;
  children: { person: PersonRef; answered: boolean; awaiting: number; purposes: { purposeId: string; answered: boolean; valid: boolean }[] }[];
  totals: { children: number; answered: number; notAnswered: number };
};

// Photos, tags, guidelines

export type PhotoKind = 'activity' | 'portrait';

export type Photo = {
  id: string;
  unitId: string;
  groupId: string;
  width: number;
  height: number;
  thumbWidth: number;
  thumbHeight: number;
  bytes: number;
  capturedAt: string | null;
  uploadedAt: string;
  uploadedBy: string;
  kind: PhotoKind;
  noPeople: boolean;
  urls: { display: string; thumb: string };
};

export type PhotoTag = {
  personId: string | null;
  unknown: boolean;
  recognisable: boolean;
  firstName: string | null;
  lastName: string | null;
};

export type PhotoWithTags = Photo & { tags: PhotoTag[] };

/** What a refused file is refused for (upload endpoint), plus request-level codes. */
export type UploadErrorCode =
  | 'EMPTY_FILE'
  | 'UNSUPPORTED_FORMAT'
  | 'CORRUPT_IMAGE'
  | 'TOO_MANY_PIXELS'
  | 'METADATA_SURVIVED'
  | 'FILE_TOO_LARGE'
  | 'TOO_MANY_FILES'
  | 'UPLOAD_TOO_SLOW'
  | 'RATE_LIMITED'
  | 'BUSY'
  | 'GUIDELINES_NOT_ACKNOWLEDGED';

export type UploadResponse = {
  photos: Photo[];
  errors: { file: string; code: UploadErrorCode; message: string }[];
};

export type Guidelines = {
  version: number;
  title: string;
  body: string;
  lang: Lang;
  publishedAt: string | null;
  acknowledgedAt: string | null;
};

export type GuidelineAcknowledgements = {
  version: number;
  people: { accountId: string; email: string; role: Role; acknowledgedAt: string | null }[];
};

// Publishing: the gate, publications, takedowns

export type GateReasonCode =
  | ReasonCode
  | 'UNKNOWN_PERSON'
  | 'NOT_TAGGED'
  | 'FULL_NAME_IN_TEXT'
  | 'NAME_NOT_ALLOWED'
  | 'PORTRAIT_NOT_ALLOWED'
  | 'REVIEW_REQUIRED'
  | 'PHOTO_NOT_READY';

export type TextFieldName = 'caption' | 'altText' | 'title';

export type GateReason = { code: GateReasonCode; field?: TextFieldName; person: PersonRef | null };

export type Gate = { allowed: boolean; needsReview: boolean; reasons: GateReason[]; decisionIds: string[] };

export type PublicationStatus = 'pending_review' | 'published' | 'rejected' | 'unpublished';
export const publicationStatuses: readonly PublicationStatus[] = ['pending_review', 'published', 'rejected', 'unpublished'];

export type Publication = {
  id: string;
  photoId: string | null;
  channelId: string;
  unitId: string;
  status: PublicationStatus;
  caption: string;
  altText: string;
  title: string | null;
  occasion: string | null;
  requestedBy: string;
  requestedAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  harmAssessed: boolean;
  reviewNote: string | null;
  publishedAt: string | null;
  unpublishedAt: string | null;
  unpublishReason: string | null;
  externalUrl: string | null;
  width: number | null;
  height: number | null;
  decisionIds: string[];
  urls: { image: string | null; thumb: string | null };
};

export type PublicationEvent = { seq: number; at: string; actorId: string | null; action: string; payload: unknown };

export type Takedown = {
  id: string;
  publicationId: string;
  unitId: string;
  reason: string;
  personId: string | null;
  status: 'open' | 'done';
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  doneAt: string | null;
  doneBy: string | null;
  evidence: string | null;
};

export type PublicationStory = { publication: Publication; events: PublicationEvent[]; takedowns: Takedown[] };

/** A publication as a guardian sees it, on the page of their child's photos. */
export type ChildPublication = Publication & { channelName: string };
