import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { findAuditEvents } from '../../server/modules/audit/audit.repository.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';

type Call = { method: 'get' | 'post' | 'patch'; path: string; body?: object };

describe.each(testEngines())('roster access control [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let dir: Awaited<ReturnType<typeof demoDirectory>>;
  // Another family's child in the same kindergarten, and a pupil of another unit.
  let otherFamilyChild: { id: string; membershipId: string; linkId: string; groupId: string; unitId: string };
  let otherUnitPupil: { id: string; membershipId: string; linkId: string; groupId: string; unitId: string };

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    dir = await demoDirectory(app);
    const load = async (name: string) => {
      const c = dir.child(name);
      const links = (await dir.admin.get(`/api/people/${c.id}/guardians`)).body.guardians;
      const m = c.memberships[0]!;
      return { id: c.id, membershipId: m.id, linkId: links[0].id as string, groupId: m.groupId, unitId: m.unitId };
    };
    otherFamilyChild = await load('Nora Hansen');
    otherUnitPupil = await load('Elias Bakken');
  });
  afterAll(() => t.close());

  const endpointsFor = (target: typeof otherFamilyChild): Call[] => [
    { method: 'get', path: `/api/people/${target.id}` },
    { method: 'patch', path: `/api/people/${target.id}`, body: { firstName: 'Endret' } },
    { method: 'get', path: `/api/people/${target.id}/guardians` },
    {
      method: 'post',
      path: `/api/people/${target.id}/guardians`,
      body: { firstName: 'Ny', lastName: 'Verge', email: 'ny.verge@example.no', role: 'parent', responsibility: true },
    },
    { method: 'post', path: `/api/people/${target.id}/memberships`, body: { groupId: target.groupId, from: '2026-08-15' } },
    { method: 'patch', path: `/api/memberships/${target.membershipId}`, body: { to: '2026-12-31' } },
    { method: 'patch', path: `/api/guardian-links/${target.linkId}`, body: { responsibility: false } },
  ];
  const unitEndpoints = (target: typeof otherFamilyChild): Call[] => [
    { method: 'get', path: `/api/people?groupId=${target.groupId}` },
    { method: 'get', path: `/api/people?unitId=${target.unitId}` },
    { method: 'get', path: `/api/units/${target.unitId}/groups` },
    { method: 'post', path: `/api/units/${target.unitId}/groups`, body: { name: 'Ny gruppe' } },
    { method: 'patch', path: `/api/units/${target.unitId}`, body: { name: 'Nytt navn' } },
    { method: 'patch', path: `/api/groups/${target.groupId}`, body: { name: 'Nytt navn' } },
  ];

  async function expectRefusedAsMissing(token: string, call: Call, accountEmail: string) {
    const before = await findAuditEvents(t.ctx.db, { action: 'access.refused', limit: 1 });
    const agent = as(app, token);
    const req = agent[call.method](call.path);
    const res = call.body ? await req.send(call.body) : await req;
    expect(res.status, `${call.method.toUpperCase()} ${call.path} as ${accountEmail}`).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
    // Exactly the answer a missing id gets: nothing in it tells that the object exists.
    expect(JSON.stringify(res.body)).not.toMatch(/Nora|Hansen|Elias|Bakken/);
    const after = await findAuditEvents(t.ctx.db, { action: 'access.refused', limit: 1 });
    expect(after[0]?.seq, 'a refusal is audited').toBeGreaterThan(before[0]?.seq ?? 0);
  }

  it("a guardian reading or changing another family's child gets 404 at every roster endpoint, and each refusal is audited", async () => {
    const token = await tokenFor(app, 'forelder@demo.no');
    for (const call of endpointsFor(otherFamilyChild)) await expectRefusedAsMissing(token, call, 'forelder@demo.no');
    for (const call of unitEndpoints(otherUnitPupil)) await expectRefusedAsMissing(token, call, 'forelder@demo.no');
    // Listing their own child's group shows their own children only, never the other families'.
    const sameGroup = await as(app, token).get(`/api/people?groupId=${otherFamilyChild.groupId}`);
    expect(sameGroup.status).toBe(200);
    expect(sameGroup.body.people.map((p: { firstName: string }) => p.firstName)).toEqual(['Emma']);
  });

  it("staff reading or changing another unit's person gets 404 at every roster endpoint, and each refusal is audited", async () => {
    const token = await tokenFor(app, 'ansatt@demo.no');
    for (const call of [...endpointsFor(otherUnitPupil), ...unitEndpoints(otherUnitPupil)]) {
      await expectRefusedAsMissing(token, call, 'ansatt@demo.no');
    }
  });

  it('a pupil sees only themself', async () => {
    const token = await tokenFor(app, 'elev@demo.no');
    const me = (await as(app, token).get('/api/me')).body.user;
    const list = await as(app, token).get('/api/people');
    expect(list.status).toBe(200);
    expect(list.body.people.map((p: { id: string }) => p.id)).toEqual([me.personId]);
    await expectRefusedAsMissing(token, { method: 'get', path: `/api/people/${otherUnitPupil.id}` }, 'elev@demo.no');
  });

  it('a guardian sees exactly the children they are responsible for', async () => {
    const token = await tokenFor(app, 'forelder@demo.no');
    const res = await as(app, token).get('/api/people');
    expect(res.status).toBe(200);
    const names = res.body.people.map((p: { firstName: string; lastName: string }) => `${p.firstName} ${p.lastName}`).sort();
    expect(names).toEqual(['Emma Nordmann', 'Jakob Nordmann']);
    const emma = res.body.people.find((p: { firstName: string }) => p.firstName === 'Emma');
    const guardians = await as(app, token).get(`/api/people/${emma.id}/guardians`);
    expect(guardians.status).toBe(200);
    expect(guardians.body.guardians).toHaveLength(2);
  });

  it('a foster parent without parental responsibility does not see the child', async () => {
    const noah = dir.child('Noah Berg');
    const links = (await dir.admin.get(`/api/people/${noah.id}/guardians`)).body.guardians;
    const foster = links.find((l: { role: string }) => l.role === 'foster_parent');
    expect(foster.responsibility).toBe(false);
    // Give the foster parent a password so the test can sign in as them.
    const accounts = (await dir.admin.get('/api/accounts')).body.accounts;
    const account = accounts.find((a: { personId: string }) => a.personId === foster.guardian.id);
    await dir.admin.patch(`/api/accounts/${account.id}`).send({ active: false });
    const created = await dir.admin
      .post('/api/accounts')
      .send({ email: 'foster.test@example.no', role: 'guardian', personId: foster.guardian.id, password: 'fosterpass123' });
    expect(created.status).toBe(201);
    const token = await tokenFor(app, 'foster.test@example.no', 'fosterpass123');
    expect((await as(app, token).get('/api/people')).body.people).toEqual([]);
    expect((await as(app, token).get(`/api/people/${noah.id}`)).status).toBe(404);
  });

  it('staff see the children of their own unit and not of another', async () => {
    const token = await tokenFor(app, 'ansatt@demo.no');
    const res = await as(app, token).get('/api/people');
    expect(res.status).toBe(200);
    const unitIds = new Set(res.body.people.flatMap((p: { memberships: { unitId: string }[] }) => p.memberships.map((m) => m.unitId)));
    expect([...unitIds]).toEqual([dir.unit('Solsikken barnehage').id]);
    expect(res.body.people.length).toBe(30);
  });

  it('staff may read but not change the roster', async () => {
    const token = await tokenFor(app, 'ansatt@demo.no');
    const res = await as(app, token).patch(`/api/people/${otherFamilyChild.id}`).send({ firstName: 'X' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    const units = await as(app, token).post('/api/units').send({ name: 'Ny', kind: 'school' });
    expect(units.status).toBe(403);
  });

  it('a missing id and anonymous calls are answered the same way', async () => {
    const token = await tokenFor(app, 'admin@demo.no');
    const missing = await as(app, token).get('/api/people/00000000-0000-0000-0000-000000000000');
    expect(missing.status).toBe(404);
    const anonymous = await request(app).get(`/api/people/${otherFamilyChild.id}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHENTICATED');
  });
});
