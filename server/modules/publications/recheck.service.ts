import { randomUUID } from 'node:crypto';
import type { Channel, Executor, Publication, Takedown, Trx } from '../../../db/schema.js';
import type { AppContext } from '../../context.js';
import { auditMany, type AuditInput } from '../audit/audit.service.js';
import { findChannel } from '../consent/channel.repository.js';
import { findPhotos } from '../photos/photo.repository.js';
import { photoIdsTagging } from '../photos/tag.repository.js';
import { settingsFor } from '../settings/settings.service.js';
import { evaluateGates } from './gate.service.js';
import { livePublicationsOfPhotos, unpublishPublications } from './publication.repository.js';
import { insertTakedowns, publicationsWithOpenTakedown } from './takedown.repository.js';

export interface RecheckCause {
  /** Why the check ran: consent_withdrawn, consent_refused, child_objects, protected, left_unit, tags_changed… */
  reason: string;
  personId: string | null;
}

/**
 * Checks every live publication of the photos again, inside the caller's transaction. What no
 * longer passes the gate is unpublished at once; a copy on an external channel also becomes
 * a takedown task with a due time. Returns the publications taken down.
 */
export async function recheckPhotos(ctx: AppContext, trx: Trx, photoIds: readonly string[], cause: RecheckCause): Promise<string[]> {
  const live = (await livePublicationsOfPhotos(trx, photoIds)).filter((p) => p.status === 'published');
  if (live.length === 0) return [];
  const now = ctx.clock.now();
  const photos = new Map((await findPhotos(trx, [...new Set(live.map((p) => p.photo_id!))])).map((p) => [p.id, p]));
  const channels = new Map<string, Channel>();
  for (const id of new Set(live.map((p) => p.channel_id))) channels.set(id, (await findChannel(trx, id))!);
  const requests = live.map((p) => ({ publication: p, photo: photos.get(p.photo_id!)!, channel: channels.get(p.channel_id)! }));
  const decisions = await evaluateGates(
    ctx,
    trx,
    requests.map((r) => ({
      photo: r.photo,
      channel: r.channel,
      texts: { caption: r.publication.caption, altText: r.publication.alt_text, title: r.publication.title ?? '' },
      occasion: r.publication.occasion,
      reviewed: true,
    })),
    { at: now, privileged: true },
  );
  const failing = requests.flatMap((r, i) => (decisions[i]!.allowed ? [] : [{ publication: r.publication, channelKind: r.channel.kind, gate: JSON.stringify(decisions[i]) }]));
  await takeDownMany(ctx, trx, failing, cause);
  return failing.map((f) => f.publication.id);
}

/** Takes one publication down: hosted copies stop being served now; external ones get a task. */
export async function takeDown(
  ctx: AppContext,
  trx: Trx,
  p: Publication,
  channelKind: 'hosted' | 'external',
  cause: RecheckCause & { requestedBy?: string | null },
  gate?: string,
): Promise<void> {
  await takeDownMany(ctx, trx, [{ publication: p, channelKind, ...(gate !== undefined && { gate }) }], cause);
}

/**
 * Takes publications down together (a withdrawal can reach a thousand): one update, one insert
 * of the takedown tasks and one append of the audit events, which are the same events in the
 * same order as taking each down in turn.
 */
async function takeDownMany(
  ctx: AppContext,
  trx: Trx,
  items: readonly { publication: Publication; channelKind: 'hosted' | 'external'; gate?: string }[],
  cause: RecheckCause & { requestedBy?: string | null },
): Promise<void> {
  if (items.length === 0) return;
  const now = ctx.clock.now();
  await unpublishPublications(
    trx,
    items.map((i) => ({ id: i.publication.id, ...(i.gate && { gate: i.gate }) })),
    { at: now.toISOString(), reason: cause.reason },
  );
  const external = items.filter((i) => i.channelKind === 'external' && i.publication.published_at);
  const open = await publicationsWithOpenTakedown(trx, external.map((i) => i.publication.id));
  const dueHours = new Map<string, number>();
  for (const organisationId of new Set(external.map((i) => i.publication.organisation_id))) {
    dueHours.set(organisationId, (await settingsFor(ctx, trx, organisationId)).takedownDueHours);
  }
  const tasks: Takedown[] = [];
  const events: AuditInput[] = [];
  for (const { publication: p, channelKind } of items) {
    events.push({
      action: 'publication.unpublished',
      objectType: 'publication',
      objectId: p.id,
      organisationId: p.organisation_id,
      payload: { reason: cause.reason, personId: cause.personId, channelId: p.channel_id, kind: channelKind },
    });
    if (channelKind !== 'external' || !p.published_at || open.has(p.id)) continue;
    const id = randomUUID();
    tasks.push({
      id,
      publication_id: p.id,
      unit_id: p.unit_id,
      reason: cause.reason,
      person_id: cause.personId,
      requested_by: cause.requestedBy ?? null,
      status: 'open',
      created_at: now.toISOString(),
      due_at: new Date(now.getTime() + dueHours.get(p.organisation_id)! * 3600_000).toISOString(),
      done_at: null,
      done_by: null,
      evidence: null,
    });
    events.push({
      action: 'takedown.opened',
      objectType: 'takedown',
      objectId: id,
      organisationId: p.organisation_id,
      payload: { publicationId: p.id, reason: cause.reason, personId: cause.personId },
    });
  }
  await insertTakedowns(trx, tasks);
  // Someone who takes a publication down (a manual unpublish, a guardian's request) is its
  // actor; a consequence the gate draws from another change is the system's.
  await auditMany(ctx, trx, cause.requestedBy ? { accountId: cause.requestedBy } : null, events);
}

/** Everything a person is tagged in, checked again after their consent changed. */
export async function recheckPerson(ctx: AppContext, trx: Trx, personId: string, reason: string): Promise<string[]> {
  return recheckPhotos(ctx, trx, await photoIdsTagging(trx, personId), { reason, personId });
}

/** All live publications (the hourly job: consents that expired, children who left). */
export async function recheckAllLive(ctx: AppContext, db: Executor = ctx.db): Promise<number> {
  const rows = await db.selectFrom('publications').select('photo_id').where('status', '=', 'published').execute();
  const photoIds = [...new Set(rows.flatMap((r) => (r.photo_id ? [r.photo_id] : [])))];
  let count = 0;
  for (let i = 0; i < photoIds.length; i += 200) {
    const batch = photoIds.slice(i, i + 200);
    count += (await ctx.db.transaction().execute((trx) => recheckPhotos(ctx, trx, batch, { reason: 'consent_no_longer_valid', personId: null }))).length;
  }
  return count;
}
