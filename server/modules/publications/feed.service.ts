import type { Channel, Publication } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { osloDate } from '../../domain/dates.js';
import { UnauthenticatedError } from '../../errors.js';
import { resolveScope } from '../access/scope.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { findChannelBySlug } from '../consent/channel.repository.js';
import { findPurpose } from '../consent/purpose.repository.js';
import { findPhoto } from '../photos/photo.repository.js';
import { evaluateGates } from './gate.service.js';
import { findPublication, publishedOnChannel } from './publication.repository.js';

export interface FeedItem {
  id: string;
  caption: string;
  altText: string;
  title: string | null;
  publishedAt: string;
  width: number;
  height: number;
  image: string;
}

export interface Feed {
  channel: { name: string; slug: string };
  items: FeedItem[];
}

const FEED_LIMIT = 100;

/** A hosted channel the caller may open: public ones for everyone, closed ones for guardians of the unit. */
async function openChannel(ctx: AppContext, slug: string, viewer: Actor | null): Promise<Channel | null> {
  const channel = await findChannelBySlug(ctx.db, slug);
  if (!channel || channel.kind !== 'hosted' || channel.active !== 1) return null;
  const purpose = await findPurpose(ctx.db, channel.purpose_id);
  if (!purpose) return null;
  if (purpose.audience === 'public' || purpose.audience === 'press') return channel;
  if (!viewer) throw new UnauthenticatedError('Sign in to see these photos.');
  if (await mayView(ctx, viewer, channel, purpose.audience)) return channel;
  // Refused like a channel that does not exist, and audited like any other refusal.
  await refuseAccess(ctx, viewer, 'channel', channel.id);
  return null;
}

async function mayView(ctx: AppContext, viewer: Actor, channel: Channel, audience: 'internal' | 'closed'): Promise<boolean> {
  if (viewer.organisationId !== channel.organisation_id) return false;
  if (viewer.role === 'admin') return true;
  const scope = await resolveScope(ctx.db, viewer, osloDate(ctx.clock.now()));
  const unitVisible = channel.unit_id === null || scope.unitIds === null || scope.unitIds.includes(channel.unit_id);
  // Internal channels are for staff; closed ones also for the unit's guardians.
  return audience === 'internal' ? scope.byUnit && unitVisible : unitVisible;
}

/**
 * What a hosted channel shows right now: every publication passes the gate again at the
 * moment of the request, so a withdrawal takes effect on the very next request.
 */
async function passingNow(ctx: AppContext, channel: Channel, publications: Publication[]): Promise<Publication[]> {
  const withPhotos = [];
  for (const p of publications) {
    const photo = p.photo_id ? await findPhoto(ctx.db, p.photo_id) : undefined;
    if (photo && p.derivative_blob) withPhotos.push({ p, photo });
  }
  const decisions = await evaluateGates(
    ctx,
    ctx.db,
    withPhotos.map(({ p, photo }) => ({
      photo,
      channel,
      texts: { caption: p.caption, altText: p.alt_text, title: p.title ?? '' },
      occasion: p.occasion,
      reviewed: true,
    })),
    { at: ctx.clock.now(), privileged: true },
  );
  return withPhotos.filter((_, i) => decisions[i]!.allowed).map(({ p }) => p);
}

export async function channelFeed(ctx: AppContext, slug: string, viewer: Actor | null): Promise<Feed | null> {
  const channel = await openChannel(ctx, slug, viewer);
  if (!channel) return null;
  const live = await passingNow(ctx, channel, await publishedOnChannel(ctx.db, channel.id, FEED_LIMIT));
  return {
    channel: { name: channel.name, slug: channel.slug },
    items: live.map((p) => ({
      id: p.id,
      caption: p.caption,
      altText: p.alt_text,
      title: p.title,
      publishedAt: p.published_at!,
      width: p.derivative_width!,
      height: p.derivative_height!,
      image: `/feed/${channel.slug}/${p.id}.jpg`,
    })),
  };
}

export async function feedImage(ctx: AppContext, slug: string, publicationId: string, viewer: Actor | null): Promise<Buffer | null> {
  const channel = await openChannel(ctx, slug, viewer);
  if (!channel) return null;
  const p = await findPublication(ctx.db, publicationId);
  if (!p || p.channel_id !== channel.id || p.status !== 'published') return null;
  const [live] = await passingNow(ctx, channel, [p]);
  if (!live) {
    await ctx.db.transaction().execute((trx) =>
      audit(ctx, trx, viewer, { action: 'feed.withheld', objectType: 'publication', objectId: p.id, organisationId: channel.organisation_id, payload: { channelId: channel.id } }),
    );
    return null;
  }
  return ctx.blobs.get(live.derivative_blob!);
}
