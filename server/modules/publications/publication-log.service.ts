import type { PublicationStatus } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { osloDate } from '../../domain/dates.js';
import { requireRole } from '../access/guards.js';
import { resolveScope, scopeIncludesUnit } from '../access/scope.js';
import { refuseAccess } from '../audit/audit.service.js';
import { findAuditEvents, toChainedEvent } from '../audit/audit.repository.js';
import { photoIdsTagging } from '../photos/tag.repository.js';
import { findPublications } from './publication.repository.js';
import { loadPublication, toPublicationDto, type PublicationDto } from './publication.service.js';
import { takedownsOfPublications } from './takedown.repository.js';
import { toTakedownDto, type TakedownDto } from './takedown.service.js';

export interface PublicationLogFilter {
  unitId?: string;
  channelId?: string;
  status?: PublicationStatus;
  from?: string;
  to?: string;
  personId?: string;
  limit: number;
}

/** The leader's audit of publications: who published what, where, when, on which consent. */
export async function listPublicationLog(ctx: AppContext, actor: Actor, f: PublicationLogFilter): Promise<PublicationDto[]> {
  await requireRole(ctx, actor, ['staff', 'leader', 'admin'], 'publication');
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  if (f.unitId && !scopeIncludesUnit(scope, { id: f.unitId, organisation_id: actor.organisationId })) {
    throw await refuseAccess(ctx, actor, 'unit', f.unitId, 'The unit');
  }
  const photoIds = f.personId ? await photoIdsTagging(ctx.db, f.personId) : undefined;
  const rows = await findPublications(ctx.db, {
    organisationId: actor.organisationId,
    unitIds: f.unitId ? [f.unitId] : scope.unitIds,
    ...(f.channelId && { channelId: f.channelId }),
    ...(f.status && { status: f.status }),
    ...(f.from && { from: f.from }),
    ...(f.to && { to: f.to }),
    ...(photoIds && { photoIds }),
    limit: f.limit,
  });
  return rows.map(toPublicationDto);
}

const CSV_COLUMNS = [
  'id',
  'status',
  'channelId',
  'unitId',
  'photoId',
  'requestedBy',
  'requestedAt',
  'reviewedBy',
  'reviewedAt',
  'harmAssessed',
  'publishedAt',
  'unpublishedAt',
  'unpublishReason',
  'externalUrl',
  'decisionIds',
] as const;

const csvCell = (v: unknown) => {
  const s = Array.isArray(v) ? v.join(' ') : v === null || v === undefined ? '' : String(v);
  // A leading =, +, - or @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

/** The same log as CSV, ids only (captions are left out: they are free text that may name people). */
export function publicationLogCsv(items: PublicationDto[]): string {
  const lines = [CSV_COLUMNS.join(','), ...items.map((p) => CSV_COLUMNS.map((c) => csvCell(p[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export interface PublicationStory {
  publication: PublicationDto;
  events: { seq: number; at: string; actorId: string | null; action: string; payload: unknown }[];
  takedowns: TakedownDto[];
}

/** A publication's whole story: every gate decision, review and takedown, in order. */
export async function publicationStory(ctx: AppContext, actor: Actor, id: string): Promise<PublicationStory> {
  const p = await loadPublication(ctx, actor, id);
  await requireRole(ctx, actor, ['staff', 'leader', 'admin'], 'publication', id);
  const [own, ofPhoto, takedowns] = await Promise.all([
    findAuditEvents(ctx.db, { objectType: 'publication', objectId: p.id, limit: 500 }),
    p.photo_id ? findAuditEvents(ctx.db, { objectType: 'photo', objectId: p.photo_id, limit: 500 }) : Promise.resolve([]),
    takedownsOfPublications(ctx.db, [p.id]),
  ]);
  const takedownEvents = (await Promise.all(takedowns.map((t) => findAuditEvents(ctx.db, { objectType: 'takedown', objectId: t.id, limit: 50 })))).flat();
  const events = [...own, ...ofPhoto, ...takedownEvents]
    .map(toChainedEvent)
    .filter((e) => e.objectType !== 'photo' || (e.action.startsWith('gate.') ? e.payload.channelId === p.channel_id : e.action.startsWith('photo.')))
    .sort((a, b) => a.seq - b.seq);
  const now = ctx.clock.now();
  return {
    publication: toPublicationDto(p),
    events: events.map((e) => ({ seq: e.seq, at: e.at, actorId: e.actorId, action: e.action, payload: e.payload })),
    takedowns: takedowns.map((t) => toTakedownDto(t, now)),
  };
}
