/**
 * The access-control matrix: every route × every kind of caller, with the answer each must get.
 * tests/security/access-matrix.test.ts plays every cell against real data on SQLite and
 * PostgreSQL; a route the app answers without rows here fails that suite.
 *
 * The callers, in column order. "other" callers are the same role one step outside the object's
 * world: another family in the same kindergarten, another pupil of the same school, the other
 * unit of the organisation, or another organisation. The objects (see matrix-world.ts) belong to
 * Solsikken barnehage: Jakob (the guardian's child), his group Prestekragen, photos of him and
 * publications of them; "@pupil" rows target Mia, the pupil herself, at Fjellet skole.
 */
export const CALLERS = [
  'anonymous',
  'guardian',
  'guardian-other-family',
  'pupil',
  'pupil-other',
  'staff',
  'staff-other-unit',
  'leader',
  'leader-other-unit',
  'admin',
  'admin-other-org',
  'leader-other-org',
  'staff-other-org',
  'guardian-other-org',
] as const;
export type Caller = (typeof CALLERS)[number];

/** Who may know that a person is protected (DESIGN rule 7): the unit's leader and the admin. */
export const PROTECTION_ENTITLED: readonly Caller[] = ['leader', 'admin'];
/** Callers of another organisation: nothing of the demo organisation reaches them. */
export const OUTSIDE_ORGANISATION: readonly Caller[] = ['admin-other-org', 'leader-other-org', 'staff-other-org', 'guardian-other-org'];
/** Callers who must never see Jakob (another family, pupil, unit or organisation). */
export const OUTSIDE_JAKOB: readonly Caller[] = [
  'anonymous',
  'guardian-other-family',
  'pupil',
  'pupil-other',
  'staff-other-unit',
  'leader-other-unit',
  ...OUTSIDE_ORGANISATION,
];
/** Who may see the protected child at all: the people who work with him. */
export const ROSTER_OF_SOLSIKKEN: readonly Caller[] = ['staff', 'leader', 'admin'];

export interface Row {
  /** "METHOD /path" exactly as the router declares it. */
  route: string;
  /** Which object the path points at, when a route is played against more than one. */
  target: string | null;
  /** The status each caller gets, in CALLERS order. */
  expect: number[];
  /** Why, in a few words. */
  why: string;
}

export const matrixKey = (r: Row): string => (r.target ? `${r.route} @${r.target}` : r.route);

function row(key: string, statuses: string, why: string): Row {
  const [route, target] = key.split(' @') as [string, string | undefined];
  const expect = statuses.trim().split(/\s+/).map(Number);
  if (expect.length !== CALLERS.length) throw new Error(`${key}: ${expect.length} statuses for ${CALLERS.length} callers`);
  return { route, target: target ?? null, expect, why };
}

// prettier-ignore
//                                                               anon guar g-fam pupl p-oth staf s-unt lead l-unt admn a-org l-org s-org g-org
export const MATRIX: Row[] = [
  row('GET /healthz', '200 200 200 200 200 200 200 200 200 200 200 200 200 200', "liveness is public"),
  row('GET /readyz', '200 200 200 200 200 200 200 200 200 200 200 200 200 200', "readiness is public"),
  row('POST /api/auth/login', '200 200 200 200 200 200 200 200 200 200 200 200 200 200', "anyone may sign in; the credentials decide"),
  row('POST /api/auth/logout', '401 204 204 204 204 204 204 204 204 204 204 204 204 204', "every signed-in caller ends their own session"),
  row('GET /api/me', '401 200 200 200 200 200 200 200 200 200 200 200 200 200', "every signed-in caller sees themself"),
  row('POST /api/auth/magic-link', '202 202 202 202 202 202 202 202 202 202 202 202 202 202', "the same answer for every address and caller"),
  row('GET /api/auth/magic/:token', '200 200 200 200 200 200 200 200 200 200 200 200 200 200', "the link decides, not the caller"),
  row('GET /api/units', '401 200 200 200 200 200 200 200 200 200 200 200 200 200', "each caller sees the units of their own world"),
  row('POST /api/units', '401 403 403 403 403 403 403 403 403 201 201 403 403 403', "only an admin creates units, in their own organisation"),
  row('PATCH /api/units/:id', '401 403 403 404 404 403 404 403 404 200 404 404 404 404', "only the organisation's admin; those who cannot see the unit get 404"),
  row('GET /api/units/:id/groups', '401 200 200 404 404 200 404 200 404 200 404 404 404 404', "families, staff and leaders of the unit, and the admin"),
  row('POST /api/units/:id/groups', '401 403 403 404 404 403 404 403 404 201 404 404 404 404', "only the organisation's admin"),
  row('PATCH /api/groups/:id', '401 403 403 404 404 403 404 403 404 200 404 404 404 404', "only the organisation's admin"),
  row('GET /api/people', '401 200 200 200 200 200 200 200 200 200 200 200 200 200', "each caller sees the people of their own world"),
  row('POST /api/people', '401 403 403 403 403 403 403 403 403 201 404 403 403 403', "only the admin of the group's organisation"),
  row('GET /api/people/:id @child', '401 200 404 404 404 200 404 200 404 200 404 404 404 404', "the child's guardian, his unit's staff and leader, the admin"),
  row('GET /api/people/:id @pupil', '401 404 404 200 404 404 200 404 200 200 404 404 404 404', "the pupil herself, her school's staff and leader, the admin"),
  row('PATCH /api/people/:id', '401 403 404 404 404 403 404 403 404 200 404 404 404 404', "only the organisation's admin"),
  row('POST /api/people/:id/memberships', '401 403 404 404 404 403 404 403 404 201 404 404 404 404', "only the organisation's admin"),
  row('PATCH /api/memberships/:id', '401 403 404 404 404 403 404 403 404 200 404 404 404 404', "only the organisation's admin"),
  row('GET /api/people/:id/guardians', '401 200 404 404 404 200 404 200 404 200 404 404 404 404', "the child's guardian, his unit's staff and leader, the admin"),
  row('POST /api/people/:id/guardians', '401 403 404 404 404 403 404 403 404 201 404 404 404 404', "only the organisation's admin"),
  row('PATCH /api/guardian-links/:id', '401 403 404 404 404 403 404 403 404 200 404 404 404 404', "only the organisation's admin"),
  row('POST /api/import/roster', '401 403 403 403 403 403 403 403 403 200 200 403 403 403', "only an admin imports, into their own organisation"),
  row('GET /api/people/:id/consents @child', '401 200 404 404 404 200 404 200 404 200 404 404 404 404', "the child's guardian, his unit's staff and leader, the admin"),
  row('GET /api/people/:id/consents @pupil', '401 404 404 200 404 404 200 404 200 200 404 404 404 404', "the pupil herself, her school's staff and leader, the admin"),
  row('POST /api/people/:id/consents @child', '401 201 404 404 404 201 404 201 404 201 404 404 404 404', "the guardian answers; his unit's staff, leader and the admin record a paper answer"),
  row('POST /api/people/:id/consents @pupil', '401 404 404 201 404 404 201 404 201 201 404 404 404 404', "the pupil (15) answers; her school's staff, leader and the admin record a paper answer"),
  row('POST /api/people/:id/consents/:purposeId/withdraw @child', '401 201 404 404 404 201 404 201 404 201 404 404 404 404', "withdrawn as it was given: by the guardian, or recorded by staff"),
  row('POST /api/people/:id/consents/:purposeId/withdraw @pupil', '401 404 404 201 404 404 201 404 201 201 404 404 404 404', "withdrawn by the pupil herself, or recorded by her school's staff"),
  row('GET /api/people/:id/consent-record', '401 200 404 404 404 200 404 200 404 200 404 404 404 404', "the record goes to those who may see the child's consents"),
  row('POST /api/people/:id/views', '401 403 404 404 404 201 404 201 404 201 404 404 404 404', "staff record the child's own view; guardians answer for themselves"),
  row('GET /api/people/:id/protection', '401 403 404 404 404 403 404 200 404 200 404 404 404 404', "only the leader and the admin know of the flag"),
  row('PUT /api/people/:id/protection', '401 403 404 404 404 403 404 200 404 200 404 404 404 404', "only the leader and the admin set the flag"),
  row('GET /api/groups/:id/consent-overview', '401 404 404 404 404 200 404 200 404 200 404 404 404 404', "the group's staff and leader, and the admin"),
  row('GET /api/purposes', '401 200 200 200 200 200 200 200 200 200 200 200 200 200', "everyone signed in reads their organisation's purposes"),
  row('POST /api/purposes', '401 403 403 403 403 403 403 403 403 201 201 403 403 403', "only an admin, in their own organisation"),
  row('PATCH /api/purposes/:id', '401 403 403 403 403 403 403 403 403 200 404 404 404 404', "only the organisation's admin"),
  row('GET /api/purposes/:id/notices', '401 200 200 200 200 200 200 200 200 200 404 404 404 404', "everyone of the organisation reads what they consent to"),
  row('POST /api/purposes/:id/notices', '401 403 403 403 403 403 403 403 403 201 404 404 404 404', "only the organisation's admin"),
  row('GET /api/channels', '401 200 200 200 200 200 200 200 200 200 200 200 200 200', "each caller sees their own organisation's channels"),
  row('POST /api/channels', '401 403 403 403 403 403 403 403 403 201 404 403 403 403', "only the admin of the purpose's organisation"),
  row('PATCH /api/channels/:id', '401 403 403 403 403 403 403 403 403 200 404 403 403 403', "only the organisation's admin"),
  row('GET /api/consent-rounds', '401 403 403 403 403 403 403 200 200 200 200 200 403 403', "leaders and admins see their own rounds"),
  row('POST /api/consent-rounds', '401 404 404 404 404 403 404 201 404 201 404 404 404 404', "the unit's leader and the admin"),
  row('GET /api/consent-rounds/:id', '401 404 404 404 404 403 404 200 404 200 404 404 404 404', "the unit's leader and the admin"),
  row('POST /api/consent-rounds/:id/remind', '401 404 404 404 404 403 404 200 404 200 404 404 404 404', "the unit's leader and the admin"),
  row('GET /api/settings', '401 200 200 200 200 200 200 200 200 200 200 200 200 200', "everyone reads their organisation's settings"),
  row('PUT /api/settings', '401 403 403 403 403 403 403 403 403 200 200 403 403 403', "only an admin, for their own organisation"),
  row('POST /api/photos', '401 403 403 403 403 201 404 201 404 403 403 404 404 403', "staff and leaders upload into their own unit's groups"),
  row('GET /api/photos', '401 403 403 403 403 200 200 200 200 200 200 200 200 403', "staff, leaders and admins list their own photos"),
  row('GET /api/photos/:id', '401 404 404 404 404 200 404 200 404 200 404 404 404 404', "the unit's staff and leader, and the admin"),
  row('PUT /api/photos/:id/tags', '401 404 404 404 404 200 404 200 404 403 404 404 404 404', "the unit's staff and leader tag"),
  row('PATCH /api/photos/:id', '401 404 404 404 404 200 404 200 404 403 404 404 404 404', "the unit's staff and leader"),
  row('GET /api/photos/:id/image', '401 404 404 404 404 200 404 200 404 200 404 404 404 404', "the unit's staff and leader, and the admin"),
  row('DELETE /api/photos/:id', '401 404 404 404 404 204 404 204 404 403 404 404 404 404', "the unit's staff and leader"),
  row('POST /api/photos/:id/gate', '401 404 404 404 404 200 404 200 404 403 404 404 404 404', "the unit's staff and leader ask the gate"),
  row('POST /api/publications', '401 404 404 404 404 201 404 201 404 403 404 404 404 404', "the unit's staff and leader publish"),
  row('GET /api/publications', '401 403 403 403 403 200 200 200 200 200 200 200 200 403', "staff, leaders and admins read their own log"),
  row('GET /api/publications.csv', '401 403 403 403 403 200 200 200 200 200 200 200 200 403', "as the log"),
  row('GET /api/publications/:id', '401 404 404 404 404 200 404 200 404 200 404 404 404 404', "the unit's staff and leader, and the admin"),
  row('GET /api/publications/:id/image', '401 404 404 404 404 200 404 200 404 200 404 404 404 404', "the unit's staff and leader, and the admin"),
  row('POST /api/publications/:id/review', '401 404 404 404 404 403 404 200 404 403 404 404 404 404', "only the unit's leader reviews"),
  row('POST /api/publications/:id/unpublish', '401 404 404 404 404 200 404 200 404 403 404 404 404 404', "the unit's staff and leader"),
  row('PATCH /api/publications/:id', '401 404 404 404 404 200 404 200 404 403 404 404 404 404', "the unit's staff and leader record where it was posted"),
  row('POST /api/publications/:id/takedown-request', '401 200 404 404 404 200 404 200 404 200 404 404 404 404', "the tagged child's guardian, the unit's staff and leader, the admin"),
  row('GET /api/people/:id/publications', '401 200 404 404 404 200 404 200 404 200 404 404 404 404', "the child's guardian, his unit's staff and leader, the admin"),
  row('GET /api/takedowns', '401 403 403 403 403 200 200 200 200 200 200 200 200 403', "staff, leaders and admins see their own tasks"),
  row('POST /api/takedowns/:id/done', '401 404 404 404 404 200 404 200 404 200 404 404 404 404', "the unit's staff and leader, and the admin"),
  row('GET /api/guidelines', '401 200 200 200 200 200 200 200 200 200 200 200 200 200', "everyone reads their organisation's guidelines"),
  row('POST /api/guidelines', '401 403 403 403 403 403 403 403 403 201 201 403 403 403', "only an admin, for their own organisation"),
  row('POST /api/guidelines/acknowledge', '401 403 403 403 403 204 204 204 204 403 403 204 204 403', "staff and leaders confirm"),
  row('GET /api/units/:id/guideline-acknowledgements', '401 403 403 403 403 403 403 200 404 200 404 404 403 403', "the unit's leader and the admin"),
  row('GET /api/audit', '401 404 404 404 404 404 404 404 404 200 200 404 404 404', "only an admin, and only their own organisation's events"),
  row('GET /api/audit/verify', '401 403 403 403 403 403 403 403 403 200 200 403 403 403', "only an admin"),
  row('GET /api/accounts', '401 403 403 403 403 403 403 403 403 200 200 403 403 403', "only an admin, their own organisation's accounts"),
  row('POST /api/accounts', '401 403 403 403 403 403 403 403 403 201 404 403 403 403', "only the admin of the unit's organisation"),
  row('PATCH /api/accounts/:id', '401 403 403 403 403 403 403 403 403 200 404 403 403 403', "only the account's organisation's admin"),
  row('GET /api/openapi.json', '200 200 200 200 200 200 200 200 200 200 200 200 200 200', "the API's description is public"),
  row('GET /feed/_/feed.css', '200 200 200 200 200 200 200 200 200 200 200 200 200 200', "the gallery's stylesheet is public"),
  row('GET /feed/:slug @closed', '401 200 200 404 404 200 404 200 404 200 404 404 404 404', "a closed gallery: the unit's guardians, staff and leader, the admin"),
  row('GET /feed/:slug @public', '200 200 200 200 200 200 200 200 200 200 200 200 200 200', "a public gallery is open to all"),
  row('GET /feed/:slug/:file', '401 200 200 404 404 200 404 200 404 200 404 404 404 404', "a closed gallery's photo, to the same callers as the gallery"),
];
