import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GENESIS_HASH,
  canonicalJson,
  chainStart,
  hashEvent,
  verifyChainPage,
  type AuditEventContent,
  type ChainedAuditEvent,
  type Json,
} from '../../server/domain/audit-chain.js';

// ---------------------------------------------------------------------------------------------
// Generators

const jsonValue = (): fc.Arbitrary<Json> => fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;
const payload = (): fc.Arbitrary<{ [key: string]: Json }> => fc.dictionary(fc.string({ maxLength: 8 }), jsonValue(), { maxKeys: 5 });

const content = fc.record({
  at: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
  actorId: fc.option(fc.uuid(), { nil: null }),
  action: fc.constantFrom('auth.login', 'auth.login_failed', 'consent.given', 'consent.withdrawn', 'person.updated', 'access.refused'),
  objectType: fc.constantFrom('session', 'account', 'person', 'consent', 'audit'),
  objectId: fc.option(fc.uuid(), { nil: null }),
  payload: payload(),
});

/** Builds a valid chain the way the repository does: seq from 1, each prevHash the hash before. */
function buildChain(contents: readonly Omit<AuditEventContent, 'seq'>[]): ChainedAuditEvent[] {
  const out: ChainedAuditEvent[] = [];
  let prevHash = GENESIS_HASH;
  contents.forEach((c, i) => {
    const event: AuditEventContent = { ...c, seq: i + 1 };
    const hash = hashEvent(event, prevHash);
    out.push({ ...event, prevHash, hash });
    prevHash = hash;
  });
  return out;
}

const chain = (minLength = 1, maxLength = 25) => fc.array(content, { minLength, maxLength }).map(buildChain);

/** Rebuilds every object in a value with its keys in another order (seeded), leaving the data equal. */
function reorderKeys(value: Json, seed: number): Json {
  if (Array.isArray(value)) return value.map((v, i) => reorderKeys(v, seed + i + 1));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  // A small deterministic shuffle, so that a failing case can be replayed from fast-check's seed.
  let s = seed >>> 0 || 1;
  for (let i = keys.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) >>> 0;
    const j = s % (i + 1);
    [keys[i], keys[j]] = [keys[j]!, keys[i]!];
  }
  const out: { [key: string]: Json } = {};
  for (const k of keys) Object.defineProperty(out, k, { value: reorderKeys(value[k] as Json, seed + k.length), enumerable: true, writable: true, configurable: true });
  return out;
}

/** Equal as JSON data: what survives a round trip through JSON, key order ignored. */
const sameJson = (a: Json, b: Json) => isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));

const verifyWhole = (events: readonly ChainedAuditEvent[]) => verifyChainPage(chainStart(), events);

/** A value of the same field that is certainly different from the one given. */
function differentValue(field: keyof AuditEventContent, current: unknown, salt: string): unknown {
  switch (field) {
    case 'seq':
      return (current as number) + 1000;
    case 'at':
      return new Date(new Date(current as string).getTime() + 1000).toISOString();
    case 'actorId':
    case 'objectId':
      return current === null ? salt : null;
    case 'action':
    case 'objectType':
      return `${current as string}.${salt}`;
    case 'payload':
      return { ...(current as object), [`tampered_${salt}`]: true };
  }
}

const CONTENT_FIELDS = ['at', 'actorId', 'action', 'objectType', 'objectId', 'payload'] as const;

// ---------------------------------------------------------------------------------------------

describe('canonicalJson', () => {
  it('encodes the same data to the same bytes whatever the key order', () => {
    fc.assert(
      fc.property(jsonValue(), fc.integer(), (value, seed) => {
        expect(canonicalJson(reorderKeys(value, seed))).toBe(canonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps everything JSON keeps, so different data never shares an encoding', () => {
    // Parsing is a left inverse of the encoding: two values with one encoding are the same data.
    fc.assert(
      fc.property(jsonValue(), (value) => {
        expect(sameJson(JSON.parse(canonicalJson(value)) as Json, value)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('gives different payloads different event hashes', () => {
    const event = (p: { [key: string]: Json }): AuditEventContent => ({
      seq: 1,
      at: '2026-11-23T09:00:00.000Z',
      actorId: null,
      action: 'x',
      objectType: 'y',
      objectId: null,
      payload: p,
    });
    fc.assert(
      fc.property(payload(), payload(), (a, b) => {
        fc.pre(!sameJson(a, b));
        expect(canonicalJson(a)).not.toBe(canonicalJson(b));
        expect(hashEvent(event(a), GENESIS_HASH)).not.toBe(hashEvent(event(b), GENESIS_HASH));
      }),
      { numRuns: 500 },
    );
    // Near misses that a naive join of keys and values would confuse.
    const nearMisses: [Json, Json][] = [
      [{ a: 'b,"c":1' }, { a: 'b', c: 1 }],
      [{ a: 1 }, { a: '1' }],
      [{ a: null }, { a: 'null' }],
      [{ a: null }, {}],
      [{ a: [] }, { a: {} }],
      [{ a: [1, 2] }, { a: '1,2' }],
      [{ a: { b: 1 } }, { 'a.b': 1 }],
      [{ a: true }, { a: 'true' }],
      [{ ab: 1 }, { a: 1, b: 1 }],
    ];
    for (const [a, b] of nearMisses) {
      expect(canonicalJson(a), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).not.toBe(canonicalJson(b));
    }
  });

  it('gives events that differ in any one field different hashes, even when text moves between fields', () => {
    fc.assert(
      fc.property(content, fc.constantFrom(...CONTENT_FIELDS), fc.string({ minLength: 1, maxLength: 4 }), (c, field, salt) => {
        const a: AuditEventContent = { ...c, seq: 1 };
        const b = { ...a, [field]: differentValue(field, a[field], salt) } as AuditEventContent;
        expect(hashEvent(b, GENESIS_HASH)).not.toBe(hashEvent(a, GENESIS_HASH));
      }),
      { numRuns: 300 },
    );
    const base: AuditEventContent = { seq: 1, at: '2026-11-23T09:00:00.000Z', actorId: null, action: 'a.b', objectType: 'c', objectId: null, payload: {} };
    expect(hashEvent({ ...base, action: 'a', objectType: 'b.c' }, GENESIS_HASH)).not.toBe(hashEvent(base, GENESIS_HASH));
    expect(hashEvent({ ...base, actorId: 'x', objectId: null }, GENESIS_HASH)).not.toBe(hashEvent({ ...base, actorId: null, objectId: 'x' }, GENESIS_HASH));
    expect(hashEvent(base, 'f'.repeat(64))).not.toBe(hashEvent(base, GENESIS_HASH));
  });

  it('refuses numbers that JSON cannot carry', () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(TypeError);
    expect(() => canonicalJson({ a: [Number.POSITIVE_INFINITY] })).toThrow(TypeError);
  });
});

describe('verifyChainPage', () => {
  it('accepts every chain built the way the repository builds it', () => {
    fc.assert(
      fc.property(chain(0), (events) => {
        const result = verifyWhole(events);
        expect(result.ok).toBe(true);
        expect(result.cursor).toEqual({
          expectedSeq: events.length + 1,
          prevHash: events.at(-1)?.hash ?? GENESIS_HASH,
          count: events.length,
        });
      }),
    );
  });

  it('catches a change to any content field of any event at that event', () => {
    fc.assert(
      fc.property(chain(), fc.nat(), fc.constantFrom(...CONTENT_FIELDS), fc.string({ minLength: 1, maxLength: 4 }), (events, pick, field, salt) => {
        const i = pick % events.length;
        const tampered = events.map((e) => ({ ...e }));
        tampered[i] = { ...tampered[i]!, [field]: differentValue(field, tampered[i]![field], salt) } as ChainedAuditEvent;
        const result = verifyWhole(tampered);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.brokenAt).toEqual({ seq: i + 1, problem: 'HASH_MISMATCH' });
          expect(result.cursor.count, 'events before the break verified').toBe(i);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('catches a changed hash, prevHash or seq at that event', () => {
    fc.assert(
      fc.property(chain(), fc.nat(), fc.constantFrom('hash', 'prevHash', 'seq'), (events, pick, field) => {
        const i = pick % events.length;
        const tampered = events.map((e) => ({ ...e }));
        const e = tampered[i]!;
        if (field === 'hash') e.hash = e.hash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
        if (field === 'prevHash') e.prevHash = e.prevHash.replace(/^./, (c) => (c === '0' ? '1' : '0'));
        if (field === 'seq') e.seq += 1000;
        const result = verifyWhole(tampered);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        const seq = i + 1;
        if (field === 'hash') expect(result.brokenAt).toEqual({ seq, problem: 'HASH_MISMATCH' });
        if (field === 'prevHash') expect(result.brokenAt).toEqual({ seq, problem: 'PREVIOUS_HASH_MISMATCH' });
        if (field === 'seq') expect(result.brokenAt).toEqual({ seq: seq + 1000, problem: 'SEQUENCE_GAP', expectedSeq: seq });
      }),
      { numRuns: 300 },
    );
  });

  it('catches a changed event whose hash was recomputed at the event after it', () => {
    // Re-hashing hides the change in the event itself, but its successor still names the old hash.
    fc.assert(
      fc.property(chain(2), fc.nat(), fc.string({ minLength: 1, maxLength: 4 }), (events, pick, salt) => {
        const i = pick % (events.length - 1);
        const tampered = events.map((e) => ({ ...e }));
        const e = tampered[i]!;
        e.payload = { ...e.payload, [`tampered_${salt}`]: true };
        e.hash = hashEvent(e, e.prevHash);
        const result = verifyWhole(tampered);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.brokenAt).toEqual({ seq: i + 2, problem: 'PREVIOUS_HASH_MISMATCH' });
      }),
      { numRuns: 200 },
    );
  });

  it('catches two swapped events at the first of them', () => {
    fc.assert(
      fc.property(chain(2), fc.nat(), fc.nat(), fc.boolean(), (events, p, q, renumber) => {
        const i = p % events.length;
        const j = q % events.length;
        fc.pre(i !== j);
        const [lo, hi] = i < j ? [i, j] : [j, i];
        const swapped = events.map((e) => ({ ...e }));
        [swapped[lo], swapped[hi]] = [swapped[hi]!, swapped[lo]!];
        const result = verifyWhole(
          // Renumbering is what a swap of rows in the table looks like: the seq values stay in order.
          renumber ? swapped.map((e, k) => ({ ...e, seq: k + 1 })) : swapped,
        );
        expect(result.ok).toBe(false);
        if (result.ok) return;
        if (renumber) expect(result.brokenAt).toEqual({ seq: lo + 1, problem: 'PREVIOUS_HASH_MISMATCH' });
        else expect(result.brokenAt).toEqual({ seq: hi + 1, problem: 'SEQUENCE_GAP', expectedSeq: lo + 1 });
        expect(result.cursor.count).toBe(lo);
      }),
      { numRuns: 300 },
    );
  });

  it('catches a deleted event (other than the newest) where it is missing', () => {
    fc.assert(
      fc.property(chain(2), fc.nat(), fc.boolean(), (events, pick, renumber) => {
        const k = pick % (events.length - 1);
        const remaining = events.filter((_, i) => i !== k);
        const result = verifyWhole(renumber ? remaining.map((e, i) => ({ ...e, seq: i + 1 })) : remaining);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        // The event after the gap is reported, and the missing one is named as the expected seq.
        if (renumber) expect(result.brokenAt).toEqual({ seq: k + 1, problem: 'PREVIOUS_HASH_MISMATCH' });
        else expect(result.brokenAt).toEqual({ seq: k + 2, problem: 'SEQUENCE_GAP', expectedSeq: k + 1 });
        expect(result.cursor.count).toBe(k);
      }),
      { numRuns: 300 },
    );
  });

  it('cannot on its own notice the newest events being cut off (documented limit of a bare hash chain)', () => {
    fc.assert(
      fc.property(chain(2), fc.nat(), (events, pick) => {
        const keep = 1 + (pick % (events.length - 1));
        const result = verifyWhole(events.slice(0, keep));
        // What reveals a truncation is the count and last hash, compared against an earlier report.
        expect(result.ok).toBe(true);
        expect(result.cursor.count).toBe(keep);
        expect(result.cursor.prevHash).not.toBe(events.at(-1)!.hash);
      }),
      { numRuns: 100 },
    );
  });

  it('gives the same answer in pages of any size as over the whole chain', () => {
    type Tamper = { kind: 'none' } | { kind: 'field'; at: number } | { kind: 'swap'; a: number; b: number } | { kind: 'delete'; at: number };
    const tamper: fc.Arbitrary<Tamper> = fc.oneof(
      fc.constant({ kind: 'none' as const }),
      fc.record({ kind: fc.constant('field' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    );
    const apply = (events: ChainedAuditEvent[], t: Tamper): ChainedAuditEvent[] => {
      const out = events.map((e) => ({ ...e }));
      const n = out.length;
      if (t.kind === 'field') out[t.at % n]!.action += '!';
      if (t.kind === 'swap') [out[t.a % n], out[t.b % n]] = [out[t.b % n]!, out[t.a % n]!];
      if (t.kind === 'delete') out.splice(t.at % n, 1);
      return out;
    };
    fc.assert(
      fc.property(chain(1, 40), tamper, fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 40 }), (events, t, sizes) => {
        const log = apply(events, t);
        const whole = verifyWhole(log);
        let cursor = chainStart();
        let paged: ReturnType<typeof verifyChainPage> = { ok: true, cursor };
        for (let start = 0, p = 0; start < log.length; p++) {
          const size = sizes[p % sizes.length]!;
          paged = verifyChainPage(cursor, log.slice(start, start + size));
          if (!paged.ok) break;
          cursor = paged.cursor;
          start += size;
        }
        expect(paged).toEqual(whole);
      }),
      { numRuns: 500 },
    );
  });
});
