import { randomUUID } from 'node:crypto';
import type { ConsentDecision, DeciderRole, Lang, Person, Purpose } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { osloDate } from '../../domain/dates.js';
import { decidesForSelf, selfConsentFrom, type EffectiveConsent, type Question, type ReasonCode } from '../../domain/consent.js';
import { consentExpiryDate } from '../../domain/school-year.js';
import { ConflictError, ForbiddenError, UnprocessableError, ValidationError } from '../../errors.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { listGuardianLinksOfChild } from '../roster/guardian.repository.js';
import { findPeopleByIds } from '../roster/person.repository.js';
import { loadVisiblePerson } from '../roster/person.service.js';
import { settingsFor } from '../settings/settings.service.js';
import { recheckPerson } from '../publications/recheck.service.js';
import { consentFor, loadConsentFacts } from './consent-facts.js';
import { currentNotices, toNoticeDto, toPurposeDto, type NoticeDto, type PurposeDto } from './consent.mappers.js';
import { insertDecision, listChildViews, listDecisions } from './decision.repository.js';
import { findNotice, findPurpose, latestNoticeVersion, listNotices, listPurposes } from './purpose.repository.js';

export const isPrivileged = (actor: Actor) => actor.role === 'leader' || actor.role === 'admin';

export interface PersonRef {
  id: string;
  firstName: string;
  lastName: string;
}

export interface ConsentStateDto {
  valid: boolean;
  reasons: ReasonCode[];
  decidedBy: 'guardians' | 'self';
  awaiting: PersonRef[];
  validUntil: string | null;
  decisionIds: string[];
  answers: { decider: PersonRef; state: EffectiveConsent['answers'][number]['state']; decisionId: string | null; validUntil: string | null }[];
}

export interface QuestionDto {
  question: Question;
  state: ConsentStateDto;
  /** The caller's own latest answer, when the caller is one of those who decide. */
  myAnswer: 'given' | 'refused' | 'withdrawn' | null;
  /** Per-occasion purposes (press): the state for each occasion someone has answered about. */
  occasions: { occasion: string; state: ConsentStateDto; myAnswer: 'given' | 'refused' | 'withdrawn' | null }[];
}

export interface DecisionDto {
  id: string;
  purposeId: string;
  question: Question;
  decision: ConsentDecision['decision'];
  decidedBy: PersonRef & { role: DeciderRole };
  method: ConsentDecision['method'];
  evidenceNote: string | null;
  noticeId: string;
  noticeVersion: number;
  noticeSha256: string;
  occasion: string | null;
  decidedAt: string;
  validUntil: string | null;
}

export interface PersonConsentsDto {
  person: PersonRef & { birthDate: string | null };
  decidesSelf: boolean;
  selfConsentFrom: string | null;
  /** Whether the caller may answer (a responsible guardian, the person from the self-consent age). */
  canDecide: boolean;
  purposes: { purpose: PurposeDto; notice: NoticeDto | null; questions: QuestionDto[] }[];
  history: DecisionDto[];
  /** The child's own views as staff recorded them, newest first; only for staff, leaders and admins. */
  childViews: { id: string; purposeId: string | null; objects: boolean; note: string | null; recordedAt: string }[] | null;
}

const ref = (p: Pick<Person, 'id' | 'first_name' | 'last_name'> | undefined, id: string): PersonRef =>
  p ? { id: p.id, firstName: p.first_name, lastName: p.last_name } : { id, firstName: '', lastName: '' };

function questionsOf(purpose: Purpose): Question[] {
  return purpose.first_name_question === 1 ? ['photo', 'first_name'] : ['photo'];
}

/** Who the caller answers as for this person: a responsible guardian, or the person themself. */
async function deciderFor(ctx: AppContext, actor: Actor, person: Person): Promise<{ personId: string; role: DeciderRole } | null> {
  if (!actor.personId) return null;
  const { selfConsentAge } = await settingsFor(ctx, ctx.db, person.organisation_id);
  const self = decidesForSelf({ birthDate: person.birth_date, adult: person.kind === 'adult' }, osloDate(ctx.clock.now()), selfConsentAge);
  if (actor.personId === person.id) return self ? { personId: person.id, role: 'self' } : null;
  if (self || actor.role !== 'guardian') return null;
  const link = (await listGuardianLinksOfChild(ctx.db, person.id)).find((l) => l.guardian_id === actor.personId && l.responsibility === 1);
  return link ? { personId: actor.personId, role: link.role } : null;
}

export async function getPersonConsents(ctx: AppContext, actor: Actor, personId: string, lang: Lang): Promise<PersonConsentsDto> {
  const person = await loadVisiblePerson(ctx, actor, personId);
  const now = ctx.clock.now();
  const purposes = await listPurposes(ctx.db, actor.organisationId, { activeOnly: true });
  const [facts, notices, decisions, decider] = await Promise.all([
    loadConsentFacts(ctx, ctx.db, [person.id], purposes),
    listNotices(ctx.db, purposes.map((p) => p.id)),
    listDecisions(ctx.db, [person.id]),
    deciderFor(ctx, actor, person),
  ]);
  const current = currentNotices(notices, lang);
  const links = await listGuardianLinksOfChild(ctx.db, person.id);
  const names = new Map<string, PersonRef>([[person.id, ref(person, person.id)]]);
  for (const l of links) names.set(l.guardian_id, ref(l.guardian, l.guardian_id));
  const deciderIds = [...new Set(decisions.map((d) => d.decided_by_person_id))].filter((id) => !names.has(id));
  for (const p of await findPeopleByIds(ctx.db, deciderIds)) names.set(p.id, ref(p, p.id));
  const nameOf = (id: string) => names.get(id) ?? { id, firstName: '', lastName: '' };

  const { selfConsentAge } = await settingsFor(ctx, ctx.db, person.organisation_id);
  const decidesSelf = decidesForSelf({ birthDate: person.birth_date, adult: person.kind === 'adult' }, osloDate(now), selfConsentAge);
  // A pupil's own answers are theirs: a guardian learns that the pupil decides, not what.
  const privateToPupil = decidesSelf && actor.role === 'guardian' && actor.personId !== person.id;
  return {
    person: { ...ref(person, person.id), birthDate: person.birth_date },
    decidesSelf,
    selfConsentFrom: person.birth_date ? selfConsentFrom(person.birth_date, selfConsentAge) : null,
    canDecide: decider !== null,
    purposes: purposes.map((purpose) => {
      const notice = current.get(purpose.id);
      return {
        purpose: toPurposeDto(purpose),
        notice: notice ? toNoticeDto(notice) : null,
        questions: (privateToPupil ? [] : questionsOf(purpose)).map((question) => {
          const stateAt = (occasion: string | null) => {
            const state = consentFor(facts, person.id, purpose, question, { at: now, privileged: isPrivileged(actor), ...(occasion !== null && { occasion }) });
            const mine = decider ? state.answers.find((a) => a.deciderId === decider.personId) : undefined;
            const myAnswer = mine?.decisionId ? (decisions.find((d) => d.id === mine.decisionId)?.decision ?? null) : null;
            const dto: ConsentStateDto = {
              valid: state.valid,
              reasons: state.reasons,
              decidedBy: state.decidedBy,
              awaiting: state.awaiting.map(nameOf),
              validUntil: state.validUntil,
              decisionIds: state.decisionIds,
              answers: state.answers.map((a) => ({ decider: nameOf(a.deciderId), state: a.state, decisionId: a.decisionId, validUntil: a.validUntil })),
            };
            return { state: dto, myAnswer };
          };
          const occasions =
            purpose.per_occasion === 1
              ? [...new Set(decisions.filter((d) => d.purpose_id === purpose.id && d.question === question && d.occasion).map((d) => d.occasion!))].sort()
              : [];
          return {
            question,
            ...stateAt(null),
            occasions: occasions.map((occasion) => ({ occasion, ...stateAt(occasion) })),
          };
        }),
      };
    }),
    history: (privateToPupil ? [] : decisions)
      .slice()
      .reverse()
      .map((d) => toDecisionDto(d, nameOf(d.decided_by_person_id))),
    childViews:
      actor.role === 'staff' || actor.role === 'leader' || actor.role === 'admin'
        ? (await listChildViews(ctx.db, [person.id]))
            .reverse()
            .map((v) => ({ id: v.id, purposeId: v.purpose_id, objects: v.objects === 1, note: v.note, recordedAt: v.recorded_at }))
        : null,
  };
}

export function toDecisionDto(d: ConsentDecision, decider: PersonRef): DecisionDto {
  return {
    id: d.id,
    purposeId: d.purpose_id,
    question: d.question,
    decision: d.decision,
    decidedBy: { ...decider, role: d.decided_by_role },
    method: d.method,
    evidenceNote: d.evidence_note,
    noticeId: d.notice_id,
    noticeVersion: d.notice_version,
    noticeSha256: d.notice_sha256,
    occasion: d.occasion,
    decidedAt: d.decided_at,
    validUntil: d.valid_until,
  };
}

export interface DecideInput {
  purposeId: string;
  question: Question;
  decision: 'given' | 'refused' | 'withdrawn';
  noticeVersion?: number;
  lang: Lang;
  occasion?: string | null;
  /** Staff recording a paper or verbal answer: whose answer it is (a guardian's person id, or "self"). */
  onBehalfOf?: string;
  method?: 'web' | 'paper' | 'verbal';
  evidenceNote?: string | null;
}

/**
 * Records a consent decision as a new event. Guardians answer for children they have parental
 * responsibility for, people from the self-consent age for themselves, and staff record an
 * answer given on paper or by word of mouth, with a note of the evidence.
 */
export async function decide(ctx: AppContext, actor: Actor, personId: string, input: DecideInput): Promise<DecisionDto> {
  const person = await loadVisiblePerson(ctx, actor, personId);
  const purpose = await findPurpose(ctx.db, input.purposeId);
  if (!purpose || purpose.organisation_id !== actor.organisationId || purpose.active !== 1) {
    throw await refuseAccess(ctx, actor, 'purpose', input.purposeId, 'The purpose');
  }
  if (input.question === 'first_name' && purpose.first_name_question !== 1) {
    throw new ValidationError('This purpose does not ask about first names.');
  }
  if (purpose.per_occasion === 1 && !input.occasion) throw new ValidationError('Name the occasion this consent is for.');
  const now = ctx.clock.now();
  const settings = await settingsFor(ctx, ctx.db, person.organisation_id);
  const selfDecides = decidesForSelf({ birthDate: person.birth_date, adult: person.kind === 'adult' }, osloDate(now), settings.selfConsentAge);

  let decider: { personId: string; role: DeciderRole };
  let method: 'web' | 'paper' | 'verbal' = 'web';
  if (actor.role === 'staff' || actor.role === 'leader' || actor.role === 'admin') {
    if (!input.onBehalfOf || !input.method || input.method === 'web') {
      throw new ValidationError('Staff record answers given on paper or verbally: say whose answer it is and how it was given.');
    }
    if (!input.evidenceNote?.trim()) throw new ValidationError('Describe the evidence: where the signed form is kept, or who heard the answer and when.');
    method = input.method;
    if (input.onBehalfOf === 'self' || input.onBehalfOf === person.id) {
      if (!selfDecides) throw new UnprocessableError('NOT_SELF_CONSENT_AGE', `Until the age of ${settings.selfConsentAge} the guardians decide.`);
      decider = { personId: person.id, role: 'self' };
    } else {
      if (selfDecides) throw new UnprocessableError('DECIDES_FOR_THEMSELF', `From the age of ${settings.selfConsentAge} a person decides for themself.`);
      const link = (await listGuardianLinksOfChild(ctx.db, person.id)).find((l) => l.guardian_id === input.onBehalfOf && l.responsibility === 1);
      if (!link) throw new UnprocessableError('NOT_A_RESPONSIBLE_GUARDIAN', 'Only a guardian with parental responsibility can answer for the child.');
      decider = { personId: link.guardian_id, role: link.role };
    }
  } else {
    const found = await deciderFor(ctx, actor, person);
    // Only staff record someone else's answer; an answer meant as another guardian's must not be filed as the caller's own.
    const forSomeoneElse = input.onBehalfOf !== undefined && input.onBehalfOf !== actor.personId && !(input.onBehalfOf === 'self' && actor.personId === person.id);
    if (!found || forSomeoneElse) {
      await ctx.db.transaction().execute((trx) =>
        audit(ctx, trx, actor, { action: 'access.refused', objectType: 'consent', objectId: person.id, payload: { role: actor.role, purposeId: purpose.id } }),
      );
      if (found) throw new ForbiddenError('Only staff record an answer on behalf of someone else.');
      if (selfDecides && actor.personId !== person.id) {
        throw new ForbiddenError(`From the age of ${settings.selfConsentAge} a person decides for themself.`);
      }
      throw new ForbiddenError('Only a guardian with parental responsibility can answer for this child.');
    }
    decider = found;
  }

  const latest = await latestNoticeVersion(ctx.db, purpose.id);
  if (latest === 0) throw new UnprocessableError('NO_NOTICE', 'This purpose has no information text yet, so nobody can answer it.');
  const version = input.noticeVersion ?? latest;
  if (version !== latest) {
    throw new ConflictError('NOTICE_OUTDATED', 'The information text has changed since you read it. Read the new version and answer again.', {
      latestVersion: latest,
    });
  }
  const notice = (await findNotice(ctx.db, purpose.id, version, input.lang)) ?? (await findNotice(ctx.db, purpose.id, version, 'nb'));
  if (!notice) throw new UnprocessableError('NO_NOTICE', 'This purpose has no information text yet, so nobody can answer it.');

  const decision: ConsentDecision = {
    id: randomUUID(),
    person_id: person.id,
    purpose_id: purpose.id,
    question: input.question,
    decision: input.decision,
    decided_by_person_id: decider.personId,
    decided_by_role: decider.role,
    method,
    recorded_by_account_id: actor.accountId,
    evidence_note: method === 'web' ? null : input.evidenceNote!.trim(),
    notice_id: notice.id,
    notice_version: notice.version,
    notice_sha256: notice.sha256,
    occasion: purpose.per_occasion === 1 ? input.occasion!.trim() : null,
    decided_at: now.toISOString(),
    valid_until: input.decision === 'given' ? consentExpiryDate(now, settings.schoolYearEnd) : null,
  };
  await ctx.db.transaction().execute(async (trx) => {
    await insertDecision(trx, decision);
    await audit(ctx, trx, actor, {
      action: `consent.${input.decision}`,
      objectType: 'consent_decision',
      objectId: decision.id,
      payload: { personId: person.id, purposeId: purpose.id, question: input.question, deciderId: decider.personId, method, noticeId: notice.id },
    });
    // A no takes effect at once: what was published of the person and now fails the gate comes down.
    if (input.decision !== 'given') await recheckPerson(ctx, trx, person.id, `consent_${input.decision}`);
  });
  const deciderPerson = (await findPeopleByIds(ctx.db, [decider.personId]))[0];
  return toDecisionDto(decision, ref(deciderPerson, decider.personId));
}
