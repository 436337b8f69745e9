import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Response } from 'supertest';
import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/adapters/clock.js';
import { createApp } from '../../server/app.js';
import { appendAuditEvent } from '../../server/modules/audit/audit.repository.js';
import { verifyAuditChain } from '../../server/modules/audit/audit.service.js';
import { consentFor, loadConsentFacts } from '../../server/modules/consent/consent-facts.js';
import { findPurpose } from '../../server/modules/consent/purpose.repository.js';
import { recheckAllLive } from '../../server/modules/publications/recheck.service.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { createFamily, noticeText, purposeIds, Sessions, type Agent, type Family } from '../support/family.js';
import { photographicJpeg } from '../support/images.js';
import { metadataProblems, upload } from '../support/photos.js';

// A Monday in March, ten in the morning in Oslo; the school year ends on 31 July.
const START = '2026-03-02T09:00:00.000Z';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A clean caption and alt text that name nobody. */
const TEXTS = { caption: 'Vi bygde hytte av greiner i skogen.', altText: 'Barn som bygger en hytte av greiner mellom trærne.' };

interface ReasonDto {
  code: string;
  field?: string;
  person: { id: string; firstName: string; lastName: string } | null;
}
interface GateDto {
  allowed: boolean;
  needsReview: boolean;
  reasons: ReasonDto[];
  decisionIds: string[];
}
interface AuditEvent {
  seq: number;
  at: string;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  payload: Record<string, unknown>;
}

/** supertest parser that keeps the body as bytes whatever the content type. */
function binary(res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
type Parser = Parameters<ReturnType<typeof request.agent>['parse']>[0];
const bytes = binary as unknown as Parser;

describe.each(testEngines())('the publish story through the API [%s]', (engine) => {
  let t: TestContext;
  let clock: ManualClock;
  let app: ReturnType<typeof createApp>;
  let s: Sessions;
  let dir: Awaited<ReturnType<typeof demoDirectory>>;
  let P: Record<string, string>;
  let CH: Record<string, string>;
  let solsikken: string;
  let blaaklokka: string;
  let prestekragen: string;
  let bigJpeg: Buffer;
  let smallJpeg: Buffer;

  beforeAll(async () => {
    clock = new ManualClock(START);
    t = await createTestContext(engine, { clock });
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    s = new Sessions(app, t.ctx);
    dir = await demoDirectory(app);
    P = await purposeIds(dir.admin);
    const channels = (await dir.admin.get('/api/channels')).body.channels as { id: string; slug: string }[];
    CH = Object.fromEntries(channels.map((c) => [c.slug, c.id]));
    solsikken = dir.unit('Solsikken barnehage').id;
    const groups = await dir.groups('Solsikken barnehage');
    blaaklokka = groups.find((g) => g.name === 'Blåklokka')!.id;
    prestekragen = groups.find((g) => g.name === 'Prestekragen')!.id;
    bigJpeg = await photographicJpeg(1800, 1200, 11);
    smallJpeg = await photographicJpeg(500, 375, 12);
  });
  afterAll(() => t.close());
  beforeEach(() => {
    clock.set(START);
    s.forget();
  });

  /** Moves the clock; sessions follow it, so everyone signs in again. */
  const moveTo = (iso: string | number) => {
    clock.set(new Date(iso));
    s.forget();
  };
  const tick = () => clock.advance(MINUTE);
  const admin = () => s.as('admin@demo.no');
  const staff = () => s.as('ansatt@demo.no');
  const leader = () => s.as('leder@demo.no');

  let familySerial = 0;
  /** A child of Blåklokka with two guardians (or the names given), created by the admin. */
  async function family(child: string, o: { guardians?: string[]; birthDate?: string; groupId?: string; from?: string } = {}): Promise<Family> {
    const last = child.split(' ')[1]!;
    familySerial += 1;
    return createFamily(await admin(), {
      child,
      birthDate: o.birthDate ?? '2021-06-01',
      groupId: o.groupId ?? blaaklokka,
      ...(o.from && { from: o.from }),
      guardians: (o.guardians ?? [`Mor${familySerial} ${last}`, `Far${familySerial} ${last}`]).map((name) => ({ name })),
    });
  }

  async function answer(email: string, childId: string, purposeId: string, decision: 'given' | 'refused', extra: Record<string, unknown> = {}) {
    const res = await (await s.as(email)).post(`/api/people/${childId}/consents`).send({ purposeId, decision, noticeVersion: 1, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.decision as { id: string };
  }
  /** Every guardian of the family says yes to each purpose (photo question). */
  async function consent(f: Family, ...purposes: string[]) {
    for (const code of purposes) for (const g of f.guardians) await answer(g.email, f.child.id, P[code]!, 'given');
  }
  async function withdraw(email: string, childId: string, purposeId: string, question: 'photo' | 'first_name' = 'photo') {
    const res = await (await s.as(email)).post(`/api/people/${childId}/consents/${purposeId}/withdraw`).send({ question });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }

  async function newPhoto(agent?: Agent, jpeg = bigJpeg, groupId = blaaklokka) {
    const res = await upload(agent ?? (await staff()), groupId, [{ name: 'tur.jpg', bytes: jpeg }]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.photos[0]!;
  }
  async function tag(photoId: string, tags: { personId: string; recognisable?: boolean }[], agent?: Agent) {
    const res = await (agent ?? (await staff())).put(`/api/photos/${photoId}/tags`).send(tags.map((x) => ({ personId: x.personId, recognisable: x.recognisable ?? true })));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.tags;
  }
  /** A photo uploaded by staff with these children tagged as recognisable. */
  async function photoOf(...children: Family[]) {
    const photo = await newPhoto();
    await tag(photo.id, children.map((f) => ({ personId: f.child.id })));
    return photo.id;
  }
  async function dryRun(photoId: string, slug: string, texts: Record<string, string> = TEXTS, agent?: Agent): Promise<GateDto> {
    const res = await (agent ?? (await staff())).post(`/api/photos/${photoId}/gate`).send({ channelId: CH[slug], ...texts });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.gate;
  }
  async function publish(photoId: string, slug: string, texts: Record<string, string> = TEXTS, agent?: Agent): Promise<Response> {
    return (agent ?? (await staff())).post('/api/publications').send({ photoId, channelId: CH[slug], ...texts });
  }
  async function published(photoId: string, slug: string, texts: Record<string, string> = TEXTS, agent?: Agent) {
    const res = await publish(photoId, slug, texts, agent);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { publication: { id: string; status: string; width: number; height: number; [k: string]: unknown }; gate: GateDto };
  }
  async function approve(publicationId: string, agent?: Agent) {
    const res = await (agent ?? (await leader())).post(`/api/publications/${publicationId}/review`).send({ approve: true, harmAssessment: true });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.publication.status).toBe('published');
    return res.body.publication;
  }

  const person = (f: Family) => ({ id: f.child.id, firstName: f.child.firstName, lastName: f.child.lastName });
  const reason = (code: string, who: Family | null, field?: string): ReasonDto => ({ code, ...(field && { field }), person: who ? person(who) : null });

  /** A 422 GATE_REFUSED whose reasons include each of these (and the gate agrees). */
  function expectRefused(res: Response, ...expected: ReasonDto[]): ReasonDto[] {
    expect(res.status, JSON.stringify(res.body)).toBe(422);
    expect(res.body.error.code).toBe('GATE_REFUSED');
    const reasons = res.body.error.details.reasons as ReasonDto[];
    expect(reasons).toEqual(expect.arrayContaining(expected));
    expect(res.body.error.details.gate).toMatchObject({ allowed: false, needsReview: false, reasons });
    return reasons;
  }
  const codesOf = (reasons: ReasonDto[]) => reasons.map((r) => r.code);

  async function feed(slug: string, agent?: Agent) {
    const res = agent ? await agent.get(`/feed/${slug}?format=json`) : await request(app).get(`/feed/${slug}?format=json`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items as { id: string; caption: string; altText: string; image: string; width: number; height: number }[];
  }
  async function publicationOf(id: string, agent?: Agent) {
    const res = await (agent ?? (await leader())).get(`/api/publications/${id}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as { publication: { id: string; status: string; unpublishReason: string | null; [k: string]: unknown }; events: AuditEvent[]; takedowns: { id: string; status: string; reason: string; personId: string | null; dueAt: string; createdAt: string; overdue: boolean }[] };
  }
  async function openTakedowns(agent?: Agent) {
    const res = await (agent ?? (await leader())).get('/api/takedowns?status=open');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.takedowns as { id: string; publicationId: string; reason: string; personId: string | null; status: string; createdAt: string; dueAt: string; overdue: boolean }[];
  }
  async function auditSince(seq: number): Promise<AuditEvent[]> {
    const res = await (await admin()).get('/api/audit?limit=1000');
    expect(res.status).toBe(200);
    return (res.body.events as AuditEvent[]).filter((e) => e.seq > seq).sort((a, b) => a.seq - b.seq);
  }
  async function lastSeq(): Promise<number> {
    const res = await (await admin()).get('/api/audit?limit=1');
    return (res.body.events as AuditEvent[])[0]?.seq ?? 0;
  }
  async function imageSize(res: Response) {
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/jpeg/);
    const meta = await sharp(res.body as Buffer).metadata();
    return { width: meta.width, height: meta.height };
  }

  // -------------------------------------------------------------------------------------------

  describe('refused for each reason (one test per reason code)', () => {
    it('NO_CONSENT: nobody has answered for a tagged child', async () => {
      const f = await family('Vetle Ruud');
      const photoId = await photoOf(f);
      const gate = await dryRun(photoId, 'solsikken-galleri');
      expect(gate).toMatchObject({ allowed: false, needsReview: false, reasons: [reason('NO_CONSENT', f)], decisionIds: [] });
      expectRefused(await publish(photoId, 'solsikken-galleri'), reason('NO_CONSENT', f));
    });

    it('CONSENT_REFUSED: a guardian said no', async () => {
      const f = await family('Mille Holt');
      const refusal = await answer(f.guardians[1]!.email, f.child.id, P.parent_app!, 'refused');
      const photoId = await photoOf(f);
      const reasons = expectRefused(await publish(photoId, 'solsikken-galleri'), reason('CONSENT_REFUSED', f));
      expect(codesOf(reasons)).toEqual(['CONSENT_REFUSED']);
      expect((await dryRun(photoId, 'solsikken-galleri')).decisionIds).toEqual([refusal.id]);
    });

    it('CONSENT_WITHDRAWN: a guardian said yes and then withdrew', async () => {
      const f = await family('Kasper Lunde');
      await answer(f.guardians[0]!.email, f.child.id, P.parent_app!, 'given');
      const photoId = await photoOf(f);
      expect((await dryRun(photoId, 'solsikken-galleri')).allowed).toBe(true);
      tick();
      await withdraw(f.guardians[0]!.email, f.child.id, P.parent_app!);
      expectRefused(await publish(photoId, 'solsikken-galleri'), reason('CONSENT_WITHDRAWN', f));
    });

    it('CONSENT_EXPIRED: a yes given this school year no longer counts after 31 July', async () => {
      const f = await family('Embla Foss');
      await consent(f, 'parent_app');
      const photoId = await photoOf(f);
      expect((await dryRun(photoId, 'solsikken-galleri')).allowed).toBe(true);

      moveTo('2026-07-31T21:59:00.000Z'); // 23:59 on 31 July in Oslo: still valid
      expect((await dryRun(photoId, 'solsikken-galleri')).allowed).toBe(true);
      moveTo('2026-08-03T07:00:00.000Z'); // the Monday after
      expectRefused(await publish(photoId, 'solsikken-galleri'), reason('CONSENT_EXPIRED', f));
    });

    it('AWAITING_GUARDIAN: Emma’s father said yes to the website; her mother has not answered, and the website needs both', async () => {
      const emma = dir.child('Emma Nordmann');
      const photo = await newPhoto();
      await tag(photo.id, [{ personId: emma.id }]);
      const emmaRef = { id: emma.id, firstName: 'Emma', lastName: 'Nordmann' };
      const reasons = expectRefused(await publish(photo.id, 'solsikken-nettside'), { code: 'AWAITING_GUARDIAN', person: emmaRef });
      expect(codesOf(reasons).sort()).toEqual(['AWAITING_GUARDIAN', 'REVIEW_REQUIRED']);
      // The gallery's rule is "any": her father's yes is enough there.
      expect((await dryRun(photo.id, 'solsikken-galleri')).allowed).toBe(true);
      // Once her mother (forelder@demo.no) says yes too, only the leader's review is missing.
      await answer('forelder@demo.no', emma.id, P.website!, 'given');
      const res = await published(photo.id, 'solsikken-nettside');
      expect(res.publication.status).toBe('pending_review');
      expect(res.gate.reasons).toEqual([reason('REVIEW_REQUIRED', null)]);
    });

    it('NOTICE_CHANGED: the admin publishes a material change to the notice, and the yes given before stops counting', async () => {
      const a = await admin();
      const created = await a.post('/api/purposes').send({ code: 'turbilder', nameNb: 'Turbilder', nameNn: 'Turbilete', nameEn: 'Outing photos', audience: 'closed', guardianRule: 'any' });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const purposeId = created.body.purpose.id as string;
      expect((await a.post(`/api/purposes/${purposeId}/notices`).send({ material: true, texts: { nb: noticeText('Bilder fra turer.') } })).status).toBe(201);
      const channel = await a.post('/api/channels').send({ purposeId, unitId: solsikken, name: 'Turbilder på Solsikken', slug: 'solsikken-turer', kind: 'hosted' });
      expect(channel.status, JSON.stringify(channel.body)).toBe(201);
      CH['solsikken-turer'] = channel.body.channel.id;

      const f = await family('Sigve Myhre');
      await answer(f.guardians[0]!.email, f.child.id, purposeId, 'given');
      const photoId = await photoOf(f);
      const first = await published(photoId, 'solsikken-turer');
      expect(first.publication.status).toBe('published');
      const guardian = await s.as(f.guardians[1]!.email);
      expect((await feed('solsikken-turer', guardian)).map((i) => i.id)).toEqual([first.publication.id]);

      tick();
      const v2 = await a.post(`/api/purposes/${purposeId}/notices`).send({ material: true, texts: { nb: noticeText('Bilder fra turer, nå også i kommunens app.') } });
      expect(v2.status).toBe(201);
      expectRefused(await publish(photoId, 'solsikken-turer'), reason('NOTICE_CHANGED', f));
      // The hosted feed re-checks on every request: the photo is no longer shown.
      expect(await feed('solsikken-turer', guardian)).toEqual([]);
    });

    it('CHILD_OBJECTS: staff record that the child does not want to be in the gallery; what was published comes down at once', async () => {
      const f = await family('Oliver Hauge', { birthDate: '2018-09-01' });
      await consent(f, 'parent_app', 'internal');
      const photoId = await photoOf(f);
      const live = await published(photoId, 'solsikken-galleri');

      tick();
      const view = await (await staff()).post(`/api/people/${f.child.id}/views`).send({ objects: true, purposeId: P.parent_app, note: 'Vil ikke være i appen.' });
      expect(view.status).toBe(201);
      expectRefused(await publish(photoId, 'solsikken-galleri'), reason('CHILD_OBJECTS', f));
      expect((await publicationOf(live.publication.id)).publication).toMatchObject({ status: 'unpublished', unpublishReason: 'child_objects' });
      // The objection was about the gallery only.
      expect((await dryRun(photoId, 'solsikken-vegg')).allowed).toBe(true);
    });

    it('NOT_PUBLISHABLE and PROTECTED: the leader sets the protection flag; staff are not told why, the leader is', async () => {
      const f = await family('Nikolai Strøm');
      await consent(f, 'parent_app', 'internal');
      const photoId = await photoOf(f);
      const live = await published(photoId, 'solsikken-galleri');

      tick();
      const flag = await (await leader()).put(`/api/people/${f.child.id}/protection`).send({ protected: true });
      expect(flag.status).toBe(200);
      const toStaff = expectRefused(await publish(photoId, 'solsikken-galleri'), reason('NOT_PUBLISHABLE', f));
      expect(codesOf(toStaff)).not.toContain('PROTECTED');
      expect((await dryRun(photoId, 'solsikken-galleri')).reasons).toEqual([reason('NOT_PUBLISHABLE', f)]);
      const toLeader = expectRefused(await publish(photoId, 'solsikken-galleri', TEXTS, await leader()), reason('PROTECTED', f));
      expect(codesOf(toLeader)).not.toContain('NOT_PUBLISHABLE');
      // The flag took the live gallery copy down; the internal wall is unaffected.
      expect((await publicationOf(live.publication.id)).publication).toMatchObject({ status: 'unpublished', unpublishReason: 'protected' });
      expect((await published(photoId, 'solsikken-vegg')).publication.status).toBe('published');

      // Noah Berg in the demo is protected too.
      const noah = dir.child('Noah Berg');
      const photo = await newPhoto();
      await tag(photo.id, [{ personId: noah.id }]);
      expect(codesOf((await dryRun(photo.id, 'solsikken-galleri')).reasons)).toContain('NOT_PUBLISHABLE');
      expect(codesOf((await dryRun(photo.id, 'solsikken-galleri', TEXTS, await leader())).reasons)).toContain('PROTECTED');
      expect((await dryRun(photo.id, 'solsikken-vegg')).allowed).toBe(true);
    });

    it('UNKNOWN_PERSON: a recognisable visitor is allowed on the internal wall only', async () => {
      const f = await family('Tage Lien');
      await consent(f, 'parent_app', 'internal');
      const photo = await newPhoto();
      await tag(photo.id, [{ personId: f.child.id }, { personId: 'unknown', recognisable: true }]);
      const reasons = expectRefused(await publish(photo.id, 'solsikken-galleri'), reason('UNKNOWN_PERSON', null));
      expect(codesOf(reasons)).toEqual(['UNKNOWN_PERSON']);
      expect((await published(photo.id, 'solsikken-vegg')).publication.status).toBe('published');
      // Seen from behind, the visitor is not recognisable: then the gallery is fine too.
      await tag(photo.id, [{ personId: f.child.id }, { personId: 'unknown', recognisable: false }]);
      expect((await published(photo.id, 'solsikken-galleri')).publication.status).toBe('published');
    });

    it('NOT_TAGGED: a photo nobody has tagged, until it is marked as showing no people', async () => {
      const photo = await newPhoto();
      const reasons = expectRefused(await publish(photo.id, 'solsikken-galleri'), reason('NOT_TAGGED', null));
      expect(codesOf(reasons)).toEqual(['NOT_TAGGED']);
      expectRefused(await publish(photo.id, 'solsikken-vegg'), reason('NOT_TAGGED', null));
      const marked = await (await staff()).patch(`/api/photos/${photo.id}`).send({ noPeople: true });
      expect(marked.status).toBe(200);
      expect(marked.body.photo.noPeople).toBe(true);
      expect((await published(photo.id, 'solsikken-galleri')).publication.status).toBe('published');
    });

    it('FULL_NAME_IN_TEXT: a full name in caption, alt text or title, of a tagged or untagged child, in any case and without diacritics', async () => {
      const tagged = await family('Ådne Bjørklund');
      const untagged = await family('Synnøve Æsøy', { groupId: prestekragen });
      await consent(tagged, 'parent_app');
      const photoId = await photoOf(tagged);

      const cases: { texts: Record<string, string>; expected: ReasonDto[] }[] = [
        { texts: { ...TEXTS, caption: 'Ådne Bjørklund bygger hytte.' }, expected: [reason('FULL_NAME_IN_TEXT', tagged, 'caption')] },
        { texts: { ...TEXTS, caption: 'ÅDNE BJØRKLUND bygger hytte.' }, expected: [reason('FULL_NAME_IN_TEXT', tagged, 'caption')] },
        { texts: { ...TEXTS, altText: 'aadne bjoerklund i skogen' }, expected: [reason('FULL_NAME_IN_TEXT', tagged, 'altText')] },
        { texts: { ...TEXTS, title: 'Adne Bjorklund og vennene' }, expected: [reason('FULL_NAME_IN_TEXT', tagged, 'title')] },
        { texts: { ...TEXTS, caption: 'Bjørklund, Ådne: hyttebygger' }, expected: [reason('FULL_NAME_IN_TEXT', tagged, 'caption')] },
        // A child who is not in the photo at all, from another group of the unit.
        { texts: { ...TEXTS, caption: 'Hilsen fra synnøve æsøy!' }, expected: [reason('FULL_NAME_IN_TEXT', untagged, 'caption')] },
        { texts: { ...TEXTS, altText: 'Synnove Aesoy ser på.' }, expected: [reason('FULL_NAME_IN_TEXT', untagged, 'altText')] },
        {
          texts: { caption: 'Ådne Bjørklund og Synnøve Æsøy', altText: TEXTS.altText },
          expected: [reason('FULL_NAME_IN_TEXT', tagged, 'caption'), reason('FULL_NAME_IN_TEXT', untagged, 'caption')],
        },
      ];
      for (const c of cases) {
        const reasons = expectRefused(await publish(photoId, 'solsikken-galleri', c.texts), ...c.expected);
        expect(reasons, JSON.stringify(c.texts)).toHaveLength(c.expected.length);
        expect((await dryRun(photoId, 'solsikken-galleri', c.texts)).reasons).toEqual(reasons);
      }
      expect((await published(photoId, 'solsikken-galleri')).publication.status).toBe('published');
    });

    it('FULL_NAME_IN_TEXT follows the roster on the next check: a child joining, renamed, moved out of the unit, and changes written by another process', async () => {
      const f = await family('Liv Haugland');
      await consent(f, 'parent_app');
      const photoId = await photoOf(f);
      const caption = (name: string) => ({ ...TEXTS, caption: `Hilsen til ${name} fra alle oss!` });
      const fullNameReasons = async (name: string) =>
        (await dryRun(photoId, 'solsikken-galleri', caption(name))).reasons.filter((r) => r.code === 'FULL_NAME_IN_TEXT').map((r) => r.person?.id);

      // Checked once, so the unit's names are prepared and kept, before anyone of that name exists.
      expect(await fullNameReasons('Mathilde Strand')).toEqual([]);
      const joined = await family('Mathilde Strand', { groupId: prestekragen });
      expect(await fullNameReasons('Mathilde Strand')).toEqual([joined.child.id]);

      const renamed = await (await admin()).patch(`/api/people/${joined.child.id}`).send({ lastName: 'Strandli' });
      expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
      expect(await fullNameReasons('Mathilde Strand')).toEqual([]);
      expect(await fullNameReasons('Mathilde Strandli')).toEqual([joined.child.id]);

      // Another process (an import, a second server) writes straight to the database: the
      // database itself marks the roster as changed, so this process sees it too.
      await t.ctx.db.updateTable('people').set({ first_name: 'Matilde' }).where('id', '=', joined.child.id).execute();
      expect(await fullNameReasons('Mathilde Strandli')).toEqual([]);
      expect(await fullNameReasons('Matilde Strandli')).toEqual([joined.child.id]);

      // Her membership moved to a group of another unit, and back; then removed, and put back.
      const fjelletGroup = (await dir.groups('Fjellet skole'))[0]!.id;
      await t.ctx.db.updateTable('memberships').set({ group_id: fjelletGroup }).where('id', '=', joined.child.membershipId).execute();
      expect(await fullNameReasons('Matilde Strandli')).toEqual([]);
      await t.ctx.db.updateTable('memberships').set({ group_id: prestekragen }).where('id', '=', joined.child.membershipId).execute();
      expect(await fullNameReasons('Matilde Strandli')).toEqual([joined.child.id]);
      const membership = await t.ctx.db.selectFrom('memberships').selectAll().where('id', '=', joined.child.membershipId).executeTakeFirstOrThrow();
      await t.ctx.db.deleteFrom('memberships').where('id', '=', membership.id).execute();
      expect(await fullNameReasons('Matilde Strandli')).toEqual([]);
      await t.ctx.db.insertInto('memberships').values(membership).execute();
      expect(await fullNameReasons('Matilde Strandli')).toEqual([joined.child.id]);

      // Recorded as an adult for a while: the unit's children are the ones named.
      await t.ctx.db.updateTable('people').set({ kind: 'adult' }).where('id', '=', joined.child.id).execute();
      expect(await fullNameReasons('Matilde Strandli')).toEqual([]);
      await t.ctx.db.updateTable('people').set({ kind: 'child' }).where('id', '=', joined.child.id).execute();
      expect(await fullNameReasons('Matilde Strandli')).toEqual([joined.child.id]);

      // Her membership ended yesterday: no longer a child of the unit today.
      const yesterday = new Date(Date.parse(START) - 24 * HOUR).toISOString().slice(0, 10);
      await t.ctx.db.updateTable('memberships').set({ to_date: yesterday }).where('id', '=', joined.child.membershipId).execute();
      expect(await fullNameReasons('Matilde Strandli')).toEqual([]);

      // Back in the unit, then her group is moved to another unit.
      await t.ctx.db.updateTable('memberships').set({ to_date: null }).where('id', '=', joined.child.membershipId).execute();
      expect(await fullNameReasons('Matilde Strandli')).toEqual([joined.child.id]);
      await t.ctx.db.updateTable('groups').set({ unit_id: dir.unit('Fjellet skole').id }).where('id', '=', prestekragen).execute();
      try {
        expect(await fullNameReasons('Matilde Strandli')).toEqual([]);
      } finally {
        await t.ctx.db.updateTable('groups').set({ unit_id: solsikken }).where('id', '=', prestekragen).execute();
      }
      expect(await fullNameReasons('Matilde Strandli')).toEqual([joined.child.id]);
    });

    it('the gate sees every change to what consent rests on at the next check, also when another process writes it straight to the database', async () => {
      const f = await family('Ingrid Solberg');
      await consent(f, 'parent_app');
      const photoId = await photoOf(f);
      const db = t.ctx.db;
      const child = f.child.id;
      const codes = async () => codesOf((await dryRun(photoId, 'solsikken-galleri')).reasons);
      const now = () => {
        tick();
        return clock.now().toISOString();
      };
      const account = (await db.selectFrom('accounts').select('id').where('email', '=', 'admin@demo.no').executeTakeFirstOrThrow()).id;
      // Checked before every change, so this process holds the child's consent facts each time.
      expect(await codes()).toEqual([]);

      await db.insertInto('protection_changes').values({ id: randomUUID(), person_id: child, protected: 1, changed_by_account_id: account, changed_at: now() }).execute();
      expect(await codes()).toEqual(['NOT_PUBLISHABLE']);
      await db.insertInto('protection_changes').values({ id: randomUUID(), person_id: child, protected: 0, changed_by_account_id: account, changed_at: now() }).execute();
      expect(await codes()).toEqual([]);

      const view = { person_id: child, purpose_id: null, note: null, recorded_by_account_id: account };
      await db.insertInto('child_views').values({ ...view, id: randomUUID(), objects: 1, recorded_at: now() }).execute();
      expect(await codes()).toEqual(['CHILD_OBJECTS']);
      await db.insertInto('child_views').values({ ...view, id: randomUUID(), objects: 0, recorded_at: now() }).execute();
      expect(await codes()).toEqual([]);

      // A guardian's withdrawal, then a new yes, as another server would record them.
      const yes = await db.selectFrom('consent_decisions').selectAll().where('person_id', '=', child).where('decided_by_person_id', '=', f.guardians[0]!.id).executeTakeFirstOrThrow();
      await db.insertInto('consent_decisions').values({ ...yes, id: randomUUID(), decision: 'withdrawn', decided_at: now() }).execute();
      expect(await codes()).toEqual(['CONSENT_WITHDRAWN']);
      await db.insertInto('consent_decisions').values({ ...yes, id: randomUUID(), decision: 'given', decided_at: now() }).execute();
      expect(await codes()).toEqual([]);

      // No guardian with parental responsibility left: nobody's yes counts.
      await db.updateTable('guardian_links').set({ responsibility: 0 }).where('child_id', '=', child).execute();
      expect(await codes()).toEqual(['NO_CONSENT']);
      await db.updateTable('guardian_links').set({ responsibility: 1 }).where('child_id', '=', child).execute();
      expect(await codes()).toEqual([]);

      const yesterday = new Date(Date.parse(START) - 24 * HOUR).toISOString().slice(0, 10);
      await db.updateTable('memberships').set({ to_date: yesterday }).where('id', '=', f.child.membershipId).execute();
      expect(await codes()).toEqual(['LEFT_UNIT']);
      await db.updateTable('memberships').set({ to_date: null }).where('id', '=', f.child.membershipId).execute();
      expect(await codes()).toEqual([]);

      // Born 16 years ago: a pupil who answers for themself, and has not.
      await db.updateTable('people').set({ birth_date: '2010-01-01' }).where('id', '=', child).execute();
      expect(await codes()).toEqual(['NO_CONSENT']);
      await db.updateTable('people').set({ birth_date: f.child.birthDate }).where('id', '=', child).execute();
      expect(await codes()).toEqual([]);

      // The guardians' links removed, then put back, row for row.
      const links = await db.selectFrom('guardian_links').selectAll().where('child_id', '=', child).execute();
      expect(links).toHaveLength(2);
      await db.deleteFrom('guardian_links').where('child_id', '=', child).execute();
      expect(await codes()).toEqual(['NO_CONSENT']);
      await db.insertInto('guardian_links').values(links).execute();
      expect(await codes()).toEqual([]);

      // Recorded as an adult: they answer for themself, and have not.
      await db.updateTable('people').set({ kind: 'adult' }).where('id', '=', child).execute();
      expect(await codes()).toEqual(['NO_CONSENT']);
      await db.updateTable('people').set({ kind: 'child' }).where('id', '=', child).execute();
      expect(await codes()).toEqual([]);

      // Another purpose, read into what is kept for the first: each answer stays its own.
      expect(codesOf((await dryRun(photoId, 'solsikken-vegg')).reasons)).toEqual(['NO_CONSENT']);
      expect(await codes()).toEqual([]);
      await consent(f, 'internal');
      expect(codesOf((await dryRun(photoId, 'solsikken-vegg')).reasons)).toEqual([]);
      expect(await codes()).toEqual([]);

      // The child's group is moved to another unit: their stay in this unit has ended.
      await db.updateTable('groups').set({ unit_id: dir.unit('Fjellet skole').id }).where('id', '=', blaaklokka).execute();
      try {
        expect(await codes()).toContain('LEFT_UNIT');
      } finally {
        await db.updateTable('groups').set({ unit_id: solsikken }).where('id', '=', blaaklokka).execute();
      }
      expect(await codes()).toEqual([]);
    });

    it('someone checked again soon is read from memory from then on, and a change is still seen on the next check', async () => {
      const f = await family('Sigrid Haugen');
      await consent(f, 'parent_app');
      const purpose = (await findPurpose(t.ctx.db, P.parent_app!))!;
      // The same database, with every query that reads consent decisions counted.
      let decisionReads = 0;
      const db = t.ctx.db.withPlugin({
        transformQuery: (args) => {
          if (JSON.stringify(args.node).includes('"consent_decisions"')) decisionReads += 1;
          return args.node;
        },
        transformResult: async (args) => args.result,
      });
      const check = async () => {
        decisionReads = 0;
        const facts = await loadConsentFacts(t.ctx, db, [f.child.id], [purpose]);
        const c = consentFor(facts, f.child.id, purpose, 'photo', { at: clock.now(), privileged: false });
        return { reads: decisionReads, valid: c.valid, decisions: c.decisionIds };
      };
      // Asked once: read. Asked again soon: read, and kept. From then on: from memory, the same answer.
      // (The consent answers above were recorded in transactions, which neither read nor keep
      // anything here; were that to change, this child would be kept one check earlier.)
      const first = await check();
      expect(first).toMatchObject({ reads: 1, valid: true });
      expect(first.decisions).toHaveLength(2);
      expect(await check()).toEqual(first);
      expect(await check()).toEqual({ ...first, reads: 0 });
      expect(await check()).toEqual({ ...first, reads: 0 });
      // A withdrawal written straight to the database replaces the child's token: read afresh.
      const yes = await t.ctx.db.selectFrom('consent_decisions').selectAll().where('person_id', '=', f.child.id).where('decided_by_person_id', '=', f.guardians[0]!.id).executeTakeFirstOrThrow();
      tick();
      await t.ctx.db.insertInto('consent_decisions').values({ ...yes, id: randomUUID(), decision: 'withdrawn', decided_at: clock.now().toISOString() }).execute();
      const after = await check();
      expect(after).toMatchObject({ reads: 1, valid: false });
      expect(await check()).toEqual({ ...after, reads: 0 });
    });

    // PostgreSQL alone runs writers side by side; SQLite's single writer cannot interleave them.
    if (engine === 'postgres') {
      it('a transaction that audits before it changes a child’s consent facts, and one that changes them before it audits, both commit (the tokens are replaced at commit, after the audit lock)', async () => {
        const f = await family('Sigrid Lunde');
        await consent(f, 'parent_app');
        const db = t.ctx.db;
        const yes = await db.selectFrom('consent_decisions').selectAll().where('person_id', '=', f.child.id).executeTakeFirstOrThrow();
        const event = { at: clock.now().toISOString(), actorId: null, action: 'test.touched', objectType: 'person', objectId: f.child.id, payload: {} };
        const signal = () => {
          let fire!: () => void;
          const fired = new Promise<void>((resolve) => (fire = resolve));
          return { fire, fired };
        };
        const audited = signal();
        const decided = signal();
        // First the audit lock, then the child's guardian links (as an import or a new guardian does).
        const auditFirst = db.transaction().execute(async (trx) => {
          await appendAuditEvent(trx, 'postgres', event);
          audited.fire();
          await decided.fired;
          await trx.updateTable('guardian_links').set({ responsibility: 1 }).where('child_id', '=', f.child.id).execute();
        });
        // First the child's decision, then the audit lock (as a guardian's answer does).
        const decideFirst = db.transaction().execute(async (trx) => {
          await audited.fired;
          await trx.insertInto('consent_decisions').values({ ...yes, id: randomUUID(), decided_at: clock.now().toISOString() }).execute();
          decided.fire();
          await appendAuditEvent(trx, 'postgres', event);
        });
        await expect(Promise.all([auditFirst, decideFirst])).resolves.toBeDefined();
        expect((await verifyAuditChain(t.ctx)).ok).toBe(true);
        expect(codesOf((await dryRun(await photoOf(f), 'solsikken-galleri')).reasons)).toEqual([]);
      });
    }

    it('NAME_NOT_ALLOWED: a first name needs the purpose’s "name with photo" consent', async () => {
      const f = await family('Tuva Skjelstad');
      await consent(f, 'parent_app', 'social_media');
      const photoId = await photoOf(f);
      const named = { caption: 'Tuva bygger hytte i skogen.', altText: TEXTS.altText };
      const reasons = expectRefused(await publish(photoId, 'solsikken-galleri', named), reason('NAME_NOT_ALLOWED', f, 'caption'));
      expect(codesOf(reasons)).toEqual(['NAME_NOT_ALLOWED']);
      expectRefused(await publish(photoId, 'solsikken-galleri', { ...TEXTS, altText: 'Tuva i skogen.' }), reason('NAME_NOT_ALLOWED', f, 'altText'));

      // One guardian answers yes to first names in the gallery (the rule there is "any").
      const yes = await answer(f.guardians[0]!.email, f.child.id, P.parent_app!, 'given', { question: 'first_name' });
      const ok = await published(photoId, 'solsikken-galleri', named);
      expect(ok.gate.decisionIds).toContain(yes.id);
      // Social media asks no first-name question: a first name is never allowed there.
      expect((await dryRun(photoId, 'kommunens-facebook', named)).reasons).toEqual(expect.arrayContaining([reason('NAME_NOT_ALLOWED', f, 'caption')]));
    });

    it('PORTRAIT_NOT_ALLOWED: a portrait may go to the gallery but not to a public channel', async () => {
      const f = await family('Mathilde Sunde');
      await consent(f, 'parent_app', 'website');
      const photoId = await photoOf(f);
      const marked = await (await staff()).patch(`/api/photos/${photoId}`).send({ kind: 'portrait' });
      expect(marked.status).toBe(200);
      expect(marked.body.photo.kind).toBe('portrait');
      const reasons = expectRefused(await publish(photoId, 'solsikken-nettside'), reason('PORTRAIT_NOT_ALLOWED', null));
      expect(codesOf(reasons).sort()).toEqual(['PORTRAIT_NOT_ALLOWED', 'REVIEW_REQUIRED']);
      expect((await published(photoId, 'solsikken-galleri')).publication.status).toBe('published');
    });

    it('REVIEW_REQUIRED: a public channel waits for a leader (201 pending_review), then the public feed shows it to anyone', async () => {
      const f = await family('Jonas Tveit');
      await consent(f, 'website');
      const photoId = await photoOf(f);
      const gate = await dryRun(photoId, 'solsikken-nettside');
      expect(gate).toMatchObject({ allowed: false, needsReview: true, reasons: [reason('REVIEW_REQUIRED', null)] });
      expect(gate.decisionIds).toHaveLength(2);

      const res = await published(photoId, 'solsikken-nettside');
      expect(res.publication).toMatchObject({ status: 'pending_review', publishedAt: null, urls: { image: null } });
      expect(res.gate).toMatchObject({ allowed: false, needsReview: true, reasons: [reason('REVIEW_REQUIRED', null)] });
      expect((await feed('solsikken-nettside')).map((i) => i.id)).not.toContain(res.publication.id);

      await approve(res.publication.id);
      const items = await feed('solsikken-nettside');
      expect(items.map((i) => i.id)).toContain(res.publication.id);
      const image = await request(app).get(`/feed/solsikken-nettside/${res.publication.id}.jpg`).buffer(true).parse(bytes);
      expect(image.status).toBe(200);
      expect(image.headers['cache-control']).toBe('no-store');
    });

    it('LEFT_UNIT: the admin ends the child’s membership; what was published comes down, and nothing new goes up', async () => {
      const f = await family('Herman Berge', { from: '2026-02-01' });
      await consent(f, 'parent_app');
      const photoId = await photoOf(f);
      const live = await published(photoId, 'solsikken-galleri');

      const ended = await (await admin()).patch(`/api/memberships/${f.child.membershipId}`).send({ to: '2026-03-01' });
      expect(ended.status, JSON.stringify(ended.body)).toBe(200);
      expect((await publicationOf(live.publication.id)).publication).toMatchObject({ status: 'unpublished', unpublishReason: 'left_unit' });
      expect((await dryRun(photoId, 'solsikken-galleri')).reasons).toEqual([reason('LEFT_UNIT', f)]);
      expectRefused(await publish(photoId, 'solsikken-galleri'), reason('LEFT_UNIT', f));
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('the whole story', () => {
    it('upload, tag, refused, consent given, published, shown, withdrawn, gone on the next request, taken down outside, done, audited', async () => {
      const f = await family('Lykke Dahle');
      const since = await lastSeq();
      const [mother, father] = f.guardians as [Family['guardians'][0], Family['guardians'][0]];
      const ansatt = await staff();

      // Staff upload a photo from the outing and tag who is in it.
      const photo = await newPhoto(ansatt);
      expect(photo).toMatchObject({ width: 1600, height: 1067 });
      const tags = await tag(photo.id, [{ personId: f.child.id }], ansatt);
      expect(tags).toEqual([{ personId: f.child.id, unknown: false, recognisable: true, firstName: 'Lykke', lastName: 'Dahle' }]);

      // Nobody has answered yet: the dialog says so, and publishing is refused.
      expect(await dryRun(photo.id, 'solsikken-galleri', TEXTS, ansatt)).toMatchObject({ allowed: false, reasons: [reason('NO_CONSENT', f)] });
      expectRefused(await publish(photo.id, 'solsikken-galleri', TEXTS, ansatt), reason('NO_CONSENT', f));

      // Both guardians say yes to the gallery and to the municipality's social media.
      const decisions = [];
      for (const code of ['parent_app', 'social_media']) for (const g of f.guardians) decisions.push(await answer(g.email, f.child.id, P[code]!, 'given'));

      // Published to the gallery at once; to Facebook after the leader's review.
      const gallery = await published(photo.id, 'solsikken-galleri', TEXTS, ansatt);
      expect(gallery.publication).toMatchObject({ status: 'published', channelId: CH['solsikken-galleri'], caption: TEXTS.caption, altText: TEXTS.altText, harmAssessed: false });
      expect(gallery.gate).toEqual({ allowed: true, needsReview: false, reasons: [], decisionIds: decisions.slice(0, 2).map((d) => d.id).sort() });
      const fb = await published(photo.id, 'kommunens-facebook', TEXTS, ansatt);
      expect(fb.publication.status).toBe('pending_review');
      const approved = await approve(fb.publication.id);
      expect(approved).toMatchObject({ harmAssessed: true, reviewedBy: expect.any(String) });
      expect(approved.decisionIds).toEqual(decisions.slice(2).map((d) => d.id).sort());
      const url = await ansatt.patch(`/api/publications/${fb.publication.id}`).send({ externalUrl: 'https://facebook.com/demokommune/posts/123' });
      expect(url.status).toBe(200);
      expect(url.body.publication.externalUrl).toBe('https://facebook.com/demokommune/posts/123');

      // The father opens the gallery: the photo is there, in JSON and in HTML.
      const far = await s.as(father.email);
      const items = await feed('solsikken-galleri', far);
      const item = items.find((i) => i.id === gallery.publication.id);
      expect(item).toMatchObject({ caption: TEXTS.caption, altText: TEXTS.altText, image: `/feed/solsikken-galleri/${gallery.publication.id}.jpg`, width: 1600, height: 1067 });
      const html = await far.get('/feed/solsikken-galleri');
      expect(html.status).toBe(200);
      expect(html.headers['content-type']).toMatch(/^text\/html/);
      expect(html.text).toContain(`src="/feed/solsikken-galleri/${gallery.publication.id}.jpg"`);
      expect((await far.get(item!.image)).status).toBe(200);

      // The mother withdraws from the gallery: the very next request no longer shows the photo.
      tick();
      await withdraw(mother.email, f.child.id, P.parent_app!);
      expect((await feed('solsikken-galleri', far)).map((i) => i.id)).not.toContain(gallery.publication.id);
      expect((await far.get('/feed/solsikken-galleri')).text).not.toContain(gallery.publication.id);
      const gone = await far.get(item!.image);
      expect(gone.status).toBe(404);
      expect((await publicationOf(gallery.publication.id)).publication).toMatchObject({ status: 'unpublished', unpublishReason: 'consent_withdrawn' });
      expect((await publicationOf(gallery.publication.id)).takedowns).toEqual([]); // hosted: nothing to do by hand
      expect((await publicationOf(fb.publication.id)).publication.status).toBe('published');

      // She withdraws from social media too: the Facebook copy becomes a takedown task.
      tick();
      await withdraw(mother.email, f.child.id, P.social_media!);
      const withdrawnAt = clock.now();
      const fbStory = await publicationOf(fb.publication.id);
      expect(fbStory.publication).toMatchObject({ status: 'unpublished', unpublishReason: 'consent_withdrawn' });
      const task = (await openTakedowns()).find((x) => x.publicationId === fb.publication.id);
      expect(task).toMatchObject({ status: 'open', reason: 'consent_withdrawn', personId: f.child.id, overdue: false });
      expect(Date.parse(task!.dueAt) - Date.parse(task!.createdAt)).toBe(24 * HOUR);
      expect(task!.createdAt).toBe(withdrawnAt.toISOString());
      // Staff (the publisher) see it too.
      expect((await openTakedowns(await staff())).map((x) => x.id)).toContain(task!.id);

      // A day later nobody has done it: it shows as overdue.
      moveTo(withdrawnAt.getTime() + 24 * HOUR - MINUTE);
      expect((await openTakedowns()).find((x) => x.id === task!.id)!.overdue).toBe(false);
      moveTo(withdrawnAt.getTime() + 24 * HOUR + MINUTE);
      expect((await openTakedowns()).find((x) => x.id === task!.id)!.overdue).toBe(true);

      // The leader deletes the post and records it, with evidence.
      const lead = await leader();
      expect((await lead.post(`/api/takedowns/${task!.id}/done`).send({ evidence: '  ' })).status).toBe(400);
      const done = await lead.post(`/api/takedowns/${task!.id}/done`).send({ evidence: 'Innlegget er slettet fra Facebook-siden.' });
      expect(done.status, JSON.stringify(done.body)).toBe(200);
      expect(done.body.takedown).toMatchObject({ status: 'done', overdue: false, evidence: 'Innlegget er slettet fra Facebook-siden.', doneAt: clock.now().toISOString() });
      expect((await openTakedowns()).map((x) => x.id)).not.toContain(task!.id);
      const doneList = (await lead.get('/api/takedowns?status=done')).body.takedowns as { id: string }[];
      expect(doneList.map((x) => x.id)).toContain(task!.id);
      expect((await lead.post(`/api/takedowns/${task!.id}/done`).send({ evidence: 'Igjen.' })).status).toBe(409);

      // The audit log tells it all, in order, with ids and codes only.
      const ours = new Set([photo.id, gallery.publication.id, fb.publication.id, task!.id, ...decisions.map((d) => d.id)]);
      const events = (await auditSince(since)).filter((e) => (e.objectId && ours.has(e.objectId)) || e.payload.personId === f.child.id);
      const actions = events.map((e) => e.action);
      const story = [
        'photo.uploaded',
        'photo.tagged',
        'gate.checked',
        'gate.refused',
        'consent.given',
        'consent.given',
        'consent.given',
        'consent.given',
        'gate.passed',
        'publication.published',
        'gate.passed',
        'publication.requested',
        'publication.approved',
        'publication.external_url',
        'consent.withdrawn',
        'publication.unpublished',
        'consent.withdrawn',
        'publication.unpublished',
        'takedown.opened',
        'takedown.done',
      ];
      expect(actions).toEqual(story);
      const unpublished = events.filter((e) => e.action === 'publication.unpublished');
      expect(unpublished.map((e) => e.objectId)).toEqual([gallery.publication.id, fb.publication.id]);
      expect(events.find((e) => e.action === 'takedown.opened')).toMatchObject({ objectId: task!.id, payload: { publicationId: fb.publication.id, reason: 'consent_withdrawn', personId: f.child.id } });
      const text = JSON.stringify(events);
      for (const word of ['Lykke', 'Dahle', mother.firstName, mother.email, TEXTS.caption, 'hytte', 'facebook.com']) expect(text).not.toContain(word);

      const verify = await (await admin()).get('/api/audit/verify');
      expect(verify.status).toBe(200);
      expect(verify.body).toMatchObject({ ok: true, brokenAt: null });

      // GET /api/publications/:id tells the Facebook copy's own story.
      const told = await publicationOf(fb.publication.id);
      expect(told.events.map((e) => e.action)).toEqual([
        'photo.uploaded',
        'photo.tagged',
        'gate.passed',
        'publication.requested',
        'publication.approved',
        'publication.external_url',
        'publication.unpublished',
        'takedown.opened',
        'takedown.done',
      ]);
      expect(told.takedowns).toEqual([expect.objectContaining({ id: task!.id, status: 'done' })]);
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('what else takes a publication down', () => {
    it('tagging a child without consent onto a published photo takes it down; so does marking it a portrait', async () => {
      const f = await family('Aurora Vangen');
      const g = await family('Teodor Vangen');
      await consent(f, 'parent_app', 'social_media');
      const photoId = await photoOf(f);
      const gallery = (await published(photoId, 'solsikken-galleri')).publication;
      const fb = await approve((await published(photoId, 'kommunens-facebook')).publication.id);

      // Teodor turns out to be in the photo too; nobody has answered for him.
      await tag(photoId, [{ personId: f.child.id }, { personId: g.child.id }]);
      expect((await publicationOf(gallery.id)).publication).toMatchObject({ status: 'unpublished', unpublishReason: 'tags_changed' });
      expect((await publicationOf(fb.id)).publication).toMatchObject({ status: 'unpublished', unpublishReason: 'tags_changed' });
      expect((await openTakedowns()).find((x) => x.publicationId === fb.id)).toMatchObject({ reason: 'tags_changed', personId: null });

      // A photo of Aurora alone on Facebook comes down when someone marks it a portrait.
      const second = await photoOf(f);
      const fb2 = await approve((await published(second, 'kommunens-facebook')).publication.id);
      const gallery2 = (await published(second, 'solsikken-galleri')).publication;
      expect((await (await staff()).patch(`/api/photos/${second}`).send({ kind: 'portrait' })).status).toBe(200);
      expect((await publicationOf(fb2.id)).publication).toMatchObject({ status: 'unpublished', unpublishReason: 'photo_changed' });
      expect((await publicationOf(gallery2.id)).publication.status).toBe('published');
    });

    it('staff unpublish by hand: a hosted copy is gone, an external one becomes a task, a waiting request is withdrawn', async () => {
      const f = await family('Iver Nesheim');
      await consent(f, 'parent_app', 'social_media');
      const photoId = await photoOf(f);
      const gallery = (await published(photoId, 'solsikken-galleri')).publication;
      const fb = await approve((await published(photoId, 'kommunens-facebook')).publication.id);
      const waiting = (await published(photoId, 'kommunens-facebook')).publication;
      const ansatt = await staff();

      for (const id of [gallery.id, fb.id, waiting.id]) {
        const res = await ansatt.post(`/api/publications/${id}/unpublish`);
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(res.body.publication).toMatchObject({ status: 'unpublished', unpublishReason: 'manual' });
      }
      const open = await openTakedowns();
      expect(open.filter((x) => x.publicationId === fb.id)).toEqual([expect.objectContaining({ reason: 'manual', status: 'open' })]);
      expect(open.filter((x) => x.publicationId === waiting.id || x.publicationId === gallery.id)).toEqual([]);
      expect((await feed('solsikken-galleri', await s.as(f.guardians[0]!.email))).map((i) => i.id)).not.toContain(gallery.id);
      const again = await ansatt.post(`/api/publications/${gallery.id}/unpublish`);
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('NOT_LIVE');
    });

    it("the due time of a takedown follows the organisation's setting", async () => {
      const a = await admin();
      expect((await a.put('/api/settings').send({ takedownDueHours: 6 })).status).toBe(200);
      try {
        const f = await family('Lea Grønli');
        await consent(f, 'social_media');
        const photoId = await photoOf(f);
        const fb = await approve((await published(photoId, 'kommunens-facebook')).publication.id);
        tick();
        await withdraw(f.guardians[0]!.email, f.child.id, P.social_media!);
        const task = (await openTakedowns()).find((x) => x.publicationId === fb.id)!;
        expect(Date.parse(task.dueAt) - Date.parse(task.createdAt)).toBe(6 * HOUR);
        moveTo(Date.parse(task.createdAt) + 6 * HOUR + MINUTE);
        expect((await openTakedowns()).find((x) => x.id === task.id)!.overdue).toBe(true);
      } finally {
        clock.set(START);
        s.forget();
        expect((await (await admin()).put('/api/settings').send({ takedownDueHours: null })).status).toBe(200);
      }
    });
  });

  describe('the local press, per occasion', () => {
    it('a press consent counts only for its occasion, and withdrawing it takes the newspaper copy down', async () => {
      const f = await family('Maiken Haugland');
      const occasion = 'Juleavslutningen 2026';
      for (const g of f.guardians) await answer(g.email, f.child.id, P.press!, 'given', { occasion });
      const photoId = await photoOf(f);

      const send = (extra: Record<string, unknown>) => (async () => (await staff()).post('/api/publications').send({ photoId, channelId: CH.lokalavisa, ...TEXTS, ...extra }))();
      expectRefused(await send({}), reason('NO_CONSENT', f), reason('REVIEW_REQUIRED', null));
      expectRefused(await send({ occasion: 'Sommerfesten' }), reason('NO_CONSENT', f));
      const res = await send({ occasion });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.publication).toMatchObject({ status: 'pending_review', occasion });
      const live = await approve(res.body.publication.id);
      expect(live).toMatchObject({ width: 1280, occasion });

      tick();
      const w = await (await s.as(f.guardians[1]!.email)).post(`/api/people/${f.child.id}/consents/${P.press}/withdraw`).send({ occasion });
      expect(w.status, JSON.stringify(w.body)).toBe(201);
      expect((await publicationOf(live.id)).publication).toMatchObject({ status: 'unpublished', unpublishReason: 'consent_withdrawn' });
      expect((await openTakedowns()).find((x) => x.publicationId === live.id)).toMatchObject({ reason: 'consent_withdrawn', personId: f.child.id });
    });
  });

  describe('publishing asks for what it needs', () => {
    it('alt text is required; a channel of another unit is not found; an inactive channel is refused', async () => {
      const f = await family('Sander Kleiven');
      await consent(f, 'parent_app');
      const photoId = await photoOf(f);
      const noAlt = await publish(photoId, 'solsikken-galleri', { caption: TEXTS.caption, altText: '   ' });
      expect(noAlt.status).toBe(400);
      expect(noAlt.body.error.code).toBe('VALIDATION_FAILED');
      expect((await publish(photoId, 'fjellet-nettside')).status).toBe(404);
      expect((await (await staff()).post(`/api/photos/${photoId}/gate`).send({ channelId: CH['fjellet-nettside'], ...TEXTS })).status).toBe(404);

      const a = await admin();
      const old = await a.post('/api/channels').send({ purposeId: P.parent_app, unitId: solsikken, name: 'Gammelt galleri', slug: 'solsikken-gammelt', kind: 'hosted' });
      expect(old.status).toBe(201);
      CH['solsikken-gammelt'] = old.body.channel.id;
      const kept = await published(photoId, 'solsikken-gammelt');
      expect((await a.patch(`/api/channels/${old.body.channel.id}`).send({ active: false })).status).toBe(200);
      const res = await publish(photoId, 'solsikken-gammelt');
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('CHANNEL_INACTIVE');
      expect((await (await s.as(f.guardians[0]!.email)).get(`/feed/solsikken-gammelt?format=json`)).status).toBe(404);
      expect((await (await s.as(f.guardians[0]!.email)).get(`/feed/solsikken-gammelt/${kept.publication.id}.jpg`)).status).toBe(404);
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('four eyes', () => {
    it('the one who asked cannot approve; staff cannot review; approval needs the harm assessment; rejecting is recorded', async () => {
      const f = await family('Ingvild Sæter');
      await consent(f, 'website');
      const photoId = await photoOf(f);

      const own = await published(photoId, 'solsikken-nettside', TEXTS, await leader());
      expect(own.publication.status).toBe('pending_review');
      const self = await (await leader()).post(`/api/publications/${own.publication.id}/review`).send({ approve: true, harmAssessment: true });
      expect(self.status).toBe(409);
      expect(self.body.error.code).toBe('OWN_REQUEST');

      const asked = await published(photoId, 'solsikken-nettside');
      const byStaff = await (await staff()).post(`/api/publications/${asked.publication.id}/review`).send({ approve: true, harmAssessment: true });
      expect(byStaff.status).toBe(403);
      const noAssessment = await (await leader()).post(`/api/publications/${asked.publication.id}/review`).send({ approve: true, harmAssessment: false });
      expect(noAssessment.status).toBe(400);
      expect((await (await leader()).post(`/api/publications/${asked.publication.id}/review`).send({ approve: true })).status).toBe(400);
      expect((await publicationOf(asked.publication.id)).publication.status).toBe('pending_review');

      const approved = await approve(asked.publication.id);
      expect(approved).toMatchObject({ harmAssessed: true, width: 1280, height: 854 });
      const again = await (await leader()).post(`/api/publications/${asked.publication.id}/review`).send({ approve: true, harmAssessment: true });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('NOT_PENDING');

      const third = await published(photoId, 'solsikken-nettside');
      const rejected = await (await leader()).post(`/api/publications/${third.publication.id}/review`).send({ approve: false, note: 'Vi har nok bilder fra denne turen.' });
      expect(rejected.status).toBe(200);
      expect(rejected.body.publication).toMatchObject({ status: 'rejected', harmAssessed: false, reviewNote: 'Vi har nok bilder fra denne turen.', urls: { image: null } });
    });

    it('the gate runs again at approval: a consent withdrawn while the request waited stops it', async () => {
      const f = await family('Brage Aune');
      await consent(f, 'website');
      const photoId = await photoOf(f);
      const asked = await published(photoId, 'solsikken-nettside');
      expect(asked.publication.status).toBe('pending_review');

      tick();
      await withdraw(f.guardians[1]!.email, f.child.id, P.website!);
      const since = await lastSeq();
      const res = await (await leader()).post(`/api/publications/${asked.publication.id}/review`).send({ approve: true, harmAssessment: true });
      expectRefused(res, reason('CONSENT_WITHDRAWN', f));
      expect(codesOf(res.body.error.details.reasons)).not.toContain('REVIEW_REQUIRED');
      expect((await publicationOf(asked.publication.id)).publication).toMatchObject({ status: 'pending_review', publishedAt: null });
      const refused = (await auditSince(since)).filter((e) => e.action === 'gate.refused');
      expect(refused).toEqual([expect.objectContaining({ objectType: 'publication', objectId: asked.publication.id })]);
      expect((await feed('solsikken-nettside')).map((i) => i.id)).not.toContain(asked.publication.id);
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('the channel-sized derivative', () => {
    it("respects the channel's longest edge, is never enlarged, and carries no metadata", async () => {
      const f = await family('Edvard Vold');
      await consent(f, 'parent_app', 'social_media');
      const a = await admin();
      const tiny = await a.post('/api/channels').send({ purposeId: P.parent_app, unitId: solsikken, name: 'Miniatyrer', slug: 'solsikken-mini', kind: 'hosted', maxLongEdge: 320 });
      expect(tiny.status, JSON.stringify(tiny.body)).toBe(201);
      CH['solsikken-mini'] = tiny.body.channel.id;

      const big = await newPhoto();
      expect(big).toMatchObject({ width: 1600, height: 1067 });
      const small = await newPhoto(undefined, smallJpeg);
      expect(small).toMatchObject({ width: 500, height: 375 });
      for (const p of [big, small]) await tag(p.id, [{ personId: f.child.id }]);

      const lead = await leader();
      const cases: [string, string, { width: number; height: number }][] = [
        [big.id, 'solsikken-galleri', { width: 1600, height: 1067 }], // 1600 px channel: the display copy as it is
        [big.id, 'kommunens-facebook', { width: 1280, height: 854 }], // public: 1280 px
        [big.id, 'solsikken-mini', { width: 320, height: 213 }],
        [small.id, 'solsikken-galleri', { width: 500, height: 375 }], // never enlarged
        [small.id, 'kommunens-facebook', { width: 500, height: 375 }],
        [small.id, 'solsikken-mini', { width: 320, height: 240 }],
      ];
      for (const [photoId, slug, size] of cases) {
        let pub = (await published(photoId, slug)).publication;
        if (pub.status === 'pending_review') pub = await approve(pub.id);
        expect(pub, slug).toMatchObject(size);
        const image = await lead.get(`/api/publications/${pub.id}/image`).buffer(true).parse(bytes);
        expect(await imageSize(image), `${slug} ${photoId === big.id ? 'big' : 'small'}`).toEqual(size);
        expect(image.headers['cache-control']).toContain('no-store');
        expect(await metadataProblems(image.body as Buffer)).toEqual([]);
      }
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('hosted feeds', () => {
    let galleryPub: string;
    let websitePub: string;
    let f: Family;

    beforeAll(async () => {
      clock.set(START);
      s.forget();
      f = await family('Runa Kvam');
      await consent(f, 'parent_app', 'website');
      const photoId = await photoOf(f);
      galleryPub = (await published(photoId, 'solsikken-galleri', { caption: 'Snømann & <skulptur>', altText: 'To barn lager en "snømann" med gulrotnese.' })).publication.id;
      websitePub = (await published(photoId, 'solsikken-nettside')).publication.id;
      await approve(websitePub);
    });

    it('a closed feed: anonymous 401, a guardian of another unit 404, a guardian of the unit 200 (bearer or cookie)', async () => {
      const anonymous = await request(app).get('/feed/solsikken-galleri?format=json');
      expect(anonymous.status).toBe(401);
      expect((await request(app).get(`/feed/solsikken-galleri/${galleryPub}.jpg`)).status).toBe(401);

      const elsewhere = await s.as('anne.lie@example.no'); // Mia Lie's mother, Fjellet skole
      expect((await elsewhere.get('/feed/solsikken-galleri?format=json')).status).toBe(404);
      expect((await elsewhere.get(`/feed/solsikken-galleri/${galleryPub}.jpg`)).status).toBe(404);

      const kari = await s.as('forelder@demo.no'); // Emma and Jakob's mother, Solsikken
      expect((await feed('solsikken-galleri', kari)).map((i) => i.id)).toContain(galleryPub);
      expect((await kari.get(`/feed/solsikken-galleri/${galleryPub}.jpg`)).status).toBe(200);

      // The gallery page is opened in a browser, with the session cookie.
      const login = await request(app).post('/api/auth/login').send({ email: 'forelder@demo.no', password: 'demo1234' });
      expect(login.status).toBe(200);
      const cookie = `samtykke_session=${login.body.token}`;
      const page = await request(app).get('/feed/solsikken-galleri').set('Cookie', cookie);
      expect(page.status).toBe(200);
      expect(page.text).toContain(galleryPub);
      expect((await request(app).get(`/feed/solsikken-galleri/${galleryPub}.jpg`).set('Cookie', cookie)).status).toBe(200);
    });

    it('a public feed is open to anyone; an unknown or external channel is a 404', async () => {
      const items = await feed('solsikken-nettside');
      expect(items.map((i) => i.id)).toContain(websitePub);
      expect(items.map((i) => i.id)).not.toContain(galleryPub);
      expect((await request(app).get(`/feed/solsikken-nettside/${websitePub}.jpg`)).status).toBe(200);
      // A publication of another channel is not served under this one.
      expect((await request(app).get(`/feed/solsikken-nettside/${galleryPub}.jpg`)).status).toBe(404);
      expect((await request(app).get('/feed/finnes-ikke?format=json')).status).toBe(404);
      expect((await request(app).get('/feed/kommunens-facebook?format=json')).status).toBe(404);
    });

    it('the gallery page has a language, alt text on every image, escaped text, and nothing is cached', async () => {
      const kari = await s.as('forelder@demo.no');
      const page = await kari.get('/feed/solsikken-galleri');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toMatch(/<html lang="nb">/);
      expect(page.text).toMatch(/<title>[^<]+<\/title>/);
      const imgs = page.text.match(/<img [^>]*>/g) ?? [];
      expect(imgs.length).toBeGreaterThan(0);
      for (const img of imgs) expect(img).toMatch(/ alt="[^"]+"/);
      expect(page.text).toContain('alt="To barn lager en &quot;snømann&quot; med gulrotnese."');
      expect(page.text).toContain('Snømann &amp; &lt;skulptur&gt;');
      expect(page.text).not.toContain('<skulptur>');

      const json = await kari.get('/feed/solsikken-galleri').set('Accept', 'application/json');
      expect(json.headers['content-type']).toMatch(/^application\/json/);
      expect(json.body.channel).toMatchObject({ slug: 'solsikken-galleri' });
      const image = await kari.get(`/feed/solsikken-galleri/${galleryPub}.jpg`);
      for (const res of [page, json, image, await request(app).get('/feed/solsikken-nettside'), await request(app).get('/feed/solsikken-galleri')]) {
        expect(res.headers['cache-control']).toBe('no-store');
      }
      expect(image.headers['content-type']).toBe('image/jpeg');
    });

    it('an expired consent hides the photo from the next request, before any job has taken it down', async () => {
      const kari = await s.as('forelder@demo.no');
      expect((await feed('solsikken-galleri', kari)).map((i) => i.id)).toContain(galleryPub);
      moveTo('2026-08-03T07:00:00.000Z');
      const since = await lastSeq();
      const later = await s.as('forelder@demo.no');
      expect((await feed('solsikken-galleri', later)).map((i) => i.id)).not.toContain(galleryPub);
      expect((await later.get(`/feed/solsikken-galleri/${galleryPub}.jpg`)).status).toBe(404);
      // The withheld image is recorded, with ids only.
      const withheld = (await auditSince(since)).filter((e) => e.action === 'feed.withheld');
      expect(withheld).toEqual([expect.objectContaining({ objectType: 'publication', objectId: galleryPub, payload: { channelId: CH['solsikken-galleri'] } })]);
      expect((await feed('solsikken-nettside')).map((i) => i.id)).not.toContain(websitePub);
      // Nothing has changed its status: the feed decided on its own.
      expect((await publicationOf(galleryPub)).publication.status).toBe('published');

      // The hourly job then records what the feed already does.
      expect(await recheckAllLive(t.ctx)).toBeGreaterThanOrEqual(2);
      for (const id of [galleryPub, websitePub]) {
        expect((await publicationOf(id)).publication).toMatchObject({ status: 'unpublished', unpublishReason: 'consent_no_longer_valid' });
      }
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('guardians', () => {
    it('see every publication of their child, and ask for one photo’s removal: gone at once when hosted, a task when external', async () => {
      const f = await family('Solveig Brekke');
      await consent(f, 'parent_app', 'social_media');
      const photoId = await photoOf(f);
      const gallery = (await published(photoId, 'solsikken-galleri')).publication;
      const fb = await approve((await published(photoId, 'kommunens-facebook')).publication.id);
      const otherPhoto = await photoOf(f);
      const second = (await published(otherPhoto, 'solsikken-galleri')).publication;

      const mor = await s.as(f.guardians[0]!.email);
      const mine = await mor.get(`/api/people/${f.child.id}/publications`);
      expect(mine.status).toBe(200);
      const list = mine.body.publications as { id: string; channelName: string; status: string; publishedAt: string }[];
      expect(list.map((p) => p.id).sort()).toEqual([gallery.id, fb.id, second.id].sort());
      expect(list.find((p) => p.id === fb.id)).toMatchObject({ channelName: 'Kommunens Facebook-side', status: 'published', publishedAt: START });
      expect(list.find((p) => p.id === gallery.id)).toMatchObject({ channelName: 'Foreldregalleriet på Solsikken', status: 'published' });

      const hosted = await mor.post(`/api/publications/${gallery.id}/takedown-request`).send({ personId: f.child.id });
      expect(hosted.status, JSON.stringify(hosted.body)).toBe(200);
      expect(hosted.body.publication).toMatchObject({ status: 'unpublished', unpublishReason: 'guardian_request' });
      const far = await s.as(f.guardians[1]!.email);
      const shown = (await feed('solsikken-galleri', far)).map((i) => i.id);
      expect(shown).not.toContain(gallery.id);
      expect(shown).toContain(second.id); // only the one photo she asked about
      expect((await publicationOf(gallery.id)).takedowns).toEqual([]);

      const external = await mor.post(`/api/publications/${fb.id}/takedown-request`).send({ personId: f.child.id });
      expect(external.status).toBe(200);
      expect(external.body.publication.status).toBe('unpublished');
      const task = (await openTakedowns()).find((x) => x.publicationId === fb.id);
      expect(task).toMatchObject({ reason: 'guardian_request', personId: f.child.id, status: 'open' });

      const after = (await mor.get(`/api/people/${f.child.id}/publications`)).body.publications as { id: string; status: string }[];
      expect(after.find((p) => p.id === fb.id)!.status).toBe('unpublished');
      expect(after.find((p) => p.id === second.id)!.status).toBe('published');
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('the publication log', () => {
    it('lists with filters, exports CSV with a header and no captions, and tells each publication’s story', async () => {
      const f = await family('Oda Rønning');
      await consent(f, 'parent_app');
      const photoId = await photoOf(f);
      const secret = 'Bildetekst-som-ikke-skal-i-CSV';
      const pub = (await published(photoId, 'solsikken-galleri', { caption: secret, altText: 'Alt-tekst-som-ikke-skal-i-CSV' })).publication;
      const lead = await leader();

      const byPerson = await lead.get(`/api/publications?personId=${f.child.id}`);
      expect(byPerson.status).toBe(200);
      expect(byPerson.body.publications.map((p: { id: string }) => p.id)).toEqual([pub.id]);
      const byChannel = (await lead.get(`/api/publications?channelId=${CH['solsikken-galleri']}&status=published&unitId=${solsikken}`)).body.publications as { id: string; channelId: string; status: string }[];
      expect(byChannel.map((p) => p.id)).toContain(pub.id);
      for (const p of byChannel) expect(p).toMatchObject({ channelId: CH['solsikken-galleri'], status: 'published' });
      expect((await lead.get(`/api/publications?status=unpublished&personId=${f.child.id}`)).body.publications).toEqual([]);
      const window = (await lead.get(`/api/publications?from=2026-03-03&personId=${f.child.id}`)).body.publications;
      expect(window).toEqual([]);

      const csv = await lead.get('/api/publications.csv');
      expect(csv.status).toBe(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.headers['content-disposition']).toMatch(/attachment/);
      const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('id,status,channelId,unitId,photoId,requestedBy,requestedAt,reviewedBy,reviewedAt,harmAssessed,publishedAt,unpublishedAt,unpublishReason,externalUrl,decisionIds');
      expect(lines.some((l) => l.startsWith(`${pub.id},published,`))).toBe(true);
      expect(csv.text).not.toContain(secret);
      expect(csv.text).not.toContain('Alt-tekst-som-ikke-skal-i-CSV');
      expect(csv.text).not.toContain(TEXTS.caption);

      const story = await publicationOf(pub.id);
      expect(story.publication).toMatchObject({ id: pub.id, caption: secret, status: 'published' });
      expect(story.events.map((e) => e.action)).toEqual(['photo.uploaded', 'photo.tagged', 'gate.passed', 'publication.published']);
      expect(story.events.map((e) => e.seq)).toEqual([...story.events.map((e) => e.seq)].sort((a, b) => a - b));
    });

    it('every gate decision — dry run, refused, passed — is an audit event with ids and codes only', async () => {
      const f = await family('Viljar Bakkevig');
      const photoId = await photoOf(f);
      const since = await lastSeq();
      const named = { caption: 'Viljar Bakkevig i skogen', altText: TEXTS.altText };
      await dryRun(photoId, 'solsikken-galleri', named);
      expectRefused(await publish(photoId, 'solsikken-galleri', named), reason('NO_CONSENT', f), reason('FULL_NAME_IN_TEXT', f, 'caption'));
      await consent(f, 'parent_app');
      const ok = await published(photoId, 'solsikken-galleri');

      const gates = (await auditSince(since)).filter((e) => e.action.startsWith('gate.'));
      expect(gates.map((e) => e.action)).toEqual(['gate.checked', 'gate.refused', 'gate.passed']);
      const ansattId = (await (await staff()).get('/api/me')).body.user.id;
      for (const e of gates) {
        expect(e).toMatchObject({ objectType: 'photo', objectId: photoId, actorId: ansattId });
        expect(Object.keys(e.payload).sort()).toEqual(['allowed', 'channelId', 'decisionIds', 'reasons']);
        expect(e.payload.channelId).toBe(CH['solsikken-galleri']);
        for (const r of e.payload.reasons as Record<string, unknown>[]) for (const k of Object.keys(r)) expect(['code', 'personId', 'field']).toContain(k);
        const text = JSON.stringify(e);
        for (const word of ['Viljar', 'Bakkevig', 'skogen']) expect(text).not.toContain(word);
      }
      expect(gates[0]!.payload).toMatchObject({
        allowed: false,
        reasons: [
          { code: 'NO_CONSENT', personId: f.child.id },
          { code: 'FULL_NAME_IN_TEXT', personId: f.child.id, field: 'caption' },
        ],
        decisionIds: [],
      });
      expect(gates[2]!.payload).toMatchObject({ allowed: true, reasons: [], decisionIds: ok.gate.decisionIds });
      expect(ok.gate.decisionIds).toHaveLength(2);
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('guidelines', () => {
    it('a new version stops staff uploading and publishing until they confirm it; the leader sees who has', async () => {
      const f = await family('Ylva Torsvik');
      await consent(f, 'parent_app');
      const photoId = await photoOf(f);
      const a = await admin();
      const current = (await (await staff()).get('/api/guidelines')).body.guidelines;
      expect(current).toMatchObject({ version: 1, acknowledgedAt: expect.any(String) });

      tick();
      const v2 = await a.post('/api/guidelines').send({ texts: { nb: { title: 'Retningslinjer 2', body: 'Nye regler for bilder av barn.' } } });
      expect(v2.status, JSON.stringify(v2.body)).toBe(201);
      expect(v2.body.version).toBe(2);
      expect((await (await staff()).post('/api/guidelines').send({ texts: { nb: { title: 'x', body: 'y' } } })).status).toBe(403);

      const ansatt = await staff();
      const up = await upload(ansatt, blaaklokka, [{ name: 'tur.jpg', bytes: smallJpeg }]);
      expect(up.status).toBe(403);
      expect(up.body).toMatchObject({ error: { code: 'GUIDELINES_NOT_ACKNOWLEDGED', details: { version: 2 } } });
      const pub = await publish(photoId, 'solsikken-galleri', TEXTS, ansatt);
      expect(pub.status).toBe(403);
      expect(pub.body.error.code).toBe('GUIDELINES_NOT_ACKNOWLEDGED');
      expect((await ansatt.get('/api/guidelines')).body.guidelines).toMatchObject({ version: 2, title: 'Retningslinjer 2', acknowledgedAt: null });

      const lead = await leader();
      const before = await lead.get(`/api/units/${solsikken}/guideline-acknowledgements`);
      expect(before.status).toBe(200);
      expect(before.body.version).toBe(2);
      const row = (email: string, body: typeof before.body) => (body.people as { email: string; acknowledgedAt: string | null }[]).find((p) => p.email === email);
      expect(row('ansatt@demo.no', before.body)).toMatchObject({ acknowledgedAt: null });
      expect(row('leder@demo.no', before.body)).toMatchObject({ acknowledgedAt: null });

      const outdated = await ansatt.post('/api/guidelines/acknowledge').send({ version: 1 });
      expect(outdated.status).toBe(409);
      expect(outdated.body.error.code).toBe('GUIDELINES_OUTDATED');
      expect((await ansatt.post('/api/guidelines/acknowledge').send({ version: 2 })).status).toBe(204);

      const after = await lead.get(`/api/units/${solsikken}/guideline-acknowledgements`);
      expect(row('ansatt@demo.no', after.body)).toMatchObject({ acknowledgedAt: clock.now().toISOString() });
      expect(row('leder@demo.no', after.body)).toMatchObject({ acknowledgedAt: null });
      expect((await publish(photoId, 'solsikken-galleri', TEXTS, await leader())).status).toBe(403);

      expect((await upload(ansatt, blaaklokka, [{ name: 'tur.jpg', bytes: smallJpeg }])).status).toBe(201);
      expect((await published(photoId, 'solsikken-galleri', TEXTS, ansatt)).publication.status).toBe('published');
      expect((await lead.post('/api/guidelines/acknowledge').send({ version: 2 })).status).toBe(204);
      expect((await published(photoId, 'solsikken-galleri', TEXTS, lead)).publication.status).toBe('published');
    });
  });
});
