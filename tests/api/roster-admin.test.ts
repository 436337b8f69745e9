import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/adapters/clock.js';
import { createApp } from '../../server/app.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';

type App = ReturnType<typeof createApp>;
type Agent = ReturnType<typeof as>;
interface AuditEvent {
  seq: number;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  payload: Record<string, unknown>;
}
interface Person {
  id: string;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  memberships: { id: string; groupId: string; unitId: string; from: string; to: string | null }[];
}

// A Monday in March: Oslo is on UTC+1, so 09:00Z is 10:00 local on 2026-03-02.
const START = '2026-03-02T09:00:00Z';
const TODAY = '2026-03-02';
const DAY = 86_400_000;

/** Follows the link in the e-mail a guardian receives, as they would, and returns the session token. */
async function signInByMagicLink(app: App, t: TestContext, email: string): Promise<string> {
  const asked = await request(app).post('/api/auth/magic-link').send({ email });
  expect(asked.status).toBe(202);
  const mail = t.mailer.lastTo(email);
  expect(mail, `a sign-in e-mail to ${email}`).toBeDefined();
  const token = /\/logg-inn\/lenke\/([A-Za-z0-9_-]+)/.exec(mail!.text)?.[1];
  expect(token, mail!.text).toBeDefined();
  const signedIn = await request(app).get(`/api/auth/magic/${token}`);
  expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
  expect(signedIn.body.user).toMatchObject({ email, role: 'guardian' });
  return signedIn.body.token as string;
}

/** Sets up an app on a fresh demo database, with the admin signed in. */
async function start(engine: 'sqlite' | 'postgres', clock = new ManualClock(START)) {
  const t = await createTestContext(engine, { clock });
  const app = createApp(t.ctx, { requestLog: false, webDist: null });
  const admin = as(app, await tokenFor(app, 'admin@demo.no'));
  const adminId = (await admin.get('/api/me')).body.user.id as string;
  const units = (await admin.get('/api/units')).body.units as { id: string; name: string }[];
  const solsikken = units.find((u) => u.name === 'Solsikken barnehage')!;
  const groups = (await admin.get(`/api/units/${solsikken.id}/groups`)).body.groups as { id: string; name: string }[];
  const blaklokka = groups.find((g) => g.name === 'Blåklokka')!;
  return { t, app, clock, admin, adminId, solsikken, blaklokka };
}

async function auditOf(admin: Agent, objectId: string): Promise<AuditEvent[]> {
  const res = await admin.get(`/api/audit?objectId=${objectId}`);
  expect(res.status).toBe(200);
  return res.body.events as AuditEvent[];
}

/** Audit payloads carry ids and codes; none of the given names, addresses or dates may appear in them. */
function expectNoPersonalData(events: AuditEvent[], ...values: string[]) {
  const text = JSON.stringify(events.map((e) => e.payload)).toLowerCase();
  for (const v of values) expect(text, `audit payloads mention ${v}`).not.toContain(v.toLowerCase());
}

async function createChild(admin: Agent, body: Record<string, unknown>): Promise<Person> {
  const res = await admin.post('/api/people').send({ kind: 'child', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.person as Person;
}

describe.each(testEngines())('roster administration [%s]', (engine) => {
  let s: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    s = await start(engine);
  });
  afterAll(() => s.t.close());

  it('an admin creates a unit and a group in it, and both are audited without their names', async () => {
    const unit = await s.admin.post('/api/units').send({ name: 'Regnbuen barnehage', kind: 'kindergarten' });
    expect(unit.status).toBe(201);
    expect(unit.body.unit).toMatchObject({ id: expect.any(String), name: 'Regnbuen barnehage', kind: 'kindergarten' });
    const unitId = unit.body.unit.id as string;
    expect((await s.admin.get('/api/units')).body.units).toContainEqual(expect.objectContaining({ id: unitId, name: 'Regnbuen barnehage' }));

    const group = await s.admin.post(`/api/units/${unitId}/groups`).send({ name: 'Maurtua' });
    expect(group.status).toBe(201);
    expect(group.body.group).toEqual({ id: expect.any(String), unitId, name: 'Maurtua' });
    expect((await s.admin.get(`/api/units/${unitId}/groups`)).body.groups).toEqual([group.body.group]);

    const unitEvents = await auditOf(s.admin, unitId);
    expect(unitEvents).toEqual([expect.objectContaining({ action: 'unit.created', objectType: 'unit', actorId: s.adminId, payload: { kind: 'kindergarten' } })]);
    const groupEvents = await auditOf(s.admin, group.body.group.id);
    expect(groupEvents).toEqual([expect.objectContaining({ action: 'group.created', objectType: 'group', actorId: s.adminId, payload: { unitId } })]);
    expectNoPersonalData([...unitEvents, ...groupEvents], 'Regnbuen', 'Maurtua');
  });

  it('a unit or group name that is already taken is refused with 409 and nothing is added', async () => {
    const before = (await s.admin.get('/api/units')).body.units.length;
    const unit = await s.admin.post('/api/units').send({ name: 'Solsikken barnehage', kind: 'kindergarten' });
    expect(unit.status).toBe(409);
    expect(unit.body.error.code).toBe('UNIT_EXISTS');
    expect((await s.admin.get('/api/units')).body.units).toHaveLength(before);

    const group = await s.admin.post(`/api/units/${s.solsikken.id}/groups`).send({ name: 'Blåklokka' });
    expect(group.status).toBe(409);
    expect(group.body.error.code).toBe('GROUP_EXISTS');
    expect((await s.admin.get(`/api/units/${s.solsikken.id}/groups`)).body.groups.filter((g: { name: string }) => g.name === 'Blåklokka')).toHaveLength(1);
  });

  it('an admin renames a unit and a group, and the renames are audited without the names', async () => {
    const unit = (await s.admin.post('/api/units').send({ name: 'Bakketoppen skole', kind: 'school' })).body.unit;
    const group = (await s.admin.post(`/api/units/${unit.id}/groups`).send({ name: 'Tigrene' })).body.group;
    const renamed = await s.admin.patch(`/api/units/${unit.id}`).send({ name: 'Bakketoppen oppvekstsenter' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.unit).toMatchObject({ id: unit.id, name: 'Bakketoppen oppvekstsenter', kind: 'school' });
    const regrouped = await s.admin.patch(`/api/groups/${group.id}`).send({ name: 'Uglene' });
    expect(regrouped.status).toBe(200);
    expect((await s.admin.get(`/api/units/${unit.id}/groups`)).body.groups).toEqual([{ id: group.id, unitId: unit.id, name: 'Uglene' }]);
    const events = [...(await auditOf(s.admin, unit.id)), ...(await auditOf(s.admin, group.id))];
    expect(events.map((e) => e.action).sort()).toEqual(['group.created', 'group.updated', 'unit.created', 'unit.updated']);
    expect(events.find((e) => e.action === 'unit.updated')!.payload).toEqual({ fields: ['name'] });
    // Names without hex letters, so that no id can contain them by chance.
    expectNoPersonalData(events, 'Bakketoppen', 'Tigrene', 'Uglene');
  });

  it('an admin adds a child to a group; staff of that unit then see the child, and the audit log has ids only', async () => {
    const child = await createChild(s.admin, { firstName: 'Tiril', lastName: 'Skogheim', birthDate: '2021-05-17', groupId: s.blaklokka.id });
    expect(child).toMatchObject({ firstName: 'Tiril', lastName: 'Skogheim', birthDate: '2021-05-17' });
    expect(child.memberships).toEqual([{ id: expect.any(String), groupId: s.blaklokka.id, unitId: s.solsikken.id, from: TODAY, to: null }]);

    const staff = as(s.app, await tokenFor(s.app, 'ansatt@demo.no'));
    const inGroup = await staff.get(`/api/people?groupId=${s.blaklokka.id}`);
    expect(inGroup.body.people.map((p: Person) => p.id)).toContain(child.id);
    expect((await staff.get(`/api/people/${child.id}`)).body.person).toMatchObject({ firstName: 'Tiril', lastName: 'Skogheim' });

    const personEvents = await auditOf(s.admin, child.id);
    expect(personEvents).toEqual([expect.objectContaining({ action: 'person.created', actorId: s.adminId, payload: { kind: 'child' } })]);
    const membershipEvents = await auditOf(s.admin, child.memberships[0]!.id);
    expect(membershipEvents).toEqual([
      expect.objectContaining({ action: 'membership.created', payload: { personId: child.id, groupId: s.blaklokka.id } }),
    ]);
    expectNoPersonalData([...personEvents, ...membershipEvents], 'Tiril', 'Skogheim', '2021-05-17');
  });

  it('a guardian the admin adds gets a sign-in account: the e-mailed link signs them in and they see exactly that child', async () => {
    const child = await createChild(s.admin, { firstName: 'Sander', lastName: 'Lie-Haugen', birthDate: '2020-11-02', groupId: s.blaklokka.id });
    const added = await s.admin
      .post(`/api/people/${child.id}/guardians`)
      .send({ firstName: 'Marit', lastName: 'Haugen', email: 'Marit.Haugen@Example.no', phone: '+47 41234567', role: 'parent', responsibility: true });
    expect(added.status, JSON.stringify(added.body)).toBe(201);
    expect(added.body.guardian).toEqual({
      id: expect.any(String),
      childId: child.id,
      role: 'parent',
      responsibility: true,
      guardian: { id: expect.any(String), firstName: 'Marit', lastName: 'Haugen', email: 'marit.haugen@example.no', phone: '+47 41234567' },
    });

    const accounts = (await s.admin.get('/api/accounts')).body.accounts as { id: string; email: string; role: string; personId: string }[];
    const account = accounts.find((a) => a.email === 'marit.haugen@example.no');
    expect(account).toMatchObject({ role: 'guardian', personId: added.body.guardian.guardian.id, active: true });

    const token = await signInByMagicLink(s.app, s.t, 'marit.haugen@example.no');
    const mine = await as(s.app, token).get('/api/people');
    expect(mine.status).toBe(200);
    expect(mine.body.people.map((p: Person) => `${p.firstName} ${p.lastName}`)).toEqual(['Sander Lie-Haugen']);
    expect((await as(s.app, token).get(`/api/people/${child.id}/guardians`)).body.guardians).toHaveLength(1);

    const linkEvents = await auditOf(s.admin, added.body.guardian.id);
    expect(linkEvents).toEqual([
      expect.objectContaining({
        action: 'guardian_link.created',
        actorId: s.adminId,
        payload: { childId: child.id, guardianId: added.body.guardian.guardian.id, role: 'parent', responsibility: true },
      }),
    ]);
    const accountEvents = await auditOf(s.admin, account!.id);
    expect(accountEvents.map((e) => e.action)).toContain('account.created');
    const guardianEvents = await auditOf(s.admin, added.body.guardian.guardian.id);
    expect(guardianEvents.map((e) => e.action)).toEqual(['person.created']);
    expectNoPersonalData([...linkEvents, ...accountEvents, ...guardianEvents], 'Marit', 'Haugen', 'example.no', '41234567');
  });

  it('the sign-in link works only once', async () => {
    const child = await createChild(s.admin, { firstName: 'Iben', lastName: 'Rud', birthDate: '2022-01-09', groupId: s.blaklokka.id });
    await s.admin.post(`/api/people/${child.id}/guardians`).send({ firstName: 'Hege', lastName: 'Rud', email: 'hege.rud@example.no', role: 'parent', responsibility: true });
    await signInByMagicLink(s.app, s.t, 'hege.rud@example.no');
    const token = /\/logg-inn\/lenke\/([A-Za-z0-9_-]+)/.exec(s.t.mailer.lastTo('hege.rud@example.no')!.text)![1];
    const again = await request(s.app).get(`/api/auth/magic/${token}`);
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('a guardian added to a second child is the same person and account, and then sees both children', async () => {
    const first = await createChild(s.admin, { firstName: 'Vilde', lastName: 'Moen', birthDate: '2020-02-29', groupId: s.blaklokka.id });
    const second = await createChild(s.admin, { firstName: 'Vetle', lastName: 'Moen', birthDate: '2022-06-30', groupId: s.blaklokka.id });
    const guardian = { firstName: 'Trond', lastName: 'Moen', email: 'trond.moen@example.no', role: 'parent', responsibility: true };
    const a = (await s.admin.post(`/api/people/${first.id}/guardians`).send(guardian)).body.guardian;
    const b = await s.admin.post(`/api/people/${second.id}/guardians`).send(guardian);
    expect(b.status).toBe(201);
    expect(b.body.guardian.guardian.id).toBe(a.guardian.id);
    const accounts = (await s.admin.get('/api/accounts')).body.accounts.filter((x: { email: string }) => x.email === 'trond.moen@example.no');
    expect(accounts).toHaveLength(1);

    const token = await signInByMagicLink(s.app, s.t, 'trond.moen@example.no');
    const names = (await as(s.app, token).get('/api/people')).body.people.map((p: Person) => p.firstName).sort();
    expect(names).toEqual(['Vetle', 'Vilde']);

    const twice = await s.admin.post(`/api/people/${second.id}/guardians`).send(guardian);
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('GUARDIAN_EXISTS');
    expect((await s.admin.get(`/api/people/${second.id}/guardians`)).body.guardians).toHaveLength(1);
  });

  it('an admin edits a person; the audit event names the changed fields, not their values', async () => {
    const child = await createChild(s.admin, { firstName: 'Olav', lastName: 'Dahl', birthDate: '2021-03-03', groupId: s.blaklokka.id });
    const edited = await s.admin.patch(`/api/people/${child.id}`).send({ firstName: 'Olai', birthDate: '2021-03-13' });
    expect(edited.status).toBe(200);
    expect(edited.body.person).toMatchObject({ id: child.id, firstName: 'Olai', lastName: 'Dahl', birthDate: '2021-03-13' });
    expect((await s.admin.get(`/api/people/${child.id}`)).body.person).toMatchObject({ firstName: 'Olai', birthDate: '2021-03-13' });

    const events = await auditOf(s.admin, child.id);
    expect(events.map((e) => e.action)).toEqual(['person.updated', 'person.created']);
    expect(events[0]).toMatchObject({ actorId: s.adminId, payload: { fields: ['firstName', 'birthDate'] } });
    expectNoPersonalData(events, 'Olav', 'Olai', 'Dahl', '2021-03-03', '2021-03-13');
  });

  it("editing a guardian link's role is shown to the admin and audited", async () => {
    const child = await createChild(s.admin, { firstName: 'Frida', lastName: 'Aas', birthDate: '2019-09-09', groupId: s.blaklokka.id });
    const link = (await s.admin.post(`/api/people/${child.id}/guardians`).send({ firstName: 'Siv', lastName: 'Aas', email: 'siv.aas@example.no', role: 'parent', responsibility: true })).body
      .guardian;
    const edited = await s.admin.patch(`/api/guardian-links/${link.id}`).send({ role: 'foster_parent' });
    expect(edited.status).toBe(200);
    expect(edited.body.guardian).toMatchObject({ id: link.id, role: 'foster_parent', responsibility: true });
    expect((await s.admin.get(`/api/people/${child.id}/guardians`)).body.guardians).toEqual([edited.body.guardian]);
    const events = await auditOf(s.admin, link.id);
    expect(events[0]).toMatchObject({ action: 'guardian_link.updated', payload: { childId: child.id, role: 'foster_parent' } });
  });

  it('taking away parental responsibility means the guardian no longer sees the child', async () => {
    const child = await createChild(s.admin, { firstName: 'Herman', lastName: 'Vik', birthDate: '2020-07-01', groupId: s.blaklokka.id });
    const link = (await s.admin.post(`/api/people/${child.id}/guardians`).send({ firstName: 'Randi', lastName: 'Vik', email: 'randi.vik@example.no', role: 'parent', responsibility: true }))
      .body.guardian;
    const guardian = as(s.app, await signInByMagicLink(s.app, s.t, 'randi.vik@example.no'));
    expect((await guardian.get('/api/people')).body.people.map((p: Person) => p.id)).toEqual([child.id]);

    const edited = await s.admin.patch(`/api/guardian-links/${link.id}`).send({ responsibility: false });
    expect(edited.status).toBe(200);
    expect(edited.body.guardian).toMatchObject({ id: link.id, role: 'parent', responsibility: false });

    expect((await guardian.get('/api/people')).body.people).toEqual([]);
    const direct = await guardian.get(`/api/people/${child.id}`);
    expect(direct.status).toBe(404);
    expect(direct.body.error.code).toBe('NOT_FOUND');
    expect((await guardian.get(`/api/people/${child.id}/guardians`)).status).toBe(404);

    const events = await auditOf(s.admin, link.id);
    expect(events[0]).toMatchObject({ action: 'guardian_link.updated', actorId: s.adminId, payload: { childId: child.id, responsibility: false } });
    expectNoPersonalData(events, 'Herman', 'Randi', 'Vik', 'randi.vik@example.no');
  });

  it('invalid input is answered with 400 VALIDATION_FAILED and names every field at fault', async () => {
    const fieldsOf = (res: request.Response) => {
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      return [...new Set((res.body.error.details as { field: string | null }[]).map((d) => d.field))].sort();
    };
    expect(fieldsOf(await s.admin.post('/api/units').send({ name: ' ', kind: 'castle' }))).toEqual(['kind', 'name']);
    expect(fieldsOf(await s.admin.post(`/api/units/${s.solsikken.id}/groups`).send({ name: 'x'.repeat(101) }))).toEqual(['name']);
    expect(
      fieldsOf(await s.admin.post('/api/people').send({ kind: 'pupil', firstName: '', lastName: 'x'.repeat(101), birthDate: '17.05.2021', email: 'no-at-sign' })),
    ).toEqual(['birthDate', 'email', 'firstName', 'kind', 'lastName']);

    const child = await createChild(s.admin, { firstName: 'Ylva', lastName: 'Krog', birthDate: '2021-08-08', groupId: s.blaklokka.id });
    expect(fieldsOf(await s.admin.patch(`/api/people/${child.id}`).send({ birthDate: '2021/08/08', lastName: '' }))).toEqual(['birthDate', 'lastName']);
    expect(fieldsOf(await s.admin.post(`/api/people/${child.id}/guardians`).send({ firstName: 'A', lastName: 'B', email: 'x@', role: 'onkel' }))).toEqual([
      'email',
      'responsibility',
      'role',
    ]);
    expect(fieldsOf(await s.admin.patch(`/api/memberships/${child.memberships[0]!.id}`).send({ to: '31.12.2026' }))).toEqual(['to']);
    expect(fieldsOf(await s.admin.patch(`/api/guardian-links/any`).send({ responsibility: 'ja' }))).toEqual(['responsibility']);
    // An unexpected field is refused rather than ignored.
    const unknown = await s.admin.patch(`/api/people/${child.id}`).send({ protected: true });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('VALIDATION_FAILED');

    expect((await s.admin.get(`/api/people/${child.id}`)).body.person).toMatchObject({ firstName: 'Ylva', lastName: 'Krog', birthDate: '2021-08-08' });
  });

  it('a date that does not exist in the calendar is refused', async () => {
    for (const birthDate of ['2023-02-29', '2021-04-31', '2021-02-30']) {
      const res = await s.admin.post('/api/people').send({ kind: 'child', firstName: 'Kalender', lastName: 'Feil', birthDate });
      expect(res.status, `${birthDate}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'birthDate' })] });
    }
    expect((await s.admin.get('/api/people?q=Kalender')).body.people).toEqual([]);
  });

  it('a child without a birth date, or a membership ending before it starts, is refused with 400', async () => {
    const noBirth = await s.admin.post('/api/people').send({ kind: 'child', firstName: 'Uten', lastName: 'Dato' });
    expect(noBirth.status).toBe(400);
    expect(noBirth.body.error.code).toBe('VALIDATION_FAILED');
    const child = await createChild(s.admin, { firstName: 'Mathea', lastName: 'Holm', birthDate: '2021-01-21', groupId: s.blaklokka.id, from: '2025-08-15' });
    const before = await s.admin.patch(`/api/memberships/${child.memberships[0]!.id}`).send({ to: '2025-08-14' });
    expect(before.status).toBe(400);
    expect(before.body.error.code).toBe('VALIDATION_FAILED');
    expect((await s.admin.get(`/api/people/${child.id}`)).body.person.memberships[0].to).toBeNull();
  });

  it('staff, leaders and guardians may not change the roster, and nothing changes', async () => {
    for (const email of ['ansatt@demo.no', 'leder@demo.no', 'forelder@demo.no']) {
      const agent = as(s.app, await tokenFor(s.app, email));
      const unit = await agent.post('/api/units').send({ name: `Ny enhet ${email}`, kind: 'school' });
      expect(unit.status, email).toBe(403);
      expect(unit.body.error.code).toBe('FORBIDDEN');
      const person = await agent.post('/api/people').send({ kind: 'child', firstName: 'Ikke', lastName: 'Tillatt', birthDate: '2021-01-01' });
      expect(person.status, email).toBe(403);
    }
    expect((await s.admin.get('/api/units')).body.units.map((u: { name: string }) => u.name)).not.toContain('Ny enhet ansatt@demo.no');
    expect((await s.admin.get('/api/people?q=Tillatt')).body.people).toEqual([]);
  });

  it('after all these changes the audit chain still verifies', async () => {
    const res = await s.admin.get('/api/audit/verify');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, brokenAt: null });
  });
});

describe.each(testEngines())('ending a membership [%s]', (engine) => {
  let s: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    s = await start(engine, new ManualClock(START));
  });
  afterAll(() => s.t.close());

  it('staff still see a child on the last day of the membership and no longer once it has passed; the admin still does', async () => {
    const child = await createChild(s.admin, { firstName: 'Kasper', lastName: 'Strand', birthDate: '2020-10-10', groupId: s.blaklokka.id, from: '2025-08-15' });
    const membershipId = child.memberships[0]!.id;
    const lastDay = '2026-03-03';
    const ended = await s.admin.patch(`/api/memberships/${membershipId}`).send({ to: lastDay });
    expect(ended.status).toBe(200);
    expect(ended.body.person.memberships).toEqual([{ id: membershipId, groupId: s.blaklokka.id, unitId: s.solsikken.id, from: '2025-08-15', to: lastDay }]);

    const events = await auditOf(s.admin, membershipId);
    expect(events[0]).toMatchObject({ action: 'membership.ended', actorId: s.adminId, payload: { personId: child.id, to: lastDay } });
    expectNoPersonalData(events, 'Kasper', 'Strand', '2020-10-10');

    const seenByStaff = async () => {
      const staff = as(s.app, await tokenFor(s.app, 'ansatt@demo.no'));
      const list = (await staff.get('/api/people')).body.people.map((p: Person) => p.id) as string[];
      const inGroup = (await staff.get(`/api/people?groupId=${s.blaklokka.id}`)).body.people.map((p: Person) => p.id) as string[];
      const direct = (await staff.get(`/api/people/${child.id}`)).status;
      return { list: list.includes(child.id), inGroup: inGroup.includes(child.id), direct };
    };
    expect(await seenByStaff()).toEqual({ list: true, inGroup: true, direct: 200 });

    // 23:30 on the last day in Oslo (UTC+1) is still the last day.
    s.clock.set('2026-03-03T22:30:00Z');
    expect(await seenByStaff()).toEqual({ list: true, inGroup: true, direct: 200 });

    // Midnight in Oslo: the membership has ended.
    s.clock.set('2026-03-03T23:00:00Z');
    expect(await seenByStaff()).toEqual({ list: false, inGroup: false, direct: 404 });

    const admin = as(s.app, await tokenFor(s.app, 'admin@demo.no'));
    expect((await admin.get(`/api/people/${child.id}`)).body.person.memberships[0].to).toBe(lastDay);
    expect((await admin.get('/api/people?kind=child')).body.people.map((p: Person) => p.id)).toContain(child.id);
  });

  it('reopening an ended membership (to: null) makes the child visible to staff again', async () => {
    s.clock.set('2026-03-10T09:00:00Z');
    const admin = as(s.app, await tokenFor(s.app, 'admin@demo.no'));
    const child = await createChild(admin, { firstName: 'Live', lastName: 'Bråten', birthDate: '2021-12-12', groupId: s.blaklokka.id, from: '2025-08-15' });
    const membershipId = child.memberships[0]!.id;
    expect((await admin.patch(`/api/memberships/${membershipId}`).send({ to: '2026-03-09' })).status).toBe(200);
    const staff = as(s.app, await tokenFor(s.app, 'ansatt@demo.no'));
    expect((await staff.get(`/api/people/${child.id}`)).status).toBe(404);

    const reopened = await admin.patch(`/api/memberships/${membershipId}`).send({ to: null });
    expect(reopened.status).toBe(200);
    expect(reopened.body.person.memberships[0].to).toBeNull();
    expect((await staff.get(`/api/people/${child.id}`)).status).toBe(200);
    expect((await auditOf(admin, membershipId)).map((e) => e.action)).toEqual(['membership.ended', 'membership.ended', 'membership.created']);
  });
});
