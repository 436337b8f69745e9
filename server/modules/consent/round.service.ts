import { randomUUID } from 'node:crypto';
import type { Lang, Purpose } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { osloDate } from '../../domain/dates.js';
import type { Question } from '../../domain/consent.js';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../access/guards.js';
import { resolveScope, scopeIncludesUnit } from '../access/scope.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { activeAccountsOfPeople } from '../auth/account-lookup.js';
import { createSignInLink } from '../auth/auth.service.js';
import { searchPeople } from '../roster/person.repository.js';
import { findUnit } from '../roster/unit.repository.js';
import { consentFor, loadConsentFacts } from './consent-facts.js';
import { isPrivileged } from './consent.service.js';
import { findPurpose, listPurposes } from './purpose.repository.js';
import { findRound, insertRecipient, insertRound, listRecipients, listRounds, markReminded } from './round.repository.js';

export type RoundReason = 'school_year' | 'new_purpose' | 'notice_changed' | 'other';
const LINK_TTL_MINUTES = 72 * 60;

export interface RoundProgress {
  id: string;
  unitId: string;
  reason: RoundReason;
  purposeIds: string[];
  startedAt: string;
  recipients: number;
  /** People who still have something to answer but no account to e-mail: they need a paper form. */
  unreachable: number;
  children: { person: { id: string; firstName: string; lastName: string }; answered: boolean; awaiting: number; purposes: { purposeId: string; answered: boolean; valid: boolean }[] }[];
  totals: { children: number; answered: number; notAnswered: number };
}

async function loadUnitInScope(ctx: AppContext, actor: Actor, unitId: string) {
  const unit = await findUnit(ctx.db, unitId);
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  if (!unit || !scope.byUnit || !scopeIncludesUnit(scope, unit)) throw await refuseAccess(ctx, actor, 'unit', unitId, 'The unit');
  return unit;
}

const questionsOf = (p: Purpose): Question[] => (p.first_name_question === 1 ? ['photo', 'first_name'] : ['photo']);

/** For each child of the unit: per purpose, who still has to answer. */
async function outstanding(ctx: AppContext, actor: Actor, unitId: string, purposes: Purpose[]) {
  const now = ctx.clock.now();
  const children = await searchPeople(ctx.db, { organisationId: actor.organisationId, unitIds: [unitId], kind: 'child', on: osloDate(now), limit: 5000 });
  const facts = await loadConsentFacts(ctx, ctx.db, children.map((c) => c.id), purposes);
  return children.map((child) => {
    const perPurpose = purposes.map((purpose) => {
      const awaiting = new Set<string>();
      let valid = true;
      for (const question of questionsOf(purpose)) {
        const c = consentFor(facts, child.id, purpose, question, { at: now, privileged: isPrivileged(actor), unitId });
        valid &&= c.valid;
        for (const a of c.awaiting) awaiting.add(a);
      }
      return { purposeId: purpose.id, awaiting: [...awaiting], valid };
    });
    return { child, perPurpose };
  });
}

async function roundPurposes(ctx: AppContext, actor: Actor, purposeIds: readonly string[]): Promise<Purpose[]> {
  const purposes: Purpose[] = [];
  for (const id of purposeIds) {
    const p = await findPurpose(ctx.db, id);
    if (!p || p.organisation_id !== actor.organisationId) throw await refuseAccess(ctx, actor, 'purpose', id, 'The purpose');
    purposes.push(p);
  }
  return purposes;
}

/**
 * Starts a consent round: everyone with something to answer for a child of the unit gets one
 * e-mail with a one-time link straight to their questions.
 */
export async function startRound(
  ctx: AppContext,
  actor: Actor,
  input: { unitId: string; purposeIds?: string[]; reason: RoundReason; lang: Lang },
): Promise<RoundProgress> {
  await loadUnitInScope(ctx, actor, input.unitId);
  await requireRole(ctx, actor, ['leader', 'admin'], 'consent_round');
  const purposes = input.purposeIds?.length
    ? await roundPurposes(ctx, actor, input.purposeIds)
    : // Per-occasion purposes (press) are asked when an occasion comes up, not in a round.
      (await listPurposes(ctx.db, actor.organisationId, { activeOnly: true })).filter((p) => p.per_occasion !== 1);
  if (purposes.length === 0) throw new ValidationError('Choose at least one purpose to ask about.');
  const pending = await outstanding(ctx, actor, input.unitId, purposes);
  const deciders = [...new Set(pending.flatMap((p) => p.perPurpose.flatMap((x) => x.awaiting)))];
  const accounts = await activeAccountsOfPeople(ctx.db, deciders);
  const roundId = randomUUID();
  const now = ctx.clock.now().toISOString();
  const mails: { to: string; link: string }[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    await insertRound(trx, {
      id: roundId,
      unit_id: input.unitId,
      reason: input.reason,
      purpose_ids: JSON.stringify(purposes.map((p) => p.id)),
      started_by: actor.accountId,
      started_at: now,
    });
    for (const account of accounts.values()) {
      await insertRecipient(trx, { id: randomUUID(), roundId, accountId: account.id, sentAt: now });
      mails.push({ to: account.email, link: await createSignInLink(ctx, trx, account.id, '/samtykke', LINK_TTL_MINUTES) });
    }
    await audit(ctx, trx, actor, {
      action: 'consent_round.started',
      objectType: 'consent_round',
      objectId: roundId,
      payload: { unitId: input.unitId, purposeIds: purposes.map((p) => p.id), reason: input.reason, recipients: accounts.size },
    });
  });
  // E-mail goes out after the commit: a failed send never rolls back the round.
  await sendAll(ctx, mails, input.lang, false);
  return roundProgress(ctx, actor, roundId);
}

export async function remindRound(ctx: AppContext, actor: Actor, roundId: string, lang: Lang): Promise<RoundProgress & { reminded: number }> {
  const round = await findRound(ctx.db, roundId);
  if (!round) throw await refuseAccess(ctx, actor, 'consent_round', roundId, 'The consent round');
  await loadUnitInScope(ctx, actor, round.unit_id);
  await requireRole(ctx, actor, ['leader', 'admin'], 'consent_round', roundId);
  const purposes = await roundPurposes(ctx, actor, JSON.parse(round.purpose_ids) as string[]);
  const pending = await outstanding(ctx, actor, round.unit_id, purposes);
  const stillAwaiting = new Set(pending.flatMap((p) => p.perPurpose.flatMap((x) => x.awaiting)));
  const recipients = (await listRecipients(ctx.db, roundId)).filter((r) => r.active === 1 && r.person_id && stillAwaiting.has(r.person_id));
  const now = ctx.clock.now().toISOString();
  const mails: { to: string; link: string }[] = [];
  await ctx.db.transaction().execute(async (trx) => {
    for (const r of recipients) {
      await markReminded(trx, r.id, r.reminders + 1, now);
      mails.push({ to: r.email, link: await createSignInLink(ctx, trx, r.account_id, '/samtykke', LINK_TTL_MINUTES) });
    }
    await audit(ctx, trx, actor, { action: 'consent_round.reminded', objectType: 'consent_round', objectId: roundId, payload: { reminded: recipients.length } });
  });
  await sendAll(ctx, mails, lang, true);
  return { ...(await roundProgress(ctx, actor, roundId)), reminded: recipients.length };
}

export async function listUnitRounds(ctx: AppContext, actor: Actor, unitId: string | undefined): Promise<RoundProgress[]> {
  await requireRole(ctx, actor, ['leader', 'admin'], 'consent_round');
  if (unitId) await loadUnitInScope(ctx, actor, unitId);
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  const rounds = await listRounds(ctx.db, actor.organisationId, unitId ? [unitId] : scope.unitIds);
  const out: RoundProgress[] = [];
  for (const r of rounds) out.push(await roundProgress(ctx, actor, r.id));
  return out;
}

export async function roundProgress(ctx: AppContext, actor: Actor, roundId: string): Promise<RoundProgress> {
  const round = await findRound(ctx.db, roundId);
  if (!round) throw await refuseAccess(ctx, actor, 'consent_round', roundId, 'The consent round');
  await loadUnitInScope(ctx, actor, round.unit_id);
  await requireRole(ctx, actor, ['leader', 'admin'], 'consent_round', roundId);
  const purposes = await roundPurposes(ctx, actor, JSON.parse(round.purpose_ids) as string[]);
  const pending = await outstanding(ctx, actor, round.unit_id, purposes);
  const recipients = await listRecipients(ctx.db, roundId);
  const awaitingAll = [...new Set(pending.flatMap((p) => p.perPurpose.flatMap((x) => x.awaiting)))];
  const reachable = await activeAccountsOfPeople(ctx.db, awaitingAll);
  const children = pending
    .map(({ child, perPurpose }) => {
      const awaiting = new Set(perPurpose.flatMap((x) => x.awaiting)).size;
      return {
        person: { id: child.id, firstName: child.first_name, lastName: child.last_name },
        answered: awaiting === 0,
        awaiting,
        purposes: perPurpose.map((x) => ({ purposeId: x.purposeId, answered: x.awaiting.length === 0, valid: x.valid })),
      };
    })
    .sort((a, b) => a.person.firstName.localeCompare(b.person.firstName, 'nb'));
  const answered = children.filter((c) => c.answered).length;
  return {
    id: round.id,
    unitId: round.unit_id,
    reason: round.reason,
    purposeIds: purposes.map((p) => p.id),
    startedAt: round.started_at,
    recipients: recipients.length,
    unreachable: awaitingAll.filter((id) => !reachable.has(id)).length,
    children,
    totals: { children: children.length, answered, notAnswered: children.length - answered },
  };
}

async function sendAll(ctx: AppContext, mails: { to: string; link: string }[], lang: Lang, reminder: boolean): Promise<void> {
  for (const m of mails) {
    try {
      await ctx.mailer.send({ to: m.to, ...roundMail(lang, m.link, reminder) });
    } catch (err) {
      // The round stands; the leader sees who has not answered and can remind again.
      ctx.logger.error({ err: (err as Error).message }, 'consent round e-mail could not be sent');
    }
  }
}

function roundMail(lang: Lang, link: string, reminder: boolean): { subject: string; text: string } {
  const texts = {
    nb: {
      subject: reminder ? 'Påminnelse: spørsmål om bilder av barnet ditt' : 'Spørsmål om bilder av barnet ditt',
      text: `Barnehagen eller skolen spør om samtykke til å ta og dele bilder. Du svarer per formål, og du kan si ja eller nei. Å si nei får ingen følger for barnet.\n\nÅpne lenken for å se spørsmålene og svare:\n${link}\n\nLenken virker én gang og i tre døgn. Du kan også logge inn i Samtykke med e-postadressen din.`,
    },
    nn: {
      subject: reminder ? 'Påminning: spørsmål om bilete av barnet ditt' : 'Spørsmål om bilete av barnet ditt',
      text: `Barnehagen eller skulen spør om samtykke til å ta og dele bilete. Du svarar per føremål, og du kan seie ja eller nei. Å seie nei får ingen følgjer for barnet.\n\nOpna lenkja for å sjå spørsmåla og svare:\n${link}\n\nLenkja verkar éin gong og i tre døgn. Du kan òg logge inn i Samtykke med e-postadressa di.`,
    },
    en: {
      subject: reminder ? 'Reminder: questions about photos of your child' : 'Questions about photos of your child',
      text: `The kindergarten or school asks for consent to take and share photos. You answer per purpose, yes or no. Saying no has no consequences for the child.\n\nOpen the link to see the questions and answer:\n${link}\n\nThe link works once and for three days. You can also sign in to Samtykke with your e-mail address.`,
    },
  } as const;
  return texts[lang];
}
