import { randomUUID } from 'node:crypto';
import type { Photo } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { osloDate } from '../../domain/dates.js';
import { ConflictError } from '../../errors.js';
import { livePublicationsOfPhotos } from '../publications/publication.repository.js';
import { requireGuidelinesAcknowledged } from '../publications/guideline.service.js';
import { requireRole } from '../access/guards.js';
import { resolveScope, scopeIncludesUnit } from '../access/scope.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { findGroup } from '../roster/unit.repository.js';
import { toPhotoDto, type PhotoDto } from './photo.mappers.js';
import { deletePhotoRow, findPhoto, insertPhoto, listPhotos } from './photo.repository.js';
import { PhotoRefused, processUpload, releaseUpload, type RefusalCode, type UploadBytes } from './pipeline.js';

export interface UploadedFile {
  /** The name the client gave, cleaned; only echoed back, never used to decide anything. */
  name: string;
  /** The file as it arrived (see UploadBytes): never joined into one Buffer on the way. */
  bytes: UploadBytes;
}

export interface UploadError {
  file: string;
  code: RefusalCode;
  status: 415 | 422;
  message: string;
}

const MESSAGES: Record<RefusalCode, string> = {
  EMPTY_FILE: 'The file is empty.',
  UNSUPPORTED_FORMAT: 'This file is not a photo Samtykke can take. Use JPEG, PNG, WebP, AVIF or HEIC (iPhone photos).',
  CORRUPT_IMAGE: 'The photo is damaged or incomplete. Try to export or copy it again.',
  TOO_MANY_PIXELS: 'The photo has too many pixels. Use a smaller photo.',
  METADATA_SURVIVED: 'The photo could not be cleaned of hidden information, so it was not saved.',
};

/** Staff and leaders upload into a group of their own unit. */
export async function loadUploadGroup(ctx: AppContext, actor: Actor, groupId: string) {
  await requireRole(ctx, actor, ['staff', 'leader'], 'photo');
  await requireGuidelinesAcknowledged(ctx, actor);
  const group = await findGroup(ctx.db, groupId);
  if (!group || group.organisation_id !== actor.organisationId || group.unit_id !== actor.unitId) {
    throw await refuseAccess(ctx, actor, 'group', groupId, 'The group');
  }
  return group;
}

/**
 * Puts each file through the pipeline (its decoding off the event loop, about one image per core), writes
 * the derivatives to the blob store, and only then records the photos and every refusal in
 * one transaction. A file that fails never stops the others.
 */
export async function uploadPhotos(ctx: AppContext, actor: Actor, groupId: string, files: UploadedFile[]): Promise<{ photos: PhotoDto[]; errors: UploadError[] }> {
  const group = await loadUploadGroup(ctx, actor, groupId);
  // Every file is finished (processed, refused or failed) before anything is answered: a
  // failure of one must not end the request, and with it the RAM files, while others are
  // still being read.
  const settled = await Promise.allSettled(
    files.map(async (file, index) => {
      let processed;
      try {
        processed = await processUpload(file.bytes, { maxPixels: ctx.config.uploadMaxPixels, slot: (work) => ctx.imageQueue.run(work) });
      } catch (err) {
        if (err instanceof PhotoRefused) return { index, file, refused: err };
        throw err;
      } finally {
        releaseUpload(file.bytes);
      }
      // Written after the processing slot is given back: waiting for the disk to flush does
      // not keep a core from the next image.
      const displayBlob = await ctx.blobs.put(processed.display.bytes);
      const thumbBlob = await ctx.blobs.put(processed.thumb.bytes);
      return { index, file, processed, displayBlob, thumbBlob };
    }),
  );
  const results = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  // Nothing is recorded when a file failed or the transaction does, so the derivatives written
  // for this request are orphans then.
  const removeWritten = async () => {
    for (const r of results) if ('displayBlob' in r && r.displayBlob && r.thumbBlob) await Promise.all([ctx.blobs.delete(r.displayBlob), ctx.blobs.delete(r.thumbBlob)]);
  };
  const failure = settled.find((r) => r.status === 'rejected');
  if (failure) {
    await removeWritten();
    throw failure.reason;
  }

  const now = ctx.clock.now().toISOString();
  const rows: Photo[] = [];
  const errors: UploadError[] = [];
  await ctx.db
    .transaction()
    .execute(async (trx) => {
      for (const r of results) {
        if ('refused' in r && r.refused) {
          const code = r.refused.code;
          errors.push({ file: r.file.name, code, status: code === 'UNSUPPORTED_FORMAT' ? 415 : 422, message: MESSAGES[code] });
          await audit(ctx, trx, actor, { action: 'photo.refused', objectType: 'group', objectId: group.id, payload: { index: r.index, code, detected: r.refused.detected } });
          continue;
        }
        const ok = r as Extract<typeof r, { processed: unknown }>;
        const row: Photo = {
          id: randomUUID(),
          organisation_id: group.organisation_id,
          unit_id: group.unit_id,
          group_id: group.id,
          uploaded_by: actor.accountId,
          uploaded_at: now,
          captured_at: ok.processed.capturedAt,
          width: ok.processed.display.width,
          height: ok.processed.display.height,
          display_blob: ok.displayBlob,
          display_bytes: ok.processed.display.bytes.length,
          thumb_blob: ok.thumbBlob,
          thumb_width: ok.processed.thumb.width,
          thumb_height: ok.processed.thumb.height,
          kind: 'activity',
          no_people: 0,
          updated_at: now,
        };
        await insertPhoto(trx, row);
        await audit(ctx, trx, actor, { action: 'photo.uploaded', objectType: 'photo', objectId: row.id, payload: { groupId: group.id, format: ok.processed.format } });
        rows.push(row);
      }
    })
    .catch(async (err) => {
      await removeWritten();
      throw err;
    });
  return { photos: rows.map(toPhotoDto), errors };
}

async function loadVisiblePhoto(ctx: AppContext, actor: Actor, photoId: string): Promise<Photo> {
  const photo = await findPhoto(ctx.db, photoId);
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  if (!photo || !scope.byUnit || !scopeIncludesUnit(scope, { id: photo.unit_id, organisation_id: photo.organisation_id })) {
    throw await refuseAccess(ctx, actor, 'photo', photoId, 'The photo');
  }
  return photo;
}

export async function listUnitPhotos(ctx: AppContext, actor: Actor, q: { groupId?: string; before?: string; limit: number }): Promise<PhotoDto[]> {
  await requireRole(ctx, actor, ['staff', 'leader', 'admin'], 'photo');
  const scope = await resolveScope(ctx.db, actor, osloDate(ctx.clock.now()));
  if (q.groupId) {
    const group = await findGroup(ctx.db, q.groupId);
    if (!group || !scopeIncludesUnit(scope, { id: group.unit_id, organisation_id: group.organisation_id })) {
      throw await refuseAccess(ctx, actor, 'group', q.groupId, 'The group');
    }
  }
  const photos = await listPhotos(ctx.db, { organisationId: actor.organisationId, unitIds: scope.unitIds, ...q });
  return photos.map(toPhotoDto);
}

export async function getPhoto(ctx: AppContext, actor: Actor, photoId: string): Promise<PhotoDto> {
  return toPhotoDto(await loadVisiblePhoto(ctx, actor, photoId));
}

export async function getPhotoImage(ctx: AppContext, actor: Actor, photoId: string, size: 'display' | 'thumb'): Promise<{ bytes: Buffer; fileName: string }> {
  const photo = await loadVisiblePhoto(ctx, actor, photoId);
  const bytes = await ctx.blobs.get(size === 'display' ? photo.display_blob : photo.thumb_blob);
  if (!bytes) throw await refuseAccess(ctx, actor, 'photo', photoId, 'The photo');
  return { bytes, fileName: `samtykke-${photo.id.slice(0, 8)}${size === 'thumb' ? '-liten' : ''}.jpg` };
}

export async function deletePhoto(ctx: AppContext, actor: Actor, photoId: string): Promise<void> {
  const photo = await loadVisiblePhoto(ctx, actor, photoId);
  await requireRole(ctx, actor, ['staff', 'leader'], 'photo', photoId);
  await ctx.db.transaction().execute(async (trx) => {
    if ((await livePublicationsOfPhotos(trx, [photo.id])).length > 0) {
      throw new ConflictError('PHOTO_PUBLISHED', 'The photo is published. Unpublish it first, so that the record of where it was shown is kept.');
    }
    await deletePhotoRow(trx, photo.id);
    await audit(ctx, trx, actor, { action: 'photo.deleted', objectType: 'photo', objectId: photo.id, payload: { groupId: photo.group_id } });
  });
  // Blobs go after the commit; if this fails, the orphan sweep removes them.
  await Promise.all([ctx.blobs.delete(photo.display_blob), ctx.blobs.delete(photo.thumb_blob)]);
}
