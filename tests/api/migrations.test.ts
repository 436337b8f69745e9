import { sql } from 'kysely';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { as, tokenFor } from '../support/http.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTo, migrateToLatest } from '../../db/migrate.js';
import { verifyAuditChain } from '../../server/modules/audit/audit.service.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { testEngines } from '../support/engines.js';

describe.each(testEngines())('upgrading a database that holds data [%s]', (engine) => {
  let t: TestContext;
  beforeAll(async () => {
    // The demo's history, then back to the schema before audit events knew their organisation.
    t = await createTestContext(engine);
    const app = createApp(t.ctx, { requestLog: false, webDist: null });
    // Events with an actor, and events with none that name an account or no one at all.
    const admin = as(app, await tokenFor(app, 'admin@demo.no'));
    expect((await admin.put('/api/settings').send({ takedownDueHours: 48 })).status).toBe(200);
    await tokenFor(app, 'leder@demo.no');
    expect((await request(app).post('/api/auth/login').send({ email: 'ansatt@demo.no', password: 'feil passord' })).status).toBe(401);
    expect((await request(app).post('/api/auth/magic-link').send({ email: 'forelder@demo.no' })).status).toBe(202);
    expect((await request(app).get('/api/auth/magic/finnes-ikke-finnes-ikke-finnes-ikke')).status).toBe(401);
    await migrateTo(t.ctx.db, engine, '2026-11-23T1300-publications');
  });
  afterAll(() => t.close());

  it("gives existing audit events their organisation, from their actor or object, and keeps the log append-only and its chain intact", async () => {
    const events = await sql<{ seq: number }>`select seq from audit_events`.execute(t.ctx.db);
    expect(events.rows.length).toBeGreaterThanOrEqual(6);

    await migrateToLatest(t.ctx.db, engine);

    const organisation = await t.ctx.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow();
    const rows = await t.ctx.db.selectFrom('audit_events').select(['seq', 'action', 'actor_id', 'object_type', 'organisation_id']).execute();
    expect(rows).toHaveLength(events.rows.length);
    // By the actor (settings, sign-ins) or else by the object (the demo's organisation, the
    // account of a failed sign-in or a sign-in link); a made-up link concerns no one.
    const organisationOf = (action: string) => rows.filter((r) => r.action === action).map((r) => r.organisation_id);
    for (const action of ['demo.seeded', 'settings.updated', 'auth.login', 'auth.login_failed', 'auth.magic_link_sent']) {
      expect(organisationOf(action).length, action).toBeGreaterThan(0);
      expect(new Set(organisationOf(action)), action).toEqual(new Set([organisation.id]));
    }
    expect(organisationOf('auth.magic_link_invalid')).toEqual([null]);
    expect(rows.filter((r) => r.organisation_id === null).map((r) => r.action)).toEqual(['auth.magic_link_invalid']);

    await expect(sql`update audit_events set action = 'x' where seq = 1`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(t.ctx)).ok).toBe(true);
  });
});
