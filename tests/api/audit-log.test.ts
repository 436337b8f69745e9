import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEventRow } from '../../db/schema.js';
import { createApp } from '../../server/app.js';
import { findAuditEvents } from '../../server/modules/audit/audit.repository.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Each CLI run starts tsx afresh, which takes seconds on a busy machine.
const CLI_TIMEOUT = 60_000;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `npx tsx scripts/audit-verify.ts` the way an operator would, with only the settings given. */
function runAuditVerify(settings: { DATABASE_URL: string; DATA_DIR: string }): Promise<CliResult> {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NODE_ENV: 'development',
    DEMO: 'off',
    SESSION_SECRET: randomBytes(30).toString('base64url'),
    ...settings,
  };
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'scripts/audit-verify.ts'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The JSON report the CLI prints as its last line of stdout. */
const reportOf = (r: CliResult) => JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { ok: boolean; events: number; brokenAt: unknown };

interface Tampering {
  name: string;
  /** The raw SQL an intruder with write access would run, given a seq in the middle of the log. */
  statements(k: number): string[];
  /** The seqs whose rows the tampering touches (to restore them afterwards). */
  touched(k: number): number[];
  /** What the verifier must report. */
  expected(k: number): { seq: number; problem: string; expectedSeq?: number };
  /** What the CLI's sentence on stderr must say. */
  sentence(k: number): RegExp;
}

const TAMPERINGS: Tampering[] = [
  {
    name: 'a changed payload',
    statements: (k) => [`UPDATE audit_events SET payload = '{"reason":"TAMPERED"}' WHERE seq = ${k}`],
    touched: (k) => [k],
    expected: (k) => ({ seq: k, problem: 'HASH_MISMATCH' }),
    sentence: (k) => new RegExp(`#${k}\\b.*changed after it was written`),
  },
  {
    name: 'two events in swapped order',
    statements: (k) => [
      `UPDATE audit_events SET seq = -1 WHERE seq = ${k}`,
      `UPDATE audit_events SET seq = ${k} WHERE seq = ${k + 2}`,
      `UPDATE audit_events SET seq = ${k + 2} WHERE seq = -1`,
    ],
    touched: (k) => [k, k + 2],
    expected: (k) => ({ seq: k, problem: 'PREVIOUS_HASH_MISMATCH' }),
    sentence: (k) => new RegExp(`#${k}\\b.*does not follow the event before it`),
  },
  {
    name: 'a deleted event',
    statements: (k) => [`DELETE FROM audit_events WHERE seq = ${k}`],
    touched: (k) => [k],
    // The event after the hole is where the chain breaks; the report names the missing seq as expectedSeq.
    expected: (k) => ({ seq: k + 1, problem: 'SEQUENCE_GAP', expectedSeq: k }),
    sentence: (k) => new RegExp(`event #${k} is missing \\(the next one found is #${k + 1}\\)`),
  },
];

describe.each(testEngines())('audit log [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let adminToken: string;

  const eventCount = async () => Number((await sql<{ n: number | string }>`select count(*) as n from audit_events`.execute(t.ctx.db)).rows[0]!.n);
  const verify = async () => {
    const res = await as(app, adminToken).get('/api/audit/verify');
    expect(res.status).toBe(200);
    return res.body as { ok: boolean; events: number; brokenAt: unknown };
  };

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    adminToken = await tokenFor(app, 'admin@demo.no');
    // A few more events, so that there is a middle to tamper with.
    for (const email of ['leder@demo.no', 'ansatt@demo.no', 'forelder@demo.no', 'elev@demo.no']) await tokenFor(app, email);
    await request(app).post('/api/auth/login').send({ email: 'ansatt@demo.no', password: 'wrong password' });
  });
  afterAll(() => t.close());

  it('the database itself refuses to change or delete an audit event', async () => {
    const before = await t.ctx.db.selectFrom('audit_events').select(['seq', 'payload', 'hash']).orderBy('seq').execute();
    expect(before.length).toBeGreaterThan(2);
    const seq = before[1]!.seq;
    await expect(sql`UPDATE audit_events SET payload = '{}' WHERE seq = ${seq}`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE audit_events SET seq = seq + 1000`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events WHERE seq = ${seq}`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_events`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    if (engine === 'postgres') await expect(sql`TRUNCATE audit_events`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    // An insert that replaces a row on conflict deletes it first: that must be refused too.
    const row = await t.ctx.db.selectFrom('audit_events').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
    const forged = { ...row, payload: '{"forged":true}' };
    if (engine === 'sqlite') {
      await expect(t.ctx.db.insertInto('audit_events').orReplace().values(forged).execute()).rejects.toThrow(/append-only/);
      await expect(sql`REPLACE INTO audit_events SELECT * FROM audit_events WHERE seq = ${seq}`.execute(t.ctx.db)).rejects.toThrow(/append-only/);
    }
    await expect(
      t.ctx.db.insertInto('audit_events').values(forged).onConflict((oc) => oc.column('seq').doUpdateSet({ payload: '{"forged":true}' })).execute(),
    ).rejects.toThrow(/append-only/);
    // Kysely's own query builder goes through the same door.
    await expect(t.ctx.db.updateTable('audit_events').set({ action: 'x' }).where('seq', '=', seq).execute()).rejects.toThrow(/append-only/);
    await expect(t.ctx.db.deleteFrom('audit_events').where('seq', '=', seq).execute()).rejects.toThrow(/append-only/);
    const after = await t.ctx.db.selectFrom('audit_events').select(['seq', 'payload', 'hash']).orderBy('seq').execute();
    expect(after.slice(0, before.length)).toEqual(before);
  });

  it('an admin verifies the whole chain and sees how many events it holds', async () => {
    const report = await verify();
    expect(report).toEqual({ ok: true, events: await eventCount(), brokenAt: null });
    expect(report.events).toBeGreaterThan(0);
  });

  it('anyone but an admin is refused the chain check, and the refusal is audited', async () => {
    for (const email of ['leder@demo.no', 'ansatt@demo.no', 'forelder@demo.no', 'elev@demo.no']) {
      const token = await tokenFor(app, email);
      const accountId = (await as(app, token).get('/api/me')).body.user.id as string;
      const res = await as(app, token).get('/api/audit/verify');
      expect(res.status, email).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.body).not.toHaveProperty('ok');
      const [last] = await findAuditEvents(t.ctx.db, { action: 'access.refused', actorId: accountId, limit: 1 });
      expect(last, `refusal of ${email} audited`).toMatchObject({ object_type: 'audit', actor_id: accountId });
    }
    const anonymous = await request(app).get('/api/audit/verify');
    expect(anonymous.status).toBe(401);
  });

  /** A seq with events on both sides and room for the swap, so the break is in the middle of the log. */
  const middleSeq = async () => {
    const n = await eventCount();
    expect(n, 'enough events to tamper in the middle').toBeGreaterThanOrEqual(6);
    return Math.floor(n / 2);
  };

  // Each engine gets only its own tampering suite (a plain `if`, not runIf: CI fails on skipped tests).
  if (engine === 'postgres') describe('tampering on PostgreSQL, with the triggers disabled in the test schema', () => {
    const pgUrlForCli = () => {
      const url = new URL(process.env.TEST_DATABASE_URL!);
      // pg reads libpq's `options` parameter from the connection string.
      url.searchParams.set('options', `-c search_path=${t.schema}`);
      return url.toString();
    };

    it.each(TAMPERINGS)('is detected for $name, through the API and the CLI', async (tampering) => {
      const k = await middleSeq();
      const originals = await t.ctx.db
        .selectFrom('audit_events')
        .select(['seq', 'at', 'actor_id', 'action', 'object_type', 'object_id', 'payload', 'prev_hash', 'hash', 'organisation_id'])
        .where('seq', 'in', tampering.touched(k))
        .execute();
      await sql`ALTER TABLE audit_events DISABLE TRIGGER USER`.execute(t.ctx.db);
      try {
        for (const s of tampering.statements(k)) await sql.raw(s).execute(t.ctx.db);

        const report = await verify();
        expect(report.ok).toBe(false);
        expect(report.brokenAt).toEqual(tampering.expected(k));

        const cli = await runAuditVerify({ DATABASE_URL: pgUrlForCli(), DATA_DIR: t.dataDir });
        expect(cli.code, cli.stderr).toBe(2);
        expect(cli.stderr).toMatch(tampering.sentence(k));
        expect(reportOf(cli).brokenAt).toEqual(tampering.expected(k));
      } finally {
        await restore(originals);
        await sql`ALTER TABLE audit_events ENABLE TRIGGER USER`.execute(t.ctx.db);
      }
      // Putting the rows back makes the chain whole again, which shows the break was the tampering.
      expect((await verify()).ok).toBe(true);
    }, CLI_TIMEOUT);

    it('the CLI reports an untouched log as intact and exits 0', async () => {
      const cli = await runAuditVerify({ DATABASE_URL: pgUrlForCli(), DATA_DIR: t.dataDir });
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toMatch(/intact/);
      expect(reportOf(cli)).toEqual({ ok: true, events: await eventCount(), brokenAt: null });
    }, CLI_TIMEOUT);

    async function restore(rows: AuditEventRow[]): Promise<void> {
      const touched = rows.map((r) => r.seq);
      await t.ctx.db.deleteFrom('audit_events').where('seq', 'in', [...touched, -1]).execute();
      await t.ctx.db.insertInto('audit_events').values(rows).execute();
    }
  });

  if (engine === 'sqlite') describe('tampering on SQLite, in a copy of the database file', () => {
    let copies: string;
    beforeAll(() => {
      copies = mkdtempSync(path.join(tmpdir(), 'samtykke-audit-copy-'));
    });
    afterAll(() => rmSync(copies, { recursive: true, force: true }));

    /** An online backup of the live database, which the test then opens on its own. */
    async function copyOfDatabase(name: string): Promise<string> {
      const file = path.join(copies, `${name}.sqlite`);
      await t.handle.sqlite!.backup(file);
      return file;
    }

    it.each(TAMPERINGS)('is detected for $name by the CLI, which names the event and exits 2', async (tampering) => {
      const k = await middleSeq();
      const file = await copyOfDatabase(tampering.name.replace(/\W+/g, '-'));
      const db = new SqliteDatabase(file);
      try {
        db.exec('DROP TRIGGER audit_events_no_update');
        db.exec('DROP TRIGGER audit_events_no_delete');
        for (const s of tampering.statements(k)) db.exec(s);
      } finally {
        db.close();
      }
      const cli = await runAuditVerify({ DATABASE_URL: `sqlite:${file}`, DATA_DIR: copies });
      expect(cli.code, cli.stderr).toBe(2);
      expect(cli.stderr).toMatch(tampering.sentence(k));
      expect(reportOf(cli).brokenAt).toEqual(tampering.expected(k));
      // The live database was never touched.
      expect((await verify()).ok).toBe(true);
    }, CLI_TIMEOUT);

    it('the CLI reports an untouched copy as intact and exits 0', async () => {
      const file = await copyOfDatabase('untouched');
      const cli = await runAuditVerify({ DATABASE_URL: `sqlite:${file}`, DATA_DIR: copies });
      expect(cli.code, cli.stderr).toBe(0);
      expect(cli.stdout).toMatch(/intact/);
      expect(reportOf(cli)).toEqual({ ok: true, events: await eventCount(), brokenAt: null });
    }, CLI_TIMEOUT);
  });
});
