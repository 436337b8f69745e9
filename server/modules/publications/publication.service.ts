import { randomUUID } from 'node:crypto';
import type { Channel, Photo, Publication } from '../../../db/schema.js';
import { downscaleJpeg, verifyClean } from '../../adapters/image.js';
import type { Actor, AppContext } from '../../context.js';
import { osloDate } from '../../domain/dates.js';
import type { GateDecision } from '../../domain/gate.js';
import { AppError, ConflictError, UnprocessableError, ValidationError } from '../../errors.js';
import { requireRole } from '../access/guards.js';
import { resolveScope, scopeIncludesUnit } from '../access/scope.js';
import { audit, auditCommitted, refuseAccess } from '../audit/audit.service.js';
import { findChannel } from '../consent/channel.repository.js';
import { isPrivileged } from '../consent/consent.service.js';
import { JPEG_QUALITY } from '../photos/pipeline.js';
import { loadTaggablePhoto } from '../photos/tag.service.js';
import { findPeopleByIds } from '../roster/person.repository.js';
import { evaluateGates } from './gate.service.js';
import { requireGuidelinesAcknowledged } from './guideline.service.js';
import { findPublication, insertPublication, updatePublication } from './publication.repository.js';
import { takeDown } from './recheck.service.js';
import type { Texts } from './names.js';

export interface GateReasonDto {
  code: string;
  field?: string;
  person: { id: string; firstName: string; lastName: string } | null;
}

export interface GateDto {
  allowed: boolean;
  needsReview: boolean;
  reasons: GateReasonDto[];
  decisionIds: string[];
}

export interface PublishInput extends Texts {
  photoId: string;
  channelId: string;
  occasion?: string | null;
}

export class GateRefusedError extends AppError {
  constructor(gate: GateDto) {
    super('GATE_REFUSED', 422, 'The photo cannot be published to this channel yet. See the reasons.', { reasons: gate.reasons, gate });
  }
}

async function toGateDto(ctx: AppContext, d: GateDecision): Promise<GateDto> {
  const ids = [...new Set(d.reasons.flatMap((r) => (r.personId ? [r.personId] : [])))];
  const people = new Map((await findPeopleByIds(ctx.db, ids)).map((p) => [p.id, p]));
  return {
    allowed: d.allowed,
    needsReview: d.needsReview,
    decisionIds: d.decisionIds,
    reasons: d.reasons.map((r) => {
      const p = r.personId ? people.get(r.personId) : undefined;
      return { code: r.code, ...(r.field && { field: r.field }), person: p ? { id: p.id, firstName: p.first_name, lastName: p.last_name } : null };
    }),
  };
}

async function loadChannelFor(ctx: AppContext, actor: Actor, photo: Photo, channelId: string): Promise<Channel> {
  const channel = await findChannel(ctx.db, channelId);
  if (!channel || channel.organisation_id !== photo.organisation_id || (channel.unit_id !== null && channel.unit_id !== photo.unit_id)) {
    throw await refuseAccess(ctx, actor, 'channel', channelId, 'The channel');
  }
  if (channel.active !== 1) throw new UnprocessableError('CHANNEL_INACTIVE', 'This channel is no longer in use.');
  return channel;
}

const cleanTexts = (i: Texts): Texts => ({ caption: i.caption.trim(), altText: i.altText.trim(), title: i.title.trim() });

/** The gate's answer without publishing: the publish dialog asks on every keystroke. Audited. */
export async function dryRunGate(ctx: AppContext, actor: Actor, input: PublishInput): Promise<GateDto> {
  const photo = await loadTaggablePhoto(ctx, actor, input.photoId);
  await requireRole(ctx, actor, ['staff', 'leader'], 'publication');
  const channel = await loadChannelFor(ctx, actor, photo, input.channelId);
  const [decision] = await evaluateGates(ctx, ctx.db, [{ photo, channel, texts: cleanTexts(input), occasion: input.occasion ?? null, reviewed: false }], {
    at: ctx.clock.now(),
    privileged: isPrivileged(actor),
  });
  await auditCommitted(ctx, actor, { action: 'gate.checked', objectType: 'photo', objectId: photo.id, payload: gatePayload(channel.id, decision!) });
  return toGateDto(ctx, decision!);
}

const gatePayload = (channelId: string, d: GateDecision) => ({
  channelId,
  allowed: d.allowed,
  reasons: d.reasons.map((r) => ({ code: r.code, personId: r.personId, ...(r.field && { field: r.field }) })),
  decisionIds: d.decisionIds,
});

/** The channel-sized copy, made from the clean display derivative, never enlarged, verified again. */
async function makeChannelDerivative(ctx: AppContext, photo: Photo, channel: Channel) {
  const display = await ctx.blobs.get(photo.display_blob);
  if (!display) throw new UnprocessableError('PHOTO_NOT_READY', 'The photo is not available.');
  const d = await downscaleJpeg(display, channel.max_long_edge, JPEG_QUALITY);
  await verifyClean(d.bytes);
  return { blob: await ctx.blobs.put(d.bytes), width: d.width, height: d.height };
}

/**
 * Asks to publish. Refused with every reason (422) when the gate says no; waits for a leader
 * when only review is missing; otherwise published at once with its channel-sized derivative.
 */
export async function publish(ctx: AppContext, actor: Actor, input: PublishInput): Promise<{ publication: PublicationDto; gate: GateDto }> {
  const photo = await loadTaggablePhoto(ctx, actor, input.photoId);
  await requireRole(ctx, actor, ['staff', 'leader'], 'publication');
  await requireGuidelinesAcknowledged(ctx, actor);
  const channel = await loadChannelFor(ctx, actor, photo, input.channelId);
  const texts = cleanTexts(input);
  if (!texts.altText) throw new ValidationError('Describe the photo in the alt text, for those who cannot see it.');
  const request = { photo, channel, texts, occasion: input.occasion ?? null, reviewed: false };
  const options = { at: ctx.clock.now(), privileged: isPrivileged(actor) };
  const [first] = await evaluateGates(ctx, ctx.db, [request], options);
  if (!first!.allowed && !first!.needsReview) {
    await ctx.db.transaction().execute((trx) =>
      audit(ctx, trx, actor, { action: 'gate.refused', objectType: 'photo', objectId: photo.id, payload: gatePayload(channel.id, first!) }),
    );
    throw new GateRefusedError(await toGateDto(ctx, first!));
  }
  // Image work happens before the transaction; the gate runs again inside it, so a consent
  // withdrawn meanwhile still stops the publication.
  const derivative = first!.allowed ? await makeChannelDerivative(ctx, photo, channel) : null;
  const id = randomUUID();
  const now = ctx.clock.now().toISOString();
  let final: GateDecision;
  try {
    final = await ctx.db.transaction().execute(async (trx) => {
      const [again] = await evaluateGates(ctx, trx, [request], options);
      if (!again!.allowed && !again!.needsReview) {
        await audit(ctx, trx, actor, { action: 'gate.refused', objectType: 'photo', objectId: photo.id, payload: gatePayload(channel.id, again!) });
        return again!;
      }
      const published = again!.allowed && derivative !== null;
      await insertPublication(trx, {
        id,
        organisation_id: photo.organisation_id,
        unit_id: photo.unit_id,
        photo_id: photo.id,
        channel_id: channel.id,
        status: published ? 'published' : 'pending_review',
        caption: texts.caption,
        alt_text: texts.altText,
        title: texts.title || null,
        occasion: input.occasion ?? null,
        requested_by: actor.accountId,
        requested_at: now,
        reviewed_by: null,
        reviewed_at: null,
        harm_assessed: 0,
        review_note: null,
        published_at: published ? now : null,
        unpublished_at: null,
        unpublish_reason: null,
        external_url: null,
        derivative_blob: published ? derivative.blob : null,
        derivative_width: published ? derivative.width : null,
        derivative_height: published ? derivative.height : null,
        gate: JSON.stringify(again!),
        decision_ids: JSON.stringify(again!.decisionIds),
        updated_at: now,
      });
      await audit(ctx, trx, actor, { action: 'gate.passed', objectType: 'photo', objectId: photo.id, payload: gatePayload(channel.id, again!) });
      await audit(ctx, trx, actor, {
        action: published ? 'publication.published' : 'publication.requested',
        objectType: 'publication',
        objectId: id,
        payload: { photoId: photo.id, channelId: channel.id, decisionIds: again!.decisionIds },
      });
      return again!;
    });
  } catch (err) {
    if (derivative) await ctx.blobs.delete(derivative.blob);
    throw err;
  }
  if (!final.allowed && !final.needsReview) {
    if (derivative) await ctx.blobs.delete(derivative.blob);
    throw new GateRefusedError(await toGateDto(ctx, final));
  }
  return { publication: await getPublication(ctx, actor, id), gate: await toGateDto(ctx, final) };
}

/** A leader's four-eyes review: confirms no one shown can be harmed, and the gate runs again. */
export async function review(ctx: AppContext, actor: Actor, publicationId: string, input: { approve: boolean; harmAssessment: boolean; note?: string | null }): Promise<PublicationDto> {
  const p = await loadPublication(ctx, actor, publicationId);
  await requireRole(ctx, actor, ['leader'], 'publication', publicationId);
  if (p.status !== 'pending_review') throw new ConflictError('NOT_PENDING', 'This publication is not waiting for review.');
  if (p.requested_by === actor.accountId) throw new ConflictError('OWN_REQUEST', 'Someone other than the person who asked must review it (four eyes).');
  const now = ctx.clock.now().toISOString();
  if (!input.approve) {
    await ctx.db.transaction().execute(async (trx) => {
      await updatePublication(trx, p.id, { status: 'rejected', reviewed_by: actor.accountId, reviewed_at: now, review_note: input.note ?? null, harm_assessed: 0, updated_at: now });
      await audit(ctx, trx, actor, { action: 'publication.rejected', objectType: 'publication', objectId: p.id });
    });
    return getPublication(ctx, actor, p.id);
  }
  if (!input.harmAssessment) throw new ValidationError('Confirm that publishing cannot harm anyone shown before approving.');
  const photo = await loadTaggablePhoto(ctx, actor, p.photo_id!);
  const channel = (await findChannel(ctx.db, p.channel_id))!;
  const request = { photo, channel, texts: { caption: p.caption, altText: p.alt_text, title: p.title ?? '' }, occasion: p.occasion, reviewed: true };
  const options = { at: ctx.clock.now(), privileged: true };
  const [first] = await evaluateGates(ctx, ctx.db, [request], options);
  if (!first!.allowed) {
    await ctx.db.transaction().execute((trx) =>
      audit(ctx, trx, actor, { action: 'gate.refused', objectType: 'publication', objectId: p.id, payload: gatePayload(channel.id, first!) }),
    );
    throw new GateRefusedError(await toGateDto(ctx, first!));
  }
  const derivative = await makeChannelDerivative(ctx, photo, channel);
  const refused = await ctx.db.transaction().execute(async (trx) => {
    const [again] = await evaluateGates(ctx, trx, [request], options);
    if (!again!.allowed) return again!;
    await updatePublication(trx, p.id, {
      status: 'published',
      reviewed_by: actor.accountId,
      reviewed_at: now,
      harm_assessed: 1,
      review_note: input.note ?? null,
      published_at: now,
      derivative_blob: derivative.blob,
      derivative_width: derivative.width,
      derivative_height: derivative.height,
      gate: JSON.stringify(again!),
      decision_ids: JSON.stringify(again!.decisionIds),
      updated_at: now,
    });
    await audit(ctx, trx, actor, { action: 'publication.approved', objectType: 'publication', objectId: p.id, payload: { harmAssessed: true, decisionIds: again!.decisionIds } });
    return null;
  });
  if (refused) {
    await ctx.blobs.delete(derivative.blob);
    throw new GateRefusedError(await toGateDto(ctx, refused));
  }
  return getPublication(ctx, actor, p.id);
}

export async function unpublish(ctx: AppContext, actor: Actor, publicationId: string): Promise<PublicationDto> {
  const p = await loadPublication(ctx, actor, publicationId);
  await requireRole(ctx, actor, ['staff', 'leader'], 'publication', publicationId);
  if (p.status !== 'published' && p.status !== 'pending_review') throw new ConflictError('NOT_LIVE', 'This publication is not live.');
  const channel = (await findChannel(ctx.db, p.channel_id))!;
  await ctx.db.transaction().execute((trx) => takeDown(ctx, trx, p, channel.kind, { reason: 'manual', personId: null, requestedBy: actor.accountId }));
  return getPublication(ctx, actor, p.id);
}

/** Records where an external publication was posted. */
export async function recordExternalUrl(ctx: AppContext, actor: Actor, publicationId: string, url: string): Promise<PublicationDto> {
  const p = await loadPublication(ctx, actor, publicationId);
  await requireRole(ctx, actor, ['staff', 'leader'], 'publication', publicationId);
  const channel = (await findChannel(ctx.db, p.channel_id))!;
  if (channel.kind !== 'external') throw new ValidationError('Only publications on external channels have an address elsewhere.');
  await ctx.db.transaction().execute(async (trx) => {
    await updatePublication(trx, p.id, { external_url: url, updated_at: ctx.clock.now().toISOString() });
    await audit(ctx, trx, actor, { action: 'publication.external_url', objectType: 'publication', objectId: p.id });
  });
  return getPublication(ctx, actor, p.id);
}

export async function loadPublication(ctx: AppContext, actor: Actor, id: string): Promise<Publication> {
  const p = await findPublication(ctx.db, id);
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  if (!p || !scope.byUnit || !scopeIncludesUnit(scope, { id: p.unit_id, organisation_id: p.organisation_id })) {
    throw await refuseAccess(ctx, actor, 'publication', id, 'The publication');
  }
  return p;
}

export interface PublicationDto {
  id: string;
  photoId: string | null;
  channelId: string;
  unitId: string;
  status: Publication['status'];
  caption: string;
  altText: string;
  title: string | null;
  occasion: string | null;
  requestedBy: string;
  requestedAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  harmAssessed: boolean;
  reviewNote: string | null;
  publishedAt: string | null;
  unpublishedAt: string | null;
  unpublishReason: string | null;
  externalUrl: string | null;
  width: number | null;
  height: number | null;
  decisionIds: string[];
  urls: { image: string | null; thumb: string | null };
}

export function toPublicationDto(p: Publication): PublicationDto {
  return {
    id: p.id,
    photoId: p.photo_id,
    channelId: p.channel_id,
    unitId: p.unit_id,
    status: p.status,
    caption: p.caption,
    altText: p.alt_text,
    title: p.title,
    occasion: p.occasion,
    requestedBy: p.requested_by,
    requestedAt: p.requested_at,
    reviewedBy: p.reviewed_by,
    reviewedAt: p.reviewed_at,
    harmAssessed: p.harm_assessed === 1,
    reviewNote: p.review_note,
    publishedAt: p.published_at,
    unpublishedAt: p.unpublished_at,
    unpublishReason: p.unpublish_reason,
    externalUrl: p.external_url,
    width: p.derivative_width,
    height: p.derivative_height,
    decisionIds: JSON.parse(p.decision_ids) as string[],
    urls: {
      image: p.derivative_blob ? `/api/publications/${p.id}/image` : null,
      thumb: p.photo_id ? `/api/photos/${p.photo_id}/image?size=thumb` : null,
    },
  };
}

export async function getPublication(ctx: AppContext, actor: Actor, id: string): Promise<PublicationDto> {
  return toPublicationDto(await loadPublication(ctx, actor, id));
}

export async function publicationImage(ctx: AppContext, actor: Actor, id: string): Promise<Buffer> {
  const p = await loadPublication(ctx, actor, id);
  const bytes = p.derivative_blob ? await ctx.blobs.get(p.derivative_blob) : null;
  if (!bytes) throw await refuseAccess(ctx, actor, 'publication', id, 'The publication');
  return bytes;
}
