import type { Trx } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { chainStart, verifyChainPage, type ChainBreak, type Json } from '../../domain/audit-chain.js';
import { NotFoundError } from '../../errors.js';
import { appendAuditEvents, findAuditEvents, listAuditEventsAfter, toChainedEvent, type AuditFilter, type NewAuditEvent } from './audit.repository.js';

// Audit payloads carry ids and codes. A key like these means someone is about to log personal data.
const PERSONAL_KEY = /name|email|birth|phone|password|address|caption|text/i;

function assertNoPersonalData(payload: { [key: string]: Json }): void {
  for (const [key, value] of Object.entries(payload)) {
    if (PERSONAL_KEY.test(key)) throw new Error(`Audit payload key "${key}" looks like personal data; log ids instead`);
    if (value && typeof value === 'object' && !Array.isArray(value)) assertNoPersonalData(value);
  }
}

export interface AuditInput {
  action: string;
  objectType: string;
  objectId: string | null;
  payload?: { [key: string]: Json };
  /** The organisation, when the actor does not say (a scheduled job, a failed sign-in). */
  organisationId?: string | null;
}

/** Who caused an event, and the organisation whose log shows it. */
export type AuditActor = Pick<Actor, 'accountId'> & { organisationId?: string };

/** Writes an audit event in the caller's transaction, so that it commits or rolls back with the change. */
export async function audit(ctx: AppContext, trx: Trx, actor: AuditActor | null, input: AuditInput): Promise<void> {
  await auditMany(ctx, trx, actor, [input]);
}

/** Writes several audit events, in this order, in the caller's transaction (one per publication taken down…). */
export async function auditMany(ctx: AppContext, trx: Trx, actor: AuditActor | null, inputs: readonly AuditInput[]): Promise<void> {
  const at = ctx.clock.now().toISOString();
  await appendAuditEvents(trx, ctx.engine, inputs.map((input) => eventOf(at, actor, input)));
}

/** The event to append; throws if the payload carries personal data. */
function eventOf(at: string, actor: AuditActor | null, input: AuditInput): NewAuditEvent {
  const payload = input.payload ?? {};
  assertNoPersonalData(payload);
  return {
    at,
    actorId: actor?.accountId ?? null,
    action: input.action,
    objectType: input.objectType,
    objectId: input.objectId,
    payload,
    organisationId: input.organisationId ?? actor?.organisationId ?? null,
  };
}

interface GroupCommit {
  pending: { event: NewAuditEvent; resolve: () => void; reject: (err: unknown) => void }[];
  running: boolean;
  scheduled: boolean;
}
const groupCommits = new WeakMap<AppContext, GroupCommit>();

/**
 * Writes an audit event that goes with no change of its own (a dry run of the gate, asked on
 * every keystroke) and resolves once it is committed, as durably as any other. Events that
 * arrive while a commit is under way are committed together in the next transaction, in the
 * order they came: one commit (one sync to disk) for many requests instead of one each.
 */
export function auditCommitted(ctx: AppContext, actor: AuditActor | null, input: AuditInput): Promise<void> {
  let event: NewAuditEvent;
  try {
    event = eventOf(ctx.clock.now().toISOString(), actor, input);
  } catch (err) {
    return Promise.reject(err);
  }
  let group = groupCommits.get(ctx);
  if (!group) groupCommits.set(ctx, (group = { pending: [], running: false, scheduled: false }));
  const g = group;
  return new Promise<void>((resolve, reject) => {
    g.pending.push({ event, resolve, reject });
    if (!g.running && !g.scheduled) {
      g.scheduled = true;
      // After the requests already waiting on the event loop, so that their events join in.
      setImmediate(() => void commitPending(ctx, g));
    }
  });
}

async function commitPending(ctx: AppContext, g: GroupCommit): Promise<void> {
  g.scheduled = false;
  g.running = true;
  while (g.pending.length > 0) {
    const batch = g.pending.splice(0);
    try {
      await ctx.db.transaction().execute((trx) => appendAuditEvents(trx, ctx.engine, batch.map((p) => p.event)));
      for (const p of batch) p.resolve();
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
  g.running = false;
}

/**
 * Records a refused access in its own transaction and returns the error to throw: the same
 * 404 a missing object gets, so a refusal reveals nothing about what exists.
 */
export async function refuseAccess(
  ctx: AppContext,
  actor: Actor | null,
  objectType: string,
  objectId: string | null,
  what = 'The item',
): Promise<NotFoundError> {
  await ctx.db.transaction().execute((trx) =>
    audit(ctx, trx, actor, { action: 'access.refused', objectType, objectId, payload: { role: actor?.role ?? 'anonymous' } }),
  );
  return new NotFoundError(what);
}

export interface ChainReport {
  ok: boolean;
  events: number;
  brokenAt: ChainBreak | null;
}

const PAGE = 1000;

/** Recomputes the whole chain from the first event and names the first broken one. */
export async function verifyAuditChain(ctx: Pick<AppContext, 'db'>): Promise<ChainReport> {
  let cursor = chainStart();
  let after = 0;
  for (;;) {
    const rows = await listAuditEventsAfter(ctx.db, after, PAGE);
    if (rows.length === 0) return { ok: true, events: cursor.count, brokenAt: null };
    const result = verifyChainPage(cursor, rows.map(toChainedEvent));
    if (!result.ok) return { ok: false, events: result.cursor.count, brokenAt: result.brokenAt };
    cursor = result.cursor;
    after = Number(rows[rows.length - 1]!.seq);
  }
}

export async function listAudit(ctx: AppContext, actor: Actor, filter: AuditFilter) {
  // Events carry no unit, so only the organisation's admin reads the whole log; leaders get
  // their unit's story through the publication and consent views.
  if (actor.role !== 'admin') throw await refuseAccess(ctx, actor, 'audit', null, 'The audit log');
  const rows = await findAuditEvents(ctx.db, { ...filter, organisationId: actor.organisationId });
  return rows.map(toChainedEvent);
}
