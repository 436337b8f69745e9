/**
 * Audit completeness (issue #6, part 7). Every state-changing endpoint is called successfully, in
 * an order where each call is real (audit-expectations.ts), and must write exactly the audit
 * events it should, by the right actor, with no person's name, e-mail address, phone number or
 * birth date in them. Refused calls are audited where the product audits refusals. Then a fault
 * is injected at the database between a change and its audit event: the call fails with a 5xx
 * that says nothing of the cause, and neither the change nor an event of it is left.
 */
import { sql } from 'kysely';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../db/dialect.js';
import { createApp, routeTable } from '../../server/app.js';
import { listAuditEventsAfter, toChainedEvent } from '../../server/modules/audit/audit.repository.js';
import { verifyAuditChain } from '../../server/modules/audit/audit.service.js';
import { sweepOrphanBlobs } from '../../server/modules/photos/maintenance.service.js';
import type { ChainedAuditEvent } from '../../server/domain/audit-chain.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { as, lastAuditSeq, sendCall } from '../support/http.js';
import { guardiansOf, purposeIds, type Agent } from '../support/family.js';
import { photographicJpeg } from '../support/images.js';
import { blobFiles, photoRowCount } from '../support/photos.js';
import { REFUSALS, SIGN_INS, STEPS, type Call, type Caller, type Method, type World } from './audit-expectations.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** What a 5xx body must never show: the injected message, the database, the table, code. */
const INTERNALS = /injected|fault|sqlite|postgres|audit_events|trigger|constraint|insert|select|stack|node_modules|\.ts\b|\.js\b|at \w+ \(/i;

/** Express path syntax as a regular expression over concrete paths. */
const routeRegex = (p: string) => new RegExp(`^${p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+')}$`);
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(testEngines())('audit completeness [%s]', (engine: Engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let w: World;
  const tokens = new Map<Caller, string>();
  const accountIds = new Map<Caller, string>();
  let stateChanging: string[] = [];
  const covered = new Set<string>();
  let stepsRun = 0;
  let refusalsRun = 0;
  let faultsRun = 0;

  async function signIn(email: string): Promise<{ token: string; accountId: string }> {
    const res = await request(app).post('/api/auth/login').send({ email, password: 'demo1234' });
    expect(res.status, `sign-in as ${email}`).toBe(200);
    return { token: res.body.token as string, accountId: res.body.user.id as string };
  }

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    stateChanging = routeTable(t.ctx)
      .filter((r) => STATE_CHANGING.has(r.method))
      .map((r) => `${r.method} ${r.path}`);
    for (const [caller, email] of Object.entries(SIGN_INS) as [Caller, string][]) {
      const s = await signIn(email);
      tokens.set(caller, s.token);
      accountIds.set(caller, s.accountId);
    }
    const dir = await demoDirectory(app);
    const groups = [...(await dir.groups('Solsikken barnehage')), ...(await dir.groups('Fjellet skole'))];
    const group = (name: string) => groups.find((g) => g.name === name)!.id;
    const jakob = dir.child('Jakob Nordmann').id;
    const nora = dir.child('Nora Hansen').id;
    const kari = (await guardiansOf(dir.admin, jakob)).find((l) => l.guardian.email === 'forelder@demo.no')!.guardian.id;
    const ingrid = (await guardiansOf(dir.admin, nora)).find((l) => l.guardian.firstName === 'Ingrid')!.guardian.id;
    const channels = (await dir.admin.get('/api/channels')).body.channels as { id: string; slug: string }[];
    w = {
      today: new Date().toISOString().slice(0, 10),
      units: { solsikken: dir.unit('Solsikken barnehage').id, fjellet: dir.unit('Fjellet skole').id },
      groups: { blaaklokka: group('Blåklokka'), prestekragen: group('Prestekragen'), tenB: group('10B') },
      children: { jakob, emma: dir.child('Emma Nordmann').id, nora, mia: dir.child('Mia Lie').id, elias: dir.child('Elias Bakken').id },
      kari,
      otherAdult: ingrid,
      purposes: await purposeIds(dir.admin),
      channels: Object.fromEntries(channels.map((c) => [c.slug, c.id])),
      images: {
        photo: await photographicJpeg(900, 600, 61),
        photo2: await photographicJpeg(800, 600, 62),
        notAnImage: Buffer.from('%PDF-1.4\n1 0 obj << /Title (Jakob Nordmann) >> endobj\n%%EOF\n'),
      },
      made: {},
    };
  });

  afterAll(async () => {
    console.log(
      `[security] audit completeness: ${stateChanging.length} state-changing routes, ${stepsRun} successful calls, ${refusalsRun} refusals, ${faultsRun} fault injections [${engine}]`,
    );
    await t?.close();
  });

  // --- Helpers -----------------------------------------------------------------------------

  const lastSeq = () => lastAuditSeq(t.ctx.db);
  async function eventsAfter(seq: number): Promise<ChainedAuditEvent[]> {
    return (await listAuditEventsAfter(t.ctx.db, seq, 10_000)).map(toChainedEvent);
  }

  const send = (token: string | null, method: Method, c: Call) => sendCall(app, method, token, c);

  /** The caller's token and account id; `session` signs in anew so that nothing else uses its session. */
  async function caller(who: Caller): Promise<{ token: string | null; accountId: string | null }> {
    if (who === 'anonymous') return { token: null, accountId: null };
    if (who === 'session') {
      const s = await signIn(SIGN_INS.admin);
      return { token: s.token, accountId: s.accountId };
    }
    return { token: tokens.get(who)!, accountId: accountIds.get(who)! };
  }

  /**
   * Every trace of personal data in the events: the names (first, last, full), e-mail addresses,
   * phone numbers and birth dates of every person and account in the database now. Ids are
   * taken out first (a name like "Ada" can be spelt in hexadecimal); names count as whole words.
   */
  async function personalDataIn(events: ChainedAuditEvent[]): Promise<string[]> {
    const people = await t.ctx.db.selectFrom('people').select(['first_name', 'last_name', 'birth_date', 'email', 'phone']).execute();
    const accounts = await t.ctx.db.selectFrom('accounts').select(['email']).execute();
    expect(people.length).toBeGreaterThan(50);
    const words = new Set<string>();
    const strings = new Set<string>();
    for (const p of people) {
      for (const n of [p.first_name, p.last_name, `${p.first_name} ${p.last_name}`]) if (n.trim().length >= 2) words.add(n.trim());
      if (p.email) strings.add(p.email.toLowerCase());
      if (p.phone) strings.add(p.phone);
      if (p.birth_date) {
        const [y, m, d] = p.birth_date.split('-');
        strings.add(p.birth_date).add(`${d}.${m}.${y}`);
      }
    }
    for (const a of accounts) strings.add(a.email.toLowerCase());
    const wordRes = [...words].map((n) => ({ n, re: new RegExp(`(?<!\\p{L})${escapeRe(n)}(?!\\p{L})`, 'iu') }));
    const found: string[] = [];
    for (const e of events) {
      const text = JSON.stringify({ action: e.action, objectType: e.objectType, objectId: e.objectId, payload: e.payload }).replace(UUID, '#');
      const lower = text.toLowerCase();
      for (const { n, re } of wordRes) if (re.test(text)) found.push(`${e.action} #${e.seq} names "${n}"`);
      for (const s of strings) if (lower.includes(s.toLowerCase())) found.push(`${e.action} #${e.seq} contains "${s}"`);
    }
    return found;
  }

  /** Runs one expectation: the call, its status, exactly its events, their actors, no personal data. */
  async function check(
    e: { route: `${Method} ${string}`; what: string; as: Caller; call(w: World): Call; status: number; actions: string[]; system?: string[]; actorIs?: Caller },
  ): Promise<{ body: any; events: ChainedAuditEvent[] }> {
    const [method, routePath] = e.route.split(' ') as [Method, string];
    expect(stateChanging, `${e.route} is a state-changing route of the app`).toContain(e.route);
    const c = e.call(w);
    const path = c.path.split('?')[0]!;
    // The concrete path must reach the route it is filed under, not an earlier one.
    const first = stateChanging.find((r) => r.startsWith(`${method} `) && routeRegex(r.slice(method.length + 1)).test(path));
    expect(first, `${method} ${path} is answered by ${e.route}`).toBe(e.route);
    expect(routeRegex(routePath).test(path)).toBe(true);

    const who = await caller(e.as);
    const before = await lastSeq();
    const res = await send(who.token, method, c);
    expect(res.status, `${e.route} (${e.what}): ${JSON.stringify(res.body).slice(0, 500)}`).toBe(e.status);
    const events = await eventsAfter(before);
    expect(events.map((x) => x.action), `${e.route} (${e.what}) writes exactly these audit events`).toEqual(e.actions);
    const actor = e.actorIs ? accountIds.get(e.actorIs)! : who.accountId;
    for (const ev of events) {
      const expected = e.system?.includes(ev.action) ? null : actor;
      expect(ev.actorId, `${ev.action} of ${e.route} (${e.what}) names its actor`).toBe(expected);
    }
    expect(await personalDataIn(events), `${e.route} (${e.what}) logs ids and codes only`).toEqual([]);
    // The organisation's admin reads them: each event is filed under the demo organisation,
    // except one that concerns no one (a sign-in link asked for an address nobody has).
    const filed = await t.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'organisation_id', 'actor_id', 'object_id'])
      .where('seq', '>', before)
      .orderBy('seq')
      .execute();
    const organisation = await t.ctx.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow();
    const ofNoOne = (f: (typeof filed)[number]) => f.organisation_id === null && f.actor_id === null && f.object_id === null;
    expect(
      filed.filter((f) => f.organisation_id !== organisation.id && !ofNoOne(f)).map((f) => f.action),
      `${e.route} (${e.what}): events filed under another or no organisation`,
    ).toEqual([]);
    return { body: res.body, events };
  }

  // --- 1. Every state-changing route writes exactly its events ----------------------------

  it('every state-changing route of the app has at least one expectation, and every expectation names a real route', () => {
    expect(stateChanging.length).toBeGreaterThan(30);
    const routes = new Set(STEPS.map((s) => s.route));
    const missing = stateChanging.filter((r) => !routes.has(r as (typeof STEPS)[number]['route']));
    expect(missing, 'state-changing routes with no entry in tests/security/audit-expectations.ts').toEqual([]);
    const unknown = [...routes, ...REFUSALS.map((r) => r.route)].filter((r) => !stateChanging.includes(r));
    expect(unknown, 'expectations for routes the app does not have').toEqual([]);
  });

  it('the personal-data check finds names, e-mail addresses and birth dates, and is not fooled by ids', async () => {
    const jakob = await t.ctx.db.selectFrom('people').select(['birth_date']).where('id', '=', w.children.jakob).executeTakeFirstOrThrow();
    const [y, m, d] = jakob.birth_date!.split('-');
    const event = (payload: ChainedAuditEvent['payload']): ChainedAuditEvent => ({ seq: 0, at: '', actorId: null, action: 'test.event', objectType: 'test', objectId: null, payload, prevHash: '', hash: '' });
    const leaks: ChainedAuditEvent['payload'][] = [{ note: 'kari nordmann' }, { to: 'FORELDER@demo.no' }, { nested: { on: `${d}.${m}.${y}` } }, { list: ['x', jakob.birth_date!] }, { who: 'Ada' }];
    for (const payload of leaks) expect(await personalDataIn([event(payload)]), JSON.stringify(payload)).not.toEqual([]);
    // "Ada" spelt in hexadecimal inside an id, and codes that merely contain a name's letters.
    const clean: ChainedAuditEvent['payload'][] = [{ personId: '0badc0de-ada1-4e00-8000-00000000ada0' }, { fields: ['perOccasion', 'firstName'], reason: 'consent_withdrawn', role: 'guardian' }];
    for (const payload of clean) expect(await personalDataIn([event(payload)]), JSON.stringify(payload)).toEqual([]);
  });

  // Sequential on purpose: later calls use what earlier ones made.
  for (const [i, step] of STEPS.entries()) {
    it(`${String(i + 1).padStart(2, '0')} ${step.route} as ${step.as}: ${step.what} → ${step.actions.join(', ') || 'no events'}`, async () => {
      const { body, events } = await check(step);
      step.keep?.(body, w, events.map((e) => ({ action: e.action, objectId: e.objectId, payload: e.payload })));
      covered.add(step.route);
      stepsRun += 1;
    });
  }

  it('the sequence reached every state-changing route, and the chain verifies after it', async () => {
    expect(stateChanging.filter((r) => !covered.has(r))).toEqual([]);
    expect(await verifyAuditChain(t.ctx)).toMatchObject({ ok: true, brokenAt: null });
  });

  // --- Refusals ----------------------------------------------------------------------------

  for (const r of REFUSALS) {
    it(`refused: ${r.route} as ${r.as}: ${r.what} → ${r.status}, ${r.actions.join(', ') || 'no events'}`, async () => {
      const { body } = await check(r);
      // The API's error shape, or an upload's per-file errors.
      if (r.status >= 400) expect(body.error?.code ?? body.errors?.[0]?.code, 'a refusal says why, with a code').toEqual(expect.any(String));
      if (r.status === 404) expect(body.error.code).toBe('NOT_FOUND');
      refusalsRun += 1;
    });
  }

  // --- 2. A fault between the change and its audit event leaves neither ------------------

  async function injectFault(): Promise<void> {
    if (engine === 'sqlite') {
      await sql.raw(`CREATE TRIGGER audit_events_injected_fault BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'injected fault'); END`).execute(t.ctx.db);
    } else {
      await sql.raw(`CREATE OR REPLACE FUNCTION audit_events_injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$`).execute(t.ctx.db);
      await sql.raw(`CREATE TRIGGER audit_events_injected_fault BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_injected_fault()`).execute(t.ctx.db);
    }
  }
  async function removeFault(): Promise<void> {
    if (engine === 'sqlite') await sql.raw('DROP TRIGGER IF EXISTS audit_events_injected_fault').execute(t.ctx.db);
    else await sql.raw('DROP TRIGGER IF EXISTS audit_events_injected_fault ON audit_events').execute(t.ctx.db);
  }

  const count = async (table: 'people' | 'guardian_links' | 'accounts' | 'sessions' | 'publications' | 'takedowns' | 'consent_decisions' | 'photo_tags' | 'protection_changes' | 'photos') => {
    const row = await t.ctx.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const agent = (who: Exclude<Caller, 'anonymous' | 'session'>): Agent => as(app, tokens.get(who)!);
  const TEXTS = { caption: 'Vi malte med vannfarger.', altText: 'Barn som maler ved et langbord.' };

  /** A photo of the child, tagged, and published to the parents' gallery (closed audience: no review). */
  async function livePublication(childId: string, seed: number): Promise<{ photoId: string; publicationId: string }> {
    const up = await send(tokens.get('staff')!, 'POST', {
      path: `/api/photos?groupId=${w.groups.blaaklokka}`,
      files: [{ name: 'maling.jpg', bytes: await photographicJpeg(640, 480, seed) }],
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const photoId = up.body.photos[0].id as string;
    const tagged = await agent('staff').put(`/api/photos/${photoId}/tags`).send([{ personId: childId, recognisable: true }]);
    expect(tagged.status, JSON.stringify(tagged.body)).toBe(200);
    const pub = await agent('staff').post('/api/publications').send({ photoId, channelId: w.channels['solsikken-galleri'], ...TEXTS });
    expect(pub.status, JSON.stringify(pub.body)).toBe(201);
    expect(pub.body.publication.status).toBe('published');
    return { photoId, publicationId: pub.body.publication.id as string };
  }
  const publicationStatus = async (id: string) => (await agent('admin').get(`/api/publications/${id}`)).body.publication?.status ?? (await t.ctx.db.selectFrom('publications').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  interface Fault {
    name: string;
    as: Caller;
    method: Method;
    /** Makes what the call needs (before the fault is injected); returns the call. */
    prepare(): Promise<Call>;
    /** What the call would change, read back through the API and the database. */
    state(): Promise<unknown>;
  }

  const FAULTS: Fault[] = [
    {
      name: 'a consent decision',
      as: 'guardian',
      method: 'POST',
      prepare: async () => ({ path: `/api/people/${w.children.emma}/consents`, body: { purposeId: w.purposes.print, decision: 'given', noticeVersion: 1 } }),
      state: async () => ({
        decisions: await count('consent_decisions'),
        history: (await agent('guardian').get(`/api/people/${w.children.emma}/consents`)).body.history.length,
      }),
    },
    (() => {
      let live: { publicationId: string };
      return {
        name: "a guardian's takedown request",
        as: 'guardian' as const,
        method: 'POST' as const,
        prepare: async () => {
          live = await livePublication(w.children.emma, 76);
          return { path: `/api/publications/${live.publicationId}/takedown-request`, body: { personId: w.children.emma } };
        },
        state: async () => ({ publication: await publicationStatus(live.publicationId), takedowns: await count('takedowns') }),
      };
    })(),
    (() => {
      let live: { publicationId: string };
      return {
        name: 'a withdrawal that takes a publication down',
        as: 'guardian' as const,
        method: 'POST' as const,
        prepare: async () => {
          live = await livePublication(w.children.emma, 71);
          return { path: `/api/people/${w.children.emma}/consents/${w.purposes.parent_app}/withdraw`, body: {} };
        },
        state: async () => {
          const page = (await agent('guardian').get(`/api/people/${w.children.emma}/consents`)).body;
          const parentApp = page.purposes.find((p: { purpose: { code: string } }) => p.purpose.code === 'parent_app');
          return { decisions: await count('consent_decisions'), myAnswer: parentApp.questions[0].myAnswer, valid: parentApp.questions[0].state.valid, publication: await publicationStatus(live.publicationId) };
        },
      };
    })(),
    {
      name: 'a roster change (a child registered in a group)',
      as: 'admin',
      method: 'POST',
      prepare: async () => ({ path: '/api/people', body: { kind: 'child', firstName: 'Feilbarn', lastName: 'Testesen', birthDate: '2021-02-03', groupId: w.groups.blaaklokka } }),
      state: async () => ({ people: await count('people'), found: (await agent('admin').get('/api/people?q=Feilbarn')).body.people.length }),
    },
    {
      name: 'a new guardian (person, link and sign-in account)',
      as: 'admin',
      method: 'POST',
      prepare: async () => ({
        path: `/api/people/${w.children.emma}/guardians`,
        body: { firstName: 'Feilverge', lastName: 'Testesen', email: 'feilverge.testesen@example.no', role: 'appointed_guardian', responsibility: false },
      }),
      state: async () => ({
        people: await count('people'),
        links: await count('guardian_links'),
        accounts: await count('accounts'),
        guardians: (await agent('admin').get(`/api/people/${w.children.emma}/guardians`)).body.guardians.length,
      }),
    },
    (() => {
      let live: { publicationId: string };
      let membershipId: string;
      return {
        name: "a roster change that ends a child's stay (and takes a publication down)",
        as: 'admin' as const,
        method: 'PATCH' as const,
        prepare: async () => {
          const dir = await demoDirectory(app);
          const ella = dir.child('Ella Andersen');
          membershipId = ella.memberships[0]!.id;
          live = await livePublication(ella.id, 72);
          const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
          return { path: `/api/memberships/${membershipId}`, body: { to: yesterday } };
        },
        state: async () => ({
          to: (await t.ctx.db.selectFrom('memberships').select('to_date').where('id', '=', membershipId).executeTakeFirstOrThrow()).to_date,
          publication: await publicationStatus(live.publicationId),
        }),
      };
    })(),
    {
      name: 'a photo upload',
      as: 'staff',
      method: 'POST',
      prepare: async () => ({ path: `/api/photos?groupId=${w.groups.blaaklokka}`, files: [{ name: 'a.jpg', bytes: await photographicJpeg(700, 500, 73) }, { name: 'b.jpg', bytes: await photographicJpeg(500, 700, 74) }] }),
      state: async () => ({ rows: await photoRowCount(t.ctx), listed: (await agent('staff').get(`/api/photos?groupId=${w.groups.blaaklokka}&limit=200`)).body.photos.length }),
    },
    (() => {
      let photoId: string;
      return {
        name: 'a publication (with its channel-sized copy)',
        as: 'staff' as const,
        method: 'POST' as const,
        prepare: async () => {
          const dir = await demoDirectory(app);
          const lukas = dir.child('Lukas Johansen').id;
          const up = await send(tokens.get('staff')!, 'POST', { path: `/api/photos?groupId=${w.groups.blaaklokka}`, files: [{ name: 'c.jpg', bytes: await photographicJpeg(1200, 800, 75) }] });
          expect(up.status).toBe(201);
          photoId = up.body.photos[0].id;
          expect((await agent('staff').put(`/api/photos/${photoId}/tags`).send([{ personId: lukas, recognisable: true }])).status).toBe(200);
          return { path: '/api/publications', body: { photoId, channelId: w.channels['solsikken-galleri'], ...TEXTS } };
        },
        state: async () => ({ publications: await count('publications'), ofPhoto: (await agent('staff').get(`/api/publications?limit=5000`)).body.publications.filter((p: { photoId: string }) => p.photoId === photoId).length }),
      };
    })(),
    (() => {
      let live: { publicationId: string };
      let photoId: string;
      return {
        name: 'a tag change (which takes a publication down)',
        as: 'staff' as const,
        method: 'PUT' as const,
        prepare: async () => {
          const dir = await demoDirectory(app);
          live = await livePublication(dir.child('Sofie Olsen').id, 77);
          photoId = (await t.ctx.db.selectFrom('publications').select('photo_id').where('id', '=', live.publicationId).executeTakeFirstOrThrow()).photo_id!;
          return { path: `/api/photos/${photoId}/tags`, body: [] };
        },
        state: async () => ({ tags: (await agent('staff').get(`/api/photos/${photoId}`)).body.photo.tags.length, rows: await count('photo_tags'), publication: await publicationStatus(live.publicationId) }),
      };
    })(),
    (() => {
      let live: { publicationId: string };
      let oskar: string;
      return {
        name: 'a protection flag (which takes a publication down)',
        as: 'leader' as const,
        method: 'PUT' as const,
        prepare: async () => {
          oskar = (await demoDirectory(app)).child('Oskar Pedersen').id;
          live = await livePublication(oskar, 78);
          return { path: `/api/people/${oskar}/protection`, body: { protected: true } };
        },
        state: async () => ({
          flag: (await agent('leader').get(`/api/people/${oskar}/protection`)).body.protected,
          rows: await count('protection_changes'),
          publication: await publicationStatus(live.publicationId),
        }),
      };
    })(),
    {
      name: 'a settings change',
      as: 'admin',
      method: 'PUT',
      prepare: async () => ({ path: '/api/settings', body: { retentionUnpublishedDays: 30, selfConsentAge: 16 } }),
      state: async () => (await agent('admin').get('/api/settings')).body.settings,
    },
    {
      name: 'a sign-in',
      as: 'anonymous',
      method: 'POST',
      prepare: async () => ({ path: '/api/auth/login', body: { email: 'leder@demo.no', password: 'demo1234' } }),
      state: async () => ({ sessions: await count('sessions') }),
    },
  ];

  for (const f of FAULTS) {
    it(`fault injected before the audit event of ${f.name}: a 5xx, and neither the change nor an event remains`, async () => {
      const c = await f.prepare();
      const who = await caller(f.as);
      const before = await f.state();
      const blobsBefore = blobFiles(t.dataDir);
      const seq = await lastSeq();

      await injectFault();
      let res;
      try {
        res = await send(who.token, f.method, c);
      } finally {
        await removeFault();
      }
      expect(res.status, JSON.stringify(res.body)).toBeGreaterThanOrEqual(500);
      expect(res.status).toBeLessThan(600);
      expect(res.body).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
      expect(res.text).not.toMatch(INTERNALS);

      expect(await f.state(), 'the change was rolled back with its audit event').toEqual(before);
      expect(await eventsAfter(seq), 'no audit event of the failed call').toEqual([]);
      // Derivatives written before the transaction are removed when it fails: none is left to sweep.
      expect(blobFiles(t.dataDir), 'no blob is left behind').toEqual(blobsBefore);
      expect(await sweepOrphanBlobs(t.ctx, 0), 'nothing is left for the orphan sweep either').toBe(0);
      expect(await verifyAuditChain(t.ctx)).toMatchObject({ ok: true, brokenAt: null });

      // The same call without the fault succeeds and is audited: it was the fault that stopped it.
      const again = await send(who.token, f.method, c);
      expect(again.status, JSON.stringify(again.body)).toBeGreaterThanOrEqual(200);
      expect(again.status).toBeLessThan(300);
      expect(await f.state()).not.toEqual(before);
      expect((await eventsAfter(seq)).length).toBeGreaterThan(0);
      expect(await verifyAuditChain(t.ctx)).toMatchObject({ ok: true, brokenAt: null });
      faultsRun += 1;
    });
  }

  it('covers the fault injections the issue names', () => {
    const names = FAULTS.map((f) => f.name).join(' | ');
    for (const kind of ['consent decision', 'withdrawal', 'roster change', 'photo upload', 'publication', 'settings change']) expect(names).toContain(kind);
  });
});
