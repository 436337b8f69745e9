import { sql } from 'kysely';
import type { AuditEventRow, Executor, Trx } from '../../../db/schema.js';
import { GENESIS_HASH, hashEvent, type AuditEventContent, type ChainedAuditEvent, type Json } from '../../domain/audit-chain.js';

// Any constant serves as long as nothing else in the database uses it.
const AUDIT_LOCK_KEY = 7_262_001;

/**
 * Appends one event to the chain inside the caller's transaction. On PostgreSQL an advisory
 * lock held until commit makes concurrent writers take turns, so the chain never forks; on
 * SQLite the single writer already serialises transactions.
 */
/** An event to append: its chained content, and the organisation whose log shows it. */
export type NewAuditEvent = Omit<AuditEventContent, 'seq'> & { organisationId?: string | null };

export async function appendAuditEvent(trx: Trx, engine: 'sqlite' | 'postgres', event: NewAuditEvent): Promise<ChainedAuditEvent> {
  return (await appendAuditEvents(trx, engine, [event]))[0]!;
}

// 9 values a row: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const INSERT_ROWS = 500;

/**
 * Appends several events in this order, each chained to the one before exactly as if appended
 * one by one: the chain head is read once (under the same lock) and the rows go in with
 * multi-row inserts.
 */
export async function appendAuditEvents(
  trx: Trx,
  engine: 'sqlite' | 'postgres',
  events: readonly NewAuditEvent[],
): Promise<ChainedAuditEvent[]> {
  if (events.length === 0) return [];
  if (engine === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const last = await trx
    .selectFrom('audit_events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const chained: ChainedAuditEvent[] = [];
  const organisations: (string | null)[] = [];
  for (const { organisationId, ...event } of events) {
    seq += 1;
    organisations.push(organisationId ?? null);
    const content: AuditEventContent = { ...event, seq };
    const hash = hashEvent(content, prevHash);
    chained.push({ ...content, prevHash, hash });
    prevHash = hash;
  }
  for (let i = 0; i < chained.length; i += INSERT_ROWS) {
    await trx
      .insertInto('audit_events')
      .values(
        chained.slice(i, i + INSERT_ROWS).map((e, j) => ({
          seq: e.seq,
          at: e.at,
          actor_id: e.actorId,
          action: e.action,
          object_type: e.objectType,
          object_id: e.objectId,
          payload: JSON.stringify(e.payload),
          prev_hash: e.prevHash,
          hash: e.hash,
          organisation_id: organisations[i + j]!,
        })),
      )
      .execute();
  }
  return chained;
}

export function toChainedEvent(row: AuditEventRow): ChainedAuditEvent {
  return {
    seq: Number(row.seq),
    at: row.at,
    actorId: row.actor_id,
    action: row.action,
    objectType: row.object_type,
    objectId: row.object_id,
    payload: JSON.parse(row.payload) as { [key: string]: Json },
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

const columns = ['seq', 'at', 'actor_id', 'action', 'object_type', 'object_id', 'payload', 'prev_hash', 'hash', 'organisation_id'] as const;

export async function listAuditEventsAfter(db: Executor, afterSeq: number, limit: number): Promise<AuditEventRow[]> {
  return db.selectFrom('audit_events').select(columns).where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
}

export interface AuditFilter {
  /** Only this organisation's events. */
  organisationId?: string;
  from?: string;
  to?: string;
  actorId?: string;
  action?: string;
  objectType?: string;
  objectId?: string;
  limit: number;
  beforeSeq?: number;
}

export async function findAuditEvents(db: Executor, f: AuditFilter): Promise<AuditEventRow[]> {
  let q = db.selectFrom('audit_events').select(columns);
  if (f.organisationId) q = q.where('organisation_id', '=', f.organisationId);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.objectType) q = q.where('object_type', '=', f.objectType);
  if (f.objectId) q = q.where('object_id', '=', f.objectId);
  if (f.beforeSeq) q = q.where('seq', '<', f.beforeSeq);
  return q.orderBy('seq', 'desc').limit(f.limit).execute();
}
