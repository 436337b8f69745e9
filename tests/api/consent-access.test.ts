import request from 'supertest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/adapters/clock.js';
import { createApp } from '../../server/app.js';
import { findAuditEvents } from '../../server/modules/audit/audit.repository.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { createFamily, guardiansOf, purposeIds, Sessions, type Agent } from '../support/family.js';

const START = '2026-03-02T09:00:00.000Z';

type Call = { name: string; method: 'get' | 'post' | 'put'; path: string; body?: object };

describe.each(testEngines())('consent access control [%s]', (engine) => {
  let t: TestContext;
  let clock: ManualClock;
  let app: ReturnType<typeof createApp>;
  let s: Sessions;
  let dir: Awaited<ReturnType<typeof demoDirectory>>;
  let P: Record<string, string>;
  let groups: Record<'Blåklokka' | 'Prestekragen' | '10B', string>;

  beforeAll(async () => {
    clock = new ManualClock(START);
    t = await createTestContext(engine, { clock });
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    s = new Sessions(app, t.ctx);
    dir = await demoDirectory(app);
    P = await purposeIds(dir.admin);
    const all = [...(await dir.groups('Solsikken barnehage')), ...(await dir.groups('Fjellet skole'))];
    groups = Object.fromEntries(all.map((g) => [g.name, g.id])) as typeof groups;
  });
  afterAll(() => t.close());
  beforeEach(() => clock.advance(60_000));

  /** Every consent endpoint that reads or changes one person. */
  const personCalls = (personId: string): Call[] => [
    { name: 'read consents', method: 'get', path: `/api/people/${personId}/consents` },
    { name: 'answer', method: 'post', path: `/api/people/${personId}/consents`, body: { purposeId: P.internal, decision: 'given', noticeVersion: 1 } },
    { name: 'withdraw', method: 'post', path: `/api/people/${personId}/consents/${P.internal}/withdraw` },
    { name: "record the child's view", method: 'post', path: `/api/people/${personId}/views`, body: { objects: true } },
    { name: 'read protection', method: 'get', path: `/api/people/${personId}/protection` },
    { name: 'set protection', method: 'put', path: `/api/people/${personId}/protection`, body: { protected: true } },
  ];
  const overviewCall = (groupId: string): Call => ({ name: 'group overview', method: 'get', path: `/api/groups/${groupId}/consent-overview` });

  const send = (agent: Agent, call: Call) => {
    const req = agent[call.method](call.path);
    return call.body ? req.send(call.body) : req;
  };
  const refusals = async (objectId: string) => (await findAuditEvents(t.ctx.db, { action: 'access.refused', objectId, limit: 1000 })).length;
  const accountIdOf = async (agent: Agent) => (await agent.get('/api/me')).body.user.id as string;

  /** The call is refused with the given status, reveals nothing, changes nothing, and the refusal is audited with the caller's account. */
  async function expectRefused(agent: Agent, call: Call, objectId: string, status: 403 | 404, who: string) {
    const accountId = await accountIdOf(agent);
    const before = await refusals(objectId);
    const decisionsBefore = await t.ctx.db.selectFrom('consent_decisions').select('id').execute();
    const res = await send(agent, call);
    expect(res.status, `${who}: ${call.name} (${call.method.toUpperCase()} ${call.path})`).toBe(status);
    expect(res.body.error.code).toBe(status === 404 ? 'NOT_FOUND' : 'FORBIDDEN');
    expect(JSON.stringify(res.body)).not.toMatch(/NO_CONSENT|PROTECTED|protected":|Nora|Hansen|Elias|Bakken|Noah|Berg/);
    const events = await findAuditEvents(t.ctx.db, { action: 'access.refused', objectId, limit: 1000 });
    expect(events.length, `${who}: ${call.name} is audited as access.refused`).toBe(before + 1);
    expect(events[0]!.actor_id).toBe(accountId);
    expect((await t.ctx.db.selectFrom('consent_decisions').select('id').execute()).length, 'no decision was written').toBe(decisionsBefore.length);
  }

  async function expectUntouched(personId: string) {
    const [views, flags] = await Promise.all([
      t.ctx.db.selectFrom('child_views').select('id').where('person_id', '=', personId).execute(),
      t.ctx.db.selectFrom('protection_changes').select('id').where('person_id', '=', personId).execute(),
    ]);
    expect(views).toEqual([]);
    expect(flags.length).toBeLessThanOrEqual(1); // Noah's flag comes from the demo seed
  }

  describe('a guardian', () => {
    it("cannot read or change any consent of another family's child in the same group: 404 at every endpoint, each audited", async () => {
      const kari = await s.as('forelder@demo.no');
      const nora = dir.child('Nora Hansen');
      const history = (await dir.admin.get(`/api/people/${nora.id}/consents`)).body.history;
      for (const call of personCalls(nora.id)) await expectRefused(kari, call, nora.id, 404, 'forelder@demo.no');
      expect((await (await s.as('admin@demo.no')).get(`/api/people/${nora.id}/consents`)).body.history).toEqual(history);
      await expectUntouched(nora.id);
    });

    it("cannot read or change any consent of a pupil in another unit, nor see any group's overview", async () => {
      const kari = await s.as('forelder@demo.no');
      const elias = dir.child('Elias Bakken');
      for (const call of personCalls(elias.id)) await expectRefused(kari, call, elias.id, 404, 'forelder@demo.no');
      await expectUntouched(elias.id);
      // Not another unit's group, and not even her own children's groups: the overview is for staff.
      for (const name of ['10B', 'Blåklokka', 'Prestekragen'] as const) {
        await expectRefused(kari, overviewCall(groups[name]), groups[name], 404, 'forelder@demo.no');
      }
    });

    it("may not record her own child's view or read or set the protection flag: 403, each audited", async () => {
      const kari = await s.as('forelder@demo.no');
      const emma = dir.child('Emma Nordmann');
      for (const call of personCalls(emma.id).filter((c) => /view|protection/.test(c.name))) {
        await expectRefused(kari, call, emma.id, 403, 'forelder@demo.no');
      }
      await expectUntouched(emma.id);
    });

    it("cannot answer in the other guardian's name", async () => {
      const kari = await s.as('forelder@demo.no');
      const emma = dir.child('Emma Nordmann');
      const ola = (await guardiansOf(dir.admin, emma.id)).find((g) => g.guardian.firstName === 'Ola')!.guardian;
      const body = { purposeId: P.website, decision: 'refused', noticeVersion: 1, onBehalfOf: ola.id, method: 'paper', evidenceNote: 'Ola sa nei' };
      await expectRefused(kari, { name: "answer as Ola", method: 'post', path: `/api/people/${emma.id}/consents`, body }, emma.id, 403, 'forelder@demo.no');
      const withdrawal = { name: 'withdraw as Ola', method: 'post' as const, path: `/api/people/${emma.id}/consents/${P.website}/withdraw`, body: { onBehalfOf: ola.id } };
      await expectRefused(kari, withdrawal, emma.id, 403, 'forelder@demo.no');
      const state = (await kari.get(`/api/people/${emma.id}/consents`)).body.purposes.find((p: { purpose: { id: string } }) => p.purpose.id === P.website).questions[0];
      expect(state.state.reasons).toEqual(['AWAITING_GUARDIAN']);
      expect(state.myAnswer).toBeNull();
    });

    it('a foster parent without parental responsibility gets 404 at every endpoint', async () => {
      const noah = dir.child('Noah Berg');
      const foster = (await guardiansOf(dir.admin, noah.id)).find((g) => g.role === 'foster_parent')!;
      expect(foster.responsibility).toBe(false);
      const agent = await s.as(foster.guardian.email);
      for (const call of personCalls(noah.id)) await expectRefused(agent, call, noah.id, 404, 'foster parent');
      await expectRefused(agent, overviewCall(groups['Blåklokka']), groups['Blåklokka'], 404, 'foster parent');
      await expectUntouched(noah.id);
    });

    it('loses access from the next request when parental responsibility is removed', async () => {
      const f = await createFamily(await s.as('admin@demo.no'), {
        child: 'Ida Strøm',
        birthDate: '2022-02-02',
        groupId: groups['Blåklokka'],
        guardians: [{ name: 'Berit Strøm' }, { name: 'Roy Strøm' }],
      });
      const roy = await s.as(f.guardians[1]!.email);
      expect((await roy.get(`/api/people/${f.child.id}/consents`)).status).toBe(200);
      const changed = await (await s.as('admin@demo.no')).patch(`/api/guardian-links/${f.guardians[1]!.linkId}`).send({ responsibility: false });
      expect(changed.status).toBe(200);
      for (const call of personCalls(f.child.id)) await expectRefused(roy, call, f.child.id, 404, 'Roy');
    });
  });

  describe('staff and leaders', () => {
    it("staff cannot read or change any consent of another unit's pupil, nor see another unit's overview: 404, each audited", async () => {
      const ansatt = await s.as('ansatt@demo.no');
      const elias = dir.child('Elias Bakken');
      for (const call of personCalls(elias.id)) await expectRefused(ansatt, call, elias.id, 404, 'ansatt@demo.no');
      await expectRefused(ansatt, overviewCall(groups['10B']), groups['10B'], 404, 'ansatt@demo.no');
      await expectUntouched(elias.id);
    });

    it('staff may not read or set the protection flag of a child in their own unit: 403, each audited', async () => {
      const ansatt = await s.as('ansatt@demo.no');
      const nora = dir.child('Nora Hansen');
      for (const call of personCalls(nora.id).filter((c) => /protection/.test(c.name))) await expectRefused(ansatt, call, nora.id, 403, 'ansatt@demo.no');
      await expectUntouched(nora.id);
    });

    it("a leader cannot read or change any consent of another unit's pupil, nor see its overview", async () => {
      const leder = await s.as('leder@demo.no');
      const elias = dir.child('Elias Bakken');
      for (const call of personCalls(elias.id)) await expectRefused(leder, call, elias.id, 404, 'leder@demo.no');
      await expectRefused(leder, overviewCall(groups['10B']), groups['10B'], 404, 'leder@demo.no');
      await expectUntouched(elias.id);
    });
  });

  describe('a pupil', () => {
    it('cannot read or change any consent of a classmate, nor see the class overview', async () => {
      const mia = await s.as('elev@demo.no');
      const elias = dir.child('Elias Bakken');
      for (const call of personCalls(elias.id)) await expectRefused(mia, call, elias.id, 404, 'elev@demo.no');
      await expectRefused(mia, overviewCall(groups['10B']), groups['10B'], 404, 'elev@demo.no');
      await expectUntouched(elias.id);
    });

    it('may not record a view of her own or read or set her own protection flag: 403', async () => {
      const mia = await s.as('elev@demo.no');
      const self = dir.child('Mia Lie');
      for (const call of personCalls(self.id).filter((c) => /view|protection/.test(c.name))) await expectRefused(mia, call, self.id, 403, 'elev@demo.no');
      await expectUntouched(self.id);
    });
  });

  it('anonymous callers get 401 at every consent endpoint', async () => {
    const nora = dir.child('Nora Hansen');
    for (const call of [...personCalls(nora.id), overviewCall(groups['Blåklokka'])]) {
      const req = request(app)[call.method](call.path);
      const res = call.body ? await req.send(call.body) : await req;
      expect(res.status, call.name).toBe(401);
      expect(res.body.error.code).toBe('UNAUTHENTICATED');
    }
  });

  describe('the audit log', () => {
    it('every decision, withdrawal, view and flag change writes an audit event that carries ids, not names', async () => {
      const admin = await s.as('admin@demo.no');
      const f = await createFamily(admin, {
        child: 'Signe Kvam',
        birthDate: '2019-06-20',
        groupId: groups['Blåklokka'],
        guardians: [{ name: 'Torill Kvam' }, { name: 'Bård Kvam' }],
      });
      const [torill, baard] = f.guardians as [(typeof f.guardians)[0], (typeof f.guardians)[0]];
      const guardian = await s.as(torill.email);
      const ansatt = await s.as('ansatt@demo.no');
      const leder = await s.as('leder@demo.no');
      const notices = (await admin.get(`/api/purposes/${P.internal}/notices`)).body.notices as { id: string; version: number; lang: string }[];
      const nbNotice = notices.find((n) => n.version === 1 && n.lang === 'nb')!.id;
      const firstSeq = Number((await findAuditEvents(t.ctx.db, { limit: 1 }))[0]!.seq);

      const given = (await guardian.post(`/api/people/${f.child.id}/consents`).send({ purposeId: P.internal, decision: 'given', noticeVersion: 1 })).body.decision;
      clock.advance(1000);
      const refused = (await guardian.post(`/api/people/${f.child.id}/consents`).send({ purposeId: P.internal, question: 'first_name', decision: 'refused', noticeVersion: 1 })).body
        .decision;
      clock.advance(1000);
      const paper = (
        await ansatt.post(`/api/people/${f.child.id}/consents`).send({
          purposeId: P.internal,
          decision: 'given',
          noticeVersion: 1,
          onBehalfOf: baard.id,
          method: 'paper',
          evidenceNote: 'Skjema signert av Bård Kvam, i permen.',
        })
      ).body.decision;
      clock.advance(1000);
      const withdrawn = (await guardian.post(`/api/people/${f.child.id}/consents/${P.internal}/withdraw`)).body.decision;
      clock.advance(1000);
      const objects = (await ansatt.post(`/api/people/${f.child.id}/views`).send({ objects: true, purposeId: P.internal, note: 'Signe Kvam ville ikke.' })).body.view;
      clock.advance(1000);
      const accepts = (await ansatt.post(`/api/people/${f.child.id}/views`).send({ objects: false })).body.view;
      clock.advance(1000);
      expect((await leder.put(`/api/people/${f.child.id}/protection`).send({ protected: true })).status).toBe(200);
      clock.advance(1000);
      expect((await leder.put(`/api/people/${f.child.id}/protection`).send({ protected: false })).status).toBe(200);

      const events = (await findAuditEvents(t.ctx.db, { limit: 1000 }))
        .filter((e) => Number(e.seq) > firstSeq && !e.action.startsWith('auth.'))
        .reverse()
        .map((e) => ({ action: e.action, actor: e.actor_id, objectType: e.object_type, objectId: e.object_id, payload: JSON.parse(e.payload) }));
      const [guardianAccount, staffAccount, leaderAccount] = [await accountIdOf(guardian), await accountIdOf(ansatt), await accountIdOf(leder)];
      const decisionPayload = (question: string, deciderId: string, method: string) => ({
        personId: f.child.id,
        purposeId: P.internal,
        question,
        deciderId,
        method,
        noticeId: nbNotice,
      });
      expect(events).toEqual([
        { action: 'consent.given', actor: guardianAccount, objectType: 'consent_decision', objectId: given.id, payload: decisionPayload('photo', torill.id, 'web') },
        { action: 'consent.refused', actor: guardianAccount, objectType: 'consent_decision', objectId: refused.id, payload: decisionPayload('first_name', torill.id, 'web') },
        { action: 'consent.given', actor: staffAccount, objectType: 'consent_decision', objectId: paper.id, payload: decisionPayload('photo', baard.id, 'paper') },
        { action: 'consent.withdrawn', actor: guardianAccount, objectType: 'consent_decision', objectId: withdrawn.id, payload: decisionPayload('photo', torill.id, 'web') },
        { action: 'child_view.objects', actor: staffAccount, objectType: 'person', objectId: f.child.id, payload: { viewId: objects.id, purposeId: P.internal } },
        { action: 'child_view.accepts', actor: staffAccount, objectType: 'person', objectId: f.child.id, payload: { viewId: accepts.id, purposeId: null } },
        { action: 'protection.set', actor: leaderAccount, objectType: 'person', objectId: f.child.id, payload: {} },
        { action: 'protection.cleared', actor: leaderAccount, objectType: 'person', objectId: f.child.id, payload: {} },
      ]);
      // Names, birth dates and free text (evidence, notes) stay out of the log.
      const text = JSON.stringify(events);
      for (const personal of ['Signe', 'Kvam', 'Torill', 'Bård', '2019-06-20', 'permen', 'ville ikke']) expect(text).not.toContain(personal);

      const verify = await admin.get('/api/audit/verify');
      expect(verify.body).toMatchObject({ ok: true, brokenAt: null });
    });
  });
});
