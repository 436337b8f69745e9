import type { Executor, Photo } from '../../../db/schema.js';

const columns = [
  'id',
  'organisation_id',
  'unit_id',
  'group_id',
  'uploaded_by',
  'uploaded_at',
  'captured_at',
  'width',
  'height',
  'display_blob',
  'display_bytes',
  'thumb_blob',
  'thumb_width',
  'thumb_height',
  'kind',
  'no_people',
  'updated_at',
] as const;

export async function insertPhoto(db: Executor, p: Photo): Promise<void> {
  await db.insertInto('photos').values(p).execute();
}

export async function findPhoto(db: Executor, id: string): Promise<Photo | undefined> {
  return db.selectFrom('photos').select(columns).where('id', '=', id).executeTakeFirst();
}

export async function findPhotos(db: Executor, ids: readonly string[]): Promise<Photo[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('photos').select(columns).where('id', 'in', ids).execute();
}

export interface PhotoQuery {
  organisationId: string;
  unitIds: readonly string[] | null;
  groupId?: string;
  /** Photos uploaded before this time, for paging. */
  before?: string;
  limit: number;
}

export async function listPhotos(db: Executor, q: PhotoQuery): Promise<Photo[]> {
  let query = db.selectFrom('photos').select(columns).where('organisation_id', '=', q.organisationId);
  if (q.unitIds) {
    if (q.unitIds.length === 0) return [];
    query = query.where('unit_id', 'in', q.unitIds);
  }
  if (q.groupId) query = query.where('group_id', '=', q.groupId);
  if (q.before) query = query.where('uploaded_at', '<', q.before);
  return query.orderBy('uploaded_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
}

export async function deletePhotoRow(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('photos').where('id', '=', id).execute();
}

/** Never-published photos uploaded before the cut-off, oldest first, for the retention job. */
export async function listPhotosUploadedBefore(db: Executor, organisationId: string, cutoff: string, limit: number): Promise<Photo[]> {
  return db
    .selectFrom('photos')
    .select(columns)
    .where('organisation_id', '=', organisationId)
    .where('uploaded_at', '<', cutoff)
    // Never published: a published photo is part of the record of what was published.
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('publications').select('publications.id').whereRef('publications.photo_id', '=', 'photos.id').where('publications.published_at', 'is not', null))),
    )
    .orderBy('uploaded_at')
    .limit(limit)
    .execute();
}

/** Which of these blob ids a photo still refers to. */
export async function referencedBlobs(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom('photos')
    .select(['display_blob', 'thumb_blob'])
    .where((eb) => eb.or([eb('display_blob', 'in', ids), eb('thumb_blob', 'in', ids)]))
    .execute();
  const derivatives = await db.selectFrom('publications').select('derivative_blob').where('derivative_blob', 'in', ids).execute();
  return new Set([...rows.flatMap((r) => [r.display_blob, r.thumb_blob]), ...derivatives.map((d) => d.derivative_blob!)]);
}

export async function listOrganisationIds(db: Executor): Promise<string[]> {
  return (await db.selectFrom('organisations').select('id').execute()).map((r) => r.id);
}

export async function updatePhotoFlags(db: Executor, id: string, changes: { kind?: Photo['kind']; noPeople?: boolean }, now: string): Promise<void> {
  await db
    .updateTable('photos')
    .set({
      ...(changes.kind !== undefined && { kind: changes.kind }),
      ...(changes.noPeople !== undefined && { no_people: changes.noPeople ? 1 : 0 }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}
