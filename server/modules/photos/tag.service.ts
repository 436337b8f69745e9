import { randomUUID } from 'node:crypto';
import type { Photo, PhotoTag } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { osloDate } from '../../domain/dates.js';
import { ValidationError } from '../../errors.js';
import { requireRole } from '../access/guards.js';
import { resolveScope, scopeIncludesPerson, scopeIncludesUnit } from '../access/scope.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { recheckPhotos } from '../publications/recheck.service.js';
import { findPeopleByIds } from '../roster/person.repository.js';
import { findPhoto, updatePhotoFlags } from './photo.repository.js';
import { listTags, replaceTags } from './tag.repository.js';

export interface TagInput {
  /** A registered person's id, or "unknown" for a recognisable visitor. */
  personId: string;
  recognisable: boolean;
}

export interface TagDto {
  personId: string | null;
  unknown: boolean;
  recognisable: boolean;
  firstName: string | null;
  lastName: string | null;
}

export async function loadTaggablePhoto(ctx: AppContext, actor: Actor, photoId: string): Promise<Photo> {
  const photo = await findPhoto(ctx.db, photoId);
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  if (!photo || !scope.byUnit || !scopeIncludesUnit(scope, { id: photo.unit_id, organisation_id: photo.organisation_id })) {
    throw await refuseAccess(ctx, actor, 'photo', photoId, 'The photo');
  }
  return photo;
}

export async function tagsOf(ctx: AppContext, photoIds: string[]): Promise<Map<string, TagDto[]>> {
  const tags = await listTags(ctx.db, photoIds);
  const people = new Map((await findPeopleByIds(ctx.db, [...new Set(tags.flatMap((t) => (t.person_id ? [t.person_id] : [])))])).map((p) => [p.id, p]));
  const out = new Map<string, TagDto[]>();
  for (const t of tags) {
    const p = t.person_id ? people.get(t.person_id) : undefined;
    const dto: TagDto = { personId: t.person_id, unknown: t.person_id === null, recognisable: t.recognisable === 1, firstName: p?.first_name ?? null, lastName: p?.last_name ?? null };
    out.set(t.photo_id, [...(out.get(t.photo_id) ?? []), dto]);
  }
  return out;
}

/**
 * Replaces who is tagged in a photo. Every tagged person must be someone the caller may see in
 * the photo's unit. Live publications of the photo are checked again in the same transaction.
 */
export async function setTags(ctx: AppContext, actor: Actor, photoId: string, input: TagInput[]): Promise<TagDto[]> {
  const photo = await loadTaggablePhoto(ctx, actor, photoId);
  await requireRole(ctx, actor, ['staff', 'leader'], 'photo', photoId);
  const registered = [...new Set(input.filter((t) => t.personId !== 'unknown').map((t) => t.personId))];
  if (registered.length !== input.filter((t) => t.personId !== 'unknown').length) throw new ValidationError('A person is tagged more than once.');
  const today = osloDate(ctx.clock.now());
  const scope = await resolveScope(ctx.db, actor, today);
  const people = await findPeopleByIds(ctx.db, registered);
  for (const id of registered) {
    const person = people.find((p) => p.id === id);
    if (!person || !(await scopeIncludesPerson(ctx.db, scope, person, today))) throw await refuseAccess(ctx, actor, 'person', id, 'The person');
  }
  const now = ctx.clock.now().toISOString();
  const rows: PhotoTag[] = input.map((t) => ({
    id: randomUUID(),
    photo_id: photo.id,
    person_id: t.personId === 'unknown' ? null : t.personId,
    recognisable: t.recognisable ? 1 : 0,
    created_by: actor.accountId,
    created_at: now,
  }));
  await ctx.db.transaction().execute(async (trx) => {
    await replaceTags(trx, photo.id, rows);
    if (rows.length > 0 && photo.no_people === 1) await updatePhotoFlags(trx, photo.id, { noPeople: false }, now);
    await audit(ctx, trx, actor, {
      action: 'photo.tagged',
      objectType: 'photo',
      objectId: photo.id,
      payload: { tags: rows.map((r) => ({ personId: r.person_id, recognisable: r.recognisable === 1 })) },
    });
    await recheckPhotos(ctx, trx, [photo.id], { reason: 'tags_changed', personId: null });
  });
  return (await tagsOf(ctx, [photo.id])).get(photo.id) ?? [];
}

export async function setPhotoFlags(ctx: AppContext, actor: Actor, photoId: string, changes: { kind?: Photo['kind']; noPeople?: boolean }): Promise<void> {
  const photo = await loadTaggablePhoto(ctx, actor, photoId);
  await requireRole(ctx, actor, ['staff', 'leader'], 'photo', photoId);
  if (changes.noPeople && (await listTags(ctx.db, [photo.id])).length > 0) {
    throw new ValidationError('Remove the tags before marking the photo as showing no people.');
  }
  await ctx.db.transaction().execute(async (trx) => {
    await updatePhotoFlags(trx, photo.id, changes, ctx.clock.now().toISOString());
    await audit(ctx, trx, actor, { action: 'photo.updated', objectType: 'photo', objectId: photo.id, payload: { ...changes } });
    await recheckPhotos(ctx, trx, [photo.id], { reason: 'photo_changed', personId: null });
  });
}
