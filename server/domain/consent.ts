import { addDays, addYears, ageOn, osloDate, type IsoDate } from './dates.js';
import { consentExpiryDate, type MonthDay } from './school-year.js';

/** Gate and consent reason codes: a stable API (see DESIGN.md). */
export type ReasonCode =
  | 'NO_CONSENT'
  | 'CONSENT_REFUSED'
  | 'CONSENT_WITHDRAWN'
  | 'CONSENT_EXPIRED'
  | 'AWAITING_GUARDIAN'
  | 'NOTICE_CHANGED'
  | 'CHILD_OBJECTS'
  | 'NOT_PUBLISHABLE'
  | 'PROTECTED'
  | 'LEFT_UNIT';

export type Audience = 'internal' | 'closed' | 'public' | 'press';
export type GuardianRule = 'any' | 'both';
export type Question = 'photo' | 'first_name';
export type DecisionKind = 'given' | 'refused' | 'withdrawn';

export interface ConsentDecisionFact {
  id: string;
  question: Question;
  decision: DecisionKind;
  /** The guardian's person id, or the person's own id when they decided for themself. */
  decidedBy: string;
  decidedAt: Date;
  noticeVersion: number;
  /** Press purposes: the one occasion a decision covers. */
  occasion: string | null;
}

export interface GuardianFact {
  guardianId: string;
  responsibility: boolean;
}

export interface MembershipFact {
  unitId: string;
  from: IsoDate;
  to: IsoDate | null;
}

export interface ChildViewFact {
  /** null: the view covers every purpose. */
  purposeId: string | null;
  objects: boolean;
  recordedAt: Date;
}

export interface ProtectionFact {
  protected: boolean;
  at: Date;
}

export interface ConsentInput {
  /** Adults (staff, visitors known by name) always decide for themselves, whatever the birth date. */
  person: { id: string; birthDate: IsoDate | null; adult?: boolean };
  purpose: { id: string; audience: Audience; guardianRule: GuardianRule; perOccasion: boolean };
  question: Question;
  /** Press purposes: the occasion asked about. */
  occasion?: string | null;
  /** The latest material notice version of the purpose; decisions on older versions stop counting. */
  latestMaterialVersion: number;
  decisions: readonly ConsentDecisionFact[];
  guardians: readonly GuardianFact[];
  memberships: readonly MembershipFact[];
  /** Only memberships in this unit count (the unit of the photo or channel); all when absent. */
  unitId?: string | null;
  views: readonly ChildViewFact[];
  protection: readonly ProtectionFact[];
  settings: { selfConsentAge: number; schoolYearEnd: MonthDay };
  /** Privileged callers (leader, admin) see PROTECTED; everyone else NOT_PUBLISHABLE. */
  privileged: boolean;
  at: Date;
}

export type AnswerState = 'given' | 'refused' | 'withdrawn' | 'expired' | 'notice_changed' | 'none';

export interface DeciderAnswer {
  deciderId: string;
  state: AnswerState;
  decisionId: string | null;
  /** Last valid day of a given consent. */
  validUntil: IsoDate | null;
}

export interface EffectiveConsent {
  valid: boolean;
  reasons: ReasonCode[];
  /** Who decides: the guardians with parental responsibility, or the person themself. */
  decidedBy: 'guardians' | 'self';
  answers: DeciderAnswer[];
  /** Entitled deciders who have not (validly) said yes and have not said no. */
  awaiting: string[];
  /** Last day the consent is valid, when it is. */
  validUntil: IsoDate | null;
  /** The consent decisions this state relies on. */
  decisionIds: string[];
}

// When one decider has several decisions at the same instant, the most restrictive one wins,
// so the result never depends on the order rows come back from the database.
const SEVERITY: Record<DecisionKind, number> = { given: 0, refused: 1, withdrawn: 2 };

function latestPerDecider(decisions: readonly ConsentDecisionFact[]): Map<string, ConsentDecisionFact> {
  const latest = new Map<string, ConsentDecisionFact>();
  for (const d of decisions) {
    const seen = latest.get(d.decidedBy);
    const later =
      !seen ||
      d.decidedAt.getTime() > seen.decidedAt.getTime() ||
      (d.decidedAt.getTime() === seen.decidedAt.getTime() &&
        (SEVERITY[d.decision] > SEVERITY[seen.decision] || (SEVERITY[d.decision] === SEVERITY[seen.decision] && d.id > seen.id)));
    if (later) latest.set(d.decidedBy, d);
  }
  return latest;
}

// Of several facts at the same instant the restrictive one wins (protected, objects), as with
// decisions, so the result never depends on the order rows come back from the database.
function latestAsOf<T>(facts: readonly T[], at: Date, time: (f: T) => Date, restrictive: (f: T) => boolean): T | undefined {
  let best: T | undefined;
  for (const f of facts) {
    const t = time(f).getTime();
    if (t > at.getTime()) continue;
    if (!best || t > time(best).getTime() || (t === time(best).getTime() && restrictive(f))) best = f;
  }
  return best;
}

/** Whether the person is protected at the instant (the latest flag change counts). */
export function isProtected(protection: readonly ProtectionFact[], at: Date): boolean {
  return latestAsOf(protection, at, (p) => p.at, (p) => p.protected)?.protected ?? false;
}

/** Whether the child's own latest view on this purpose (or on all purposes) is an objection. */
export function childObjects(views: readonly ChildViewFact[], purposeId: string, at: Date): boolean {
  const relevant = views.filter((v) => v.purposeId === null || v.purposeId === purposeId);
  return latestAsOf(relevant, at, (v) => v.recordedAt, (v) => v.objects)?.objects ?? false;
}

/** Whether the person answers for themself: an adult, or a child from the self-consent age. */
export function decidesForSelf(person: { birthDate: IsoDate | null; adult?: boolean }, today: IsoDate, selfConsentAge: number): boolean {
  if (person.adult) return true;
  return person.birthDate !== null && ageOn(person.birthDate, today) >= selfConsentAge;
}

/** The day from which a person decides for themself. */
export function selfConsentFrom(birthDate: IsoDate, selfConsentAge: number): IsoDate {
  return addYears(birthDate, selfConsentAge);
}

/** The effective consent of one person for one purpose and question at one instant. */
export function effectiveConsent(input: ConsentInput): EffectiveConsent {
  const { person, purpose, at, settings } = input;
  const today = osloDate(at);
  const reasons = new Set<ReasonCode>();

  const self = decidesForSelf(person, today, settings.selfConsentAge);
  // The first day their own answers count; for an adult, every day.
  const selfFrom = !self ? null : person.birthDate ? selfConsentFrom(person.birthDate, settings.selfConsentAge) : '0000-01-01';
  const entitled = self
    ? [person.id]
    : [...new Set(input.guardians.filter((g) => g.responsibility && g.guardianId !== person.id).map((g) => g.guardianId))].sort();

  // The stay in the unit the consent belongs to: memberships merged across group changes.
  const inUnit = input.memberships.filter((m) => !input.unitId || m.unitId === input.unitId);
  const stint = currentStint(inUnit, today);
  const stintStart = stint?.from ?? null;
  const stintEnd = stint?.to ?? null;
  // Consent of a child or pupil belongs to their stay in the unit; an adult's does not.
  if (!stintStart && !person.adult) reasons.add('LEFT_UNIT');
  // The last day of an earlier stay, if there was one: a yes given up to then belonged to it.
  const earlierStayEnd = inUnit.reduce<IsoDate | null>((end, m) => (stintStart && m.to !== null && m.to < stintStart && (!end || m.to > end) ? m.to : end), null);

  const counted = input.decisions.filter(
    (d) =>
      d.question === input.question &&
      d.decidedAt.getTime() <= at.getTime() &&
      entitled.includes(d.decidedBy) &&
      (!self || osloDate(d.decidedAt) >= selfFrom!) &&
      (!purpose.perOccasion || (d.occasion !== null && d.occasion === (input.occasion ?? null))),
  );
  const latest = latestPerDecider(counted);

  const answers: DeciderAnswer[] = entitled.map((deciderId) => {
    const d = latest.get(deciderId);
    if (!d) return { deciderId, state: 'none', decisionId: null, validUntil: null };
    if (d.decision !== 'given') return { deciderId, state: d.decision, decisionId: d.id, validUntil: null };
    const expiry = consentExpiryDate(d.decidedAt, settings.schoolYearEnd);
    if (d.noticeVersion < input.latestMaterialVersion) return { deciderId, state: 'notice_changed', decisionId: d.id, validUntil: null };
    if (today > expiry) return { deciderId, state: 'expired', decisionId: d.id, validUntil: expiry };
    // A yes from an earlier stay does not carry over; one given before a first stay began (at enrolment) belongs to it.
    if (earlierStayEnd && osloDate(d.decidedAt) <= earlierStayEnd) {
      return { deciderId, state: 'expired', decisionId: d.id, validUntil: expiry };
    }
    return { deciderId, state: 'given', decisionId: d.id, validUntil: expiry };
  });

  const has = (s: AnswerState) => answers.some((a) => a.state === s);
  if (has('refused')) reasons.add('CONSENT_REFUSED');
  if (has('withdrawn')) reasons.add('CONSENT_WITHDRAWN');
  const given = answers.filter((a) => a.state === 'given');
  const blocking = has('refused') || has('withdrawn');
  const enough = purpose.guardianRule === 'any' || self ? given.length > 0 : entitled.length > 0 && given.length === entitled.length;
  if (!blocking && !enough) {
    if (has('notice_changed')) reasons.add('NOTICE_CHANGED');
    if (has('expired')) reasons.add('CONSENT_EXPIRED');
    if (given.length > 0) reasons.add('AWAITING_GUARDIAN');
    if (given.length === 0 && !has('notice_changed') && !has('expired')) reasons.add('NO_CONSENT');
  }

  // From the self-consent age the person's own answers are their voice; a view staff recorded
  // for them as a child no longer speaks for them.
  const views = self ? input.views.filter((v) => osloDate(v.recordedAt) >= selfFrom!) : input.views;
  if (childObjects(views, purpose.id, at)) reasons.add('CHILD_OBJECTS');
  if (purpose.audience !== 'internal' && isProtected(input.protection, at)) reasons.add(input.privileged ? 'PROTECTED' : 'NOT_PUBLISHABLE');

  const valid = reasons.size === 0;
  const relied = answers.filter((a) => a.decisionId !== null);
  let validUntil: IsoDate | null = null;
  if (valid) {
    const ends = given.map((a) => a.validUntil!);
    const byRule = purpose.guardianRule === 'any' || self ? ends.sort().reverse()[0]! : ends.sort()[0]!;
    validUntil = stintEnd && stintEnd < byRule ? stintEnd : byRule;
  }
  return {
    valid,
    reasons: [...reasons].sort(),
    decidedBy: self ? 'self' : 'guardians',
    answers,
    awaiting: valid ? [] : answers.filter((a) => a.state === 'none' || a.state === 'expired' || a.state === 'notice_changed').map((a) => a.deciderId),
    validUntil,
    decisionIds: relied.map((a) => a.decisionId!).sort(),
  };
}

/** The uninterrupted stay (memberships joined end to end) that covers the day, if any. */
export function currentStint(memberships: readonly MembershipFact[], today: IsoDate): { from: IsoDate; to: IsoDate | null } | null {
  const sorted = [...memberships].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  const stints: { from: IsoDate; to: IsoDate | null }[] = [];
  for (const m of sorted) {
    const last = stints[stints.length - 1];
    if (last && (last.to === null || m.from <= addDays(last.to, 1))) {
      if (last.to !== null) last.to = m.to === null || m.to > last.to ? m.to : last.to;
    } else {
      stints.push({ from: m.from, to: m.to });
    }
  }
  return stints.find((s) => s.from <= today && (s.to === null || today <= s.to)) ?? null;
}
