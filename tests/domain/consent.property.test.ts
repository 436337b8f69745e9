import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  effectiveConsent,
  type ConsentDecisionFact,
  type ConsentInput,
  type ChildViewFact,
  type DecisionKind,
  type MembershipFact,
  type ProtectionFact,
} from '../../server/domain/consent.js';
import { addDays, addYears, ageOn, osloDate } from '../../server/domain/dates.js';
import { consentExpiryDate } from '../../server/domain/school-year.js';

/** Runs per property; raise it for a soak (CONSENT_PROPERTY_RUNS=100000 npx vitest run …). */
const RUNS = Math.max(1, Number(process.env.CONSENT_PROPERTY_RUNS ?? 1000));
const options = { numRuns: RUNS };

// ---------------------------------------------------------------------------------------------
// Generators: random histories of one person and one purpose over about two years.

const PERSON = 'pupil';
const RESPONSIBLE = ['g1', 'g2', 'g3'] as const;
const NOT_RESPONSIBLE = ['n1', 'n2'] as const;
const FOREIGN = ['x1', 'x2'] as const;

const WINDOW_START = Date.parse('2023-08-01T00:00:00Z');
const WINDOW_END = Date.parse('2025-08-31T00:00:00Z');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Instants where the Oslo date and the UTC date differ, school years turn, birthdays and DST fall. */
const SPECIAL_INSTANTS = [
  '2024-07-31T21:59:59.999Z',
  '2024-07-31T22:00:00.000Z',
  '2025-07-31T21:59:59.999Z',
  '2025-07-31T22:00:00.000Z',
  '2024-06-29T22:00:00.000Z',
  '2024-06-30T22:00:00.000Z',
  '2024-02-28T23:00:00.000Z',
  '2024-02-29T23:00:00.000Z',
  '2025-02-28T23:00:00.000Z',
  '2024-03-31T01:00:00.000Z',
  '2024-10-27T00:59:59.000Z',
].map((s) => Date.parse(s));

const instant = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: (WINDOW_END - WINDOW_START) / MINUTE }).map((m) => WINDOW_START + m * MINUTE) },
  { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_INSTANTS) },
);

/**
 * A few instants per history that facts pick from, so that several facts often share one instant.
 * Most lie in the year before the base instant (when a decision can still be in force), a few
 * after it, some are the special instants.
 */
const instantPool = fc.array(
  fc.oneof(
    { weight: 5, arbitrary: fc.integer({ min: -30 * 24 * 60, max: 400 * 24 * 60 }).map((back) => ({ back: back * MINUTE })) },
    { weight: 1, arbitrary: fc.constantFrom(...SPECIAL_INSTANTS).map((ms) => ({ ms })) },
  ),
  { minLength: 1, maxLength: 8 },
);
const pick = <T,>(pool: readonly T[], i: number): T => pool[i % pool.length]!;

const day = (from: string, maxDays: number) => fc.integer({ min: 0, max: maxDays }).map((n) => addDays(from, n));

// Births from 2006 to early 2013: with ages 13–16 many cross the self-consent age inside the window.
const birthDate = fc.oneof(
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 6, arbitrary: day('2006-01-01', 2600) },
  { weight: 1, arbitrary: fc.constantFrom('2008-02-29', '2009-02-28', '2009-03-01', '2009-07-31', '2010-08-01', '2012-02-29') },
);

const decisionSpec = fc.record({
  by: fc.constantFrom<string>(PERSON, PERSON, 'g1', 'g1', 'g1', 'g2', 'g2', 'g2', 'g3', ...NOT_RESPONSIBLE, ...FOREIGN),
  decision: fc.constantFrom<DecisionKind>('given', 'given', 'given', 'refused', 'withdrawn'),
  t: fc.nat(),
  question: fc.constantFrom('photo', 'photo', 'photo', 'photo', 'first_name' as const),
  noticeVersion: fc.constantFrom(1, 1, 1, 2, 2, 3),
  occasion: fc.constantFrom(null, 'o1', 'o1', 'o2'),
});

const membershipSpec = fc.record({
  unitId: fc.constantFrom('u1', 'u1', 'u1', 'u2'),
  /** 0: starts the day after the previous one ends (a move between groups). */
  gap: fc.oneof(fc.constant(0), fc.integer({ min: -60, max: 200 })),
  length: fc.oneof(
    { weight: 6, arbitrary: fc.constant(null) },
    { weight: 3, arbitrary: fc.noBias(fc.integer({ min: 30, max: 1200 })) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 30 }) },
  ),
});

function buildMemberships(start: string, specs: readonly { unitId: string; gap: number; length: number | null }[]): MembershipFact[] {
  const out: MembershipFact[] = [];
  for (const s of specs) {
    const prev = out[out.length - 1];
    // After an open membership the next one overlaps it; after a closed one it follows, overlaps or leaves a gap.
    const from = !prev ? start : prev.to === null ? addDays(prev.from, 1 + Math.abs(s.gap)) : addDays(prev.to, 1 + s.gap);
    out.push({ unitId: s.unitId, from, to: s.length === null ? null : addDays(from, s.length) });
  }
  return out;
}

const history = fc
  .record({
    base: instant,
    birthDate,
    responsible: fc.constantFrom(0, 1, 1, 2, 2, 2, 3),
    notResponsible: fc.integer({ min: 0, max: 2 }),
    pool: instantPool,
    decisions: fc.array(decisionSpec, { maxLength: 14 }),
    membershipStartBack: fc.oneof({ weight: 8, arbitrary: fc.noBias(fc.integer({ min: 400, max: 1000 })) }, { weight: 1, arbitrary: fc.integer({ min: -60, max: 400 }) }),
    firstInAskedUnit: fc.constantFrom(true, true, true, false),
    memberships: fc.oneof({ weight: 9, arbitrary: fc.array(membershipSpec, { minLength: 1, maxLength: 3 }) }, { weight: 1, arbitrary: fc.array(membershipSpec, { maxLength: 0 }) }),
    // A consent round: one answer from each person entitled at the evaluation instant, about what is asked.
    round: fc.oneof(
      { weight: 1, arbitrary: fc.constant(null) },
      {
        weight: 2,
        arbitrary: fc.array(
          fc.record({
            t: fc.nat(),
            decision: fc.constantFrom<DecisionKind | null>('given', 'given', 'given', 'given', 'given', 'given', 'refused', 'withdrawn', null),
            oldNotice: fc.constantFrom(false, false, false, false, false, true),
          }),
          { minLength: 3, maxLength: 3 },
        ),
      },
    ),
    views: fc.array(fc.record({ purposeId: fc.constantFrom(null, 'web', 'other'), objects: fc.constantFrom(true, false, false, false), t: fc.nat() }), { maxLength: 3 }),
    protection: fc.array(fc.record({ protected: fc.constantFrom(true, false, false), t: fc.nat() }), { maxLength: 2 }),
    audience: fc.constantFrom('internal', 'closed', 'public', 'press' as const),
    guardianRule: fc.constantFrom('any', 'both' as const),
    perOccasion: fc.constantFrom(false, false, false, true),
    question: fc.constantFrom('photo', 'photo', 'photo', 'first_name' as const),
    occasion: fc.constantFrom(undefined, null, 'o1', 'o1', 'o2'),
    latestMaterialVersion: fc.constantFrom(0, 1, 1, 1, 2),
    unitId: fc.constantFrom(undefined, null, 'u1', 'u1', 'u1', 'u2'),
    privileged: fc.boolean(),
    selfConsentAge: fc.constantFrom(15, 15, 13, 16),
    schoolYearEnd: fc.constantFrom({ month: 7, day: 31 }, { month: 7, day: 31 }, { month: 6, day: 30 }, { month: 8, day: 15 }),
    // The evaluation instant: the base instant, or one of the pool (exactly when something happened).
    atPoolIndex: fc.oneof({ weight: 2, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat() }),
  })
  .map((h): ConsentInput => {
    const instants = h.pool.map((p) => ('ms' in p ? p.ms : h.base - p.back));
    const at = (i: number) => new Date(pick(instants, i));
    const input: ConsentInput = {
      person: { id: PERSON, birthDate: h.birthDate },
      purpose: { id: 'web', audience: h.audience, guardianRule: h.guardianRule, perOccasion: h.perOccasion },
      question: h.question,
      latestMaterialVersion: h.latestMaterialVersion,
      decisions: h.decisions.map((d, i) => ({
        id: `d${String(i).padStart(2, '0')}`,
        question: d.question,
        decision: d.decision,
        decidedBy: d.by,
        decidedAt: at(d.t),
        noticeVersion: d.noticeVersion,
        occasion: d.occasion,
      })),
      guardians: [
        ...RESPONSIBLE.slice(0, h.responsible).map((guardianId) => ({ guardianId, responsibility: true })),
        ...NOT_RESPONSIBLE.slice(0, h.notResponsible).map((guardianId) => ({ guardianId, responsibility: false })),
      ],
      // The first stay is mostly in the unit asked about.
      memberships: buildMemberships(
        addDays(osloDate(new Date(h.base)), -h.membershipStartBack),
        h.memberships.map((m, i) => (i === 0 && h.unitId && h.firstInAskedUnit ? { ...m, unitId: h.unitId } : m)),
      ),
      views: h.views.map((v) => ({ purposeId: v.purposeId, objects: v.objects, recordedAt: at(v.t) })),
      protection: h.protection.map((p) => ({ protected: p.protected, at: at(p.t) })),
      settings: { selfConsentAge: h.selfConsentAge, schoolYearEnd: h.schoolYearEnd },
      privileged: h.privileged,
      at: h.atPoolIndex === null ? new Date(h.base) : at(h.atPoolIndex),
    };
    if (h.occasion !== undefined) input.occasion = h.occasion;
    if (h.unitId !== undefined) input.unitId = h.unitId;
    if (h.round) {
      const answers = entitledAt(input, input.at).flatMap((by, i): ConsentDecisionFact[] => {
        const { t, decision, oldNotice } = h.round![i]!;
        if (decision === null) return [];
        const when = at(t);
        return [
          {
            id: `r${i}`,
            question: input.question,
            decision,
            decidedBy: by,
            // Answered at one of the instants before the evaluation, or at the evaluation instant itself.
            decidedAt: when <= input.at ? when : input.at,
            // A notice version before the latest material one, when there is such a version.
            noticeVersion: Math.max(1, input.latestMaterialVersion - (oldNotice ? 1 : 0)),
            occasion: input.purpose.perOccasion ? (input.occasion ?? 'o1') : null,
          },
        ];
      });
      input.decisions = [...input.decisions, ...answers];
    }
    return input;
  });

/** A deterministic shuffle, so that fast-check can replay and shrink a failing case from its seed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// An independent reading of the rules, used only where a property needs to know a fact.

const isSelf = (input: ConsentInput, at: Date) =>
  input.person.birthDate !== null && ageOn(input.person.birthDate, osloDate(at)) >= input.settings.selfConsentAge;

/** Who is entitled to decide at the instant: the person from the self-consent age, else the responsible guardians. */
function entitledAt(input: ConsentInput, at: Date): string[] {
  if (isSelf(input, at)) return [PERSON];
  return input.guardians.filter((g) => g.responsibility).map((g) => g.guardianId);
}

/** Whether a decision is about what is asked (question, occasion) and could be counted for this decider at the instant. */
function isAbout(input: ConsentInput, d: ConsentDecisionFact): boolean {
  if (d.question !== input.question) return false;
  if (input.purpose.perOccasion) return d.occasion !== null && d.occasion === (input.occasion ?? null);
  return true;
}

// ---------------------------------------------------------------------------------------------

describe('effective consent, over random histories', () => {
  it('the generated histories reach every outcome, so that the properties below are not vacuous', () => {
    const results = fc.sample(history, { numRuns: 1500, seed: 42 }).map(effectiveConsent);
    const seen = new Set(results.flatMap((r) => r.reasons));
    const codes = ['NO_CONSENT', 'CONSENT_REFUSED', 'CONSENT_WITHDRAWN', 'CONSENT_EXPIRED', 'AWAITING_GUARDIAN', 'NOTICE_CHANGED', 'CHILD_OBJECTS', 'NOT_PUBLISHABLE', 'PROTECTED', 'LEFT_UNIT'];
    expect([...seen].sort()).toEqual(codes.sort());
    const valid = results.filter((r) => r.valid);
    expect(valid.length).toBeGreaterThan(results.length * 0.05);
    expect(valid.some((r) => r.decidedBy === 'self')).toBe(true);
    expect(valid.some((r) => r.decidedBy === 'guardians' && r.answers.length >= 2)).toBe(true);
  });

  it('a refusal or withdrawal by anyone entitled makes the consent invalid from that instant, until that person decides again', () => {
    const arb = fc.record({
      input: history,
      who: fc.nat(),
      kind: fc.constantFrom<DecisionKind>('refused', 'withdrawn'),
      // Evaluate at exactly the instant, or up to 20 days later.
      delay: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 20 * DAY })),
    });
    fc.assert(
      fc.property(arb, ({ input, who, kind, delay }) => {
        const evaluation = input.at;
        const entitled = entitledAt(input, evaluation);
        fc.pre(entitled.length > 0);
        const decider = pick(entitled, who);
        let t = new Date(evaluation.getTime() - delay);
        // The person's own decision counts only from the self-consent birthday: move it to the evaluation instant.
        if (decider === PERSON && !isSelf(input, t)) t = evaluation;
        const occasion = input.purpose.perOccasion ? (input.occasion ?? 'o1') : null;
        const no: ConsentDecisionFact = {
          id: 'blocker',
          question: input.question,
          decision: kind,
          decidedBy: decider,
          decidedAt: t,
          noticeVersion: 1,
          occasion,
        };
        const decisions = [
          ...input.decisions.filter((d) => !(d.decidedBy === decider && d.decidedAt > t && d.decidedAt <= evaluation)),
          no,
        ];
        const result = effectiveConsent({ ...input, occasion, decisions });
        expect(result.valid).toBe(false);
        expect(result.reasons.some((r) => r === 'CONSENT_REFUSED' || r === 'CONSENT_WITHDRAWN')).toBe(true);
        expect(result.validUntil).toBeNull();
      }),
      options,
    );
  });

  it('decisions by guardians without parental responsibility or by strangers never change the result', () => {
    const extra = fc.array(
      fc.record({
        by: fc.constantFrom<string>(...NOT_RESPONSIBLE, ...FOREIGN, 'stranger'),
        decision: fc.constantFrom<DecisionKind>('given', 'refused', 'withdrawn'),
        at: instant,
        noticeVersion: fc.integer({ min: 0, max: 4 }),
        occasion: fc.constantFrom(null, 'o1', 'o2'),
        photo: fc.boolean(),
      }),
      { minLength: 1, maxLength: 8 },
    );
    fc.assert(
      fc.property(history, extra, fc.nat(), (input, more, seed) => {
        const added: ConsentDecisionFact[] = more.map((m, i) => ({
          id: `e${i}`,
          question: m.photo ? input.question : 'first_name',
          decision: m.decision,
          decidedBy: m.by,
          decidedAt: new Date(m.at),
          noticeVersion: m.noticeVersion,
          occasion: m.occasion,
        }));
        const before = effectiveConsent(input);
        const after = effectiveConsent({ ...input, decisions: shuffled([...input.decisions, ...added], seed) });
        expect(after).toEqual(before);
      }),
      options,
    );
  });

  it('the result never depends on the order in which decisions, views, protection changes, guardians and memberships are stored', () => {
    fc.assert(
      fc.property(history, fc.nat(), (input, seed) => {
        const reordered: ConsentInput = {
          ...input,
          decisions: shuffled(input.decisions, seed),
          views: shuffled(input.views, seed + 1),
          protection: shuffled(input.protection, seed + 2),
          guardians: shuffled(input.guardians, seed + 3),
          memberships: shuffled(input.memberships, seed + 4),
        };
        const reversed: ConsentInput = {
          ...input,
          decisions: [...input.decisions].reverse(),
          views: [...input.views].reverse(),
          protection: [...input.protection].reverse(),
          guardians: [...input.guardians].reverse(),
          memberships: [...input.memberships].reverse(),
        };
        const result = effectiveConsent(input);
        expect(effectiveConsent(reordered)).toEqual(result);
        expect(effectiveConsent(reversed)).toEqual(result);
      }),
      options,
    );
  });

  it('a valid consent has no reasons and lasts at least until the day asked about; an invalid one has a reason and no end day', () => {
    fc.assert(
      fc.property(history, (input) => {
        const result = effectiveConsent(input);
        if (result.valid) {
          expect(result.reasons).toEqual([]);
          expect(result.awaiting).toEqual([]);
          expect(result.validUntil).not.toBeNull();
          expect(result.validUntil! >= osloDate(input.at)).toBe(true);
        } else {
          expect(result.reasons.length).toBeGreaterThan(0);
          expect(result.validUntil).toBeNull();
        }
        expect(result.reasons).toEqual([...new Set(result.reasons)].sort());
      }),
      options,
    );
  });

  it('a protected person is never valid outside the internal audience, and the reason depends on who asks', () => {
    fc.assert(
      fc.property(history, fc.integer({ min: 0, max: 30 * DAY }), (input, before) => {
        // The flag is set strictly after every other change up to the instant asked about.
        const earlier = input.protection.filter((p) => p.at <= input.at).map((p) => p.at.getTime());
        const setAt = Math.max(input.at.getTime() - before, ...earlier.map((t) => t + 1));
        fc.pre(setAt <= input.at.getTime());
        const result = effectiveConsent({ ...input, protection: [...input.protection, { protected: true, at: new Date(setAt) }] });
        if (input.purpose.audience === 'internal') {
          expect(result.reasons).not.toContain('PROTECTED');
          expect(result.reasons).not.toContain('NOT_PUBLISHABLE');
        } else {
          expect(result.valid).toBe(false);
          expect(result.reasons).toContain(input.privileged ? 'PROTECTED' : 'NOT_PUBLISHABLE');
          expect(result.reasons).not.toContain(input.privileged ? 'NOT_PUBLISHABLE' : 'PROTECTED');
        }
      }),
      options,
    );
  });

  it('from the self-consent age, nothing the guardians decided matters', () => {
    // The birth date is built so that the person has reached the age on the day asked about (sometimes that very day).
    const arb = fc.record({ input: history, extraDays: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 1100 })), leapling: fc.boolean() });
    fc.assert(
      fc.property(arb, ({ input, extraDays, leapling }) => {
        const today = osloDate(input.at);
        let birth = addDays(addYears(today, -input.settings.selfConsentAge), -extraDays);
        // addYears takes 29 February to 1 March in a common year, a day too late to have reached the age.
        if (ageOn(birth, today) < input.settings.selfConsentAge) birth = addDays(birth, -1);
        if (leapling && ageOn('2008-02-29', today) >= input.settings.selfConsentAge) birth = '2008-02-29';
        const person = { id: PERSON, birthDate: birth };
        const own = { ...input, person };
        const result = effectiveConsent(own);
        expect(result.decidedBy).toBe('self');
        const withoutGuardians = effectiveConsent({ ...own, guardians: [], decisions: own.decisions.filter((d) => d.decidedBy === PERSON) });
        expect(withoutGuardians).toEqual(result);
      }),
      options,
    );
  });

  it('decisions, views and protection changes recorded after the instant asked about change nothing', () => {
    const later = fc.record({
      decisions: fc.array(decisionSpec, { minLength: 0, maxLength: 5 }),
      views: fc.array(fc.record({ purposeId: fc.constantFrom(null, 'web'), objects: fc.boolean() }), { maxLength: 2 }),
      protection: fc.array(fc.boolean(), { maxLength: 2 }),
      after: fc.integer({ min: 1, max: 400 * DAY }),
    });
    fc.assert(
      fc.property(history, later, (input, l) => {
        const when = new Date(input.at.getTime() + l.after);
        const decisions: ConsentDecisionFact[] = l.decisions.map((d, i) => ({
          id: `f${i}`,
          question: d.question,
          decision: d.decision,
          decidedBy: d.by,
          decidedAt: when,
          noticeVersion: d.noticeVersion,
          occasion: d.occasion,
        }));
        const views: ChildViewFact[] = l.views.map((v) => ({ ...v, recordedAt: when }));
        const protection: ProtectionFact[] = l.protection.map((p) => ({ protected: p, at: when }));
        const result = effectiveConsent(input);
        const withFuture = effectiveConsent({
          ...input,
          decisions: [...input.decisions, ...decisions],
          views: [...input.views, ...views],
          protection: [...input.protection, ...protection],
        });
        expect(withFuture).toEqual(result);
      }),
      options,
    );
  });

  it('a valid consent always rests on a current yes, on the current notice, from every decider the rule asks for', () => {
    fc.assert(
      fc.property(history, (input) => {
        const result = effectiveConsent(input);
        if (!result.valid) return;
        const entitled = entitledAt(input, input.at);
        expect(entitled.length).toBeGreaterThan(0);
        const today = osloDate(input.at);
        const byId = new Map(input.decisions.map((d) => [d.id, d]));
        const relied = result.decisionIds.map((id) => byId.get(id)!);
        for (const d of relied) {
          expect(d).toBeDefined();
          expect(entitled).toContain(d.decidedBy);
          expect(isAbout(input, d)).toBe(true);
          expect(d.decidedAt.getTime()).toBeLessThanOrEqual(input.at.getTime());
        }
        const freshYes = (id: string) =>
          relied.some(
            (d) =>
              d.decidedBy === id &&
              d.decision === 'given' &&
              d.noticeVersion >= input.latestMaterialVersion &&
              consentExpiryDate(d.decidedAt, input.settings.schoolYearEnd) >= today,
          );
        const needed = result.decidedBy === 'self' || input.purpose.guardianRule === 'any' ? 1 : entitled.length;
        expect(entitled.filter(freshYes).length).toBeGreaterThanOrEqual(needed);
        // Nobody entitled has said no in their latest word.
        expect(result.answers.every((a) => a.state !== 'refused' && a.state !== 'withdrawn')).toBe(true);
      }),
      options,
    );
  });
});
