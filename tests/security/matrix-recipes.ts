import { acknowledgeGuidelines, type World } from './matrix-world.js';
import type { Caller } from './access-matrix.js';
import type { ApiCall } from '../support/http.js';
import { photographicJpeg } from '../support/images.js';

/** One request of the matrix: where it goes and what it carries. */
export interface Call extends ApiCall {
  /** Use a session of its own (for calls that end it). */
  ownSession?: boolean;
}

/** How to make a well-formed request for a route and target, as any caller. */
export type Recipe = (w: World, caller: Caller) => Promise<Call> | Call;

const texts = { caption: 'Vi bygde hytte av greiner i skogen.', altText: 'Barn som bygger en hytte av greiner.' };
const noticeText = { what: 'Bilder fra hverdagen.', wherePublished: 'På veggen.', whoCanSee: 'Barna og de ansatte.', retention: 'Ut barnehageåret.', withdrawal: 'Trekk samtykket i appen.', contact: 'Styreren.' };
let jpeg: Buffer | null = null;
const STAFF_ROLES = /^(staff|leader|admin)/;
/** What staff add when they record someone else's answer from a signed form. */
const onPaper = (caller: Caller, onBehalfOf: string) =>
  STAFF_ROLES.test(caller) ? { onBehalfOf, method: 'paper', evidenceNote: 'Signert skjema ligger i permen på kontoret.' } : {};

/**
 * Recipes by matrix key: "METHOD /path" or "METHOD /path @target" when one route is played
 * against several objects. Recipes for state-changing calls that would use up their object
 * (delete, review, take down) make a fresh one for every cell, so each cell is judged on
 * access alone.
 */
export const RECIPES: Record<string, Recipe> = {
  'GET /healthz': () => ({ path: '/healthz' }),
  'GET /readyz': () => ({ path: '/readyz' }),

  // Sign-in: anyone may try; the answer depends on the credentials, not on the caller.
  'POST /api/auth/login': () => ({ path: '/api/auth/login', body: { email: 'ansatt@demo.no', password: 'demo1234' } }),
  'POST /api/auth/logout': () => ({ path: '/api/auth/logout', ownSession: true }),
  'GET /api/me': () => ({ path: '/api/me' }),
  // Unknown addresses get the same answer as known ones, and do not use up a guardian's own limit.
  'POST /api/auth/magic-link': (w) => ({ path: '/api/auth/magic-link', body: { email: `ukjent.${w.unique()}@example.no` } }),
  'GET /api/auth/magic/:token': async (w) => ({ path: `/api/auth/magic/${await w.fresh.magicToken()}` }),

  // Roster.
  'GET /api/units': () => ({ path: '/api/units' }),
  'POST /api/units': (w) => ({ path: '/api/units', body: { name: `Enhet ${w.unique()}`, kind: 'school' } }),
  'PATCH /api/units/:id': (w) => ({ path: `/api/units/${w.ids.solsikken}`, body: { name: 'Solsikken barnehage' } }),
  'GET /api/units/:id/groups': (w) => ({ path: `/api/units/${w.ids.solsikken}/groups` }),
  'POST /api/units/:id/groups': (w) => ({ path: `/api/units/${w.ids.solsikken}/groups`, body: { name: `Gruppe ${w.unique()}` } }),
  'PATCH /api/groups/:id': (w) => ({ path: `/api/groups/${w.ids.prestekragen}`, body: { name: 'Prestekragen' } }),
  'GET /api/people': () => ({ path: '/api/people' }),
  'POST /api/people': (w) => ({
    path: '/api/people',
    body: { kind: 'child', firstName: 'Ny', lastName: `Person${w.unique().replace(/[0-9]/g, '')}`, birthDate: '2022-02-02', groupId: w.ids.prestekragen },
  }),
  'GET /api/people/:id @child': (w) => ({ path: `/api/people/${w.ids.jakob}` }),
  'GET /api/people/:id @pupil': (w) => ({ path: `/api/people/${w.ids.mia}` }),
  'PATCH /api/people/:id': (w) => ({ path: `/api/people/${w.ids.jakob}`, body: { firstName: 'Jakob' } }),
  'POST /api/people/:id/memberships': (w) => ({
    path: `/api/people/${w.ids.jakob}/memberships`,
    body: { groupId: w.ids.blaaklokka, from: `20${30 + (Number.parseInt(w.unique().slice(-2), 36) % 60)}-01-01`, to: null },
  }),
  'PATCH /api/memberships/:id': (w) => ({ path: `/api/memberships/${w.ids.jakobMembership}`, body: { to: null } }),
  'GET /api/people/:id/guardians': (w) => ({ path: `/api/people/${w.ids.jakob}/guardians` }),
  'POST /api/people/:id/guardians': (w) => ({
    path: `/api/people/${w.ids.jakob}/guardians`,
    body: { firstName: 'Tone', lastName: 'Nordmann', email: `tone.${w.unique()}@example.no`, role: 'appointed_guardian', responsibility: false },
  }),
  'PATCH /api/guardian-links/:id': (w) => ({ path: `/api/guardian-links/${w.ids.jakobGuardianLink}`, body: { responsibility: true } }),
  'POST /api/import/roster': (w) => ({
    path: '/api/import/roster?dryRun=true',
    csv: `unit,group,child_first_name,child_last_name,child_birth_date,guardian_first_name,guardian_last_name,guardian_email,guardian_role,parental_responsibility\nSolsikken barnehage,Prestekragen,Ny,Importert,2022-03-03,Vera,Importert,vera.${w.unique()}@example.no,parent,ja\n`,
  }),

  // Consent.
  'GET /api/people/:id/consents @child': (w) => ({ path: `/api/people/${w.ids.jakob}/consents` }),
  'GET /api/people/:id/consents @pupil': (w) => ({ path: `/api/people/${w.ids.mia}/consents` }),
  // Guardians and pupils answer on the web; staff record a paper answer on someone's behalf.
  'POST /api/people/:id/consents @child': (w, caller) => ({
    path: `/api/people/${w.ids.jakob}/consents`,
    body: { purposeId: w.ids.purposes.website, decision: 'refused', noticeVersion: 1, ...onPaper(caller, w.ids.kari) },
  }),
  'POST /api/people/:id/consents @pupil': (w, caller) => ({
    path: `/api/people/${w.ids.mia}/consents`,
    body: { purposeId: w.ids.purposes.website, decision: 'refused', noticeVersion: 1, ...onPaper(caller, w.ids.mia) },
  }),
  // There is something to withdraw in every cell: the rightful person has just said yes.
  'POST /api/people/:id/consents/:purposeId/withdraw @child': async (w, caller) => {
    await w.give('guardian', w.ids.jakob, w.ids.purposes.social_media!);
    return { path: `/api/people/${w.ids.jakob}/consents/${w.ids.purposes.social_media}/withdraw`, body: onPaper(caller, w.ids.kari) };
  },
  'POST /api/people/:id/consents/:purposeId/withdraw @pupil': async (w, caller) => {
    await w.give('pupil', w.ids.mia, w.ids.purposes.social_media!);
    return { path: `/api/people/${w.ids.mia}/consents/${w.ids.purposes.social_media}/withdraw`, body: onPaper(caller, w.ids.mia) };
  },
  'GET /api/people/:id/consent-record': (w) => ({ path: `/api/people/${w.ids.jakob}/consent-record?format=iso27560` }),
  'POST /api/people/:id/views': (w) => ({ path: `/api/people/${w.ids.jakob}/views`, body: { objects: false } }),
  'GET /api/people/:id/protection': (w) => ({ path: `/api/people/${w.ids.jakob}/protection` }),
  'PUT /api/people/:id/protection': (w) => ({ path: `/api/people/${w.ids.jakob}/protection`, body: { protected: false } }),
  'GET /api/groups/:id/consent-overview': (w) => ({ path: `/api/groups/${w.ids.prestekragen}/consent-overview` }),

  // Purposes, notices, channels.
  'GET /api/purposes': () => ({ path: '/api/purposes' }),
  'POST /api/purposes': (w) => ({
    path: '/api/purposes',
    body: { code: `p-${w.unique()}`, nameNb: 'Nytt formål', nameNn: 'Nytt føremål', nameEn: 'New purpose', audience: 'internal' },
  }),
  'PATCH /api/purposes/:id': (w) => ({ path: `/api/purposes/${w.ids.purposes.internal}`, body: { active: true } }),
  'GET /api/purposes/:id/notices': (w) => ({ path: `/api/purposes/${w.ids.purposes.internal}/notices` }),
  'POST /api/purposes/:id/notices': (w) => ({ path: `/api/purposes/${w.ids.purposes.press}/notices`, body: { material: false, texts: { nb: noticeText } } }),
  'GET /api/channels': () => ({ path: '/api/channels' }),
  'POST /api/channels': (w) => ({
    path: '/api/channels',
    body: { purposeId: w.ids.purposes.internal, unitId: w.ids.solsikken, name: 'Ny vegg', slug: `vegg-${w.unique()}`, kind: 'hosted' },
  }),
  'PATCH /api/channels/:id': (w) => ({ path: `/api/channels/${w.ids.channels['solsikken-vegg']}`, body: { active: true } }),
  'GET /api/consent-rounds': () => ({ path: '/api/consent-rounds' }),
  'POST /api/consent-rounds': (w) => ({ path: '/api/consent-rounds', body: { unitId: w.ids.solsikken, reason: 'other' } }),
  'GET /api/consent-rounds/:id': (w) => ({ path: `/api/consent-rounds/${w.ids.round}` }),
  'POST /api/consent-rounds/:id/remind': (w) => ({ path: `/api/consent-rounds/${w.ids.round}/remind`, body: {} }),
  'GET /api/settings': () => ({ path: '/api/settings' }),
  'PUT /api/settings': () => ({ path: '/api/settings', body: { takedownDueHours: 24 } }),

  // Photos.
  'POST /api/photos': async (w) => {
    jpeg ??= await photographicJpeg(320, 240, 9);
    return { path: `/api/photos?groupId=${w.ids.prestekragen}`, files: [{ name: 'bilde.jpg', bytes: jpeg }] };
  },
  'GET /api/photos': () => ({ path: '/api/photos' }),
  'GET /api/photos/:id': (w) => ({ path: `/api/photos/${w.ids.photo}` }),
  'PUT /api/photos/:id/tags': (w) => ({ path: `/api/photos/${w.ids.photo}/tags`, body: [{ personId: w.ids.jakob, recognisable: true }] }),
  'PATCH /api/photos/:id': (w) => ({ path: `/api/photos/${w.ids.photo}`, body: { kind: 'activity' } }),
  'GET /api/photos/:id/image': (w) => ({ path: `/api/photos/${w.ids.photo}/image?size=thumb` }),
  'DELETE /api/photos/:id': async (w) => ({ path: `/api/photos/${await w.fresh.photo()}` }),

  // Publications.
  'POST /api/photos/:id/gate': (w) => ({ path: `/api/photos/${w.ids.photo}/gate`, body: { channelId: w.ids.channels['solsikken-vegg'], ...texts } }),
  'POST /api/publications': async (w) => ({
    path: '/api/publications',
    body: { photoId: await w.fresh.photo(), channelId: w.ids.channels['solsikken-vegg'], ...texts },
  }),
  'GET /api/publications': () => ({ path: '/api/publications' }),
  'GET /api/publications.csv': () => ({ path: '/api/publications.csv' }),
  'GET /api/publications/:id': (w) => ({ path: `/api/publications/${w.ids.closedPublication}` }),
  'GET /api/publications/:id/image': (w) => ({ path: `/api/publications/${w.ids.closedPublication}/image` }),
  'POST /api/publications/:id/review': async (w) => ({
    path: `/api/publications/${await w.fresh.pendingPublication()}/review`,
    body: { approve: true, harmAssessment: true },
  }),
  'POST /api/publications/:id/unpublish': async (w) => ({ path: `/api/publications/${await w.fresh.livePublication()}/unpublish`, body: {} }),
  'PATCH /api/publications/:id': (w) => ({
    path: `/api/publications/${w.ids.externalPublication}`,
    body: { externalUrl: 'https://www.example.no/arbok/2026' },
  }),
  'POST /api/publications/:id/takedown-request': async (w) => ({
    path: `/api/publications/${await w.fresh.livePublication()}/takedown-request`,
    body: { personId: w.ids.jakob },
  }),
  'GET /api/people/:id/publications': (w) => ({ path: `/api/people/${w.ids.jakob}/publications` }),
  'GET /api/takedowns': () => ({ path: '/api/takedowns' }),
  'POST /api/takedowns/:id/done': async (w) => ({ path: `/api/takedowns/${await w.fresh.takedown()}/done`, body: { evidence: 'Fjernet fra årboka.' } }),
  'GET /api/guidelines': () => ({ path: '/api/guidelines' }),
  'POST /api/guidelines': () => ({ path: '/api/guidelines', body: { texts: { nb: { title: 'Retningslinjer', body: 'Del bare situasjonsbilder.' } } } }),
  'POST /api/guidelines/acknowledge': async (w, caller) => {
    const agent = await w.agent(caller === 'anonymous' ? 'staff' : caller);
    const current = (await agent!.get('/api/guidelines')).body.guidelines as { version: number } | null;
    return { path: '/api/guidelines/acknowledge', body: { version: current?.version ?? 1 } };
  },
  'GET /api/units/:id/guideline-acknowledgements': (w) => ({ path: `/api/units/${w.ids.solsikken}/guideline-acknowledgements` }),

  // Administration.
  'GET /api/audit': () => ({ path: '/api/audit?limit=5' }),
  'GET /api/audit/verify': () => ({ path: '/api/audit/verify' }),
  'GET /api/accounts': () => ({ path: '/api/accounts' }),
  'POST /api/accounts': (w) => ({ path: '/api/accounts', body: { email: `ny.${w.unique()}@test.no`, role: 'staff', unitId: w.ids.solsikken } }),
  'PATCH /api/accounts/:id': async (w) => ({ path: `/api/accounts/${await w.fresh.account()}`, body: { active: false } }),

  'GET /api/openapi.json': () => ({ path: '/api/openapi.json' }),

  // Hosted channels.
  'GET /feed/_/feed.css': () => ({ path: '/feed/_/feed.css' }),
  'GET /feed/:slug @closed': () => ({ path: '/feed/solsikken-galleri?format=json' }),
  'GET /feed/:slug @public': () => ({ path: '/feed/solsikken-nettside?format=json' }),
  'GET /feed/:slug/:file': (w) => ({ path: `/feed/solsikken-galleri/${w.ids.closedPublication}.jpg` }),
};

/** Calls that change what later cells see; run after them, with the repair they need. */
export const AFTER: Record<string, (w: World) => Promise<void>> = {
  'POST /api/guidelines': (w) => acknowledgeGuidelines(w.sessions, w.email),
};
