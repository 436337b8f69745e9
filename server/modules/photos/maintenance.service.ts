import type { AppContext } from '../../context.js';
import { audit } from '../audit/audit.service.js';
import { settingsFor } from '../settings/settings.service.js';
import { deletePhotoRow, listOrganisationIds, listPhotosUploadedBefore, referencedBlobs } from './photo.repository.js';

const BATCH = 200;

/**
 * Deletes photos that were never published once they are older than the organisation's
 * retention period, each deletion audited in the same transaction as the row's removal.
 */
export async function deleteExpiredPhotos(ctx: AppContext): Promise<number> {
  let deleted = 0;
  for (const organisationId of await listOrganisationIds(ctx.db)) {
    const { retentionUnpublishedDays } = await settingsFor(ctx, ctx.db, organisationId);
    const cutoff = new Date(ctx.clock.now().getTime() - retentionUnpublishedDays * 86_400_000).toISOString();
    for (;;) {
      const photos = await listPhotosUploadedBefore(ctx.db, organisationId, cutoff, BATCH);
      if (photos.length === 0) break;
      await ctx.db.transaction().execute(async (trx) => {
        for (const p of photos) {
          await deletePhotoRow(trx, p.id);
          await audit(ctx, trx, null, { action: 'photo.retention_deleted', objectType: 'photo', objectId: p.id, organisationId, payload: { groupId: p.group_id, days: retentionUnpublishedDays } });
        }
      });
      for (const p of photos) await Promise.all([ctx.blobs.delete(p.display_blob), ctx.blobs.delete(p.thumb_blob)]);
      deleted += photos.length;
      if (photos.length < BATCH) break;
    }
  }
  return deleted;
}

/**
 * Removes blobs no row refers to (left by a crash between writing a blob and committing its
 * row, or after a deletion whose blob removal failed). Young blobs are left alone: their
 * upload may still be committing.
 */
export async function sweepOrphanBlobs(ctx: AppContext, minAgeMs = 3600_000): Promise<number> {
  const cutoff = Date.now() - minAgeMs;
  let removed = 0;
  let batch: string[] = [];
  const flush = async () => {
    const used = await referencedBlobs(ctx.db, batch);
    for (const id of batch) {
      if (used.has(id)) continue;
      await ctx.blobs.delete(id);
      removed += 1;
    }
    batch = [];
  };
  for await (const blob of ctx.blobs.list()) {
    if (blob.writtenAt.getTime() > cutoff) continue;
    batch.push(blob.id);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  return removed;
}
