import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, type RouteEntry } from '../../server/app.js';
import { testEngines } from '../support/engines.js';
import { lastAuditSeq, sendCall } from '../support/http.js';
import { CALLERS, MATRIX, matrixKey, OUTSIDE_JAKOB, OUTSIDE_ORGANISATION, PROTECTION_ENTITLED, ROSTER_OF_SOLSIKKEN, type Caller, type Row } from './access-matrix.js';
import { AFTER, RECIPES, type Call } from './matrix-recipes.js';
import { buildWorld, type World } from './matrix-world.js';

const REFUSALS = new Set([403, 404]);
// Answers about whoever the credentials or link name, not about the caller.
const ABOUT_THE_CREDENTIALS = new Set(['POST /api/auth/login', 'GET /api/auth/magic/:token']);
// The API's own description names every field and code it has, and holds no one's data.
const DESCRIBES_THE_API = 'GET /api/openapi.json';

/** Every key in a JSON value, and every string in it. */
function walk(value: unknown, keys: string[], strings: string[]): void {
  if (typeof value === 'string') strings.push(value);
  else if (Array.isArray(value)) for (const v of value) walk(v, keys, strings);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      keys.push(k);
      walk(v, keys, strings);
    }
  }
}

describe.each(testEngines())('access-control matrix [%s]', (engine) => {
  let w: World;
  let cells = 0;
  let refusalsAudited = 0;

  beforeAll(async () => {
    w = await buildWorld(engine);
  }, 180_000);
  afterAll(async () => {
    console.log(`[security] access matrix: ${cells} cells over ${MATRIX.length} rows × ${CALLERS.length} callers, ${refusalsAudited} refusals audited [${engine}]`);
    await w?.t.close();
  });

  it('has rows for every route the app answers, a recipe for every row, and no row for a route that does not exist', () => {
    const routes = routeTable(w.t.ctx).map((r) => `${r.method} ${r.path}`);
    const rowRoutes = new Set(MATRIX.map((r) => r.route));
    expect(routes.filter((r) => !rowRoutes.has(r)), 'routes without rows in the access matrix').toEqual([]);
    expect([...rowRoutes].filter((r) => !routes.includes(r)), 'matrix rows for routes the app does not have').toEqual([]);
    expect(MATRIX.filter((r) => !RECIPES[matrixKey(r)]).map(matrixKey), 'rows without a recipe').toEqual([]);
    expect(new Set(MATRIX.map(matrixKey)).size, 'each row once').toBe(MATRIX.length);
  });

  async function send(row: Row, caller: Caller, call: Call) {
    const [method] = row.route.split(' ') as [RouteEntry['method']];
    const token = call.ownSession ? await w.freshToken(caller) : await w.token(caller);
    return sendCall(w.app, method, token, call);
  }

  const accountIds = new Map<Caller, string>();
  const accountId = async (caller: Caller) => {
    if (caller === 'anonymous') return null;
    if (!accountIds.has(caller)) {
      const row = await w.t.ctx.db.selectFrom('accounts').select('id').where('email', '=', w.email[caller]).executeTakeFirstOrThrow();
      accountIds.set(caller, row.id);
    }
    return accountIds.get(caller)!;
  };
  const lastSeq = () => lastAuditSeq(w.t.ctx.db);
  const eventsAfter = (seq: number) => w.t.ctx.db.selectFrom('audit_events').select(['action', 'actor_id']).where('seq', '>', seq).execute();

  for (const row of MATRIX) {
    it(`${matrixKey(row)}: ${row.why}`, async () => {
      const problems: string[] = [];
      const actual: number[] = [];
      for (const [i, caller] of CALLERS.entries()) {
        const expected = row.expect[i]!;
        const call = await RECIPES[matrixKey(row)]!(w, caller);
        const before = await lastSeq();
        const res = await send(row, caller, call);
        cells += 1;
        actual.push(res.status);
        if (res.status !== expected) {
          problems.push(`${caller}: expected ${expected}, got ${res.status} ${res.text.slice(0, 160)}`);
          continue;
        }
        if (REFUSALS.has(res.status) && caller !== 'anonymous') {
          const events = await eventsAfter(before);
          const me = await accountId(caller);
          if (!events.some((e) => e.action === 'access.refused' && e.actor_id === me)) {
            problems.push(`${caller}: ${res.status} left no access.refused event of theirs in the audit log (events: ${events.map((e) => e.action).join(', ') || 'none'})`);
          } else refusalsAudited += 1;
        }
        // The protected child: callers outside his world never see him; nobody but the
        // privileged learns of the flag.
        const keys: string[] = [];
        const strings: string[] = [];
        walk(res.body, keys, strings);
        const text = res.type?.startsWith('image/') ? '' : res.text ?? '';
        if (!PROTECTION_ENTITLED.includes(caller) && row.route !== DESCRIBES_THE_API) {
          const flagKey = keys.find((k) => /protect/i.test(k));
          if (flagKey) problems.push(`${caller}: the answer has a field "${flagKey}"`);
          if (strings.includes('PROTECTED')) problems.push(`${caller}: the answer says PROTECTED`);
          if (!ROSTER_OF_SOLSIKKEN.includes(caller) && (text.includes(w.ids.noah) || text.includes('Noah'))) {
            problems.push(`${caller}: the answer mentions the protected child`);
          }
        }
        if (row.route === 'GET /api/audit' && res.status === 200) {
          // An admin reads their own organisation's log and nothing else, with or without an actor.
          const seqs = (res.body.events as { seq: number }[]).map((e) => e.seq);
          const mine = (await w.t.ctx.db.selectFrom('accounts').select('organisation_id').where('id', '=', (await accountId(caller))!).executeTakeFirstOrThrow()).organisation_id;
          const filed = seqs.length === 0 ? [] : await w.t.ctx.db.selectFrom('audit_events').select(['seq', 'organisation_id']).where('seq', 'in', seqs).execute();
          const foreign = filed.filter((e) => e.organisation_id !== mine);
          if (seqs.length === 0 || filed.length !== seqs.length) problems.push(`${caller}: the audit log answer is empty or holds unknown events`);
          if (foreign.length > 0) problems.push(`${caller}: the audit log shows ${foreign.length} events filed under another or no organisation`);
        } else if (!ABOUT_THE_CREDENTIALS.has(row.route)) {
          if (OUTSIDE_ORGANISATION.includes(caller)) {
            const seen = Object.entries(w.organisationIds()).filter(([, id]) => text.includes(id));
            if (seen.length > 0) problems.push(`${caller}: the answer holds ids of another organisation (${seen.map(([k]) => k).join(', ')})`);
          }
          if (OUTSIDE_JAKOB.includes(caller) && (text.includes(w.ids.jakob) || text.includes('Jakob'))) {
            problems.push(`${caller}: the answer mentions a child outside the caller's world`);
          }
        }
      }
      await AFTER[matrixKey(row)]?.(w);
      if (process.env.MATRIX_DISCOVER) console.log(`DISCOVER ${JSON.stringify(matrixKey(row))} '${actual.join(' ')}'`);
      expect(problems, `cells that differ from the matrix for ${matrixKey(row)}`).toEqual([]);
    });
  }
});
