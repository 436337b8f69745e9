import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/adapters/clock.js';
import { createApp } from '../../server/app.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import {
  consentsOf,
  createFamily,
  guardiansOf,
  noticeText,
  pupilAccount,
  purposeIds,
  Sessions,
  stateOf,
  type Agent,
  type Family,
} from '../support/family.js';

// A Monday in March, ten in the morning in Oslo; the school year ends on 31 July.
const START = '2026-03-02T09:00:00.000Z';
const MINUTE = 60_000;

describe.each(testEngines())('consent rules through the API [%s]', (engine) => {
  let t: TestContext;
  let clock: ManualClock;
  let app: ReturnType<typeof createApp>;
  let s: Sessions;
  let P: Record<string, string>;
  let blaaklokka: string;
  let tenB: string;
  let dir: Awaited<ReturnType<typeof demoDirectory>>;

  beforeAll(async () => {
    clock = new ManualClock(START);
    t = await createTestContext(engine, { clock });
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    s = new Sessions(app, t.ctx);
    dir = await demoDirectory(app);
    P = await purposeIds(dir.admin);
    blaaklokka = (await dir.groups('Solsikken barnehage')).find((g) => g.name === 'Blåklokka')!.id;
    tenB = (await dir.groups('Fjellet skole')).find((g) => g.name === '10B')!.id;
  });
  afterAll(() => t.close());
  beforeEach(() => {
    clock.set(START);
    s.forget();
  });

  /** Moves the clock; sessions follow it, so everyone signs in again. */
  const moveTo = (iso: string) => {
    clock.set(iso);
    s.forget();
  };
  const tick = () => clock.advance(MINUTE);
  const admin = () => s.as('admin@demo.no');
  const staff = () => s.as('ansatt@demo.no');
  const leader = () => s.as('leder@demo.no');
  const kid = (birthDate = '2022-05-10') => ({ birthDate, groupId: blaaklokka });

  async function answer(agent: Agent, personId: string, purposeId: string, decision: 'given' | 'refused', extra: Record<string, unknown> = {}) {
    const res = await agent.post(`/api/people/${personId}/consents`).send({ purposeId, decision, noticeVersion: 1, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.decision;
  }
  async function withdraw(agent: Agent, personId: string, purposeId: string) {
    const res = await agent.post(`/api/people/${personId}/consents/${purposeId}/withdraw`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.decision;
  }
  async function overviewCell(agent: Agent, groupId: string, childId: string, purposeId: string, question = 'photo') {
    const res = await agent.get(`/api/groups/${groupId}/consent-overview`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const row = res.body.children.find((c: { person: { id: string } }) => c.person.id === childId);
    expect(row, 'the child is in the overview').toBeDefined();
    return row.cells.find((c: { purposeId: string; question: string }) => c.purposeId === purposeId && c.question === question);
  }
  const parents = (child: string, mother: string, father: string) => ({ child, guardians: [{ name: mother }, { name: father }] });

  describe('rule 1: consent per person and purpose, and no answer means no', () => {
    it('no answer means no: a child nobody has answered for has NO_CONSENT for every purpose and question', async () => {
      const kari = await s.as('forelder@demo.no');
      const jakob = dir.child('Jakob Nordmann');
      const view = await consentsOf(kari, jakob.id);
      expect(view.canDecide).toBe(true);
      expect(view.purposes.length).toBeGreaterThanOrEqual(6);
      for (const p of view.purposes) {
        for (const q of p.questions) {
          expect(q.state, `${p.purpose.code}/${q.question}`).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], validUntil: null, decisionIds: [] });
          expect(q.state.awaiting.map((a) => `${a.firstName} ${a.lastName}`)).toEqual(['Kari Nordmann']);
          expect(q.myAnswer).toBeNull();
        }
      }
      expect(view.history).toEqual([]);
    });

    it("a new child shows NO_CONSENT in every cell of the staff's group overview", async () => {
      const f = await createFamily(await admin(), { ...kid(), ...parents('Lina Berge', 'Siv Berge', 'Tor Berge') });
      const res = await (await staff()).get(`/api/groups/${blaaklokka}/consent-overview`);
      expect(res.status).toBe(200);
      const row = res.body.children.find((c: { person: { id: string } }) => c.person.id === f.child.id);
      expect(row.cells.length).toBeGreaterThan(0);
      for (const cell of row.cells) expect(cell).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], validUntil: null });
    });

    it('guardians answer per purpose and per question: a yes to photos is no yes to first names, nor to another purpose', async () => {
      const f = await createFamily(await admin(), { ...kid(), child: 'Oda Vik', guardians: [{ name: 'Guri Vik' }] });
      const guri = await s.as(f.guardians[0]!.email);
      await answer(guri, f.child.id, P.internal!, 'given');
      let view = await consentsOf(guri, f.child.id);
      expect(stateOf(view, P.internal!, 'photo')).toMatchObject({ valid: true, reasons: [], myAnswer: 'given' });
      expect(stateOf(view, P.internal!, 'first_name')).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], myAnswer: null });
      expect(stateOf(view, P.parent_app!, 'photo')).toMatchObject({ valid: false, reasons: ['NO_CONSENT'] });

      await answer(guri, f.child.id, P.internal!, 'given', { question: 'first_name' });
      await answer(guri, f.child.id, P.parent_app!, 'given');
      await answer(guri, f.child.id, P.parent_app!, 'refused', { question: 'first_name' });
      view = await consentsOf(guri, f.child.id);
      expect(stateOf(view, P.internal!, 'first_name')).toMatchObject({ valid: true, myAnswer: 'given' });
      expect(stateOf(view, P.parent_app!, 'photo')).toMatchObject({ valid: true, myAnswer: 'given' });
      expect(stateOf(view, P.parent_app!, 'first_name')).toMatchObject({ valid: false, reasons: ['CONSENT_REFUSED'], myAnswer: 'refused' });
      expect(stateOf(view, P.website!, 'photo')).toMatchObject({ valid: false, reasons: ['NO_CONSENT'] });
    });

    it('there is no pre-ticked box: a decision must be an explicit yes or no on a named notice version', async () => {
      const f = await createFamily(await admin(), { ...kid(), child: 'Kaja Li', guardians: [{ name: 'Eva Li' }] });
      const eva = await s.as(f.guardians[0]!.email);
      const url = `/api/people/${f.child.id}/consents`;
      for (const body of [
        { purposeId: P.internal, noticeVersion: 1 },
        { purposeId: P.internal, decision: 'withdrawn', noticeVersion: 1 },
        { purposeId: P.internal, decision: true, noticeVersion: 1 },
        { purposeId: P.internal, decision: 'given' },
      ]) {
        const res = await eva.post(url).send(body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }
      // Social media asks no first-name question, so nobody can answer one.
      const res = await eva.post(url).send({ purposeId: P.social_media, question: 'first_name', decision: 'given', noticeVersion: 1 });
      expect(res.status).toBe(400);
      expect((await consentsOf(eva, f.child.id)).history).toEqual([]);
    });
  });

  describe('rule 2: informed consent on a versioned notice', () => {
    async function purposeWithNotice(code: string, audience: 'closed' | 'public' = 'closed') {
      const a = await admin();
      const created = await a.post('/api/purposes').send({ code, nameNb: `Test ${code}`, nameNn: `Test ${code}`, nameEn: `Test ${code}`, audience });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      const id = created.body.purpose.id as string;
      const notice = await a.post(`/api/purposes/${id}/notices`).send({ material: true, texts: { nb: noticeText('Bilder fra turer.') } });
      expect(notice.status).toBe(201);
      return id;
    }
    const publish = async (purposeId: string, material: boolean, what: string) => {
      const res = await (await admin()).post(`/api/purposes/${purposeId}/notices`).send({ material, texts: { nb: noticeText(what) } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.notices[0] as { version: number; sha256: string };
    };

    it('the decision records the notice version and its SHA-256, in the language it was read in', async () => {
      const f = await createFamily(await admin(), { ...kid(), child: 'Ylva Rø', guardians: [{ name: 'Åse Rø' }] });
      const aase = await s.as(f.guardians[0]!.email);
      const page = await consentsOf(aase, f.child.id, 'nn');
      const shown = page.purposes.find((p) => p.purpose.id === P.parent_app)!.notice!;
      expect(shown).toMatchObject({ version: 1, lang: 'nn' });

      const decision = await answer(aase, f.child.id, P.parent_app!, 'given', { lang: 'nn' });
      const notices = (await aase.get(`/api/purposes/${P.parent_app}/notices`)).body.notices as { id: string; version: number; lang: string; sha256: string }[];
      const nn = notices.find((n) => n.version === 1 && n.lang === 'nn')!;
      const nb = notices.find((n) => n.version === 1 && n.lang === 'nb')!;
      expect(decision).toMatchObject({ noticeVersion: 1, noticeId: nn.id, noticeSha256: nn.sha256 });
      expect(decision.noticeSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(decision.noticeSha256).toBe(shown.sha256);
      expect(decision.noticeSha256).not.toBe(nb.sha256);
      const history = (await consentsOf(aase, f.child.id)).history;
      expect(history[0]).toMatchObject({ id: decision.id, noticeVersion: 1, noticeSha256: nn.sha256 });
    });

    it('answering on an outdated notice version is a 409 NOTICE_OUTDATED that names the latest version', async () => {
      const purposeId = await purposeWithNotice(`t-outdated-${engine}`);
      await publish(purposeId, false, 'Bilder fra turer og fester.');
      const f = await createFamily(await admin(), { ...kid(), child: 'Siri Dal', guardians: [{ name: 'Mona Dal' }] });
      const mona = await s.as(f.guardians[0]!.email);
      for (const noticeVersion of [1, 3]) {
        const res = await mona.post(`/api/people/${f.child.id}/consents`).send({ purposeId, decision: 'given', noticeVersion });
        expect(res.status).toBe(409);
        expect(res.body.error).toMatchObject({ code: 'NOTICE_OUTDATED', details: { latestVersion: 2 } });
      }
      const ok = await mona.post(`/api/people/${f.child.id}/consents`).send({ purposeId, decision: 'given', noticeVersion: 2 });
      expect(ok.status).toBe(201);
      expect((await consentsOf(mona, f.child.id)).history).toHaveLength(1);
    });

    it('a material notice change asks everyone again (NOTICE_CHANGED); an editorial change does not', async () => {
      const purposeId = await purposeWithNotice(`t-material-${engine}`);
      const a = await admin();
      const one = await createFamily(a, { ...kid(), ...parents('Ella Haug', 'Hege Haug', 'Rolf Haug') });
      const two = await createFamily(a, { ...kid('2021-11-02'), child: 'Even Sand', guardians: [{ name: 'Kim Sand' }] });
      for (const f of [one, two]) await answer(await s.as(f.guardians[0]!.email), f.child.id, purposeId, 'given');

      tick();
      const editorial = await publish(purposeId, false, 'Bilder fra turer (rettet skrivefeil).');
      expect(editorial.version).toBe(2);
      for (const f of [one, two]) {
        const view = await consentsOf(await s.as(f.guardians[0]!.email), f.child.id);
        expect(stateOf(view, purposeId)).toMatchObject({ valid: true, reasons: [], validUntil: '2026-07-31' });
        expect(view.purposes.find((p) => p.purpose.id === purposeId)!.notice!.version).toBe(2);
      }

      tick();
      const material = await publish(purposeId, true, 'Bilder fra turer, nå også i kommunens app.');
      expect(material.version).toBe(3);
      for (const f of [one, two]) {
        const view = await consentsOf(await s.as(f.guardians[0]!.email), f.child.id);
        const state = stateOf(view, purposeId);
        expect(state).toMatchObject({ valid: false, reasons: ['NOTICE_CHANGED'] });
        // Everyone is asked again: the one who had said yes, and anyone who had not answered.
        expect(state.awaiting.map((g) => g.id).sort()).toEqual(f.guardians.map((g) => g.id).sort());
        expect(state.answers.find((x) => x.decider.id === f.guardians[0]!.id)!.state).toBe('notice_changed');
        expect(await overviewCell(await staff(), blaaklokka, f.child.id, purposeId)).toMatchObject({ valid: false, reasons: ['NOTICE_CHANGED'] });
      }

      // Answering the new text makes the consent valid again; the old decision stays in the history.
      tick();
      const hege = await s.as(one.guardians[0]!.email);
      const res = await hege.post(`/api/people/${one.child.id}/consents`).send({ purposeId, decision: 'given', noticeVersion: 3 });
      expect(res.status).toBe(201);
      expect(res.body.decision).toMatchObject({ noticeVersion: 3, noticeSha256: material.sha256 });
      const after = await consentsOf(hege, one.child.id);
      expect(stateOf(after, purposeId)).toMatchObject({ valid: true, reasons: [] });
      expect(after.history.map((h) => h.noticeVersion)).toEqual([3, 1]);

      // Withdrawing never asks anyone to read the new text first.
      tick();
      const kim = await s.as(two.guardians[0]!.email);
      const withdrawn = await withdraw(kim, two.child.id, purposeId);
      expect(withdrawn).toMatchObject({ decision: 'withdrawn', noticeVersion: 3 });
      expect(stateOf(await consentsOf(kim, two.child.id), purposeId).reasons).toEqual(['CONSENT_WITHDRAWN']);
    });
  });

  describe('rule 3: who decides', () => {
    it('under the "any" rule one yes is enough', async () => {
      const f = await createFamily(await admin(), { ...kid(), ...parents('Tiril Aas', 'Line Aas', 'Per Aas') });
      await answer(await s.as(f.guardians[0]!.email), f.child.id, P.internal!, 'given');
      const state = stateOf(await consentsOf(await s.as(f.guardians[1]!.email), f.child.id), P.internal!);
      expect(state).toMatchObject({ valid: true, reasons: [], decidedBy: 'guardians', validUntil: '2026-07-31', myAnswer: null });
      expect(state.answers.map((a) => [a.decider.firstName, a.state]).sort()).toEqual([
        ['Line', 'given'],
        ['Per', 'none'],
      ]);
    });

    it("one guardian's withdrawal blocks although the other said yes", async () => {
      const f = await createFamily(await admin(), { ...kid(), ...parents('Nils Bø', 'Anna Bø', 'Jon Bø') });
      const [anna, jon] = [await s.as(f.guardians[0]!.email), await s.as(f.guardians[1]!.email)];
      await answer(anna, f.child.id, P.internal!, 'given');
      await answer(jon, f.child.id, P.internal!, 'given');
      expect(stateOf(await consentsOf(anna, f.child.id), P.internal!).valid).toBe(true);

      tick();
      await withdraw(jon, f.child.id, P.internal!);
      const state = stateOf(await consentsOf(anna, f.child.id), P.internal!);
      expect(state).toMatchObject({ valid: false, reasons: ['CONSENT_WITHDRAWN'], myAnswer: 'given' });
      expect(state.answers.find((a) => a.decider.id === f.guardians[1]!.id)!.state).toBe('withdrawn');
    });

    it("one guardian's no blocks under either rule, whatever the other said", async () => {
      const f = await createFamily(await admin(), { ...kid(), ...parents('Mina Foss', 'Tone Foss', 'Geir Foss') });
      const [tone, geir] = [await s.as(f.guardians[0]!.email), await s.as(f.guardians[1]!.email)];
      for (const purpose of [P.internal!, P.website!]) {
        await answer(tone, f.child.id, purpose, 'given');
        await answer(geir, f.child.id, purpose, 'refused');
      }
      const view = await consentsOf(tone, f.child.id);
      expect(stateOf(view, P.internal!)).toMatchObject({ valid: false, reasons: ['CONSENT_REFUSED'] });
      expect(stateOf(view, P.website!)).toMatchObject({ valid: false, reasons: ['CONSENT_REFUSED'] });
    });

    it('under the "both" rule one yes is not enough: AWAITING_GUARDIAN names the other guardian', async () => {
      const f = await createFamily(await admin(), { ...kid(), ...parents('Emil Lunde', 'Marit Lunde', 'Odd Lunde') });
      const [marit, odd] = [await s.as(f.guardians[0]!.email), await s.as(f.guardians[1]!.email)];
      await answer(marit, f.child.id, P.website!, 'given');
      const waiting = stateOf(await consentsOf(marit, f.child.id), P.website!);
      expect(waiting).toMatchObject({ valid: false, reasons: ['AWAITING_GUARDIAN'], myAnswer: 'given' });
      expect(waiting.awaiting).toEqual([{ id: f.guardians[1]!.id, firstName: 'Odd', lastName: 'Lunde' }]);

      await answer(odd, f.child.id, P.website!, 'given');
      const both = stateOf(await consentsOf(marit, f.child.id), P.website!);
      expect(both).toMatchObject({ valid: true, reasons: [], awaiting: [], validUntil: '2026-07-31' });
      expect(both.decisionIds).toHaveLength(2);
    });

    it("in the demo, Emma's mother sees that the website waits for her: her father has said yes", async () => {
      const kari = await s.as('forelder@demo.no');
      const state = stateOf(await consentsOf(kari, dir.child('Emma Nordmann').id), P.website!);
      expect(state).toMatchObject({ valid: false, reasons: ['AWAITING_GUARDIAN'], myAnswer: null });
      expect(state.awaiting.map((a) => `${a.firstName} ${a.lastName}`)).toEqual(['Kari Nordmann']);
      expect(state.answers.find((a) => a.decider.firstName === 'Ola')!.state).toBe('given');
    });

    it('a pupil who turns 15 decides alone from that day, and the guardians can no longer answer', async () => {
      // 15 on Thursday 5 March 2026.
      const f = await createFamily(await admin(), { birthDate: '2011-03-05', groupId: tenB, ...parents('Jonas Eide', 'Kine Eide', 'Arne Eide') });
      const pupilEmail = await pupilAccount(await admin(), f.child.id);
      const pupil = await s.as(pupilEmail);
      let own = await consentsOf(pupil, f.child.id);
      expect(own).toMatchObject({ decidesSelf: false, selfConsentFrom: '2026-03-05', canDecide: false });
      const early = await pupil.post(`/api/people/${f.child.id}/consents`).send({ purposeId: P.website, decision: 'given', noticeVersion: 1 });
      expect(early.status).toBe(403);

      for (const g of f.guardians) await answer(await s.as(g.email), f.child.id, P.website!, 'given');
      moveTo('2026-03-04T22:59:00.000Z'); // 23:59 on 4 March in Oslo
      expect(stateOf(await consentsOf(await s.as(f.guardians[0]!.email), f.child.id), P.website!)).toMatchObject({ valid: true, decidedBy: 'guardians' });

      moveTo('2026-03-04T23:00:00.000Z'); // midnight: the birthday
      own = await consentsOf(await s.as(pupilEmail), f.child.id);
      expect(own).toMatchObject({ decidesSelf: true, canDecide: true });
      const state = stateOf(own, P.website!);
      expect(state).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], decidedBy: 'self' });
      expect(state.awaiting).toEqual([{ id: f.child.id, firstName: 'Jonas', lastName: 'Eide' }]);
      expect(own.history.filter((h) => h.decidedBy.role === 'parent')).toHaveLength(2);

      const kine = await s.as(f.guardians[0]!.email);
      expect((await consentsOf(kine, f.child.id)).canDecide).toBe(false);
      const late = await kine.post(`/api/people/${f.child.id}/consents`).send({ purposeId: P.website, decision: 'given', noticeVersion: 1 });
      expect(late.status).toBe(403);
      expect(late.body.error.code).toBe('FORBIDDEN');
      expect((await kine.post(`/api/people/${f.child.id}/consents/${P.website}/withdraw`)).status).toBe(403);

      const mine = await answer(await s.as(pupilEmail), f.child.id, P.website!, 'given');
      expect(mine.decidedBy).toMatchObject({ id: f.child.id, role: 'self' });
      expect(stateOf(await consentsOf(await s.as(pupilEmail), f.child.id), P.website!)).toMatchObject({ valid: true, decidedBy: 'self', myAnswer: 'given' });
    });

    it("a guardian of a 15-year-old can no longer answer; the pupil answers, and staff cannot record the parent's answer for her", async () => {
      const mia = dir.child('Mia Lie');
      const a = await admin();
      const anne = (await guardiansOf(a, mia.id)).find((g) => g.guardian.firstName === 'Anne')!.guardian;
      const anneAgent = await s.as(anne.email);
      const res = await anneAgent.post(`/api/people/${mia.id}/consents`).send({ purposeId: P.internal, decision: 'given', noticeVersion: 1 });
      expect(res.status).toBe(403);

      const paper = await a
        .post(`/api/people/${mia.id}/consents`)
        .send({ purposeId: P.internal, decision: 'given', noticeVersion: 1, onBehalfOf: anne.id, method: 'paper', evidenceNote: 'Skjema i permen' });
      expect(paper.status).toBe(422);
      expect(paper.body.error.code).toBe('DECIDES_FOR_THEMSELF');

      const elev = await s.as('elev@demo.no');
      const own = await answer(elev, mia.id, P.internal!, 'given');
      expect(own.decidedBy).toMatchObject({ id: mia.id, role: 'self', firstName: 'Mia' });
      expect(stateOf(await consentsOf(elev, mia.id), P.internal!)).toMatchObject({ valid: true, decidedBy: 'self' });

      // Her mother learns that Mia decides for herself, not what she answered.
      const seenByMother = (await anneAgent.get(`/api/people/${mia.id}/consents`)).body;
      expect(seenByMother).toMatchObject({ decidesSelf: true, canDecide: false, history: [] });
      expect(seenByMother.purposes.every((p: { questions: unknown[] }) => p.questions.length === 0)).toBe(true);
    });

    it('a foster parent without parental responsibility cannot answer; the child welfare service can', async () => {
      const noah = dir.child('Noah Berg');
      const a = await admin();
      const links = await guardiansOf(a, noah.id);
      const foster = links.find((l) => l.role === 'foster_parent')!;
      const welfare = links.find((l) => l.role === 'child_welfare')!;
      expect(foster.responsibility).toBe(false);

      const fosterAgent = await s.as(foster.guardian.email);
      const refused = await fosterAgent.post(`/api/people/${noah.id}/consents`).send({ purposeId: P.parent_app, decision: 'given', noticeVersion: 1 });
      expect(refused.status).toBe(404);
      expect((await fosterAgent.get(`/api/people/${noah.id}/consents`)).status).toBe(404);

      const welfareAgent = await s.as(welfare.guardian.email);
      const given = await answer(welfareAgent, noah.id, P.parent_app!, 'given');
      expect(given.decidedBy).toMatchObject({ id: welfare.guardian.id, role: 'child_welfare' });
      expect(stateOf(await consentsOf(welfareAgent, noah.id), P.parent_app!).answers.map((x) => x.decider.id)).toEqual([welfare.guardian.id]);
    });

    it('a guardian who loses parental responsibility no longer counts, and their yes with them', async () => {
      const f = await createFamily(await admin(), { ...kid(), ...parents('Sigrid Moe', 'Unni Moe', 'Ivar Moe') });
      await answer(await s.as(f.guardians[0]!.email), f.child.id, P.website!, 'given');
      await answer(await s.as(f.guardians[1]!.email), f.child.id, P.website!, 'given');
      const res = await (await admin()).patch(`/api/guardian-links/${f.guardians[1]!.linkId}`).send({ responsibility: false });
      expect(res.status).toBe(200);
      const state = stateOf(await consentsOf(await s.as(f.guardians[0]!.email), f.child.id), P.website!);
      expect(state.answers.map((x) => x.decider.id)).toEqual([f.guardians[0]!.id]);
      expect(state.valid).toBe(true);
      expect((await (await s.as(f.guardians[1]!.email)).get(`/api/people/${f.child.id}/consents`)).status).toBe(404);
    });
  });

  describe('rule 4: withdrawal is as easy as giving', () => {
    it('withdrawal is one call with no body, effective on the next request, for the guardian and in the overview', async () => {
      const f = await createFamily(await admin(), { ...kid(), child: 'Vilja Holm', guardians: [{ name: 'Rita Holm' }] });
      const rita = await s.as(f.guardians[0]!.email);
      await answer(rita, f.child.id, P.parent_app!, 'given');
      expect(await overviewCell(await staff(), blaaklokka, f.child.id, P.parent_app!)).toMatchObject({ valid: true });

      const res = await rita.post(`/api/people/${f.child.id}/consents/${P.parent_app}/withdraw`);
      expect(res.status).toBe(201);
      expect(res.body.decision).toMatchObject({ decision: 'withdrawn', purposeId: P.parent_app, question: 'photo', method: 'web', validUntil: null });

      expect(stateOf(await consentsOf(rita, f.child.id), P.parent_app!)).toMatchObject({ valid: false, reasons: ['CONSENT_WITHDRAWN'], myAnswer: 'withdrawn' });
      expect(await overviewCell(await staff(), blaaklokka, f.child.id, P.parent_app!)).toMatchObject({ valid: false, reasons: ['CONSENT_WITHDRAWN'] });
    });

    it('the history keeps every event, newest first, and nothing can be deleted or changed', async () => {
      const f = await createFamily(await admin(), { ...kid(), child: 'Ronja Hov', guardians: [{ name: 'Bente Hov' }] });
      const bente = await s.as(f.guardians[0]!.email);
      await answer(bente, f.child.id, P.internal!, 'given');
      tick();
      await withdraw(bente, f.child.id, P.internal!);
      tick();
      await answer(bente, f.child.id, P.internal!, 'given');
      tick();
      await answer(bente, f.child.id, P.internal!, 'refused', { question: 'first_name' });

      const view = await consentsOf(bente, f.child.id);
      expect(view.history.map((h) => `${h.question}:${h.decision}`)).toEqual(['first_name:refused', 'photo:given', 'photo:withdrawn', 'photo:given']);
      expect(view.history.map((h) => h.decidedAt)).toEqual([...view.history.map((h) => h.decidedAt)].sort().reverse());
      expect(stateOf(view, P.internal!)).toMatchObject({ valid: true });

      const rows = await t.ctx.db.selectFrom('consent_decisions').select('id').where('person_id', '=', f.child.id).execute();
      expect(rows).toHaveLength(4);
      await expect(t.ctx.db.deleteFrom('consent_decisions').where('person_id', '=', f.child.id).execute()).rejects.toThrow(/append-only/);
      await expect(t.ctx.db.updateTable('consent_decisions').set({ decision: 'given' }).where('person_id', '=', f.child.id).execute()).rejects.toThrow(
        /append-only/,
      );
    });
  });

  describe('rule 5: consent expires', () => {
    it('a yes given in March lasts until 31 July and has expired on 1 August; a new yes lasts the next school year', async () => {
      const f = await createFamily(await admin(), { ...kid(), child: 'Alva Ness', guardians: [{ name: 'Trude Ness' }] });
      const given = await answer(await s.as(f.guardians[0]!.email), f.child.id, P.internal!, 'given');
      expect(given.validUntil).toBe('2026-07-31');

      moveTo('2026-07-31T21:59:00.000Z'); // 23:59 on 31 July in Oslo
      expect(stateOf(await consentsOf(await s.as(f.guardians[0]!.email), f.child.id), P.internal!)).toMatchObject({ valid: true, validUntil: '2026-07-31' });
      expect(await overviewCell(await staff(), blaaklokka, f.child.id, P.internal!)).toMatchObject({ valid: true, validUntil: '2026-07-31' });

      moveTo('2026-07-31T22:00:00.000Z'); // midnight: 1 August
      const trude = await s.as(f.guardians[0]!.email);
      const expired = stateOf(await consentsOf(trude, f.child.id), P.internal!);
      expect(expired).toMatchObject({ valid: false, reasons: ['CONSENT_EXPIRED'], validUntil: null });
      expect(expired.awaiting.map((g) => g.id)).toEqual([f.guardians[0]!.id]);
      expect(await overviewCell(await staff(), blaaklokka, f.child.id, P.internal!)).toMatchObject({ valid: false, reasons: ['CONSENT_EXPIRED'] });

      const renewed = await answer(trude, f.child.id, P.internal!, 'given');
      expect(renewed.validUntil).toBe('2027-07-31');
      expect(stateOf(await consentsOf(trude, f.child.id), P.internal!)).toMatchObject({ valid: true, validUntil: '2027-07-31' });
    });

    it('consent ends when the child leaves the unit, and a yes from before does not carry over to a later stay', async () => {
      const f = await createFamily(await admin(), { ...kid(), child: 'Iben Sæther', guardians: [{ name: 'Laila Sæther' }] });
      await answer(await s.as(f.guardians[0]!.email), f.child.id, P.internal!, 'given');
      const left = await (await admin()).patch(`/api/memberships/${f.child.membershipId}`).send({ to: '2026-03-13' });
      expect(left.status).toBe(200);
      // Until the last day the consent holds, and says so.
      expect(stateOf(await consentsOf(await s.as(f.guardians[0]!.email), f.child.id), P.internal!)).toMatchObject({ valid: true, validUntil: '2026-03-13' });

      moveTo('2026-03-14T09:00:00.000Z');
      const laila = await s.as(f.guardians[0]!.email);
      expect(stateOf(await consentsOf(laila, f.child.id), P.internal!)).toMatchObject({ valid: false, reasons: ['LEFT_UNIT'] });
      // Staff no longer see the child at all.
      expect((await (await staff()).get(`/api/people/${f.child.id}/consents`)).status).toBe(404);
      const overview = await (await staff()).get(`/api/groups/${blaaklokka}/consent-overview`);
      expect(overview.body.children.map((c: { person: { id: string } }) => c.person.id)).not.toContain(f.child.id);

      const back = await (await admin()).post(`/api/people/${f.child.id}/memberships`).send({ groupId: blaaklokka, from: '2026-04-01' });
      expect(back.status).toBe(201);
      moveTo('2026-04-02T09:00:00.000Z');
      expect(stateOf(await consentsOf(await s.as(f.guardians[0]!.email), f.child.id), P.internal!)).toMatchObject({ valid: false, reasons: ['CONSENT_EXPIRED'] });
      expect(await overviewCell(await staff(), blaaklokka, f.child.id, P.internal!)).toMatchObject({ valid: false, reasons: ['CONSENT_EXPIRED'] });
    });
    it('a yes given at enrolment, before the first day, counts from the first day', async () => {
      moveTo('2026-08-10T09:00:00.000Z');
      const f = await createFamily(await admin(), { ...kid('2025-03-01'), from: '2026-08-17', child: 'Tilde Ås', guardians: [{ name: 'Hilde Ås' }] });
      const hilde = await s.as(f.guardians[0]!.email);
      await answer(hilde, f.child.id, P.internal!, 'given');
      expect(stateOf(await consentsOf(hilde, f.child.id), P.internal!).reasons).toEqual(['LEFT_UNIT']); // not started yet

      moveTo('2026-08-17T07:00:00.000Z'); // the first day
      expect(stateOf(await consentsOf(await s.as(f.guardians[0]!.email), f.child.id), P.internal!)).toMatchObject({ valid: true, validUntil: '2027-07-31' });
      expect(await overviewCell(await staff(), blaaklokka, f.child.id, P.internal!)).toMatchObject({ valid: true, reasons: [] });
    });
  });

  describe("rule 6: the child's own voice", () => {
    it("a child's own objection blocks whatever the guardians said (CHILD_OBJECTS), and a later view lifts it", async () => {
      const f = await createFamily(await admin(), { ...kid('2018-09-01'), ...parents('Sander Lie', 'Kari Lie', 'Ole Lie') });
      const kariLie = await s.as(f.guardians[0]!.email);
      for (const purpose of [P.internal!, P.parent_app!]) await answer(kariLie, f.child.id, purpose, 'given');
      const ansatt = await staff();

      tick();
      const objection = await ansatt.post(`/api/people/${f.child.id}/views`).send({ objects: true, purposeId: P.parent_app, note: 'Sa nei til bilder i appen.' });
      expect(objection.status).toBe(201);
      expect(objection.body.view).toMatchObject({ objects: true, purposeId: P.parent_app });
      let view = await consentsOf(kariLie, f.child.id);
      expect(stateOf(view, P.parent_app!)).toMatchObject({ valid: false, reasons: ['CHILD_OBJECTS'] });
      expect(stateOf(view, P.internal!)).toMatchObject({ valid: true });

      tick();
      expect((await ansatt.post(`/api/people/${f.child.id}/views`).send({ objects: true })).status).toBe(201);
      expect(await overviewCell(ansatt, blaaklokka, f.child.id, P.internal!)).toMatchObject({ valid: false, reasons: ['CHILD_OBJECTS'] });

      tick();
      expect((await ansatt.post(`/api/people/${f.child.id}/views`).send({ objects: false, note: 'Vil gjerne være med nå.' })).status).toBe(201);
      view = await consentsOf(kariLie, f.child.id);
      expect(stateOf(view, P.internal!)).toMatchObject({ valid: true, reasons: [] });
      expect(stateOf(view, P.parent_app!)).toMatchObject({ valid: true, reasons: [] });
    });

    it('an objection blocks even where the guardians have not answered, alongside their missing answer', async () => {
      const f = await createFamily(await admin(), { ...kid('2018-09-01'), child: 'Tuva Krog', guardians: [{ name: 'Elin Krog' }] });
      expect((await (await leader()).post(`/api/people/${f.child.id}/views`).send({ objects: true })).status).toBe(201);
      expect(stateOf(await consentsOf(await s.as(f.guardians[0]!.email), f.child.id), P.internal!).reasons).toEqual(['CHILD_OBJECTS', 'NO_CONSENT']);
    });
  });

  describe('rule 7: the protection flag', () => {
    it('staff see NOT_PUBLISHABLE for a protected child; the leader sees PROTECTED; internal use is unaffected', async () => {
      const f = await createFamily(await admin(), { ...kid(), ...parents('Live Rud', 'Heidi Rud', 'Stig Rud') });
      for (const g of f.guardians) for (const purpose of [P.internal!, P.website!]) await answer(await s.as(g.email), f.child.id, purpose, 'given');
      const [ansatt, leder] = [await staff(), await leader()];
      expect(stateOf(await consentsOf(ansatt, f.child.id), P.website!).valid).toBe(true);

      const set = await leder.put(`/api/people/${f.child.id}/protection`).send({ protected: true });
      expect(set.status).toBe(200);
      expect(set.body).toEqual({ protected: true });

      const asStaff = await consentsOf(ansatt, f.child.id);
      expect(stateOf(asStaff, P.website!)).toMatchObject({ valid: false, reasons: ['NOT_PUBLISHABLE'] });
      expect(stateOf(asStaff, P.internal!)).toMatchObject({ valid: true, reasons: [] });
      expect(JSON.stringify(asStaff)).not.toContain('PROTECTED');
      const staffOverview = await ansatt.get(`/api/groups/${blaaklokka}/consent-overview`);
      expect(JSON.stringify(staffOverview.body)).not.toContain('PROTECTED');
      expect(await overviewCell(ansatt, blaaklokka, f.child.id, P.website!)).toMatchObject({ valid: false, reasons: ['NOT_PUBLISHABLE'] });

      expect(stateOf(await consentsOf(leder, f.child.id), P.website!)).toMatchObject({ valid: false, reasons: ['PROTECTED'] });
      expect(await overviewCell(leder, blaaklokka, f.child.id, P.website!)).toMatchObject({ valid: false, reasons: ['PROTECTED'] });
      expect(stateOf(await consentsOf(await admin(), f.child.id), P.website!).reasons).toEqual(['PROTECTED']);
      expect(stateOf(await consentsOf(await s.as(f.guardians[0]!.email), f.child.id), P.website!).reasons).toEqual(['NOT_PUBLISHABLE']);

      tick();
      expect((await leder.put(`/api/people/${f.child.id}/protection`).send({ protected: false })).body).toEqual({ protected: false });
      expect(stateOf(await consentsOf(ansatt, f.child.id), P.website!)).toMatchObject({ valid: true, reasons: [] });
    });

    it('staff and guardians cannot set the flag, and staff cannot even read it (403)', async () => {
      const f = await createFamily(await admin(), { ...kid(), child: 'Mats Brun', guardians: [{ name: 'Vera Brun' }] });
      const vera = await s.as(f.guardians[0]!.email);
      for (const agent of [await staff(), vera]) {
        const put = await agent.put(`/api/people/${f.child.id}/protection`).send({ protected: true });
        expect(put.status).toBe(403);
        expect(put.body.error.code).toBe('FORBIDDEN');
        expect((await agent.get(`/api/people/${f.child.id}/protection`)).status).toBe(403);
      }
      expect((await (await leader()).get(`/api/people/${f.child.id}/protection`)).body).toEqual({ protected: false });
    });

    it('the reason is never stored: the request has no reason field, and sending one is a 400', async () => {
      const f = await createFamily(await admin(), { ...kid(), child: 'Jens Ask', guardians: [{ name: 'Liv Ask' }] });
      const leder = await leader();
      const withReason = await leder.put(`/api/people/${f.child.id}/protection`).send({ protected: true, reason: 'Sperret adresse' });
      expect(withReason.status).toBe(400);
      expect((await leder.get(`/api/people/${f.child.id}/protection`)).body).toEqual({ protected: false });

      expect((await leder.put(`/api/people/${f.child.id}/protection`).send({ protected: true })).status).toBe(200);
      expect((await leder.get(`/api/people/${f.child.id}/protection`)).body).toEqual({ protected: true });
      const rows = await t.ctx.db.selectFrom('protection_changes').selectAll().where('person_id', '=', f.child.id).execute();
      expect(rows).toHaveLength(1);
      expect(Object.keys(rows[0]!).sort()).toEqual(['changed_at', 'changed_by_account_id', 'id', 'person_id', 'protected']);
      // Setting it again changes nothing and records nothing.
      expect((await leder.put(`/api/people/${f.child.id}/protection`).send({ protected: true })).status).toBe(200);
      expect(await t.ctx.db.selectFrom('protection_changes').select('id').where('person_id', '=', f.child.id).execute()).toHaveLength(1);
    });

    it('in the demo, staff see the child in foster care as NOT_PUBLISHABLE and the leader as PROTECTED', async () => {
      const noah = dir.child('Noah Berg');
      expect(await overviewCell(await staff(), blaaklokka, noah.id, P.website!)).toMatchObject({ reasons: ['NOT_PUBLISHABLE', 'NO_CONSENT'] });
      expect(await overviewCell(await staff(), blaaklokka, noah.id, P.internal!)).toMatchObject({ valid: true });
      expect(await overviewCell(await leader(), blaaklokka, noah.id, P.website!)).toMatchObject({ reasons: ['NO_CONSENT', 'PROTECTED'] });
    });
  });

  describe('answers recorded by staff', () => {
    it('an adult (a staff member in the photo) answers for themself, and staff can record it on paper', async () => {
      const a = await admin();
      const created = await a.post('/api/people').send({ kind: 'adult', firstName: 'Hilde', lastName: 'Ansatt', birthDate: null });
      expect(created.status).toBe(201);
      const hilde = created.body.person.id as string;
      const before = await consentsOf(a, hilde);
      expect(before).toMatchObject({ decidesSelf: true });
      expect(stateOf(before, P.website!)).toMatchObject({ valid: false, reasons: ['NO_CONSENT'], decidedBy: 'self' });
      const paper = await a
        .post(`/api/people/${hilde}/consents`)
        .send({ purposeId: P.website, decision: 'given', noticeVersion: 1, onBehalfOf: 'self', method: 'paper', evidenceNote: 'Signert skjema i personalmappen' });
      expect(paper.status).toBe(201);
      expect(paper.body.decision.decidedBy).toMatchObject({ id: hilde, role: 'self' });
      // No group membership is needed: an adult's consent does not belong to a stay in the unit.
      expect(stateOf(await consentsOf(a, hilde), P.website!)).toMatchObject({ valid: true, reasons: [] });
    });

    it('staff record a paper consent with evidence; without evidence it is a 400', async () => {
      const f = await createFamily(await admin(), { ...kid(), ...parents('Kasper Vold', 'Randi Vold', 'Leif Vold') });
      const [randi] = f.guardians;
      const ansatt = await staff();
      const url = `/api/people/${f.child.id}/consents`;
      const base = { purposeId: P.website, decision: 'given', noticeVersion: 1, onBehalfOf: randi!.id };
      for (const missing of [{ method: 'paper' }, { method: 'paper', evidenceNote: '   ' }, { method: 'web', evidenceNote: 'Skjema' }, { evidenceNote: 'Skjema' }]) {
        const res = await ansatt.post(url).send({ ...base, ...missing });
        expect(res.status, JSON.stringify(missing)).toBe(400);
        expect(res.body.error.code).toBe('VALIDATION_FAILED');
      }
      const noBehalf = await ansatt.post(url).send({ purposeId: P.website, decision: 'given', noticeVersion: 1, method: 'paper', evidenceNote: 'Skjema' });
      expect(noBehalf.status).toBe(400);

      const res = await ansatt.post(url).send({ ...base, method: 'paper', evidenceNote: 'Signert skjema, datert 2. mars, ligger i permen på kontoret.' });
      expect(res.status).toBe(201);
      expect(res.body.decision).toMatchObject({
        decision: 'given',
        method: 'paper',
        evidenceNote: 'Signert skjema, datert 2. mars, ligger i permen på kontoret.',
        decidedBy: { id: randi!.id, role: 'parent', firstName: 'Randi' },
      });
      const seen = stateOf(await consentsOf(await s.as(randi!.email), f.child.id), P.website!);
      expect(seen).toMatchObject({ reasons: ['AWAITING_GUARDIAN'], myAnswer: 'given' });

      // A withdrawal said out loud at pick-up is recorded the same way.
      tick();
      const spoken = await ansatt
        .post(`/api/people/${f.child.id}/consents/${P.website}/withdraw`)
        .send({ onBehalfOf: randi!.id, method: 'verbal', evidenceNote: 'Sa det til meg ved henting kl. 16.' });
      expect(spoken.status).toBe(201);
      expect(spoken.body.decision).toMatchObject({ decision: 'withdrawn', method: 'verbal', decidedBy: { id: randi!.id } });
      expect(stateOf(await consentsOf(ansatt, f.child.id), P.website!).reasons).toEqual(['CONSENT_WITHDRAWN']);
    });

    it('staff cannot record an answer on behalf of a guardian without parental responsibility, nor of anyone else', async () => {
      const f = await createFamily(await admin(), {
        ...kid(),
        child: 'Oline Bakke',
        guardians: [{ name: 'Grete Bakke' }, { name: 'Hans Fosterfar', role: 'foster_parent', responsibility: false }],
      });
      const other = await createFamily(await admin(), { ...kid(), child: 'Pål Nes', guardians: [{ name: 'Sara Nes' }] });
      const ansatt = await staff();
      const record = (onBehalfOf: string) =>
        ansatt
          .post(`/api/people/${f.child.id}/consents`)
          .send({ purposeId: P.internal, decision: 'given', noticeVersion: 1, onBehalfOf, method: 'paper', evidenceNote: 'Skjema i permen' });
      for (const who of [f.guardians[1]!.id, other.guardians[0]!.id]) {
        const res = await record(who);
        expect(res.status).toBe(422);
        expect(res.body.error.code).toBe('NOT_A_RESPONSIBLE_GUARDIAN');
      }
      const self = await record('self');
      expect(self.status).toBe(422);
      expect(self.body.error.code).toBe('NOT_SELF_CONSENT_AGE');
      expect((await consentsOf(ansatt, f.child.id)).history).toEqual([]);
    });
  });

  describe('the group overview', () => {
    it("shows a guardian's change at once", async () => {
      const f = await createFamily(await admin(), { ...kid(), child: 'Hedda Myr', guardians: [{ name: 'Nina Myr' }] });
      const nina = await s.as(f.guardians[0]!.email);
      const ansatt = await staff();
      expect(await overviewCell(ansatt, blaaklokka, f.child.id, P.parent_app!)).toMatchObject({ valid: false, reasons: ['NO_CONSENT'] });
      await answer(nina, f.child.id, P.parent_app!, 'given');
      expect(await overviewCell(ansatt, blaaklokka, f.child.id, P.parent_app!)).toEqual({
        purposeId: P.parent_app,
        question: 'photo',
        valid: true,
        reasons: [],
        validUntil: '2026-07-31',
      });
      tick();
      await withdraw(nina, f.child.id, P.parent_app!);
      expect(await overviewCell(ansatt, blaaklokka, f.child.id, P.parent_app!)).toMatchObject({ valid: false, reasons: ['CONSENT_WITHDRAWN'], validUntil: null });
    });

    it('lists the group, today, every active purpose and the children of the group only', async () => {
      const res = await (await staff()).get(`/api/groups/${blaaklokka}/consent-overview`);
      expect(res.status).toBe(200);
      expect(res.body.group).toMatchObject({ id: blaaklokka, name: 'Blåklokka' });
      expect(res.body.date).toBe('2026-03-02');
      expect(res.body.purposes.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['internal', 'parent_app', 'website', 'press']));
      const names = res.body.children.map((c: { person: { firstName: string; lastName: string } }) => `${c.person.firstName} ${c.person.lastName}`);
      expect(names).toContain('Emma Nordmann');
      expect(names).not.toContain('Jakob Nordmann'); // Prestekragen
    });
  });

  describe('press', () => {
    it('press consent is given per occasion, and a yes for one occasion is no standing press consent', async () => {
      const f = await createFamily(await admin(), { ...kid(), ...parents('Liam Berg', 'Ane Berg', 'Kai Berg') });
      const [ane, kai] = [await s.as(f.guardians[0]!.email), await s.as(f.guardians[1]!.email)];
      const url = `/api/people/${f.child.id}/consents`;
      const noOccasion = await ane.post(url).send({ purposeId: P.press, decision: 'given', noticeVersion: 1 });
      expect(noOccasion.status).toBe(400);

      const occasion = '17. mai-toget 2026';
      for (const g of [ane, kai]) {
        const d = await answer(g, f.child.id, P.press!, 'given', { occasion });
        expect(d.occasion).toBe(occasion);
      }
      const view = await consentsOf(ane, f.child.id);
      expect(stateOf(view, P.press!)).toMatchObject({ valid: false, reasons: ['NO_CONSENT'] });
      expect(view.history.filter((h) => h.purposeId === P.press).map((h) => h.occasion)).toEqual([occasion, occasion]);
      // The consent page shows the state for that one occasion: valid, both guardians having said yes.
      const press = view.purposes.find((p) => p.purpose.id === P.press)!.questions.find((q) => q.question === 'photo')!;
      expect((press as unknown as { occasions: { occasion: string; state: { valid: boolean }; myAnswer: string }[] }).occasions).toEqual([
        expect.objectContaining({ occasion, state: expect.objectContaining({ valid: true }), myAnswer: 'given' }),
      ]);

      // Other purposes never carry an occasion.
      const internal = await answer(ane, f.child.id, P.internal!, 'given', { occasion });
      expect(internal.occasion).toBeNull();

      tick();
      expect((await kai.post(`/api/people/${f.child.id}/consents/${P.press}/withdraw`)).status).toBe(400);
      const withdrawn = await kai.post(`/api/people/${f.child.id}/consents/${P.press}/withdraw`).send({ occasion });
      expect(withdrawn.status).toBe(201);
      expect(withdrawn.body.decision).toMatchObject({ decision: 'withdrawn', occasion });
    });
  });
});
