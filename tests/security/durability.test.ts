// Durability: real guardians give, refuse and withdraw consent concurrently over HTTP while
// the server process is killed with SIGKILL at random moments. After every kill the database
// must pass its integrity check, the audit chain must verify, and every write the server
// answered 2xx must be there, with its audit event, in the database and through the API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/dialect.js';
import { seededRandom } from '../../scripts/lib/random.js';
import { verifyAuditChain } from '../../server/modules/audit/audit.service.js';
import { testEngines } from '../support/engines.js';
import type { ConsentsView } from '../support/family.js';
import { consentRequest, freshDatabase, guardianChoices, inspect, npmRun, ServerProcess, type ConsentChoice, type Database } from '../support/server-process.js';

const KILLS = 4;
const WORKERS = 24;
const SEED = Number(process.env.DURABILITY_SEED ?? Date.now() % 1_000_000);

interface Ack {
  id: string;
  childId: string;
  purposeId: string;
  question: string;
  decision: 'given' | 'refused' | 'withdrawn';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// SIGKILL leaves the operating system's page cache intact, so the kills below would pass even
// if commits were not synced to disk; what makes an answered write survive a power cut is this.
describe('what a SIGKILL cannot show [sqlite]', () => {
  it('every SQLite connection the app opens commits in WAL mode with synchronous=FULL', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'samtykke-sync-'));
    const handle = openDatabase({ url: `sqlite:${path.join(dir, 'db.sqlite')}`, dataDir: dir });
    try {
      expect(handle.sqlite!.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(handle.sqlite!.pragma('synchronous', { simple: true })).toBe(2);
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(testEngines())('durability under SIGKILL [%s]', (engine) => {
  let db: Database;
  let server: ServerProcess;
  const random = seededRandom(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  let choices: ConsentChoice[] = [];
  /** A guardian's token for each child, to read the child's consent history through the API. */
  let readerOf = new Map<string, string>();
  let guardianAccounts: string[] = [];
  const acked: Ack[] = [];
  let kills = 0;
  let unanswered = 0;
  let startedAt = '';

  beforeAll(async () => {
    db = await freshDatabase(engine);
    server = await ServerProcess.create(db);
    await server.start();
    startedAt = new Date().toISOString();
    const found = await guardianChoices(server);
    choices = found.choices;
    readerOf = found.readerOf;
    guardianAccounts = found.accountIds;
    expect(readerOf.size, 'demo children whose guardians decide').toBeGreaterThanOrEqual(20);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    await db?.dispose();
    console.log(`[security] durability: ${acked.length} writes acknowledged, ${kills} SIGKILLs, ${unanswered} requests cut off, seed ${SEED} [${engine}]`);
  });

  /** Workers send decisions and withdrawals until the server dies under them. */
  function load(): { stop: () => void; done: Promise<{ acks: number; failures: string[] }> } {
    let stopped = false;
    let acks = 0;
    const failures: string[] = [];
    const worker = async () => {
      while (!stopped) {
        const c = pick(choices);
        const question = pick(c.questions);
        const roll = random();
        const decision = roll < 0.4 ? 'given' : roll < 0.6 ? 'refused' : 'withdrawn';
        const { url, body } = consentRequest(c, decision, question);
        let res: Response;
        try {
          res = await fetch(`${server.base}${url}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
            signal: AbortSignal.timeout(20_000),
          });
        } catch {
          // Cut off by the kill: not acknowledged, so it may or may not have committed.
          unanswered += 1;
          if (!server.running) return;
          await sleep(20);
          continue;
        }
        const text = await res.text().catch(() => null);
        if (text === null) {
          unanswered += 1;
          continue;
        }
        if (res.status !== 201) {
          failures.push(`${res.status} ${url} ${text.slice(0, 200)}`);
          continue;
        }
        const d = (JSON.parse(text) as { decision: { id: string; decision: string; purposeId: string; question: string } }).decision;
        expect(d).toMatchObject({ decision, purposeId: c.purposeId, question });
        acked.push({ id: d.id, childId: c.childId, purposeId: c.purposeId, question, decision });
        acks += 1;
      }
    };
    const done = Promise.all(Array.from({ length: WORKERS }, worker)).then(() => ({ acks, failures }));
    return { stop: () => (stopped = true), done };
  }

  /** What must hold of the database after a crash, read directly from it before the server opens it again. */
  async function checkDatabase(round: number) {
    const handle = inspect(db);
    try {
      if (handle.sqlite) {
        expect(handle.sqlite.pragma('integrity_check', { simple: true }), `SQLite integrity_check after kill ${round}`).toBe('ok');
        expect(handle.sqlite.pragma('foreign_key_check'), `foreign_key_check after kill ${round}`).toEqual([]);
      } else {
        // PostgreSQL recovers from its own WAL; what is ours to check is that the schema opens and holds its tables.
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = current_schema()`.execute(handle.db);
        expect(rows[0]!.n, 'tables in the schema').toBeGreaterThan(20);
      }
      const chain = await verifyAuditChain({ db: handle.db });
      expect(chain, `audit chain after kill ${round}`).toMatchObject({ ok: true, brokenAt: null });

      // Every acknowledged write is there, as it was answered.
      const found = new Map<string, { person_id: string; purpose_id: string; question: string; decision: string }>();
      for (let i = 0; i < acked.length; i += 500) {
        const ids = acked.slice(i, i + 500).map((a) => a.id);
        const rows = await handle.db.selectFrom('consent_decisions').select(['id', 'person_id', 'purpose_id', 'question', 'decision']).where('id', 'in', ids).execute();
        for (const r of rows) found.set(r.id, r);
      }
      const lost = acked.filter((a) => !found.has(a.id));
      expect(lost.map((a) => a.id), `acknowledged writes missing after kill ${round}`).toEqual([]);
      for (const a of acked) expect(found.get(a.id)).toEqual({ id: a.id, person_id: a.childId, purpose_id: a.purposeId, question: a.question, decision: a.decision });

      // Each decision of the run, answered or cut off, has exactly its audit event, and no event lacks its decision.
      const decisions = await handle.db
        .selectFrom('consent_decisions')
        .select(['id', 'decision'])
        .where('recorded_by_account_id', 'in', guardianAccounts)
        .where('decided_at', '>=', startedAt)
        .execute();
      const events = await handle.db
        .selectFrom('audit_events')
        .select(['object_id', 'action'])
        .where('object_type', '=', 'consent_decision')
        .where('at', '>=', startedAt)
        .execute();
      const eventsOf = new Map<string, string[]>();
      for (const e of events) eventsOf.set(e.object_id!, [...(eventsOf.get(e.object_id!) ?? []), e.action]);
      for (const d of decisions) expect(eventsOf.get(d.id), `audit event of decision ${d.id}`).toEqual([`consent.${d.decision}`]);
      expect(events.length, 'audit events of consent decisions').toBe(decisions.length);
      return { decisions: decisions.length, events: chain.events };
    } finally {
      await handle.close();
    }
  }

  /** Every acknowledged write, read back through the API by a guardian of the child. */
  async function checkThroughApi(round: number) {
    const byChild = new Map<string, Set<string>>();
    for (const a of acked) byChild.set(a.childId, (byChild.get(a.childId) ?? new Set()).add(a.id));
    for (const [childId, ids] of byChild) {
      const res = await server.api<ConsentsView>(readerOf.get(childId)!, 'GET', `/api/people/${childId}/consents`);
      expect(res.status, `consent page of ${childId} after restart ${round}`).toBe(200);
      const history = new Set(res.body.history.map((h) => h.id));
      const missing = [...ids].filter((id) => !history.has(id));
      expect(missing, `acknowledged decisions of ${childId} missing from its history after restart ${round}`).toEqual([]);
    }
  }

  it(
    `keeps every acknowledged consent decision and withdrawal through ${KILLS} SIGKILLs, with the database intact and the audit chain verifying`,
    async () => {
      for (let round = 1; round <= KILLS; round++) {
        const before = acked.length;
        const run = load();
        // Kill at a random moment once writes are flowing: up to 2 s after the round's 50th answer.
        const deadline = Date.now() + 60_000;
        while (acked.length < before + 50 && Date.now() < deadline) await sleep(10);
        expect(acked.length - before, `writes answered in round ${round}:\n${server.log}`).toBeGreaterThanOrEqual(50);
        await sleep(random() * 2000);
        const killed = server.kill();
        run.stop();
        await killed;
        kills += 1;
        const { acks, failures } = await run.done;
        expect(failures, `answers other than 201 in round ${round}`).toEqual([]);

        const state = await checkDatabase(round);
        await server.start();
        await checkThroughApi(round);
        console.log(
          `[durability ${engine}] kill ${round}: ${acks} writes acknowledged this round, ${acked.length} in all; ${state.decisions - acked.length} more committed unanswered; ${state.events} audit events verify`,
        );
      }
      expect(acked.length, 'hundreds of acknowledged writes').toBeGreaterThanOrEqual(200);
      expect(unanswered, 'requests in flight when the server was killed').toBeGreaterThanOrEqual(KILLS);
      expect(acked.filter((a) => a.decision === 'withdrawn').length).toBeGreaterThan(50);

      // The operator's check, on the database as the last restart left it.
      const verify = await npmRun('audit:verify', [], db.settings);
      expect(verify.code, verify.stderr).toBe(0);
      expect(JSON.parse(verify.stdout.trim().split('\n').at(-1)!)).toMatchObject({ ok: true, brokenAt: null });
    },
    240_000,
  );
});
