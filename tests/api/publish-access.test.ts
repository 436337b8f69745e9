import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/adapters/clock.js';
import { createApp } from '../../server/app.js';
import { insertAccount } from '../../server/modules/auth/account.repository.js';
import { insertOrganisation, insertUnit } from '../../server/modules/roster/unit.repository.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { createFamily, purposeIds, Sessions, type Agent, type Family } from '../support/family.js';
import { photographicJpeg } from '../support/images.js';
import { upload } from '../support/photos.js';

const START = '2026-03-02T09:00:00.000Z';
const TEXTS = { caption: 'Vi bygde hytte av greiner i skogen.', altText: 'Barn som bygger en hytte av greiner mellom trærne.' };

interface Fixture {
  family: Family;
  photoId: string;
  /** Published in the closed gallery (hosted). */
  gallery: string;
  /** Published on Facebook (external) after review; a guardian asked for its removal, so it has an open takedown. */
  facebook: string;
  /** Waiting for the leader's review on the public website. */
  pending: string;
  takedown: string;
}

describe.each(testEngines())('who may touch photos, publications and takedowns [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let clock: ManualClock;
  let s: Sessions;
  let dir: Awaited<ReturnType<typeof demoDirectory>>;
  let P: Record<string, string>;
  let CH: Record<string, string>;
  let solsikken: string;
  let fjellet: string;
  let blaaklokka: string;
  let tenB: string;
  let jpeg: Buffer;
  let fx: Fixture;
  const fjelletStaff = 'ansatt.fjellet@demo.no';
  const fjelletLeader = 'rektor.fjellet@demo.no';

  const staff = () => s.as('ansatt@demo.no');
  const leader = () => s.as('leder@demo.no');

  async function ok(res: request.Response, status = 200) {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    return res.body;
  }

  beforeAll(async () => {
    clock = new ManualClock(START);
    t = await createTestContext(engine, { clock });
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    s = new Sessions(app, t.ctx);
    dir = await demoDirectory(app);
    P = await purposeIds(dir.admin);
    CH = Object.fromEntries(((await dir.admin.get('/api/channels')).body.channels as { id: string; slug: string }[]).map((c) => [c.slug, c.id]));
    solsikken = dir.unit('Solsikken barnehage').id;
    fjellet = dir.unit('Fjellet skole').id;
    blaaklokka = (await dir.groups('Solsikken barnehage')).find((g) => g.name === 'Blåklokka')!.id;
    tenB = (await dir.groups('Fjellet skole')).find((g) => g.name === '10B')!.id;
    jpeg = await photographicJpeg(900, 600, 21);

    // Staff and a leader at the school, who have confirmed the guidelines like everyone else.
    for (const [email, role] of [
      [fjelletStaff, 'staff'],
      [fjelletLeader, 'leader'],
    ] as const) {
      await ok(await dir.admin.post('/api/accounts').send({ email, role, unitId: fjellet }), 201);
      await ok(await (await s.as(email)).post('/api/guidelines/acknowledge').send({ version: 1 }), 204);
    }

    // In Solsikken: a child with consent, a photo of them in the gallery, on Facebook (with an
    // open takedown after a guardian's request) and waiting for review on the website.
    const family = await createFamily(dir.admin, {
      child: 'Idun Sletten',
      birthDate: '2021-04-01',
      groupId: blaaklokka,
      guardians: [{ name: 'Marit Sletten' }, { name: 'Pål Sletten' }],
    });
    for (const code of ['parent_app', 'social_media', 'website']) {
      for (const g of family.guardians) {
        await ok(await (await s.as(g.email)).post(`/api/people/${family.child.id}/consents`).send({ purposeId: P[code], decision: 'given', noticeVersion: 1 }), 201);
      }
    }
    const ansatt = await staff();
    const up = await upload(ansatt, blaaklokka, [{ name: 'tur.jpg', bytes: jpeg }]);
    expect(up.status).toBe(201);
    const photoId = up.photos[0]!.id;
    await ok(await ansatt.put(`/api/photos/${photoId}/tags`).send([{ personId: family.child.id, recognisable: true }]));
    const publish = async (slug: string) => (await ok(await ansatt.post('/api/publications').send({ photoId, channelId: CH[slug], ...TEXTS }), 201)).publication.id as string;
    const gallery = await publish('solsikken-galleri');
    const facebook = await publish('kommunens-facebook');
    await ok(await (await leader()).post(`/api/publications/${facebook}/review`).send({ approve: true, harmAssessment: true }));
    const pending = await publish('solsikken-nettside');
    const mother = await s.as(family.guardians[0]!.email);
    await ok(await mother.post(`/api/publications/${facebook}/takedown-request`).send({ personId: family.child.id }));
    const takedowns = (await ok(await (await leader()).get('/api/takedowns?status=open'))).takedowns as { id: string; publicationId: string }[];
    const takedown = takedowns.find((x) => x.publicationId === facebook)!.id;
    fx = { family, photoId, gallery, facebook, pending, takedown };
  });
  afterAll(() => t.close());
  beforeEach(() => {
    clock.set(START);
  });

  /** Every endpoint that reaches one photo, publication or takedown, with a body that would otherwise work. */
  const objectEndpoints = (f: Fixture): [string, (a: Agent) => request.Test][] => [
    ['GET photo', (a) => a.get(`/api/photos/${f.photoId}`)],
    ['GET photo image', (a) => a.get(`/api/photos/${f.photoId}/image`)],
    ['PUT tags', (a) => a.put(`/api/photos/${f.photoId}/tags`).send([])],
    ['PATCH photo', (a) => a.patch(`/api/photos/${f.photoId}`).send({ kind: 'portrait' })],
    ['DELETE photo', (a) => a.delete(`/api/photos/${f.photoId}`)],
    ['POST gate', (a) => a.post(`/api/photos/${f.photoId}/gate`).send({ channelId: CH['solsikken-galleri'], ...TEXTS })],
    ['POST publication', (a) => a.post('/api/publications').send({ photoId: f.photoId, channelId: CH['kommunens-facebook'], ...TEXTS })],
    ['GET publication', (a) => a.get(`/api/publications/${f.gallery}`)],
    ['GET publication image', (a) => a.get(`/api/publications/${f.gallery}/image`)],
    ['POST review', (a) => a.post(`/api/publications/${f.pending}/review`).send({ approve: true, harmAssessment: true })],
    ['POST unpublish', (a) => a.post(`/api/publications/${f.gallery}/unpublish`)],
    ['PATCH external URL', (a) => a.patch(`/api/publications/${f.facebook}`).send({ externalUrl: 'https://example.org/x' })],
    ['POST takedown done', (a) => a.post(`/api/takedowns/${f.takedown}/done`).send({ evidence: 'Slettet.' })],
    ['POST takedown request', (a) => a.post(`/api/publications/${f.gallery}/takedown-request`).send({ personId: f.family.child.id })],
    ['GET publications of the child', (a) => a.get(`/api/people/${f.family.child.id}/publications`)],
    ['GET publication log of the unit', (a) => a.get(`/api/publications?unitId=${solsikken}`)],
    ['GET publication CSV of the unit', (a) => a.get(`/api/publications.csv?unitId=${solsikken}`)],
  ];

  /** Nothing the refused callers tried has changed anything. */
  async function expectUntouched() {
    const lead = await leader();
    expect((await ok(await lead.get(`/api/publications/${fx.gallery}`))).publication.status).toBe('published');
    expect((await ok(await lead.get(`/api/publications/${fx.pending}`))).publication.status).toBe('pending_review');
    const fb = (await ok(await lead.get(`/api/publications/${fx.facebook}`))).publication;
    expect(fb.externalUrl).toBeNull();
    const photo = (await ok(await lead.get(`/api/photos/${fx.photoId}`))).photo;
    expect(photo).toMatchObject({ kind: 'activity', tags: [expect.objectContaining({ personId: fx.family.child.id })] });
    expect((await ok(await lead.get('/api/takedowns?status=open'))).takedowns.map((x: { id: string }) => x.id)).toContain(fx.takedown);
  }

  describe("another unit's staff and leader", () => {
    for (const [who, email] of [
      ['staff', fjelletStaff],
      ['leader', fjelletLeader],
    ] as const) {
      it(`${who} of Fjellet skole get 404 on every photo, publication and takedown of Solsikken, and each refusal is audited`, async () => {
        const agent = await s.as(email);
        const accountId = (await ok(await agent.get('/api/me'))).user.id as string;
        for (const [name, call] of objectEndpoints(fx)) {
          const res = await call(agent);
          expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(404);
          if (res.headers['content-type']?.includes('json')) expect(res.body.error.code, name).toBe('NOT_FOUND');
        }
        await expectUntouched();

        const refused = (await ok(await dir.admin.get(`/api/audit?actor=${accountId}&action=access.refused&limit=100`))).events as { objectType: string; objectId: string | null }[];
        const refusedIds = new Set(refused.map((e) => e.objectId));
        for (const id of [fx.photoId, fx.gallery, fx.pending, fx.facebook, fx.takedown, fx.family.child.id, solsikken]) expect(refusedIds, id).toContain(id);
        expect(refused.length).toBeGreaterThanOrEqual(objectEndpoints(fx).length);
      });

      it(`${who} of Fjellet skole see nothing of Solsikken in their lists, feeds and CSV`, async () => {
        const agent = await s.as(email);
        const ours = [fx.gallery, fx.facebook, fx.pending];
        const log = (await ok(await agent.get('/api/publications'))).publications as { id: string }[];
        for (const id of ours) expect(log.map((p) => p.id)).not.toContain(id);
        expect((await ok(await agent.get(`/api/publications?personId=${fx.family.child.id}`))).publications).toEqual([]);
        const csv = await agent.get('/api/publications.csv');
        expect(csv.status).toBe(200);
        for (const id of ours) expect(csv.text).not.toContain(id);
        expect((await ok(await agent.get('/api/takedowns'))).takedowns.map((x: { id: string }) => x.id)).not.toContain(fx.takedown);
        const photos = (await ok(await agent.get('/api/photos'))).photos as { id: string }[];
        expect(photos.map((p) => p.id)).not.toContain(fx.photoId);
        // Solsikken's internal wall and closed gallery are not theirs.
        for (const slug of ['solsikken-vegg', 'solsikken-galleri']) expect((await agent.get(`/feed/${slug}?format=json`)).status, slug).toBe(404);
      });
    }

    it("Fjellet staff cannot tag a Solsikken child on their own photo, nor publish their photo to Solsikken's channels", async () => {
      const agent = await s.as(fjelletStaff);
      const up = await upload(agent, tenB, [{ name: 'klasse.jpg', bytes: jpeg }]);
      expect(up.status).toBe(201);
      const own = up.photos[0]!.id;
      const tagged = await agent.put(`/api/photos/${own}/tags`).send([{ personId: fx.family.child.id, recognisable: true }]);
      expect(tagged.status).toBe(404);
      expect((await ok(await agent.get(`/api/photos/${own}`))).photo.tags).toEqual([]);
      await ok(await agent.patch(`/api/photos/${own}`).send({ noPeople: true }));
      for (const slug of ['solsikken-galleri', 'solsikken-nettside', 'solsikken-vegg']) {
        const res = await agent.post('/api/publications').send({ photoId: own, channelId: CH[slug], ...TEXTS });
        expect(res.status, slug).toBe(404);
        expect((await agent.post(`/api/photos/${own}/gate`).send({ channelId: CH[slug], ...TEXTS })).status, slug).toBe(404);
      }
      // Uploading into a Solsikken group is refused before the body is read.
      expect((await upload(agent, blaaklokka, [{ name: 'tur.jpg', bytes: jpeg }])).status).toBe(404);
      // The leader of Fjellet cannot see who in Solsikken has confirmed the guidelines.
      expect((await (await s.as(fjelletLeader)).get(`/api/units/${solsikken}/guideline-acknowledgements`)).status).toBe(404);
    });
  });

  describe('guardians and pupils', () => {
    const callers = [
      ['a guardian (forelder@demo.no)', 'forelder@demo.no'],
      ['a guardian of the child in the photo', ''],
      ['a pupil (elev@demo.no)', 'elev@demo.no'],
    ] as const;

    for (const [who, emailOrEmpty] of callers) {
      it(`${who} gets 403 on staff capabilities and 404 on staff objects`, async () => {
        const agent = await s.as(emailOrEmpty || fx.family.guardians[1]!.email);
        const forbidden: [string, () => request.Test][] = [
          ['upload', () => agent.post(`/api/photos?groupId=${blaaklokka}`)],
          ['list photos', () => agent.get('/api/photos')],
          ['publication log', () => agent.get('/api/publications')],
          ['publication CSV', () => agent.get('/api/publications.csv')],
          ['takedown list', () => agent.get('/api/takedowns')],
          ['publish guidelines', () => agent.post('/api/guidelines').send({ texts: { nb: { title: 'x', body: 'y' } } })],
          ['confirm guidelines', () => agent.post('/api/guidelines/acknowledge').send({ version: 1 })],
          ['guideline confirmations', () => agent.get(`/api/units/${solsikken}/guideline-acknowledgements`)],
        ];
        for (const [name, call] of forbidden) {
          const res = await call();
          expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(403);
        }
        const staffObjects = objectEndpoints(fx).filter(([name]) => !['POST takedown request', 'GET publications of the child', 'GET publication log of the unit', 'GET publication CSV of the unit'].includes(name));
        for (const [name, call] of staffObjects) {
          const res = await call(agent);
          expect(res.status, `${name}: ${JSON.stringify(res.body)}`).toBe(404);
        }
        await expectUntouched();
      });
    }

    it('a guardian cannot ask to remove a photo their child is not tagged in, nor act for a child that is not theirs', async () => {
      const kari = await s.as('forelder@demo.no');
      const emma = dir.child('Emma Nordmann');
      const notTagged = await kari.post(`/api/publications/${fx.gallery}/takedown-request`).send({ personId: emma.id });
      expect(notTagged.status).toBe(404);
      const notHers = await kari.post(`/api/publications/${fx.gallery}/takedown-request`).send({ personId: fx.family.child.id });
      expect(notHers.status).toBe(404);
      expect((await kari.get(`/api/people/${fx.family.child.id}/publications`)).status).toBe(404);
      expect((await ok(await kari.get(`/api/people/${emma.id}/publications`))).publications.map((p: { id: string }) => p.id)).not.toContain(fx.gallery);
      await expectUntouched();
      const kariId = (await ok(await kari.get('/api/me'))).user.id as string;
      const refused = (await ok(await dir.admin.get(`/api/audit?actor=${kariId}&action=access.refused&limit=50`))).events as { objectId: string }[];
      expect(refused.map((e) => e.objectId)).toEqual(expect.arrayContaining([fx.gallery, fx.family.child.id]));
    });

    it("the child's own guardian sees the photos, and may ask for removal, but not of a publication that does not show the child", async () => {
      const far = await s.as(fx.family.guardians[1]!.email);
      const mine = (await ok(await far.get(`/api/people/${fx.family.child.id}/publications`))).publications as { id: string }[];
      expect(mine.map((p) => p.id).sort()).toEqual([fx.gallery, fx.facebook, fx.pending].sort());
      // A photo in the same group that does not show Idun.
      const other = await createFamily(dir.admin, { child: 'Kornelius Vik', birthDate: '2021-02-01', groupId: blaaklokka, guardians: [{ name: 'Tone Vik' }] });
      await ok(await (await s.as(other.guardians[0]!.email)).post(`/api/people/${other.child.id}/consents`).send({ purposeId: P.parent_app, decision: 'given', noticeVersion: 1 }), 201);
      const ansatt = await staff();
      const up = await upload(ansatt, blaaklokka, [{ name: 'annen.jpg', bytes: jpeg }]);
      const otherPhoto = up.photos[0]!.id;
      await ok(await ansatt.put(`/api/photos/${otherPhoto}/tags`).send([{ personId: other.child.id, recognisable: true }]));
      const otherPub = (await ok(await ansatt.post('/api/publications').send({ photoId: otherPhoto, channelId: CH['solsikken-galleri'], ...TEXTS }), 201)).publication.id as string;
      const res = await far.post(`/api/publications/${otherPub}/takedown-request`).send({ personId: fx.family.child.id });
      expect(res.status).toBe(404);
      expect((await ok(await (await leader()).get(`/api/publications/${otherPub}`))).publication.status).toBe('published');
    });
  });

  describe('another organisation', () => {
    it("an admin of another organisation sees none of this organisation's publications or takedowns", async () => {
      // A second municipality in the same database, with an admin of its own.
      const orgId = randomUUID();
      const now = new Date(START).toISOString();
      const email = 'admin@annen-kommune.no';
      await t.ctx.db.transaction().execute(async (trx) => {
        await insertOrganisation(trx, { id: orgId, name: 'Annen kommune', now });
        await insertUnit(trx, { id: randomUUID(), organisationId: orgId, name: 'Annen barnehage', kind: 'kindergarten', now });
        await insertAccount(trx, { id: randomUUID(), organisationId: orgId, email, passwordHash: null, role: 'admin', unitId: null, personId: null, now });
      });
      const other = await s.as(email);
      expect((await ok(await other.get('/api/takedowns'))).takedowns).toEqual([]);
      expect((await ok(await other.get('/api/takedowns?status=open'))).takedowns).toEqual([]);
      expect((await ok(await other.get('/api/publications'))).publications).toEqual([]);
      for (const [name, call] of objectEndpoints(fx)) {
        const res = await call(other);
        // The log filtered by a unit it does not have is simply empty for it.
        if (name.startsWith('GET publication log') || name.startsWith('GET publication CSV')) {
          expect(res.status, name).toBe(200);
          for (const id of [fx.gallery, fx.facebook, fx.pending]) expect(res.text, name).not.toContain(id);
          continue;
        }
        expect([403, 404], `${name}: ${res.status}`).toContain(res.status);
      }
      expect((await other.get('/feed/solsikken-galleri?format=json')).status).toBe(404);
      await expectUntouched();
    });
  });

  it('signed-out callers get 401 on every API endpoint here', async () => {
    const anon = request(app);
    for (const res of [
      await anon.get(`/api/photos/${fx.photoId}`),
      await anon.post(`/api/photos/${fx.photoId}/gate`).send({ channelId: CH['solsikken-galleri'], ...TEXTS }),
      await anon.post('/api/publications').send({ photoId: fx.photoId, channelId: CH['solsikken-galleri'], ...TEXTS }),
      await anon.get('/api/publications'),
      await anon.get(`/api/publications/${fx.gallery}`),
      await anon.get(`/api/publications/${fx.gallery}/image`),
      await anon.get('/api/takedowns'),
      await anon.post(`/api/takedowns/${fx.takedown}/done`).send({ evidence: 'x' }),
      await anon.post(`/api/publications/${fx.gallery}/takedown-request`).send({ personId: fx.family.child.id }),
    ]) {
      expect(res.status).toBe(401);
    }
  });
});
