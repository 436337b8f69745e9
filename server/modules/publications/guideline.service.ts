import { randomUUID } from 'node:crypto';
import type { Lang } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { AppError } from '../../errors.js';
import { requireRole } from '../access/guards.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { findUnit } from '../roster/unit.repository.js';
import {
  acknowledgementsInUnit,
  guidelineTexts,
  hasAcknowledged,
  insertAcknowledgement,
  insertGuideline,
  latestGuidelineVersion,
} from './guideline.repository.js';

export class GuidelinesNotAcknowledgedError extends AppError {
  constructor(version: number) {
    super('GUIDELINES_NOT_ACKNOWLEDGED', 403, 'Read the social-media guidelines and confirm them as read and understood first.', { version });
  }
}

/**
 * Staff and leaders upload and ask to publish only after confirming the current version of
 * the municipality's guidelines as read and understood. No guidelines published: no requirement.
 */
export async function requireGuidelinesAcknowledged(ctx: AppContext, actor: Actor): Promise<void> {
  if (actor.role !== 'staff' && actor.role !== 'leader') return;
  const version = await latestGuidelineVersion(ctx.db, actor.organisationId);
  if (version === 0 || (await hasAcknowledged(ctx.db, actor.accountId, version))) return;
  throw new GuidelinesNotAcknowledgedError(version);
}

export interface GuidelinesDto {
  version: number;
  title: string;
  body: string;
  lang: Lang;
  publishedAt: string | null;
  /** When the caller confirmed this version; null if not yet. */
  acknowledgedAt: string | null;
}

export async function currentGuidelines(ctx: AppContext, actor: Actor, lang: Lang): Promise<GuidelinesDto | null> {
  const version = await latestGuidelineVersion(ctx.db, actor.organisationId);
  if (version === 0) return null;
  const texts = await guidelineTexts(ctx.db, actor.organisationId, version);
  const text = texts.find((t) => t.lang === lang) ?? texts.find((t) => t.lang === 'nb') ?? texts[0]!;
  return {
    version,
    title: text.title,
    body: text.body,
    lang: text.lang,
    publishedAt: text.created_at,
    acknowledgedAt: await hasAcknowledged(ctx.db, actor.accountId, version),
  };
}

export async function acknowledgeGuidelines(ctx: AppContext, actor: Actor, version: number): Promise<void> {
  await requireRole(ctx, actor, ['staff', 'leader'], 'guidelines');
  const latest = await latestGuidelineVersion(ctx.db, actor.organisationId);
  if (version !== latest) throw new AppError('GUIDELINES_OUTDATED', 409, 'A newer version of the guidelines exists. Read it and confirm that one.', { latestVersion: latest });
  await ctx.db.transaction().execute(async (trx) => {
    await insertAcknowledgement(trx, { id: randomUUID(), accountId: actor.accountId, organisationId: actor.organisationId, version, at: ctx.clock.now().toISOString() });
    await audit(ctx, trx, actor, { action: 'guidelines.acknowledged', objectType: 'guidelines', objectId: actor.organisationId, payload: { version } });
  });
}

export async function publishGuidelines(ctx: AppContext, actor: Actor, texts: Partial<Record<Lang, { title: string; body: string }>> & { nb: { title: string; body: string } }): Promise<number> {
  await requireRole(ctx, actor, ['admin'], 'guidelines');
  return ctx.db.transaction().execute(async (trx) => {
    const version = (await latestGuidelineVersion(trx, actor.organisationId)) + 1;
    const now = ctx.clock.now().toISOString();
    for (const [lang, t] of Object.entries(texts) as [Lang, { title: string; body: string }][]) {
      await insertGuideline(trx, { id: randomUUID(), organisationId: actor.organisationId, version, lang, title: t.title, body: t.body, createdBy: actor.accountId, now });
    }
    await audit(ctx, trx, actor, { action: 'guidelines.published', objectType: 'guidelines', objectId: actor.organisationId, payload: { version } });
    return version;
  });
}

/** For the leader: who in the unit has confirmed the current version, and who has not. */
export async function unitAcknowledgements(ctx: AppContext, actor: Actor, unitId: string) {
  await requireRole(ctx, actor, ['leader', 'admin'], 'guidelines');
  const unit = await findUnit(ctx.db, unitId);
  if (!unit || unit.organisation_id !== actor.organisationId || (actor.role === 'leader' && actor.unitId !== unitId)) {
    throw await refuseAccess(ctx, actor, 'unit', unitId, 'The unit');
  }
  const version = await latestGuidelineVersion(ctx.db, actor.organisationId);
  const rows = await acknowledgementsInUnit(ctx.db, unitId, version);
  return { version, people: rows.map((r) => ({ accountId: r.id, email: r.email, role: r.role, acknowledgedAt: r.acknowledged_at ?? null })) };
}
