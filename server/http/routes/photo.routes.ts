import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { ServiceBusyError, ValidationError } from '../../errors.js';
import { deletePhoto, getPhoto, getPhotoImage, listUnitPhotos, loadUploadGroup, uploadPhotos } from '../../modules/photos/photo.service.js';
import { setPhotoFlags, setTags, tagsOf } from '../../modules/photos/tag.service.js';
import { limiter } from '../middleware/rate-limit.js';
import { cleanFileName, photoUpload, whileUploadHeld, type HeldFile } from '../middleware/upload.js';
import { actorOf, param, parse, queryInt } from '../validate.js';

export const uploadQuery = z.object({ groupId: z.string().min(1).max(64) });
export const photoListQuery = z.object({
  groupId: z.string().min(1).max(64).optional(),
  before: z.string().datetime().optional(),
  limit: queryInt(1, 200).prefault('60'),
});
const tagList = z.array(z.object({ personId: z.string().min(1).max(64), recognisable: z.boolean() }).strict()).max(200);
/** The tags as a bare array, or wrapped as { tags }. */
export const tagsBody = z.union([tagList, z.object({ tags: tagList }).strict()]);
export const photoFlagsBody = z.object({ kind: z.enum(['activity', 'portrait']), noPeople: z.boolean() }).partial().strict();
export const imageQuery = z.object({ size: z.enum(['display', 'thumb']).default('display') });

export function photoRoutes(ctx: AppContext): Router {
  const r = Router();
  const upload = photoUpload({
    maxBytes: ctx.config.uploadMaxBytes,
    maxFiles: ctx.config.uploadMaxFiles,
    graceSeconds: ctx.config.uploadGraceSeconds,
    minBytesPerSecond: ctx.config.uploadMinBytesPerSecond,
    queue: ctx.imageQueue,
    budget: ctx.uploadBudget,
  });
  const uploadLimits = ctx.config.rateLimits.upload;

  r.post(
    '/photos',
    limiter({ key: 'address', windowMinutes: 15, limit: uploadLimits.perAddress, logger: ctx.logger }),
    limiter({ key: 'account', windowMinutes: 15, limit: uploadLimits.perAccount, logger: ctx.logger }),
    // The group is named in the query so that access is checked before the body is read.
    async (req, _res, next) => {
      const q = parse(uploadQuery, req.query);
      await loadUploadGroup(ctx, actorOf(req), q.groupId);
      next();
    },
    upload,
    async (req, res) => {
      const files = (req.files as Express.Multer.File[] | undefined) ?? [];
      if (files.length === 0) throw new ValidationError('Choose at least one photo.');
      if (!ctx.imageQueue.hasRoom(files.length)) throw new ServiceBusyError();
      const groupId = String(req.query.groupId);
      const result = await whileUploadHeld(req, () =>
        uploadPhotos(
          ctx,
          actorOf(req),
          groupId,
          files.map((f) => {
            const held = f as Express.Multer.File & HeldFile;
            return { name: cleanFileName(f.originalname), bytes: held.ram ?? held.chunks };
          }),
        ),
      );
      const status = result.photos.length > 0 ? 201 : result.errors.every((e) => e.status === 415) ? 415 : 422;
      res.status(status).json(result);
    },
  );

  r.get('/photos', async (req, res) => {
    const q = parse(photoListQuery, req.query);
    res.json({ photos: await listUnitPhotos(ctx, actorOf(req), q) });
  });

  r.get('/photos/:id', async (req, res) => {
    const photo = await getPhoto(ctx, actorOf(req), param(req, 'id'));
    res.json({ photo: { ...photo, tags: (await tagsOf(ctx, [photo.id])).get(photo.id) ?? [] } });
  });

  r.put('/photos/:id/tags', async (req, res) => {
    const body = parse(tagsBody, req.body);
    res.json({ tags: await setTags(ctx, actorOf(req), param(req, 'id'), Array.isArray(body) ? body : body.tags) });
  });

  r.patch('/photos/:id', async (req, res) => {
    const body = parse(photoFlagsBody, req.body);
    await setPhotoFlags(ctx, actorOf(req), param(req, 'id'), body);
    const photo = await getPhoto(ctx, actorOf(req), param(req, 'id'));
    res.json({ photo: { ...photo, tags: (await tagsOf(ctx, [photo.id])).get(photo.id) ?? [] } });
  });

  r.get('/photos/:id/image', async (req, res) => {
    const q = parse(imageQuery, req.query);
    const image = await getPhotoImage(ctx, actorOf(req), param(req, 'id'), q.size);
    res.setHeader('Content-Type', 'image/jpeg');
    res.setHeader('Content-Disposition', `inline; filename="${image.fileName}"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(image.bytes);
  });

  r.delete('/photos/:id', async (req, res) => {
    await deletePhoto(ctx, actorOf(req), param(req, 'id'));
    res.status(204).end();
  });

  return r;
}
