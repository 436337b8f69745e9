/**
 * What each state-changing endpoint must write to the audit log, as data: one or more steps per
 * route (POST/PUT/PATCH/DELETE in routeTable), run in this order against the demo world, each a
 * real success. audit-completeness.test.ts fails when a state-changing route has no step here.
 *
 * `actions` is the exact list of audit actions the call writes, in order: no fewer, no more.
 * Every event is written by the caller's account unless its action is listed in `system`
 * (a consequence the gate draws by itself, such as a publication coming down after a withdrawal).
 */
import { noticeText } from '../support/family.js';
import type { ApiCall } from '../support/http.js';

export type Method = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Demo sign-ins (password demo1234), anonymous, or `session`: a sign-in of its own for one call. */
export type Caller = 'admin' | 'leader' | 'staff' | 'guardian' | 'pupil' | 'anonymous' | 'session';

export const SIGN_INS: Record<Exclude<Caller, 'anonymous' | 'session'>, string> = {
  admin: 'admin@demo.no',
  leader: 'leder@demo.no',
  staff: 'ansatt@demo.no',
  guardian: 'forelder@demo.no',
  pupil: 'elev@demo.no',
};

/** Ids of the demo world, looked up through the API before the first step, and what steps made. */
export interface World {
  today: string;
  units: { solsikken: string; fjellet: string };
  groups: { blaaklokka: string; prestekragen: string; tenB: string };
  /** Demo children: Jakob and Emma Nordmann are forelder@demo.no's; Mia Lie is elev@demo.no. */
  children: { jakob: string; emma: string; nora: string; mia: string; elias: string };
  /** Kari Nordmann, the person behind forelder@demo.no. */
  kari: string;
  /** An adult with an account who is not yet linked to the new child (Ingrid Hansen, Nora's mother). */
  otherAdult: string;
  purposes: Record<string, string>;
  channels: Record<string, string>;
  images: { photo: Buffer; photo2: Buffer; notAnImage: Buffer };
  /** Ids made by earlier steps, by name. */
  made: Record<string, string>;
}

export type Call = ApiCall;

export interface NewEvent {
  action: string;
  objectId: string | null;
  payload: Record<string, unknown>;
}

export interface Step {
  /** The route exactly as routeTable spells it, e.g. "POST /api/people/:id/consents". */
  route: `${Method} ${string}`;
  what: string;
  as: Caller;
  call(w: World): Call;
  status: number;
  actions: string[];
  /** Actions among `actions` written with no actor: consequences the system draws. */
  system?: string[];
  /** Whose account the events name when it is not the caller's (a sign-in names the account signing in). */
  actorIs?: Exclude<Caller, 'anonymous' | 'session'>;
  /** Remembers what later steps need. */
  keep?(body: any, w: World, events: NewEvent[]): void;
}

/** A caption and alt text that name nobody. */
const TEXTS = { caption: 'Vi bygde hytte av greiner i skogen.', altText: 'Barn som bygger en hytte av greiner mellom trærne.' };
const get = (w: World, key: string) => {
  const id = w.made[key];
  if (!id) throw new Error(`An earlier step should have made "${key}"`);
  return id;
};
const eventOf = (events: NewEvent[], action: string) => {
  const e = events.find((x) => x.action === action);
  if (!e?.objectId) throw new Error(`No ${action} event with an object id`);
  return e.objectId;
};

const rosterCsv = (w: World) =>
  [
    'unit,group,child_id,child_first_name,child_last_name,child_birth_date,start_date,guardian_first_name,guardian_last_name,guardian_email,guardian_phone,guardian_role,parental_responsibility',
    `Revisjonsbarnehagen Nord,Importgruppa,rev-import-1,Importbarn,Radsen,2020-09-09,${w.today},Importfar,Radsen,importfar.radsen@example.no,+4790000001,far,ja`,
  ].join('\n');

export const STEPS: Step[] = [
  // --- The admin sets up the organisation ----------------------------------------------------
  {
    route: 'PUT /api/settings',
    what: 'the admin changes a setting',
    as: 'admin',
    call: () => ({ path: '/api/settings', body: { takedownDueHours: 48 } }),
    status: 200,
    actions: ['settings.updated'],
  },
  {
    route: 'POST /api/units',
    what: 'the admin creates a unit',
    as: 'admin',
    call: () => ({ path: '/api/units', body: { name: 'Revisjonsbarnehagen', kind: 'kindergarten' } }),
    status: 201,
    actions: ['unit.created'],
    keep: (b, w) => void (w.made.unit = b.unit.id),
  },
  {
    route: 'PATCH /api/units/:id',
    what: 'the admin renames the unit',
    as: 'admin',
    call: (w) => ({ path: `/api/units/${get(w, 'unit')}`, body: { name: 'Revisjonsbarnehagen Nord' } }),
    status: 200,
    actions: ['unit.updated'],
  },
  {
    route: 'POST /api/units/:id/groups',
    what: 'the admin creates a group',
    as: 'admin',
    call: (w) => ({ path: `/api/units/${get(w, 'unit')}/groups`, body: { name: 'Revisjonsgruppa' } }),
    status: 201,
    actions: ['group.created'],
    keep: (b, w) => void (w.made.group = b.group.id),
  },
  {
    route: 'PATCH /api/groups/:id',
    what: 'the admin renames the group',
    as: 'admin',
    call: (w) => ({ path: `/api/groups/${get(w, 'group')}`, body: { name: 'Revisjonsgruppa Blå' } }),
    status: 200,
    actions: ['group.updated'],
  },
  {
    route: 'POST /api/people',
    what: 'the admin registers a child in the group',
    as: 'admin',
    call: (w) => ({
      path: '/api/people',
      body: { kind: 'child', firstName: 'Revisjonbarn', lastName: 'Testesen', birthDate: '2021-05-17', groupId: get(w, 'group'), externalId: 'rev-1' },
    }),
    status: 201,
    actions: ['person.created', 'membership.created'],
    keep: (b, w) => void (w.made.child = b.person.id),
  },
  {
    route: 'PATCH /api/people/:id',
    what: "the admin corrects the child's name and birth date",
    as: 'admin',
    call: (w) => ({ path: `/api/people/${get(w, 'child')}`, body: { firstName: 'Revisjonsbarnet', birthDate: '2021-05-18' } }),
    status: 200,
    actions: ['person.updated'],
  },
  {
    route: 'POST /api/people/:id/guardians',
    what: 'the admin adds a new guardian (a new person with a sign-in account)',
    as: 'admin',
    call: (w) => ({
      path: `/api/people/${get(w, 'child')}/guardians`,
      body: { firstName: 'Revisjonmor', lastName: 'Testesen', email: 'revisjonmor.testesen@example.no', phone: '+4790000002', role: 'parent', responsibility: true },
    }),
    status: 201,
    actions: ['person.created', 'guardian_link.created', 'account.created'],
    keep: (b, w) => void (w.made.guardianLink = b.guardian.id),
  },
  {
    route: 'POST /api/people/:id/guardians',
    what: 'the admin links an adult already registered (no new person, no new account)',
    as: 'admin',
    call: (w) => ({
      path: `/api/people/${get(w, 'child')}/guardians`,
      body: { firstName: 'Ingrid', lastName: 'Hansen', email: 'ingrid.hansen@example.no', role: 'appointed_guardian', responsibility: false },
    }),
    status: 201,
    actions: ['guardian_link.created'],
  },
  {
    route: 'PATCH /api/guardian-links/:id',
    what: "the admin changes a guardian's role",
    as: 'admin',
    call: (w) => ({ path: `/api/guardian-links/${get(w, 'guardianLink')}`, body: { role: 'foster_parent', responsibility: false } }),
    status: 200,
    actions: ['guardian_link.updated'],
  },
  {
    route: 'POST /api/people/:id/memberships',
    what: 'the admin records a later stay in the group',
    as: 'admin',
    call: (w) => ({ path: `/api/people/${get(w, 'child')}/memberships`, body: { groupId: get(w, 'group'), from: '2099-08-15', to: '2100-06-30' } }),
    status: 201,
    actions: ['membership.created'],
    keep: (b, w) => void (w.made.membership = b.person.memberships.find((m: { from: string }) => m.from === '2099-08-15').id),
  },
  {
    route: 'PATCH /api/memberships/:id',
    what: 'the admin corrects the last day of that stay',
    as: 'admin',
    call: (w) => ({ path: `/api/memberships/${get(w, 'membership')}`, body: { to: '2100-06-20' } }),
    status: 200,
    actions: ['membership.ended'],
  },
  {
    route: 'POST /api/accounts',
    what: 'the admin creates a staff account',
    as: 'admin',
    call: (w) => ({ path: '/api/accounts', body: { email: 'revisjon.ansatt@example.no', role: 'staff', unitId: get(w, 'unit'), password: 'revisjon-passord-1' } }),
    status: 201,
    actions: ['account.created'],
    keep: (b, w) => void (w.made.account = b.account.id),
  },
  {
    route: 'PATCH /api/accounts/:id',
    what: 'the admin deactivates the account',
    as: 'admin',
    call: (w) => ({ path: `/api/accounts/${get(w, 'account')}`, body: { active: false } }),
    status: 200,
    actions: ['account.deactivated'],
  },
  {
    route: 'PATCH /api/accounts/:id',
    what: 'the admin activates it again',
    as: 'admin',
    call: (w) => ({ path: `/api/accounts/${get(w, 'account')}`, body: { active: true } }),
    status: 200,
    actions: ['account.activated'],
  },
  {
    route: 'POST /api/import/roster',
    what: 'a dry run of a roster import changes nothing and writes nothing',
    as: 'admin',
    call: (w) => ({ path: '/api/import/roster?dryRun=true', csv: rosterCsv(w) }),
    status: 200,
    actions: [],
  },
  {
    route: 'POST /api/import/roster',
    what: 'the admin imports a roster (new group, child, membership, guardian, account, link)',
    as: 'admin',
    call: (w) => ({ path: '/api/import/roster', csv: rosterCsv(w) }),
    status: 200,
    actions: ['group.created', 'person.created', 'membership.created', 'person.created', 'account.created', 'guardian_link.created', 'roster.imported'],
  },
  {
    route: 'POST /api/purposes',
    what: 'the admin creates a purpose',
    as: 'admin',
    call: () => ({ path: '/api/purposes', body: { code: 'revisjon', nameNb: 'Revisjonsveggen', nameNn: 'Revisjonsveggen', nameEn: 'The audit wall', audience: 'internal' } }),
    status: 201,
    actions: ['purpose.created'],
    keep: (b, w) => void (w.made.purpose = b.purpose.id),
  },
  {
    route: 'PATCH /api/purposes/:id',
    what: 'the admin edits the purpose',
    as: 'admin',
    call: (w) => ({ path: `/api/purposes/${get(w, 'purpose')}`, body: { sortOrder: 90 } }),
    status: 200,
    actions: ['purpose.updated'],
  },
  {
    route: 'POST /api/purposes/:id/notices',
    what: "the admin publishes the purpose's notice",
    as: 'admin',
    call: (w) => ({ path: `/api/purposes/${get(w, 'purpose')}/notices`, body: { material: true, texts: { nb: noticeText('Bilder på revisjonsveggen.') } } }),
    status: 201,
    actions: ['notice.published'],
  },
  {
    route: 'POST /api/channels',
    what: 'the admin creates an external channel for the purpose',
    as: 'admin',
    call: (w) => ({
      path: '/api/channels',
      body: { purposeId: get(w, 'purpose'), unitId: w.units.solsikken, name: 'Revisjonsveggen ute', slug: 'revisjon-ute', kind: 'external' },
    }),
    status: 201,
    actions: ['channel.created'],
    keep: (b, w) => void (w.made.channel = b.channel.id),
  },
  {
    route: 'PATCH /api/channels/:id',
    what: 'the admin renames the channel',
    as: 'admin',
    call: (w) => ({ path: `/api/channels/${get(w, 'channel')}`, body: { name: 'Revisjonsveggen utenfor' } }),
    status: 200,
    actions: ['channel.updated'],
  },
  {
    route: 'POST /api/guidelines',
    what: 'the admin publishes a new version of the guidelines',
    as: 'admin',
    call: () => ({ path: '/api/guidelines', body: { texts: { nb: { title: 'Retningslinjer for sosiale medier', body: 'Del bare bilder det er samtykke til.' } } } }),
    status: 201,
    actions: ['guidelines.published'],
    keep: (b, w) => void (w.made.guidelines = String(b.version)),
  },
  {
    route: 'POST /api/guidelines/acknowledge',
    what: 'staff confirm the new guidelines',
    as: 'staff',
    call: (w) => ({ path: '/api/guidelines/acknowledge', body: { version: Number(get(w, 'guidelines')) } }),
    status: 204,
    actions: ['guidelines.acknowledged'],
  },
  {
    route: 'POST /api/guidelines/acknowledge',
    what: 'the leader confirms them too',
    as: 'leader',
    call: (w) => ({ path: '/api/guidelines/acknowledge', body: { version: Number(get(w, 'guidelines')) } }),
    status: 204,
    actions: ['guidelines.acknowledged'],
  },

  // --- Consent ------------------------------------------------------------------------------
  {
    route: 'POST /api/people/:id/consents',
    what: 'a guardian says yes to the new purpose for their child',
    as: 'guardian',
    call: (w) => ({ path: `/api/people/${w.children.jakob}/consents`, body: { purposeId: get(w, 'purpose'), decision: 'given', noticeVersion: 1 } }),
    status: 201,
    actions: ['consent.given'],
  },
  {
    route: 'POST /api/people/:id/consents',
    what: 'the guardian says yes to the website',
    as: 'guardian',
    call: (w) => ({ path: `/api/people/${w.children.jakob}/consents`, body: { purposeId: w.purposes.website, decision: 'given', noticeVersion: 1 } }),
    status: 201,
    actions: ['consent.given'],
  },
  {
    route: 'POST /api/people/:id/consents',
    what: "staff record the guardian's paper answer, with a note of the evidence that names people",
    as: 'staff',
    call: (w) => ({
      path: `/api/people/${w.children.jakob}/consents`,
      body: {
        purposeId: w.purposes.internal,
        decision: 'given',
        noticeVersion: 1,
        onBehalfOf: w.kari,
        method: 'paper',
        evidenceNote: 'Skjemaet er signert av Kari Nordmann for Jakob Nordmann og ligger i permen.',
      },
    }),
    status: 201,
    actions: ['consent.given'],
  },
  {
    route: 'POST /api/people/:id/consents',
    what: 'a pupil of the self-consent age says no for themself',
    as: 'pupil',
    call: (w) => ({ path: `/api/people/${w.children.mia}/consents`, body: { purposeId: w.purposes.internal, decision: 'refused', noticeVersion: 1 } }),
    status: 201,
    actions: ['consent.refused'],
  },
  {
    route: 'POST /api/people/:id/views',
    what: "staff record a child's view (accepts)",
    as: 'staff',
    call: (w) => ({ path: `/api/people/${w.children.jakob}/views`, body: { objects: false, purposeId: null, note: 'Jakob Nordmann sa at det var greit.' } }),
    status: 201,
    actions: ['child_view.accepts'],
  },
  {
    route: 'PUT /api/people/:id/protection',
    what: 'the leader sets the protection flag',
    as: 'leader',
    call: (w) => ({ path: `/api/people/${w.children.nora}/protection`, body: { protected: true } }),
    status: 200,
    actions: ['protection.set'],
  },
  {
    route: 'PUT /api/people/:id/protection',
    what: 'the leader clears it',
    as: 'leader',
    call: (w) => ({ path: `/api/people/${w.children.nora}/protection`, body: { protected: false } }),
    status: 200,
    actions: ['protection.cleared'],
  },

  // --- Photos and publishing ----------------------------------------------------------------
  {
    route: 'POST /api/photos',
    what: 'staff upload a photo and a file that is not one (named after a child)',
    as: 'staff',
    call: (w) => ({
      path: `/api/photos?groupId=${w.groups.prestekragen}`,
      files: [
        { name: 'jakob-nordmann.jpg', bytes: w.images.photo },
        { name: 'Jakob Nordmann 2021-05-17.jpg', bytes: w.images.notAnImage },
      ],
    }),
    status: 201,
    actions: ['photo.uploaded', 'photo.refused'],
    keep: (b, w) => void (w.made.photo = b.photos[0].id),
  },
  {
    route: 'POST /api/photos',
    what: 'staff upload a second photo',
    as: 'staff',
    call: (w) => ({ path: `/api/photos?groupId=${w.groups.prestekragen}`, files: [{ name: 'tur.jpg', bytes: w.images.photo2 }] }),
    status: 201,
    actions: ['photo.uploaded'],
    keep: (b, w) => void (w.made.photo2 = b.photos[0].id),
  },
  {
    route: 'PATCH /api/photos/:id',
    what: 'staff set what kind of photo it is',
    as: 'staff',
    call: (w) => ({ path: `/api/photos/${get(w, 'photo')}`, body: { kind: 'activity' } }),
    status: 200,
    actions: ['photo.updated'],
  },
  {
    route: 'PUT /api/photos/:id/tags',
    what: 'staff tag the child',
    as: 'staff',
    call: (w) => ({ path: `/api/photos/${get(w, 'photo')}/tags`, body: [{ personId: w.children.jakob, recognisable: true }] }),
    status: 200,
    actions: ['photo.tagged'],
  },
  {
    route: 'POST /api/photos/:id/gate',
    what: 'staff ask the gate (dry run)',
    as: 'staff',
    call: (w) => ({ path: `/api/photos/${get(w, 'photo')}/gate`, body: { channelId: get(w, 'channel'), ...TEXTS } }),
    status: 200,
    actions: ['gate.checked'],
  },
  {
    route: 'POST /api/publications',
    what: 'staff publish to the external channel (internal audience: no review)',
    as: 'staff',
    call: (w) => ({ path: '/api/publications', body: { photoId: get(w, 'photo'), channelId: get(w, 'channel'), ...TEXTS } }),
    status: 201,
    actions: ['gate.passed', 'publication.published'],
    keep: (b, w) => void (w.made.externalPublication = b.publication.id),
  },
  {
    route: 'PATCH /api/publications/:id',
    what: 'staff record where the external copy was posted',
    as: 'staff',
    call: (w) => ({ path: `/api/publications/${get(w, 'externalPublication')}`, body: { externalUrl: 'https://example.no/revisjon/jakob-nordmann' } }),
    status: 200,
    actions: ['publication.external_url'],
  },
  {
    route: 'POST /api/publications',
    what: 'staff ask to publish on the website (public: waits for review)',
    as: 'staff',
    call: (w) => ({ path: '/api/publications', body: { photoId: get(w, 'photo'), channelId: w.channels['solsikken-nettside'], ...TEXTS } }),
    status: 201,
    actions: ['gate.passed', 'publication.requested'],
    keep: (b, w) => void (w.made.webPublication = b.publication.id),
  },
  {
    route: 'POST /api/publications/:id/review',
    what: 'the leader approves it',
    as: 'leader',
    call: (w) => ({ path: `/api/publications/${get(w, 'webPublication')}/review`, body: { approve: true, harmAssessment: true } }),
    status: 200,
    actions: ['publication.approved'],
  },
  {
    route: 'POST /api/publications/:id/unpublish',
    what: 'staff unpublish it (hosted: no takedown task)',
    as: 'staff',
    call: (w) => ({ path: `/api/publications/${get(w, 'webPublication')}/unpublish`, body: {} }),
    status: 200,
    actions: ['publication.unpublished'],
  },
  {
    route: 'POST /api/publications',
    what: 'staff ask for the website again',
    as: 'staff',
    call: (w) => ({ path: '/api/publications', body: { photoId: get(w, 'photo'), channelId: w.channels['solsikken-nettside'], ...TEXTS } }),
    status: 201,
    actions: ['gate.passed', 'publication.requested'],
    keep: (b, w) => void (w.made.webPublication2 = b.publication.id),
  },
  {
    route: 'POST /api/publications/:id/review',
    what: 'the leader rejects it, with a note naming the child',
    as: 'leader',
    call: (w) => ({ path: `/api/publications/${get(w, 'webPublication2')}/review`, body: { approve: false, note: 'Ikke dette bildet av Jakob Nordmann.' } }),
    status: 200,
    actions: ['publication.rejected'],
  },
  {
    route: 'POST /api/publications/:id/takedown-request',
    what: 'the guardian asks for the external copy to come down (unpublished now, and a task)',
    as: 'guardian',
    call: (w) => ({ path: `/api/publications/${get(w, 'externalPublication')}/takedown-request`, body: { personId: w.children.jakob } }),
    status: 200,
    actions: ['publication.unpublished', 'takedown.opened', 'takedown.requested'],
    keep: (_b, w, events) => void (w.made.takedown = eventOf(events, 'takedown.opened')),
  },
  {
    route: 'POST /api/takedowns/:id/done',
    what: 'staff record that the external copy is gone',
    as: 'staff',
    call: (w) => ({ path: `/api/takedowns/${get(w, 'takedown')}/done`, body: { evidence: 'Innlegget om Jakob Nordmann er slettet fra siden.' } }),
    status: 200,
    actions: ['takedown.done'],
  },
  {
    route: 'POST /api/publications',
    what: 'staff publish on the wall inside the kindergarten',
    as: 'staff',
    call: (w) => ({ path: '/api/publications', body: { photoId: get(w, 'photo'), channelId: w.channels['solsikken-vegg'], ...TEXTS } }),
    status: 201,
    actions: ['gate.passed', 'publication.published'],
  },
  {
    route: 'POST /api/people/:id/consents/:purposeId/withdraw',
    what: 'the guardian withdraws: the publication on the wall comes down in the same transaction',
    as: 'guardian',
    call: (w) => ({ path: `/api/people/${w.children.jakob}/consents/${w.purposes.internal}/withdraw`, body: {} }),
    status: 201,
    actions: ['consent.withdrawn', 'publication.unpublished'],
    system: ['publication.unpublished'],
  },
  {
    route: 'POST /api/people/:id/views',
    what: "staff record a child's objection",
    as: 'staff',
    call: (w) => ({ path: `/api/people/${w.children.jakob}/views`, body: { objects: true, purposeId: get(w, 'purpose'), note: 'Jakob Nordmann vil ikke.' } }),
    status: 201,
    actions: ['child_view.objects'],
  },
  {
    route: 'DELETE /api/photos/:id',
    what: 'staff delete the second photo',
    as: 'staff',
    call: (w) => ({ path: `/api/photos/${get(w, 'photo2')}` }),
    status: 204,
    actions: ['photo.deleted'],
  },

  // --- Consent rounds ----------------------------------------------------------------------
  {
    route: 'POST /api/consent-rounds',
    what: 'the leader starts a consent round',
    as: 'leader',
    call: (w) => ({ path: '/api/consent-rounds', body: { unitId: w.units.solsikken, purposeIds: [get(w, 'purpose')], reason: 'new_purpose' } }),
    status: 201,
    actions: ['consent_round.started'],
    keep: (b, w) => void (w.made.round = b.round.id),
  },
  {
    route: 'POST /api/consent-rounds/:id/remind',
    what: 'the leader sends a reminder',
    as: 'leader',
    call: (w) => ({ path: `/api/consent-rounds/${get(w, 'round')}/remind`, body: {} }),
    status: 200,
    actions: ['consent_round.reminded'],
  },

  // --- Signing in and out ------------------------------------------------------------------
  {
    route: 'POST /api/auth/magic-link',
    what: 'a guardian asks for a sign-in link',
    as: 'anonymous',
    call: () => ({ path: '/api/auth/magic-link', body: { email: 'forelder@demo.no' } }),
    status: 202,
    actions: ['auth.magic_link_sent'],
    system: ['auth.magic_link_sent'],
  },
  {
    route: 'POST /api/auth/login',
    what: 'staff sign in with a password',
    as: 'anonymous',
    call: () => ({ path: '/api/auth/login', body: { email: 'ansatt@demo.no', password: 'demo1234' } }),
    status: 200,
    actions: ['auth.login'],
    actorIs: 'staff',
  },
  {
    route: 'POST /api/auth/logout',
    what: 'someone signs out',
    as: 'session',
    call: () => ({ path: '/api/auth/logout', body: {} }),
    status: 204,
    actions: ['auth.logout'],
  },
];

export interface Refusal {
  route: `${Method} ${string}`;
  what: string;
  as: Caller;
  call(w: World): Call;
  status: number;
  actions: string[];
  /** Actions written with no actor (an anonymous caller). */
  system?: string[];
}

/** Refused calls, each audited the way the product audits refusals (or not at all, where it says so). */
export const REFUSALS: Refusal[] = [
  {
    route: 'POST /api/people/:id/consents',
    what: "a guardian answers for another family's child: 404, as if there were none",
    as: 'guardian',
    call: (w) => ({ path: `/api/people/${w.children.nora}/consents`, body: { purposeId: w.purposes.internal, decision: 'given', noticeVersion: 1 } }),
    status: 404,
    actions: ['access.refused'],
  },
  {
    route: 'POST /api/people/:id/consents',
    what: "a guardian files an answer as someone else's",
    as: 'guardian',
    call: (w) => ({ path: `/api/people/${w.children.jakob}/consents`, body: { purposeId: w.purposes.print, decision: 'given', noticeVersion: 1, onBehalfOf: w.otherAdult } }),
    status: 403,
    actions: ['access.refused'],
  },
  {
    route: 'POST /api/people/:id/consents',
    what: 'a guardian answers a purpose that does not exist',
    as: 'guardian',
    call: (w) => ({ path: `/api/people/${w.children.jakob}/consents`, body: { purposeId: 'no-such-purpose', decision: 'given', noticeVersion: 1 } }),
    status: 404,
    actions: ['access.refused'],
  },
  {
    route: 'POST /api/people/:id/consents',
    what: 'staff record an answer without saying whose it is: a mistake, not a refusal, so nothing is written',
    as: 'staff',
    call: (w) => ({ path: `/api/people/${w.children.jakob}/consents`, body: { purposeId: w.purposes.print, decision: 'given', noticeVersion: 1 } }),
    status: 400,
    actions: [],
  },
  {
    route: 'PUT /api/people/:id/protection',
    what: 'a guardian tries to set the protection flag on their own child',
    as: 'guardian',
    call: (w) => ({ path: `/api/people/${w.children.jakob}/protection`, body: { protected: true } }),
    status: 403,
    actions: ['access.refused'],
  },
  {
    route: 'PUT /api/people/:id/protection',
    what: "a leader sets the flag on another unit's pupil",
    as: 'leader',
    call: (w) => ({ path: `/api/people/${w.children.elias}/protection`, body: { protected: true } }),
    status: 404,
    actions: ['access.refused'],
  },
  {
    route: 'PUT /api/settings',
    what: 'staff change the settings',
    as: 'staff',
    call: () => ({ path: '/api/settings', body: { takedownDueHours: 1 } }),
    status: 403,
    actions: ['access.refused'],
  },
  {
    route: 'POST /api/people',
    what: 'staff register a person',
    as: 'staff',
    call: (w) => ({ path: '/api/people', body: { kind: 'child', firstName: 'Ulovlig', lastName: 'Registrert', birthDate: '2021-01-01', groupId: w.groups.blaaklokka } }),
    status: 403,
    actions: ['access.refused'],
  },
  {
    route: 'POST /api/import/roster',
    what: 'staff try a dry run of an import',
    as: 'staff',
    call: (w) => ({ path: '/api/import/roster?dryRun=true', csv: rosterCsv(w) }),
    status: 403,
    actions: ['access.refused'],
  },
  {
    route: 'POST /api/photos',
    what: "staff upload into another unit's group (refused before the body is read)",
    as: 'staff',
    call: (w) => ({ path: `/api/photos?groupId=${w.groups.tenB}`, files: [{ name: 'x.jpg', bytes: w.images.photo2 }] }),
    status: 404,
    actions: ['access.refused'],
  },
  {
    route: 'POST /api/photos',
    what: 'staff upload only a file that is not a photo',
    as: 'staff',
    call: (w) => ({ path: `/api/photos?groupId=${w.groups.prestekragen}`, files: [{ name: 'Emma Nordmann.jpg', bytes: w.images.notAnImage }] }),
    status: 415,
    actions: ['photo.refused'],
  },
  {
    route: 'POST /api/publications',
    what: 'staff publish where the child has no consent: the gate refuses',
    as: 'staff',
    call: (w) => ({ path: '/api/publications', body: { photoId: get(w, 'photo'), channelId: w.channels['kommunens-facebook'], ...TEXTS } }),
    status: 422,
    actions: ['gate.refused'],
  },
  {
    route: 'POST /api/publications/:id/review',
    what: 'a pupil reviews a publication',
    as: 'pupil',
    call: (w) => ({ path: `/api/publications/${get(w, 'externalPublication')}/review`, body: { approve: true, harmAssessment: true } }),
    status: 404,
    actions: ['access.refused'],
  },
  {
    route: 'POST /api/takedowns/:id/done',
    what: 'a guardian marks a takedown as done',
    as: 'guardian',
    call: (w) => ({ path: `/api/takedowns/${get(w, 'takedown')}/done`, body: { evidence: 'Borte.' } }),
    status: 404,
    actions: ['access.refused'],
  },
  {
    route: 'POST /api/consent-rounds',
    what: 'staff start a consent round',
    as: 'staff',
    call: (w) => ({ path: '/api/consent-rounds', body: { unitId: w.units.solsikken, reason: 'other' } }),
    status: 403,
    actions: ['access.refused'],
  },
  {
    route: 'PATCH /api/accounts/:id',
    what: 'the admin changes an account that does not exist',
    as: 'admin',
    call: () => ({ path: '/api/accounts/00000000-0000-4000-8000-000000000000', body: { active: false } }),
    status: 404,
    actions: ['access.refused'],
  },
  {
    route: 'POST /api/auth/login',
    what: 'a wrong password',
    as: 'anonymous',
    call: () => ({ path: '/api/auth/login', body: { email: 'admin@demo.no', password: 'not-the-password' } }),
    status: 401,
    actions: ['auth.login_failed'],
    system: ['auth.login_failed'],
  },
  {
    route: 'POST /api/auth/magic-link',
    what: 'a sign-in link for an address nobody has (the answer does not tell)',
    as: 'anonymous',
    call: () => ({ path: '/api/auth/magic-link', body: { email: 'ingen.her@example.no' } }),
    status: 202,
    actions: ['auth.magic_link_refused'],
    system: ['auth.magic_link_refused'],
  },
];
