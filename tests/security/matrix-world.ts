import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { expect } from 'vitest';
import { createApp } from '../../server/app.js';
import { findAccountByEmail, insertAccount } from '../../server/modules/auth/account.repository.js';
import { createSignInLink } from '../../server/modules/auth/auth.service.js';
import { insertOrganisation } from '../../server/modules/roster/unit.repository.js';
import type { Engine } from '../../db/dialect.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { guardiansOf, pupilAccount, Sessions, type Agent } from '../support/family.js';
import { photographicJpeg } from '../support/images.js';
import { upload } from '../support/photos.js';
import type { Caller } from './access-matrix.js';

/**
 * The data the access matrix is played against: the demo organisation (Solsikken barnehage and
 * Fjellet skole), a leader and staff member of Fjellet, a second family and a second pupil, and a
 * second organisation with an admin, a leader, staff and a guardian of its own. Every object the
 * matrix targets belongs to Solsikken or to the people named below, so each caller is either
 * inside its scope or outside it for one stated reason (other family, unit or organisation).
 */
export interface World {
  t: TestContext;
  app: ReturnType<typeof createApp>;
  sessions: Sessions;
  email: Record<Exclude<Caller, 'anonymous'>, string>;
  ids: {
    organisation2: string;
    solsikken: string;
    fjellet: string;
    prestekragen: string;
    blaaklokka: string;
    /** forelder@demo.no's child in Prestekragen. */
    jakob: string;
    jakobMembership: string;
    jakobGuardianLink: string;
    /** forelder@demo.no as a person: Kari Nordmann. */
    kari: string;
    /** elev@demo.no herself, 15, in 10B at Fjellet. */
    mia: string;
    /** The protected child (child-welfare placement) in Blåklokka. */
    noah: string;
    purposes: Record<string, string>;
    channels: Record<string, string>;
    /** A photo of Jakob in Prestekragen, tagged and recognisable. */
    photo: string;
    /** Live on the closed parent gallery (solsikken-galleri), Jakob tagged. */
    closedPublication: string;
    /** Live on the external yearbook (solsikken-arbok), approved by the leader. */
    externalPublication: string;
    round: string;
  };
  /** A caller's agent; null for anonymous. */
  agent(caller: Caller): Promise<Agent | null>;
  /** The caller's bearer token; null for anonymous. */
  token(caller: Caller): Promise<string | null>;
  /** A token of a session of its own, for calls that end the session. */
  freshToken(caller: Caller): Promise<string | null>;
  fresh: {
    photo(): Promise<string>;
    livePublication(slug?: string): Promise<string>;
    pendingPublication(): Promise<string>;
    takedown(): Promise<string>;
    account(): Promise<string>;
    magicToken(): Promise<string>;
  };
  unique(): string;
  /** Ids of the demo organisation's objects, by name: none may reach another organisation. */
  organisationIds(): Record<string, string>;
  /** The guardian (of Jakob) or the pupil (Mia) says yes to a purpose on the web. */
  give(who: 'guardian' | 'pupil', personId: string, purposeId: string): Promise<void>;
}

const PASSWORD_FREE = null;
let serial = 0;

export async function buildWorld(engine: Engine): Promise<World> {
  const t = await createTestContext(engine);
  const app = createApp(t.ctx, { requestLog: false, webDist: null });
  const sessions = new Sessions(app, t.ctx);
  const dir = await demoDirectory(app);
  const admin = await sessions.as('admin@demo.no');
  const unique = () => `${Date.now().toString(36)}${(serial++).toString(36)}`;

  const ok = (res: request.Response, status: number, what: string) => {
    expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  const solsikken = dir.unit('Solsikken barnehage').id;
  const fjellet = dir.unit('Fjellet skole').id;
  const groups = await dir.groups('Solsikken barnehage');
  const prestekragen = groups.find((g) => g.name === 'Prestekragen')!.id;
  const blaaklokka = groups.find((g) => g.name === 'Blåklokka')!.id;
  const jakob = dir.child('Jakob Nordmann');
  const mia = dir.child('Mia Lie');
  const noah = dir.child('Noah Berg');
  const jakobLinks = await guardiansOf(admin, jakob.id);
  const kariLink = jakobLinks.find((l) => l.guardian.email === 'forelder@demo.no')!;
  const noraGuardian = (await guardiansOf(admin, dir.child('Nora Hansen').id))[0]!.guardian.email;
  const eliasEmail = await pupilAccount(admin, dir.child('Elias Bakken').id);

  const account = async (agent: Agent, role: string, unitId: string | null, personId: string | null = null) => {
    const email = `${role}.${unique()}@test.no`;
    ok(await agent.post('/api/accounts').send({ email, role, unitId, ...(personId && { personId }) }), 201, `account ${role}`);
    return email;
  };
  const leaderFjellet = await account(admin, 'leader', fjellet);
  const staffFjellet = await account(admin, 'staff', fjellet);

  // A second organisation, made the way an operator would: the organisation and its first admin
  // in the database, the rest through that admin's API.
  const organisation2 = randomUUID();
  const admin2Email = `admin.${unique()}@annen-kommune.no`;
  const now = t.ctx.clock.now().toISOString();
  await t.ctx.db.transaction().execute(async (trx) => {
    await insertOrganisation(trx, { id: organisation2, name: 'Annen kommune', now });
    await insertAccount(trx, { id: randomUUID(), organisationId: organisation2, email: admin2Email, passwordHash: PASSWORD_FREE, role: 'admin', unitId: null, personId: null, now });
  });
  const admin2 = await sessions.as(admin2Email);
  const unit2 = ok(await admin2.post('/api/units').send({ name: 'Bjørka barnehage', kind: 'kindergarten' }), 201, 'unit 2').unit.id as string;
  const group2 = ok(await admin2.post(`/api/units/${unit2}/groups`).send({ name: 'Ekornene' }), 201, 'group 2').group.id as string;
  const child2 = ok(
    await admin2.post('/api/people').send({ kind: 'child', firstName: 'Tiril', lastName: 'Moe', birthDate: '2021-04-01', groupId: group2 }),
    201,
    'child 2',
  ).person.id as string;
  const guardian2Email = `guardian.${unique()}@annen-kommune.no`;
  ok(
    await admin2.post(`/api/people/${child2}/guardians`).send({ firstName: 'Randi', lastName: 'Moe', email: guardian2Email, role: 'parent', responsibility: true }),
    201,
    'guardian 2',
  );
  const leader2 = await account(admin2, 'leader', unit2);
  const staff2 = await account(admin2, 'staff', unit2);

  const email: World['email'] = {
    guardian: 'forelder@demo.no',
    'guardian-other-family': noraGuardian,
    pupil: 'elev@demo.no',
    'pupil-other': eliasEmail,
    staff: 'ansatt@demo.no',
    'staff-other-unit': staffFjellet,
    leader: 'leder@demo.no',
    'leader-other-unit': leaderFjellet,
    admin: 'admin@demo.no',
    'admin-other-org': admin2Email,
    'leader-other-org': leader2,
    'staff-other-org': staff2,
    'guardian-other-org': guardian2Email,
  };

  // Staff and leaders publish only after confirming the guidelines; so do those made here.
  await acknowledgeGuidelines(sessions, email);

  const purposes = Object.fromEntries(((await admin.get('/api/purposes')).body.purposes as { id: string; code: string }[]).map((p) => [p.code, p.id]));
  const channels = Object.fromEntries(((await admin.get('/api/channels')).body.channels as { id: string; slug: string }[]).map((c) => [c.slug, c.id]));
  const kari = await sessions.as('forelder@demo.no');
  for (const code of ['internal', 'parent_app', 'print']) {
    ok(await kari.post(`/api/people/${jakob.id}/consents`).send({ purposeId: purposes[code], decision: 'given', noticeVersion: 1 }), 201, `consent ${code}`);
  }

  const staff = await sessions.as('ansatt@demo.no');
  const leader = await sessions.as('leder@demo.no');
  const jpeg = await photographicJpeg(640, 480, 5);
  const texts = { caption: 'Vi bygde hytte av greiner i skogen.', altText: 'Barn som bygger en hytte av greiner.' };

  const freshPhoto = async () => {
    const up = await upload(staff, prestekragen, [{ name: 'tur.jpg', bytes: jpeg }]);
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    const id = up.photos[0]!.id;
    ok(await staff.put(`/api/photos/${id}/tags`).send([{ personId: jakob.id, recognisable: true }]), 200, 'tag');
    return id;
  };
  const publishFresh = async (slug: string) => {
    const photoId = await freshPhoto();
    const res = ok(await staff.post('/api/publications').send({ photoId, channelId: channels[slug], ...texts }), 201, `publish on ${slug}`);
    return res.publication.id as string;
  };
  const livePublication = async (slug = 'solsikken-galleri') => {
    const id = await publishFresh(slug);
    const story = ok(await leader.get(`/api/publications/${id}`), 200, 'story');
    if (story.publication.status === 'pending_review') {
      ok(await leader.post(`/api/publications/${id}/review`).send({ approve: true, harmAssessment: true }), 200, 'approve');
    }
    return id;
  };
  const pendingPublication = async () => publishFresh('solsikken-arbok');
  const takedown = async () => {
    const id = await livePublication('solsikken-arbok');
    ok(await kari.post(`/api/publications/${id}/takedown-request`).send({ personId: jakob.id }), 200, 'takedown request');
    const open = ok(await leader.get('/api/takedowns?status=open'), 200, 'takedowns').takedowns as { id: string; publicationId: string }[];
    const task = open.find((x) => x.publicationId === id);
    expect(task, 'an open takedown task for the yearbook photo').toBeDefined();
    return task!.id;
  };

  const photo = await freshPhoto();
  const closedPublication = await livePublication('solsikken-galleri');
  const externalPublication = await livePublication('solsikken-arbok');
  const round = ok(await leader.post('/api/consent-rounds').send({ unitId: solsikken, reason: 'other' }), 201, 'round').round.id as string;

  const agent = async (caller: Caller) => (caller === 'anonymous' ? null : sessions.as(email[caller]));
  const token = async (caller: Caller) => (caller === 'anonymous' ? null : sessions.token(email[caller]));
  const freshToken = async (caller: Caller) => {
    if (caller === 'anonymous') return null;
    const found = await findAccountByEmail(t.ctx.db, email[caller]);
    const link = await t.ctx.db.transaction().execute((trx) => createSignInLink(t.ctx, trx, found!.id, null, 30));
    const res = await request(app).get(`/api/auth/magic/${link.split('/').pop()}`);
    expect(res.status).toBe(200);
    return res.body.token as string;
  };

  return {
    t,
    app,
    sessions,
    email,
    ids: {
      organisation2,
      solsikken,
      fjellet,
      prestekragen,
      blaaklokka,
      jakob: jakob.id,
      jakobMembership: jakob.memberships[0]!.id,
      jakobGuardianLink: kariLink.id,
      kari: kariLink.guardian.id,
      mia: mia.id,
      noah: noah.id,
      purposes,
      channels,
      photo,
      closedPublication,
      externalPublication,
      round,
    },
    agent,
    token,
    freshToken,
    fresh: {
      photo: freshPhoto,
      livePublication,
      pendingPublication,
      takedown,
      account: async () => {
        const e = await account(admin, 'staff', solsikken);
        return (await findAccountByEmail(t.ctx.db, e))!.id;
      },
      magicToken: async () => {
        const found = await findAccountByEmail(t.ctx.db, 'forelder@demo.no');
        const link = await t.ctx.db.transaction().execute((trx) => createSignInLink(t.ctx, trx, found!.id, null, 30));
        return link.split('/').pop()!;
      },
    },
    unique,
    organisationIds: () => ({
      solsikken,
      fjellet,
      prestekragen,
      blaaklokka,
      jakob: jakob.id,
      mia: mia.id,
      noah: noah.id,
      photo,
      closedPublication,
      externalPublication,
      round,
      ...Object.fromEntries(Object.entries(purposes).map(([k, v]) => [`purpose ${k}`, v])),
      ...Object.fromEntries(Object.entries(channels).map(([k, v]) => [`channel ${k}`, v])),
    }),
    give: async (who, personId, purposeId) => {
      const agent = await sessions.as(email[who]);
      ok(await agent.post(`/api/people/${personId}/consents`).send({ purposeId, decision: 'given', noticeVersion: 1 }), 201, `consent as ${who}`);
    },
  };
}

/** Staff and leaders confirm the current guidelines (again, after a new version). */
export async function acknowledgeGuidelines(sessions: Sessions, email: World['email']): Promise<void> {
  for (const caller of ['staff', 'leader', 'staff-other-unit', 'leader-other-unit', 'leader-other-org', 'staff-other-org'] as const) {
    const agent = await sessions.as(email[caller]);
    const current = (await agent.get('/api/guidelines')).body.guidelines as { version: number } | null;
    if (!current) continue;
    const res = await agent.post('/api/guidelines/acknowledge').send({ version: current.version });
    expect(res.status, `acknowledge as ${caller}: ${JSON.stringify(res.body)}`).toBe(204);
  }
}
