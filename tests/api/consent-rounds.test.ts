import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';

const linkIn = (text: string) => /\/logg-inn\/lenke\/([A-Za-z0-9_-]+)/.exec(text)?.[1];

describe.each(testEngines())('consent rounds [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let dir: Awaited<ReturnType<typeof demoDirectory>>;
  let leader: ReturnType<typeof as>;
  let purposes: { id: string; code: string }[];

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    dir = await demoDirectory(app);
    leader = as(app, await tokenFor(app, 'leder@demo.no'));
    purposes = (await leader.get('/api/purposes')).body.purposes;
  });
  afterAll(() => t.close());

  const purpose = (code: string) => purposes.find((p) => p.code === code)!.id;

  it('a leader starts a round and each guardian with something to answer gets one e-mail with a link to the questions', async () => {
    const unitId = dir.unit('Solsikken barnehage').id;
    const res = await leader.post('/api/consent-rounds').send({ unitId, purposeIds: [purpose('website')], reason: 'new_purpose' });
    expect(res.status).toBe(201);
    const round = res.body.round;
    expect(round.totals.children).toBe(30);
    expect(round.totals.notAnswered).toBeGreaterThan(0);
    expect(round.recipients).toBeGreaterThan(0);
    // Kari has two children in the unit but gets one e-mail.
    const toKari = t.mailer.sent.filter((m) => m.to === 'forelder@demo.no');
    expect(toKari).toHaveLength(1);
    expect(toKari[0]!.text).toContain('ingen følger for barnet');
    const recipients = new Set(t.mailer.sent.map((m) => m.to));
    expect(recipients.size).toBe(round.recipients);

    // The link signs her in and leads to her questions.
    const signIn = await request(app).get(`/api/auth/magic/${linkIn(toKari[0]!.text)}`);
    expect(signIn.status).toBe(200);
    expect(signIn.body.next).toBe('/samtykke');
  });

  it('the leader sees progress change as guardians answer, and reminders go only to those still waiting', async () => {
    const unitId = dir.unit('Solsikken barnehage').id;
    const started = await leader.post('/api/consent-rounds').send({ unitId, purposeIds: [purpose('website')], reason: 'other' });
    const roundId = started.body.round.id;
    const jakob = dir.child('Jakob Nordmann');
    const before = started.body.round.children.find((c: { person: { id: string } }) => c.person.id === jakob.id);
    expect(before.answered).toBe(false);

    const kari = as(app, await tokenFor(app, 'forelder@demo.no'));
    const consents = (await kari.get(`/api/people/${jakob.id}/consents`)).body;
    const website = consents.purposes.find((p: { purpose: { code: string } }) => p.purpose.code === 'website');
    for (const question of ['photo', 'first_name']) {
      const r = await kari.post(`/api/people/${jakob.id}/consents`).send({ purposeId: website.purpose.id, question, decision: 'refused', noticeVersion: website.notice.version });
      expect(r.status).toBe(201);
    }
    const after = (await leader.get(`/api/consent-rounds/${roundId}`)).body.round;
    expect(after.children.find((c: { person: { id: string } }) => c.person.id === jakob.id).answered).toBe(true);
    expect(after.totals.answered).toBe(started.body.round.totals.answered + 1);

    const sentBefore = t.mailer.sent.length;
    const reminded = await leader.post(`/api/consent-rounds/${roundId}/remind`).send({});
    expect(reminded.status).toBe(200);
    const reminders = t.mailer.sent.slice(sentBefore);
    expect(reminders.length).toBe(reminded.body.round.reminded);
    expect(reminders.every((m) => m.subject.startsWith('Påminnelse'))).toBe(true);
    // Emma still waits for Kari on the website purpose, so Kari is reminded; nobody who has answered everything is.
    expect(reminders.some((m) => m.to === 'forelder@demo.no')).toBe(true);
  });

  it('staff cannot start a round, and another unit is out of reach', async () => {
    const staff = as(app, await tokenFor(app, 'ansatt@demo.no'));
    const own = await staff.post('/api/consent-rounds').send({ unitId: dir.unit('Solsikken barnehage').id, reason: 'other' });
    expect(own.status).toBe(403);
    const other = await leader.post('/api/consent-rounds').send({ unitId: dir.unit('Fjellet skole').id, reason: 'other' });
    expect(other.status).toBe(404);
    const guardian = as(app, await tokenFor(app, 'forelder@demo.no'));
    expect((await guardian.get('/api/consent-rounds')).status).toBe(403);
  });
});
