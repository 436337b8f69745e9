import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { noticeHash } from '../../server/domain/notice.js';
import { findAuditEvents } from '../../server/modules/audit/audit.repository.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { consentsOf, noticeText, purposeIds, Sessions, type Agent } from '../support/family.js';

interface Purpose {
  id: string;
  code: string;
  name: { nb: string; nn: string; en: string };
  audience: string;
  guardianRule: string;
  firstNameQuestion: boolean;
  perOccasion: boolean;
  active: boolean;
}
interface Notice {
  id: string;
  purposeId: string;
  version: number;
  lang: string;
  material: boolean;
  what: string;
  sha256: string;
}

describe.each(testEngines())('purposes, notices and channels [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let s: Sessions;
  let dir: Awaited<ReturnType<typeof demoDirectory>>;
  let admin: Agent;
  let P: Record<string, string>;
  let serial = 0;

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    s = new Sessions(app, t.ctx);
    dir = await demoDirectory(app);
    admin = await s.as('admin@demo.no');
    P = await purposeIds(admin);
  });
  afterAll(() => t.close());

  const names = (label: string) => ({ nameNb: label, nameNn: label, nameEn: label });
  async function newPurpose(fields: Record<string, unknown>): Promise<Purpose> {
    const res = await admin.post('/api/purposes').send({ code: `test-${++serial}`, ...names(`Testformål ${serial}`), audience: 'closed', ...fields });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.purpose;
  }
  const publish = (purposeId: string, body: object, agent: Agent = admin) => agent.post(`/api/purposes/${purposeId}/notices`).send(body);

  describe('purposes', () => {
    it('every signed-in role reads the purposes with their audience and who decides; anonymous callers get 401', async () => {
      for (const email of ['admin@demo.no', 'leder@demo.no', 'ansatt@demo.no', 'forelder@demo.no', 'elev@demo.no']) {
        const res = await (await s.as(email)).get('/api/purposes');
        expect(res.status, email).toBe(200);
        const byCode = new Map((res.body.purposes as Purpose[]).map((p) => [p.code, p]));
        expect([...byCode.keys()], email).toEqual(expect.arrayContaining(['internal', 'parent_app', 'website', 'social_media', 'print', 'press']));
        expect(byCode.get('internal')).toMatchObject({ audience: 'internal', guardianRule: 'any', firstNameQuestion: true, perOccasion: false, active: true });
        expect(byCode.get('website')).toMatchObject({ audience: 'public', guardianRule: 'both', firstNameQuestion: true });
        expect(byCode.get('social_media')).toMatchObject({ audience: 'public', guardianRule: 'both', firstNameQuestion: false });
        expect(byCode.get('press')).toMatchObject({ audience: 'press', guardianRule: 'both', perOccasion: true });
        expect(byCode.get('website')!.name.nb).toBeTruthy();
      }
      expect((await request(app).get('/api/purposes')).status).toBe(401);
    });

    it('public and press purposes default to "every guardian must say yes", internal and closed ones to "one yes is enough"', async () => {
      const rules = await Promise.all(
        (['internal', 'closed', 'public', 'press'] as const).map(async (audience) => [audience, (await newPurpose({ audience })).guardianRule]),
      );
      expect(Object.fromEntries(rules)).toEqual({ internal: 'any', closed: 'any', public: 'both', press: 'both' });
      // The admin may choose the rule explicitly.
      expect((await newPurpose({ audience: 'public', guardianRule: 'any' })).guardianRule).toBe('any');
      const created = await newPurpose({ audience: 'press', firstNameQuestion: true, perOccasion: true });
      expect(created).toMatchObject({ firstNameQuestion: true, perOccasion: true, active: true });
      const listed = (await admin.get('/api/purposes')).body.purposes as Purpose[];
      expect(listed.find((p) => p.id === created.id)).toEqual(created);
    });

    it('only the admin creates or changes purposes; every refusal is audited', async () => {
      for (const email of ['leder@demo.no', 'ansatt@demo.no', 'forelder@demo.no', 'elev@demo.no']) {
        const agent = await s.as(email);
        const before = (await findAuditEvents(t.ctx.db, { action: 'access.refused', objectType: 'purpose', limit: 1000 })).length;
        const res = await agent.post('/api/purposes').send({ code: 'sneaky', ...names('Snikformål'), audience: 'public' });
        expect(res.status, email).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
        const patch = await agent.patch(`/api/purposes/${P.website}`).send({ guardianRule: 'any' });
        expect(patch.status, email).toBe(403);
        expect((await findAuditEvents(t.ctx.db, { action: 'access.refused', objectType: 'purpose', limit: 1000 })).length).toBe(before + 2);
      }
      const listed = (await admin.get('/api/purposes')).body.purposes as Purpose[];
      expect(listed.map((p) => p.code)).not.toContain('sneaky');
      expect(listed.find((p) => p.id === P.website)!.guardianRule).toBe('both');
    });

    it('refuses a duplicate code (409) and input that does not fit (400)', async () => {
      const dup = await admin.post('/api/purposes').send({ code: 'website', ...names('Nettsted igjen'), audience: 'public' });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('PURPOSE_EXISTS');
      for (const body of [
        { code: 'Store Bokstaver', ...names('X'), audience: 'public' },
        { code: 'ok-code', ...names('X'), audience: 'everyone' },
        { code: 'ok-code', nameNb: 'X', audience: 'public' },
        { code: 'ok-code', ...names('X'), audience: 'public', guardianRule: 'none' },
        { code: 'ok-code', ...names('X'), audience: 'public', preTicked: true },
      ]) {
        const res = await admin.post('/api/purposes').send(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }
    });

    it('an inactive purpose leaves the consent page and can no longer be answered; its history stays', async () => {
      const purpose = await newPurpose({ audience: 'closed' });
      expect((await publish(purpose.id, { material: true, texts: { nb: noticeText('Bilder til årsmeldingen.') } })).status).toBe(201);
      const kari = await s.as('forelder@demo.no');
      const emma = dir.child('Emma Nordmann');
      const given = await kari.post(`/api/people/${emma.id}/consents`).send({ purposeId: purpose.id, decision: 'given', noticeVersion: 1 });
      expect(given.status).toBe(201);

      const off = await admin.patch(`/api/purposes/${purpose.id}`).send({ active: false });
      expect(off.status).toBe(200);
      expect(off.body.purpose.active).toBe(false);
      const page = await consentsOf(kari, emma.id);
      expect(page.purposes.map((p) => p.purpose.id)).not.toContain(purpose.id);
      expect(page.history.map((h) => h.id)).toContain(given.body.decision.id);
      const again = await kari.post(`/api/people/${emma.id}/consents`).send({ purposeId: purpose.id, decision: 'refused', noticeVersion: 1 });
      expect(again.status).toBe(404);
      const overview = await (await s.as('ansatt@demo.no')).get(`/api/groups/${emma.memberships[0]!.groupId}/consent-overview`);
      expect(overview.body.purposes.map((p: Purpose) => p.id)).not.toContain(purpose.id);

      expect((await admin.patch(`/api/purposes/${purpose.id}`).send({ active: true })).status).toBe(200);
      expect((await consentsOf(kari, emma.id)).purposes.map((p) => p.purpose.id)).toContain(purpose.id);
    });
  });

  describe('notices', () => {
    it('a new purpose has no notice, and nobody can answer it until it has one', async () => {
      const purpose = await newPurpose({ audience: 'closed' });
      const kari = await s.as('forelder@demo.no');
      const emma = dir.child('Emma Nordmann');
      const page = await consentsOf(kari, emma.id);
      expect(page.purposes.find((p) => p.purpose.id === purpose.id)!.notice).toBeNull();
      const res = await kari.post(`/api/people/${emma.id}/consents`).send({ purposeId: purpose.id, decision: 'given', noticeVersion: 1 });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('NO_NOTICE');
    });

    it('versions count up, the first is always material, and each language has the SHA-256 of exactly its text', async () => {
      const purpose = await newPurpose({ audience: 'public' });
      const texts = { nb: noticeText('Bilder fra turer.'), nn: noticeText('Bilete frå turar.'), en: noticeText('Photos from trips.') };
      const first = await publish(purpose.id, { material: false, texts });
      expect(first.status).toBe(201);
      const v1 = first.body.notices as Notice[];
      expect(v1.map((n) => n.lang).sort()).toEqual(['en', 'nb', 'nn']);
      for (const n of v1) {
        expect(n).toMatchObject({ purposeId: purpose.id, version: 1, material: true });
        expect(n.sha256).toBe(noticeHash(purpose.code, 1, n.lang, texts[n.lang as 'nb']));
      }
      expect(new Set(v1.map((n) => n.sha256)).size).toBe(3);

      const second = await publish(purpose.id, { material: false, texts: { nb: texts.nb } });
      const v2 = (second.body.notices as Notice[])[0]!;
      expect(v2).toMatchObject({ version: 2, lang: 'nb', material: false });
      // The same words in a new version are a new text to agree to.
      expect(v2.sha256).not.toBe(v1.find((n) => n.lang === 'nb')!.sha256);
      const third = (await publish(purpose.id, { material: true, texts: { nb: noticeText('Bilder fra turer og fester.') } })).body.notices[0] as Notice;
      expect(third).toMatchObject({ version: 3, material: true });

      // Every version stays readable, also for a guardian deciding what to agree to.
      const all = (await (await s.as('forelder@demo.no')).get(`/api/purposes/${purpose.id}/notices`)).body.notices as Notice[];
      expect(all.map((n) => `${n.version}:${n.lang}`).sort()).toEqual(['1:en', '1:nb', '1:nn', '2:nb', '3:nb']);

      const events = await findAuditEvents(t.ctx.db, { action: 'notice.published', objectId: purpose.id, limit: 10 });
      expect(events.map((e) => JSON.parse(e.payload)).reverse()).toEqual([
        { version: 1, material: true, langs: ['nb', 'nn', 'en'] },
        { version: 2, material: false, langs: ['nb'] },
        { version: 3, material: true, langs: ['nb'] },
      ]);
    });

    it('Bokmål is required and every part of a notice must be filled in; only the admin publishes', async () => {
      const purpose = await newPurpose({ audience: 'closed' });
      const { contact: _contact, ...withoutContact } = noticeText('Bilder.');
      for (const body of [
        { material: true, texts: { nn: noticeText('Bilete.') } },
        { material: true, texts: { nb: withoutContact } },
        { material: true, texts: { nb: { ...noticeText('Bilder.'), what: '   ' } } },
        { material: true, texts: { nb: noticeText('Bilder.'), de: noticeText('Bilder.') } },
        { texts: { nb: noticeText('Bilder.') } },
      ]) {
        const res = await publish(purpose.id, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
      }
      for (const email of ['leder@demo.no', 'ansatt@demo.no', 'forelder@demo.no']) {
        const res = await publish(purpose.id, { material: true, texts: { nb: noticeText('Bilder.') } }, await s.as(email));
        expect(res.status, email).toBe(403);
      }
      expect((await admin.get(`/api/purposes/${purpose.id}/notices`)).body.notices).toEqual([]);
    });

    it('the consent page shows the notice in the language asked for, falling back to Bokmål, and the decision records the text shown', async () => {
      const purpose = await newPurpose({ audience: 'closed' });
      const nbOnly = (await publish(purpose.id, { material: true, texts: { nb: noticeText('Bilder fra fotballcupen.') } })).body.notices[0] as Notice;
      const kari = await s.as('forelder@demo.no');
      const jakob = dir.child('Jakob Nordmann');

      const en = await consentsOf(kari, jakob.id, 'en');
      expect(en.purposes.find((p) => p.purpose.id === P.website)!.notice).toMatchObject({ lang: 'en', version: 1 });
      expect(en.purposes.find((p) => p.purpose.id === purpose.id)!.notice).toMatchObject({ lang: 'nb', sha256: nbOnly.sha256 });
      expect((await kari.get(`/api/people/${jakob.id}/consents?lang=de`)).status).toBe(400);

      const res = await kari.post(`/api/people/${jakob.id}/consents`).send({ purposeId: purpose.id, decision: 'given', noticeVersion: 1, lang: 'en' });
      expect(res.status).toBe(201);
      expect(res.body.decision).toMatchObject({ noticeId: nbOnly.id, noticeSha256: nbOnly.sha256, noticeVersion: 1 });
    });
  });

  describe('channels', () => {
    it("staff see their own unit's channels and the organisation's shared ones, not another unit's", async () => {
      const slugs = async (email: string) => ((await (await s.as(email)).get('/api/channels')).body.channels as { slug: string }[]).map((c) => c.slug).sort();
      expect(await slugs('ansatt@demo.no')).toEqual(['kommunens-facebook', 'lokalavisa', 'solsikken-arbok', 'solsikken-galleri', 'solsikken-nettside', 'solsikken-vegg']);
      expect(await slugs('admin@demo.no')).toContain('fjellet-nettside');
    });

    it('only the admin creates channels; the longest edge defaults to 1280 px for public and press, 1600 px otherwise', async () => {
      const unitId = dir.unit('Solsikken barnehage').id;
      const create = (body: object, agent: Agent = admin) => agent.post('/api/channels').send({ unitId, kind: 'hosted', ...body });
      const pub = await create({ purposeId: P.website, name: 'Ny nettside', slug: 'ny-nettside' });
      expect(pub.status).toBe(201);
      expect(pub.body.channel).toMatchObject({ purposeId: P.website, unitId, kind: 'hosted', maxLongEdge: 1280, active: true });
      const press = await create({ purposeId: P.press, name: 'Avisa', slug: 'avisa', kind: 'external', unitId: null });
      expect(press.body.channel).toMatchObject({ maxLongEdge: 1280, unitId: null, kind: 'external' });
      expect((await create({ purposeId: P.internal, name: 'Veggen 2', slug: 'veggen-2' })).body.channel.maxLongEdge).toBe(1600);
      expect((await create({ purposeId: P.parent_app, name: 'Galleri 2', slug: 'galleri-2', maxLongEdge: 2000 })).body.channel.maxLongEdge).toBe(2000);

      const dup = await create({ purposeId: P.website, name: 'Kopi', slug: 'ny-nettside' });
      expect(dup.status).toBe(409);
      expect(dup.body.error.code).toBe('CHANNEL_EXISTS');
      expect((await create({ purposeId: P.website, name: 'Liten', slug: 'liten', maxLongEdge: 32 })).status).toBe(400);
      expect((await create({ purposeId: '00000000-0000-0000-0000-000000000000', name: 'Ukjent', slug: 'ukjent' })).status).toBe(404);
      for (const email of ['leder@demo.no', 'ansatt@demo.no', 'forelder@demo.no']) {
        expect((await create({ purposeId: P.website, name: 'Snik', slug: `snik-${email.split('@')[0]}` }, await s.as(email))).status, email).toBe(403);
      }
    });
  });
});
