import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Audience, EffectiveConsent, ReasonCode } from '../../server/domain/consent.js';
import { gateDecision, type GateDecision, type GateInput, type GateReason, type GateTag, type PersonConsent, type TextField } from '../../server/domain/gate.js';

/** Runs per property; raise it for a soak (GATE_PROPERTY_RUNS=100000 npx vitest run …). */
const RUNS = Math.max(1000, Number(process.env.GATE_PROPERTY_RUNS ?? 1000));
const options = { numRuns: RUNS };

// ---------------------------------------------------------------------------------------------
// Generators: any photo, any tags, any consent states the consent rule can produce, any names
// found in the texts, any audience.

const PEOPLE = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'] as const;
const CONSENT_REASONS: ReasonCode[] = [
  'NO_CONSENT',
  'CONSENT_REFUSED',
  'CONSENT_WITHDRAWN',
  'CONSENT_EXPIRED',
  'AWAITING_GUARDIAN',
  'NOTICE_CHANGED',
  'CHILD_OBJECTS',
  'NOT_PUBLISHABLE',
  'PROTECTED',
  'LEFT_UNIT',
];
const FIELDS: TextField[] = ['caption', 'altText', 'title'];

const decisionIdArb = fc.integer({ min: 1, max: 40 }).map((n) => `d${String(n).padStart(2, '0')}`);

/** An effective consent as the consent rule returns it: valid exactly when there is no reason. */
const consentArb = (forceInvalid = false): fc.Arbitrary<EffectiveConsent> =>
  fc
    .record({
      reasons: fc.uniqueArray(fc.constantFrom(...CONSENT_REASONS), { minLength: forceInvalid ? 1 : 0, maxLength: 3 }),
      decisionIds: fc.uniqueArray(decisionIdArb, { maxLength: 3 }),
      valid: fc.boolean(),
    })
    .map(({ reasons, decisionIds, valid }) => {
      const rs = forceInvalid || !valid ? (reasons.length > 0 ? reasons : (['NO_CONSENT'] as ReasonCode[])) : [];
      return {
        valid: rs.length === 0,
        reasons: [...rs].sort(),
        decidedBy: 'guardians' as const,
        answers: [],
        awaiting: [],
        validUntil: rs.length === 0 ? '2026-07-31' : null,
        decisionIds: [...decisionIds].sort(),
      };
    });

const personConsentArb: fc.Arbitrary<PersonConsent> = fc.record({ photo: consentArb(), firstName: fc.option(consentArb(), { nil: null }) });

const audienceArb = fc.constantFrom<Audience>('internal', 'closed', 'public', 'press');

const tagsArb: fc.Arbitrary<GateTag[]> = fc
  .record({
    registered: fc.uniqueArray(fc.constantFrom(...PEOPLE), { maxLength: PEOPLE.length }).chain((ids) =>
      fc.tuple(...ids.map((id) => fc.boolean().map((recognisable): GateTag => ({ personId: id, recognisable })))),
    ),
    unknown: fc.array(fc.boolean().map((recognisable): GateTag => ({ personId: null, recognisable })), { maxLength: 2 }),
  })
  .chain(({ registered, unknown }) => {
    const all = [...registered, ...unknown];
    return fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length });
  });

const hitArb = fc.record({ personId: fc.constantFrom(...PEOPLE, 'untagged'), field: fc.constantFrom(...FIELDS) });

const inputArb: fc.Arbitrary<GateInput> = fc.record({
  photo: fc.record({ ready: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }), kind: fc.constantFrom<'activity' | 'portrait'>('activity', 'activity', 'portrait'), noPeople: fc.boolean() }),
  tags: tagsArb,
  consents: fc
    .array(fc.tuple(fc.constantFrom(...PEOPLE), personConsentArb), { maxLength: PEOPLE.length })
    .map((entries) => new Map(entries) as ReadonlyMap<string, PersonConsent>),
  audience: audienceArb,
  names: fc.record({ fullNames: fc.array(hitArb, { maxLength: 2 }), firstNames: fc.array(hitArb, { maxLength: 2 }) }),
  reviewed: fc.boolean(),
});

/** Inputs that pass more often than random ones: everyone has valid consent, few names. */
const passingLeaningArb: fc.Arbitrary<GateInput> = fc
  .record({
    input: inputArb,
    valid: fc.uniqueArray(decisionIdArb, { maxLength: 2 }),
  })
  .map(({ input, valid }) => {
    const consents = new Map<string, PersonConsent>();
    for (const id of PEOPLE) {
      consents.set(id, {
        photo: { valid: true, reasons: [], decidedBy: 'guardians', answers: [], awaiting: [], validUntil: '2026-07-31', decisionIds: valid },
        firstName: null,
      });
    }
    return { ...input, photo: { ...input.photo, ready: true }, consents, names: { fullNames: [], firstNames: [] } };
  });

const anyInput = fc.oneof(inputArb, passingLeaningArb);

/** A reason as a comparable string. */
const key = (r: GateReason) => `${r.code}|${r.personId}|${r.field ?? ''}`;
const reasonSet = (d: GateDecision) => [...new Set(d.reasons.map(key))].sort();
const blocked = (d: GateDecision) => !d.allowed && !d.needsReview;

// ---------------------------------------------------------------------------------------------

describe('the publish gate, for any input', () => {
  it('sometimes allows, sometimes asks for review, sometimes refuses (the generators reach every outcome)', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(anyInput, (input) => {
        const d = gateDecision(input);
        seen.add(d.allowed ? 'allowed' : d.needsReview ? 'review' : 'refused');
      }),
      options,
    );
    expect([...seen].sort()).toEqual(['allowed', 'refused', 'review']);
  });

  it('allowed means no reasons at all; no reasons means allowed', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const d = gateDecision(input);
        expect(d.allowed).toBe(d.reasons.length === 0);
        if (d.allowed) expect(d.needsReview).toBe(false);
      }),
      options,
    );
  });

  it('needs review means the only reason is REVIEW_REQUIRED, about nobody, on a public or press channel nobody has reviewed', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const d = gateDecision(input);
        if (d.needsReview) {
          expect(d.allowed).toBe(false);
          expect(d.reasons).toEqual([{ code: 'REVIEW_REQUIRED', personId: null }]);
          expect(['public', 'press']).toContain(input.audience);
          expect(input.reviewed).toBe(false);
        }
        if (d.reasons.some((r) => r.code === 'REVIEW_REQUIRED')) expect(input.reviewed).toBe(false);
      }),
      options,
    );
  });

  it('a reviewed publication is never told it needs review', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const d = gateDecision({ ...input, reviewed: true });
        expect(d.needsReview).toBe(false);
        expect(d.reasons.map((r) => r.code)).not.toContain('REVIEW_REQUIRED');
      }),
      options,
    );
  });

  it('adding a recognisable tag without valid consent never turns a refusal into an allowance (nor into "needs review")', () => {
    const newTag = fc.oneof(
      // A registered person with no consent state, or an invalid one.
      fc.option(consentArb(true), { nil: undefined }).map((photo) => ({ personId: 'newcomer' as string | null, photo })),
      // A recognisable visitor.
      fc.constant({ personId: null as string | null, photo: undefined }),
    );
    fc.assert(
      fc.property(anyInput, newTag, fc.nat(), (input, added, at) => {
        const before = gateDecision(input);
        const tags = [...input.tags];
        tags.splice(at % (tags.length + 1), 0, { personId: added.personId, recognisable: true });
        const consents = new Map(input.consents);
        if (added.personId && added.photo) consents.set(added.personId, { photo: added.photo, firstName: null });
        const after = gateDecision({ ...input, tags, consents });

        // A recognisable visitor needs no consent on an internal channel (rule 8): there the tag
        // may only settle NOT_TAGGED. Everywhere else, and for any registered person, the new tag
        // alone blocks.
        const needsConsent = added.personId !== null || input.audience !== 'internal';
        if (needsConsent) {
          if (!before.allowed) expect(after.allowed).toBe(false);
          if (blocked(before)) expect(blocked(after)).toBe(true);
          expect(blocked(after)).toBe(true);
          expect(after.reasons.some((r) => r.personId === added.personId && r.code !== 'FULL_NAME_IN_TEXT' && r.code !== 'NAME_NOT_ALLOWED')).toBe(true);
        }
        // Whatever was wrong before is still wrong after.
        const afterKeys = new Set(after.reasons.map(key));
        for (const r of before.reasons) if (r.code !== 'NOT_TAGGED') expect(afterKeys.has(key(r))).toBe(true);
      }),
      options,
    );
  });

  it('the result does not depend on the order of the tags', () => {
    fc.assert(
      fc.property(
        anyInput.chain((input) => fc.tuple(fc.constant(input), fc.shuffledSubarray([...input.tags], { minLength: input.tags.length, maxLength: input.tags.length }))),
        ([input, shuffled]) => {
          const a = gateDecision(input);
          const b = gateDecision({ ...input, tags: shuffled });
          expect(b.allowed).toBe(a.allowed);
          expect(b.needsReview).toBe(a.needsReview);
          expect(b.decisionIds).toEqual(a.decisionIds);
          expect(reasonSet(b)).toEqual(reasonSet(a));
          expect(b.reasons).toHaveLength(a.reasons.length);
        },
      ),
      options,
    );
  });

  it('every recognisable tagged person without valid consent is named with each of their reasons', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const d = gateDecision(input);
        const keys = new Set(d.reasons.map(key));
        for (const t of input.tags) {
          if (!t.recognisable) {
            if (t.personId) expect(d.reasons.filter((r) => r.personId === t.personId && r.code !== 'FULL_NAME_IN_TEXT' && r.code !== 'NAME_NOT_ALLOWED')).toEqual([]);
            continue;
          }
          if (t.personId === null) {
            expect(keys.has('UNKNOWN_PERSON|null|')).toBe(input.audience !== 'internal');
            continue;
          }
          const c = input.consents.get(t.personId);
          if (!c) expect(keys.has(`NO_CONSENT|${t.personId}|`)).toBe(true);
          else for (const code of c.photo.reasons) expect(keys.has(`${code}|${t.personId}|`)).toBe(true);
        }
        for (const hit of input.names.fullNames) expect(keys.has(`FULL_NAME_IN_TEXT|${hit.personId}|${hit.field}`)).toBe(true);
      }),
      options,
    );
  });

  it('lists no reason twice and relies on sorted, distinct decision ids of the people it checked', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const d = gateDecision(input);
        expect(new Set(d.reasons.map(key)).size).toBe(d.reasons.length);
        expect(d.decisionIds).toEqual([...new Set(d.decisionIds)].sort());
        const possible = new Set<string>();
        for (const t of input.tags) if (t.recognisable && t.personId) for (const id of input.consents.get(t.personId)?.photo.decisionIds ?? []) possible.add(id);
        for (const h of input.names.firstNames) for (const id of input.consents.get(h.personId)?.firstName?.decisionIds ?? []) possible.add(id);
        for (const id of d.decisionIds) expect(possible.has(id)).toBe(true);
      }),
      options,
    );
  });

  it('the photo reasons follow the photo alone: not ready, not tagged, portrait on a public audience', () => {
    fc.assert(
      fc.property(anyInput, (input) => {
        const codes = new Set(gateDecision(input).reasons.map((r) => r.code));
        expect(codes.has('PHOTO_NOT_READY')).toBe(!input.photo.ready);
        expect(codes.has('NOT_TAGGED')).toBe(input.tags.length === 0 && !input.photo.noPeople);
        expect(codes.has('PORTRAIT_NOT_ALLOWED')).toBe(input.photo.kind === 'portrait' && (input.audience === 'public' || input.audience === 'press'));
      }),
      options,
    );
  });
});
