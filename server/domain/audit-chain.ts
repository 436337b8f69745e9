import { createHash } from 'node:crypto';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface AuditEventContent {
  seq: number;
  at: string;
  actorId: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  payload: { [key: string]: Json };
}

export interface ChainedAuditEvent extends AuditEventContent {
  prevHash: string;
  hash: string;
}

/** The prev_hash of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level, so equal data always encodes to equal bytes. */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('Non-finite numbers have no JSON form');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as Json)}`).join(',')}}`;
}

/** SHA-256 over the canonical encoding of an event's content and its predecessor's hash. */
export function hashEvent(event: AuditEventContent, prevHash: string): string {
  const content: Json = {
    seq: event.seq,
    at: event.at,
    actorId: event.actorId,
    action: event.action,
    objectType: event.objectType,
    objectId: event.objectId,
    payload: event.payload,
    prevHash,
  };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

export type ChainBreak =
  | { seq: number; problem: 'SEQUENCE_GAP'; expectedSeq: number }
  | { seq: number; problem: 'PREVIOUS_HASH_MISMATCH' }
  | { seq: number; problem: 'HASH_MISMATCH' };

/** Verifier state, so that a long log can be checked in pages without holding it in memory. */
export interface ChainCursor {
  expectedSeq: number;
  prevHash: string;
  count: number;
}

export const chainStart = (): ChainCursor => ({ expectedSeq: 1, prevHash: GENESIS_HASH, count: 0 });

/** Checks the next events in seq order; returns the first break, or the cursor to continue from. */
export function verifyChainPage(
  cursor: ChainCursor,
  events: readonly ChainedAuditEvent[],
): { ok: true; cursor: ChainCursor } | { ok: false; brokenAt: ChainBreak; cursor: ChainCursor } {
  let { expectedSeq, prevHash, count } = cursor;
  for (const e of events) {
    if (e.seq !== expectedSeq) {
      return { ok: false, brokenAt: { seq: e.seq, problem: 'SEQUENCE_GAP', expectedSeq }, cursor: { expectedSeq, prevHash, count } };
    }
    if (e.prevHash !== prevHash) {
      return { ok: false, brokenAt: { seq: e.seq, problem: 'PREVIOUS_HASH_MISMATCH' }, cursor: { expectedSeq, prevHash, count } };
    }
    if (hashEvent(e, e.prevHash) !== e.hash) {
      return { ok: false, brokenAt: { seq: e.seq, problem: 'HASH_MISMATCH' }, cursor: { expectedSeq, prevHash, count } };
    }
    prevHash = e.hash;
    expectedSeq += 1;
    count += 1;
  }
  return { ok: true, cursor: { expectedSeq, prevHash, count } };
}
