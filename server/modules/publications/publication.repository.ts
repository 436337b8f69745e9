import { sql } from 'kysely';
import type { Executor, Publication, PublicationStatus } from '../../../db/schema.js';

export const publicationColumns = [
  'id',
  'organisation_id',
  'unit_id',
  'photo_id',
  'channel_id',
  'status',
  'caption',
  'alt_text',
  'title',
  'occasion',
  'requested_by',
  'requested_at',
  'reviewed_by',
  'reviewed_at',
  'harm_assessed',
  'review_note',
  'published_at',
  'unpublished_at',
  'unpublish_reason',
  'external_url',
  'derivative_blob',
  'derivative_width',
  'derivative_height',
  'gate',
  'decision_ids',
  'updated_at',
] as const;

export async function insertPublication(db: Executor, p: Publication): Promise<void> {
  await db.insertInto('publications').values(p).execute();
}

export async function findPublication(db: Executor, id: string): Promise<Publication | undefined> {
  return db.selectFrom('publications').select(publicationColumns).where('id', '=', id).executeTakeFirst();
}

export async function updatePublication(db: Executor, id: string, changes: Partial<Omit<Publication, 'id'>>): Promise<void> {
  await db.updateTable('publications').set(changes).where('id', '=', id).execute();
}

const UPDATE_ROWS = 200;

/** Marks publications unpublished at one time for one reason, each with its own last gate answer when given. */
export async function unpublishPublications(
  db: Executor,
  items: readonly { id: string; gate?: string }[],
  change: { at: string; reason: string },
): Promise<void> {
  for (let i = 0; i < items.length; i += UPDATE_ROWS) {
    const chunk = items.slice(i, i + UPDATE_ROWS);
    const gates = chunk.filter((p) => p.gate !== undefined);
    const gate = sql<string>`case ${sql.ref('id')} ${sql.join(
      gates.map((p) => sql`when ${p.id} then ${p.gate!}`),
      sql` `,
    )} else ${sql.ref('gate')} end`;
    await db
      .updateTable('publications')
      .set({
        status: 'unpublished',
        unpublished_at: change.at,
        unpublish_reason: change.reason,
        updated_at: change.at,
        ...(gates.length > 0 && { gate }),
      })
      .where('id', 'in', chunk.map((p) => p.id))
      .execute();
  }
}

/** Live (published) publications of the given photos. */
export async function livePublicationsOfPhotos(db: Executor, photoIds: readonly string[]): Promise<Publication[]> {
  if (photoIds.length === 0) return [];
  return db
    .selectFrom('publications')
    .select(publicationColumns)
    .where('photo_id', 'in', photoIds)
    .where('status', 'in', ['published', 'pending_review'])
    .execute();
}

export async function publishedOnChannel(db: Executor, channelId: string, limit: number): Promise<Publication[]> {
  return db
    .selectFrom('publications')
    .select(publicationColumns)
    .where('channel_id', '=', channelId)
    .where('status', '=', 'published')
    .orderBy('published_at', 'desc')
    .limit(limit)
    .execute();
}

export interface PublicationFilter {
  organisationId: string;
  unitIds: readonly string[] | null;
  channelId?: string;
  status?: PublicationStatus;
  from?: string;
  to?: string;
  photoIds?: readonly string[];
  limit: number;
}

export async function findPublications(db: Executor, f: PublicationFilter): Promise<Publication[]> {
  let q = db.selectFrom('publications').select(publicationColumns).where('organisation_id', '=', f.organisationId);
  if (f.unitIds) {
    if (f.unitIds.length === 0) return [];
    q = q.where('unit_id', 'in', f.unitIds);
  }
  if (f.photoIds) {
    if (f.photoIds.length === 0) return [];
    q = q.where('photo_id', 'in', f.photoIds);
  }
  if (f.channelId) q = q.where('channel_id', '=', f.channelId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.from) q = q.where('requested_at', '>=', f.from);
  if (f.to) q = q.where('requested_at', '<', f.to);
  return q.orderBy('requested_at', 'desc').orderBy('id').limit(f.limit).execute();
}

export async function publicationBlobs(db: Executor, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('publications').select('derivative_blob').where('derivative_blob', 'in', ids).execute();
  return new Set(rows.map((r) => r.derivative_blob!));
}
