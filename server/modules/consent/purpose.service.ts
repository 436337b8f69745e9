import { randomUUID } from 'node:crypto';
import type { Audience, Lang } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { noticeHash, type NoticeText } from '../../domain/notice.js';
import { osloDate } from '../../domain/dates.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { requireRole } from '../access/guards.js';
import { resolveScope } from '../access/scope.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { findUnit } from '../roster/unit.repository.js';
import { findChannel, findChannelBySlug, insertChannel, listChannels, updateChannel } from './channel.repository.js';
import { toChannelDto, toNoticeDto, toPurposeDto, type ChannelDto, type NoticeDto, type PurposeDto } from './consent.mappers.js';
import {
  findPurpose,
  findPurposeByCode,
  insertNotice,
  insertPurpose,
  latestNoticeVersion,
  listNotices,
  listPurposes,
  updatePurpose,
  type PurposeInput,
} from './purpose.repository.js';

export const DEFAULT_LONG_EDGE = { public: 1280, other: 1600 } as const;

export async function listOrganisationPurposes(ctx: AppContext, actor: Actor): Promise<PurposeDto[]> {
  return (await listPurposes(ctx.db, actor.organisationId)).map(toPurposeDto);
}

async function loadPurpose(ctx: AppContext, actor: Actor, purposeId: string) {
  const purpose = await findPurpose(ctx.db, purposeId);
  if (!purpose || purpose.organisation_id !== actor.organisationId) throw await refuseAccess(ctx, actor, 'purpose', purposeId, 'The purpose');
  return purpose;
}

export type NewPurpose = Omit<PurposeInput, 'guardianRule' | 'sortOrder'> & { guardianRule?: 'any' | 'both'; sortOrder?: number };

/** Public and press purposes default to the stricter rule: every responsible guardian must say yes. */
export const defaultGuardianRule = (audience: Audience): 'any' | 'both' => (audience === 'public' || audience === 'press' ? 'both' : 'any');

export async function createPurpose(ctx: AppContext, actor: Actor, input: NewPurpose): Promise<PurposeDto> {
  await requireRole(ctx, actor, ['admin'], 'purpose');
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    if (await findPurposeByCode(trx, actor.organisationId, input.code)) throw new ConflictError('PURPOSE_EXISTS', 'A purpose with this code already exists.');
    const sortOrder = input.sortOrder ?? (await listPurposes(trx, actor.organisationId)).length + 1;
    await insertPurpose(trx, {
      ...input,
      guardianRule: input.guardianRule ?? defaultGuardianRule(input.audience),
      sortOrder,
      id,
      organisationId: actor.organisationId,
      now: ctx.clock.now().toISOString(),
    });
    await audit(ctx, trx, actor, { action: 'purpose.created', objectType: 'purpose', objectId: id, payload: { audience: input.audience } });
  });
  return toPurposeDto((await findPurpose(ctx.db, id))!);
}

export async function editPurpose(
  ctx: AppContext,
  actor: Actor,
  purposeId: string,
  changes: Partial<Omit<PurposeInput, 'code'>> & { active?: boolean },
): Promise<PurposeDto> {
  await loadPurpose(ctx, actor, purposeId);
  await requireRole(ctx, actor, ['admin'], 'purpose', purposeId);
  await ctx.db.transaction().execute(async (trx) => {
    await updatePurpose(trx, purposeId, changes, ctx.clock.now().toISOString());
    await audit(ctx, trx, actor, { action: 'purpose.updated', objectType: 'purpose', objectId: purposeId, payload: { fields: Object.keys(changes) } });
  });
  return toPurposeDto((await findPurpose(ctx.db, purposeId))!);
}

export async function listPurposeNotices(ctx: AppContext, actor: Actor, purposeId: string): Promise<NoticeDto[]> {
  await loadPurpose(ctx, actor, purposeId);
  return (await listNotices(ctx.db, [purposeId])).map(toNoticeDto);
}

export interface NewNoticeVersion {
  /** Material: earlier consents stop counting and everyone is asked again. Editorial: a wording fix. */
  material: boolean;
  texts: Partial<Record<Lang, NoticeText>> & { nb: NoticeText };
}

/** Publishes a new notice version in every language given (Bokmål is required). */
export async function publishNotice(ctx: AppContext, actor: Actor, purposeId: string, input: NewNoticeVersion): Promise<NoticeDto[]> {
  const purpose = await loadPurpose(ctx, actor, purposeId);
  await requireRole(ctx, actor, ['admin'], 'notice', purposeId);
  const now = ctx.clock.now().toISOString();
  const version = await ctx.db.transaction().execute(async (trx) => {
    const previous = await latestNoticeVersion(trx, purposeId);
    // The first version is what every consent rests on, so it counts as material.
    const material = previous === 0 ? true : input.material;
    const v = previous + 1;
    for (const [lang, text] of Object.entries(input.texts) as [Lang, NoticeText][]) {
      await insertNotice(trx, {
        id: randomUUID(),
        purpose_id: purposeId,
        version: v,
        lang,
        material: material ? 1 : 0,
        what: text.what,
        where_published: text.wherePublished,
        who_can_see: text.whoCanSee,
        retention: text.retention,
        withdrawal: text.withdrawal,
        contact: text.contact,
        sha256: noticeHash(purpose.code, v, lang, text),
        created_by: actor.accountId,
        created_at: now,
      });
    }
    await audit(ctx, trx, actor, { action: 'notice.published', objectType: 'purpose', objectId: purposeId, payload: { version: v, material, langs: Object.keys(input.texts) } });
    return v;
  });
  return (await listNotices(ctx.db, [purposeId])).filter((n) => n.version === version).map(toNoticeDto);
}

export async function listVisibleChannels(ctx: AppContext, actor: Actor): Promise<ChannelDto[]> {
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  return (await listChannels(ctx.db, actor.organisationId, scope.unitIds)).map(toChannelDto);
}

export interface NewChannel {
  purposeId: string;
  unitId: string | null;
  name: string;
  slug: string;
  kind: 'hosted' | 'external';
  maxLongEdge?: number;
}

export async function createChannel(ctx: AppContext, actor: Actor, input: NewChannel): Promise<ChannelDto> {
  await requireRole(ctx, actor, ['admin'], 'channel');
  const purpose = await loadPurpose(ctx, actor, input.purposeId);
  if (input.unitId) {
    const unit = await findUnit(ctx.db, input.unitId);
    if (!unit || unit.organisation_id !== actor.organisationId) throw await refuseAccess(ctx, actor, 'unit', input.unitId, 'The unit');
  }
  const maxLongEdge = input.maxLongEdge ?? (purpose.audience === 'public' || purpose.audience === 'press' ? DEFAULT_LONG_EDGE.public : DEFAULT_LONG_EDGE.other);
  if (maxLongEdge < 64 || maxLongEdge > 4096) throw new ValidationError('The longest edge must be between 64 and 4096 pixels.');
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    if (await findChannelBySlug(trx, input.slug)) throw new ConflictError('CHANNEL_EXISTS', 'A channel with this address already exists.');
    await insertChannel(trx, {
      id,
      organisation_id: actor.organisationId,
      purpose_id: purpose.id,
      unit_id: input.unitId,
      name: input.name,
      slug: input.slug,
      kind: input.kind,
      max_long_edge: maxLongEdge,
      active: 1,
      now: ctx.clock.now().toISOString(),
    });
    await audit(ctx, trx, actor, { action: 'channel.created', objectType: 'channel', objectId: id, payload: { purposeId: purpose.id, kind: input.kind } });
  });
  return toChannelDto((await findChannel(ctx.db, id))!);
}

export async function editChannel(
  ctx: AppContext,
  actor: Actor,
  channelId: string,
  changes: { name?: string; kind?: 'hosted' | 'external'; maxLongEdge?: number; active?: boolean },
): Promise<ChannelDto> {
  await requireRole(ctx, actor, ['admin'], 'channel', channelId);
  const channel = await findChannel(ctx.db, channelId);
  if (!channel || channel.organisation_id !== actor.organisationId) throw await refuseAccess(ctx, actor, 'channel', channelId, 'The channel');
  await ctx.db.transaction().execute(async (trx) => {
    await updateChannel(trx, channelId, changes, ctx.clock.now().toISOString());
    await audit(ctx, trx, actor, { action: 'channel.updated', objectType: 'channel', objectId: channelId, payload: { fields: Object.keys(changes) } });
  });
  return toChannelDto((await findChannel(ctx.db, channelId))!);
}
