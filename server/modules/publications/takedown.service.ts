import type { Takedown } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { osloDate } from '../../domain/dates.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { requireRole } from '../access/guards.js';
import { resolveScope, scopeIncludesUnit } from '../access/scope.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { findChannel } from '../consent/channel.repository.js';
import { photoIdsTagging } from '../photos/tag.repository.js';
import { loadVisiblePerson } from '../roster/person.service.js';
import { findPublication, findPublications } from './publication.repository.js';
import { takeDown } from './recheck.service.js';
import { completeTakedown, findTakedown, listTakedowns, openTakedownFor } from './takedown.repository.js';
import { toPublicationDto, type PublicationDto } from './publication.service.js';

export interface TakedownDto {
  id: string;
  publicationId: string;
  unitId: string;
  reason: string;
  personId: string | null;
  status: 'open' | 'done';
  createdAt: string;
  dueAt: string;
  overdue: boolean;
  doneAt: string | null;
  doneBy: string | null;
  evidence: string | null;
}

export const toTakedownDto = (t: Takedown, now: Date): TakedownDto => ({
  id: t.id,
  publicationId: t.publication_id,
  unitId: t.unit_id,
  reason: t.reason,
  personId: t.person_id,
  status: t.status,
  createdAt: t.created_at,
  dueAt: t.due_at,
  overdue: t.status === 'open' && t.due_at < now.toISOString(),
  doneAt: t.done_at,
  doneBy: t.done_by,
  evidence: t.evidence,
});

/** Takedown tasks of the caller's unit (staff see them too: the publisher is often staff). */
export async function listUnitTakedowns(ctx: AppContext, actor: Actor, status?: 'open' | 'done'): Promise<TakedownDto[]> {
  await requireRole(ctx, actor, ['staff', 'leader', 'admin'], 'takedown');
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  const now = ctx.clock.now();
  return (await listTakedowns(ctx.db, actor.organisationId, scope.unitIds, status)).map((t) => toTakedownDto(t, now));
}

/** Someone records that the external copy is gone, with a note or the URL as evidence. */
export async function markTakedownDone(ctx: AppContext, actor: Actor, takedownId: string, evidence: string): Promise<TakedownDto> {
  const t = await findTakedown(ctx.db, takedownId);
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  const publication = t ? await findPublication(ctx.db, t.publication_id) : undefined;
  if (!t || !publication || !scopeIncludesUnit(scope, { id: t.unit_id, organisation_id: publication.organisation_id }) || !scope.byUnit) {
    throw await refuseAccess(ctx, actor, 'takedown', takedownId, 'The takedown task');
  }
  await requireRole(ctx, actor, ['staff', 'leader', 'admin'], 'takedown', takedownId);
  if (t.status === 'done') throw new ConflictError('ALREADY_DONE', 'This takedown is already recorded as done.');
  if (!evidence.trim()) throw new ValidationError('Say how it was taken down: a note, or the address where it no longer is.');
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await completeTakedown(trx, t.id, actor.accountId, evidence.trim(), now.toISOString());
    await audit(ctx, trx, actor, { action: 'takedown.done', objectType: 'takedown', objectId: t.id, payload: { publicationId: t.publication_id } });
  });
  return toTakedownDto((await findTakedown(ctx.db, t.id))!, now);
}

/** Every publication a guardian's child is tagged in: where, since when, and its status. */
export async function publicationsOfPerson(ctx: AppContext, actor: Actor, personId: string): Promise<(PublicationDto & { channelName: string })[]> {
  const person = await loadVisiblePerson(ctx, actor, personId);
  const photoIds = await photoIdsTagging(ctx.db, person.id);
  const pubs = await findPublications(ctx.db, { organisationId: person.organisation_id, unitIds: null, photoIds, limit: 500 });
  const out = [];
  for (const p of pubs) {
    const channel = await findChannel(ctx.db, p.channel_id);
    out.push({ ...toPublicationDto(p), channelName: channel?.name ?? '' });
  }
  return out;
}

/**
 * A guardian asks for one photo of their child to be taken down: unpublished at once on
 * hosted channels, and a takedown task for an external copy.
 */
export async function requestTakedown(ctx: AppContext, actor: Actor, publicationId: string, personId: string): Promise<PublicationDto> {
  const person = await loadVisiblePerson(ctx, actor, personId);
  const p = await findPublication(ctx.db, publicationId);
  const tagged = p?.photo_id ? (await photoIdsTagging(ctx.db, person.id)).includes(p.photo_id) : false;
  if (!p || !tagged) throw await refuseAccess(ctx, actor, 'publication', publicationId, 'The publication');
  const channel = (await findChannel(ctx.db, p.channel_id))!;
  await ctx.db.transaction().execute(async (trx) => {
    if (p.status === 'published' || p.status === 'pending_review') {
      await takeDown(ctx, trx, p, channel.kind, { reason: 'guardian_request', personId: person.id, requestedBy: actor.accountId });
    } else if (channel.kind === 'external' && p.published_at && !(await openTakedownFor(trx, p.id))) {
      // Already unpublished here, but the external copy may still be up: make sure someone checks.
      await takeDown(ctx, trx, { ...p, status: 'published' }, channel.kind, { reason: 'guardian_request', personId: person.id, requestedBy: actor.accountId });
    }
    await audit(ctx, trx, actor, { action: 'takedown.requested', objectType: 'publication', objectId: p.id, payload: { personId: person.id } });
  });
  return toPublicationDto((await findPublication(ctx.db, p.id))!);
}
