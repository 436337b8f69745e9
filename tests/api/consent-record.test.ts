import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { findAuditEvents } from '../../server/modules/audit/audit.repository.js';
import { expectValidExport } from '../support/consent-record-schemas.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory, type DemoPerson } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';

type Agent = ReturnType<typeof as>;
type Json = Record<string, any>;

interface HistoryItem {
  id: string;
  purposeId: string;
  question: string;
  decision: string;
  decidedBy: { id: string; role: string };
  method: string;
  noticeSha256: string;
  decidedAt: string;
  validUntil: string | null;
}

const STATUS = { given: 'dpv:ConsentGiven', refused: 'dpv:ConsentRefused', withdrawn: 'dpv:ConsentWithdrawn' } as const;

describe.each(testEngines())('consent-record export [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let dir: Awaited<ReturnType<typeof demoDirectory>>;
  let kari: Agent;
  let emma: DemoPerson;
  let history: HistoryItem[];
  let consents: Json;

  const exportOf = (agent: Agent, personId: string, format: string) => agent.get(`/api/people/${personId}/consent-record?format=${format}`);

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    dir = await demoDirectory(app);
    emma = dir.child('Emma Nordmann');
    kari = as(app, await tokenFor(app, 'forelder@demo.no'));
    const staff = as(app, await tokenFor(app, 'ansatt@demo.no'));

    // Emma's father answered on the web when the demo was seeded; her mother answers now, and
    // staff record the father's signed paper form for social media.
    const before = (await kari.get(`/api/people/${emma.id}/consents`)).body;
    const purpose = (code: string) => {
      const p = before.purposes.find((x: Json) => x.purpose.code === code);
      return { purposeId: p.purpose.id as string, noticeVersion: p.notice.version as number };
    };
    const ola = (await staff.get(`/api/people/${emma.id}/guardians`)).body.guardians.find((g: Json) => g.guardian.firstName === 'Ola').guardian.id;
    const post = async (agent: Agent, path: string, body: object) => {
      const res = await agent.post(path).send(body);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(201);
    };
    const answer = `/api/people/${emma.id}/consents`;
    await post(kari, answer, { ...purpose('internal'), question: 'photo', decision: 'given' });
    await post(kari, answer, { ...purpose('internal'), question: 'first_name', decision: 'given' });
    await post(kari, `${answer}/${purpose('internal').purposeId}/withdraw`, { question: 'first_name' });
    await post(kari, answer, { ...purpose('website'), question: 'photo', decision: 'refused' });
    await post(staff, answer, {
      ...purpose('social_media'),
      question: 'photo',
      decision: 'given',
      onBehalfOf: ola,
      method: 'paper',
      evidenceNote: 'Signert skjema ligger i permen på kontoret.',
    });

    consents = (await kari.get(`/api/people/${emma.id}/consents`)).body;
    history = consents.history;
  });
  afterAll(() => t.close());

  it('downloads as an attachment named by person id and format, never cached', async () => {
    for (const format of ['iso27560', 'kantara']) {
      const res = await exportOf(kari, emma.id, format);
      expect(res.status).toBe(200);
      expect(res.headers['content-disposition']).toBe(`attachment; filename="samtykke-${emma.id}-${format}.json"`);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-type']).toMatch(format === 'iso27560' ? /^application\/ld\+json/ : /^application\/json/);
    }
  });

  it('both formats validate against the JSON Schemas the project keeps', async () => {
    for (const format of ['iso27560', 'kantara'] as const) {
      const res = await exportOf(kari, emma.id, format);
      expectValidExport(format, res.body);
    }
  });

  it('the ISO 27560 record holds every decision of the history exactly once, unchanged', async () => {
    const record = (await exportOf(kari, emma.id, 'iso27560')).body;
    const kinds = new Set(history.map((h) => `${h.decision}/${h.method}`));
    expect([...kinds].sort()).toEqual(['given/paper', 'given/web', 'refused/web', 'withdrawn/web']);
    expect(new Set(history.map((h) => h.purposeId)).size).toBeGreaterThanOrEqual(2);

    const events: (Json & { purposeId: string })[] = record['dpv:hasProcess'].flatMap((p: Json) =>
      p['dpv:hasConsentStatus'].map((e: Json) => ({ ...e, purposeId: p['dpv:hasPurpose']['dct:identifier'] })),
    );
    expect(events).toHaveLength(history.length);
    for (const h of history) {
      const matches = events.filter((e) => e['dct:identifier'] === h.id);
      expect(matches, `decision ${h.id}`).toHaveLength(1);
      const e = matches[0]!;
      expect(e.purposeId).toBe(h.purposeId);
      expect(e['samtykke:question']).toBe(h.question);
      expect(e['dpv:isIndicatedAtTime']).toBe(h.decidedAt);
      expect(e['@type'][0]).toBe(STATUS[h.decision as keyof typeof STATUS]);
      expect(e['dpv:isIndicatedBy']['dct:identifier']).toBe(h.decidedBy.id);
      expect(e['dpv:isIndicatedBy']['samtykke:role']).toBe(h.decidedBy.role);
      expect(e['dpv:hasIndicationMethod']).toBe(h.method);
      expect(e['samtykke:noticeSha256']).toBe(h.noticeSha256);
      if (h.validUntil) expect(e['dpv:hasDuration']['rdf:value']).toBe(h.validUntil);
      // The notice the decision was taken on is in the record, with the same hash.
      const notice = record['dpv:hasNotice'].find((n: Json) => n['@id'] === e['dpv:hasNotice']);
      expect(notice['samtykke:sha256']).toBe(h.noticeSha256);
    }
    const paper = events.find((e) => e['dpv:hasIndicationMethod'] === 'paper')!;
    expect(paper['samtykke:recordedBy']['samtykke:recordedAs']).toBe('staff');
    expect(paper['samtykke:evidenceNote']).toBe('Signert skjema ligger i permen på kontoret.');
  });

  it('the ISO 27560 record carries the current state per purpose, as the consents page computes it', async () => {
    const record = (await exportOf(kari, emma.id, 'iso27560')).body;
    for (const p of consents.purposes) {
      const process = record['dpv:hasProcess'].find((x: Json) => x['dpv:hasPurpose']['dct:identifier'] === p.purpose.id);
      expect(process, p.purpose.code).toBeDefined();
      expect(process['dpv:hasConsentControl']['dpv:isExercisedAt']).toMatch(new RegExp(`/api/people/${emma.id}/consents/${p.purpose.id}/withdraw$`));
      expect(process['dpv:hasConsentControl']['dct:description']).toBe(p.notice.withdrawal);
      for (const q of p.questions) {
        const state = process['samtykke:currentState'].find((s: Json) => s['samtykke:question'] === q.question);
        expect(state['samtykke:valid'], `${p.purpose.code}/${q.question}`).toBe(q.state.valid);
        expect(state['samtykke:reasons']).toEqual(q.state.reasons);
        expect(state['samtykke:validUntil']).toBe(q.state.validUntil);
        expect(state['samtykke:reliesOn']).toEqual(q.state.decisionIds);
      }
    }
    const states = Object.fromEntries(
      record['dpv:hasProcess'].map((p: Json) => [p['dpv:hasPurpose']['samtykke:code'], p['samtykke:currentState'].map((s: Json) => s['dpv:hasConsentStatus'])]),
    );
    expect(states.internal).toEqual(['dpv:ConsentGiven', 'dpv:ConsentWithdrawn']);
    expect(states.website[0]).toBe('dpv:ConsentRefused');
    expect(states.social_media).toEqual(['dpv:ConsentRequested']);
    expect(record['dpv:hasEntity'][0]['dpv:hasName']).toBe('Demo kommune');
    expect(record['dpv:hasDataSubject']['dct:identifier']).toBe(emma.id);
  });

  it('the Kantara receipt lists exactly the consents in force', async () => {
    const receipt = (await exportOf(kari, emma.id, 'kantara')).body;
    const inForce = consents.purposes.flatMap((p: Json) => p.questions.filter((q: Json) => q.state.valid).map((q: Json) => `${p.purpose.name.nb}/${q.question}`));
    const listed = receipt.services.flatMap((s: Json) => s.purposes.map((p: Json) => `${s.service}/${p.primaryPurpose ? 'photo' : 'first_name'}`));
    expect(listed.sort()).toEqual(inForce.sort());
    expect(listed.length).toBeGreaterThan(0);
    expect(receipt.piiPrincipalId).toBe(emma.id);
    expect(receipt.piiControllers[0]).toMatchObject({ piiController: 'Demo kommune', email: 'personvern@demo.no' });
    const last = history.map((h) => h.decidedAt).sort().at(-1)!;
    expect(receipt.consentTimestamp).toBe(Math.floor(Date.parse(last) / 1000));
  });

  it('names no child, the person themself included, in either format', async () => {
    const others = dir.people.filter((p) => p.id !== emma.id);
    expect(others.length).toBeGreaterThan(20);
    for (const format of ['iso27560', 'kantara']) {
      const text = (await exportOf(kari, emma.id, format)).text;
      for (const p of others) {
        expect(text, `${format}: ${p.firstName} ${p.lastName}`).not.toMatch(new RegExp(`(^|[^\\p{L}])(${p.firstName}|${p.lastName})($|[^\\p{L}])`, 'u'));
      }
      expect(text).not.toContain('Emma');
    }
  });

  it("a guardian gets 404 for another family's child, and the refusal is audited", async () => {
    const nora = dir.child('Nora Hansen');
    for (const format of ['iso27560', 'kantara']) {
      const res = await exportOf(kari, nora.id, format);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
      expect(JSON.stringify(res.body)).not.toMatch(/Nora|Hansen/);
      const [refusal] = await findAuditEvents(t.ctx.db, { action: 'access.refused', objectId: nora.id, limit: 1 });
      expect(refusal?.object_type).toBe('person');
    }
    const exported = await findAuditEvents(t.ctx.db, { action: 'consent_record.exported', objectId: nora.id, limit: 1 });
    expect(exported).toEqual([]);
  });

  it('every export is audited with the person and the format, and nothing else', async () => {
    for (const format of ['iso27560', 'kantara']) {
      const res = await exportOf(kari, emma.id, format);
      expect(res.status).toBe(200);
      const [event] = await findAuditEvents(t.ctx.db, { action: 'consent_record.exported', limit: 1 });
      expect(event?.object_type).toBe('person');
      expect(event?.object_id).toBe(emma.id);
      expect(JSON.parse(event!.payload)).toEqual({ personId: emma.id, format });
    }
  });

  it('staff, leaders and admins download in their scope; staff of another unit get 404', async () => {
    for (const email of ['ansatt@demo.no', 'leder@demo.no', 'admin@demo.no']) {
      const res = await exportOf(as(app, await tokenFor(app, email)), emma.id, 'kantara');
      expect(res.status, email).toBe(200);
    }
    const elias = dir.child('Elias Bakken');
    expect((await exportOf(as(app, await tokenFor(app, 'ansatt@demo.no')), elias.id, 'iso27560')).status).toBe(404);
  });

  it('a pupil from the self-consent age downloads their own record, deciding for themself', async () => {
    const pupil = as(app, await tokenFor(app, 'elev@demo.no'));
    const me = (await pupil.get('/api/me')).body.user;
    const res = await exportOf(pupil, me.personId, 'iso27560');
    expect(res.status).toBe(200);
    expectValidExport('iso27560', res.body);
    expect(res.body['dpv:hasDataSubject']['samtykke:decidesSelf']).toBe(true);
  });

  it('refuses an unknown format and anonymous callers', async () => {
    const bad = await exportOf(kari, emma.id, 'pdf');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
    expect((await exportOf(kari, emma.id, '')).status).toBe(400);
    const anonymous = await request(app).get(`/api/people/${emma.id}/consent-record?format=kantara`);
    expect(anonymous.status).toBe(401);
  });
});
