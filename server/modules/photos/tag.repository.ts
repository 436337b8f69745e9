import type { Executor, PhotoTag } from '../../../db/schema.js';

const columns = ['id', 'photo_id', 'person_id', 'recognisable', 'created_by', 'created_at'] as const;

export async function listTags(db: Executor, photoIds: readonly string[]): Promise<PhotoTag[]> {
  if (photoIds.length === 0) return [];
  return db.selectFrom('photo_tags').select(columns).where('photo_id', 'in', photoIds).orderBy('created_at').orderBy('id').execute();
}

/** Who is in the photos, as the publish gate reads it: no more than the person and whether they are recognisable. */
export async function listGateTags(db: Executor, photoIds: readonly string[]): Promise<Pick<PhotoTag, 'photo_id' | 'person_id' | 'recognisable'>[]> {
  if (photoIds.length === 0) return [];
  return db.selectFrom('photo_tags').select(['photo_id', 'person_id', 'recognisable']).where('photo_id', 'in', photoIds).orderBy('created_at').orderBy('id').execute();
}

export async function replaceTags(db: Executor, photoId: string, tags: readonly PhotoTag[]): Promise<void> {
  await db.deleteFrom('photo_tags').where('photo_id', '=', photoId).execute();
  if (tags.length > 0) await db.insertInto('photo_tags').values([...tags]).execute();
}

/** Photos a person is tagged in. */
export async function photoIdsTagging(db: Executor, personId: string): Promise<string[]> {
  const rows = await db.selectFrom('photo_tags').select('photo_id').where('person_id', '=', personId).execute();
  return [...new Set(rows.map((r) => r.photo_id))];
}
