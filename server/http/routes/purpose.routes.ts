import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import {
  createChannel,
  createPurpose,
  editChannel,
  editPurpose,
  listOrganisationPurposes,
  listPurposeNotices,
  listVisibleChannels,
  publishNotice,
} from '../../modules/consent/purpose.service.js';
import { actorOf, param, parse, text } from '../validate.js';

const audience = z.enum(['internal', 'closed', 'public', 'press']);
const label = text(200, 1);
const longText = text(5000, 1);
const noticeText = z.object({ what: longText, wherePublished: longText, whoCanSee: longText, retention: longText, withdrawal: longText, contact: longText }).strict();

const purposeFields = {
  nameNb: label,
  nameNn: label,
  nameEn: label,
  audience,
  guardianRule: z.enum(['any', 'both']),
  firstNameQuestion: z.boolean(),
  perOccasion: z.boolean(),
  sortOrder: z.number().int().min(0).max(10_000),
};

// Codes and slugs are identifiers: taken exactly as sent, no trimming.
export const newPurposeBody = z
  .object({
    code: z.string().regex(/^[a-z0-9_-]{2,40}$/, 'Use 2–40 lower-case letters, digits, - or _.'),
    ...purposeFields,
    guardianRule: purposeFields.guardianRule.optional(),
    firstNameQuestion: z.boolean().default(false),
    perOccasion: z.boolean().default(false),
    sortOrder: purposeFields.sortOrder.optional(),
  })
  .strict();
export const purposeChanges = z.object({ ...purposeFields, active: z.boolean() }).partial().strict();
export const noticeBody = z.object({ material: z.boolean(), texts: z.object({ nb: noticeText, nn: noticeText.optional(), en: noticeText.optional() }).strict() }).strict();
export const newChannelBody = z
  .object({
    purposeId: z.string().min(1).max(64),
    unitId: z.string().min(1).max(64).nullable().default(null),
    name: label,
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,60}$/, 'Use lower-case letters, digits and -.'),
    kind: z.enum(['hosted', 'external']),
    maxLongEdge: z.number().int().min(64).max(4096).optional(),
  })
  .strict();
export const channelChanges = z.object({ name: label, kind: z.enum(['hosted', 'external']), maxLongEdge: z.number().int().min(64).max(4096), active: z.boolean() }).partial().strict();

export function purposeRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/purposes', async (req, res) => {
    res.json({ purposes: await listOrganisationPurposes(ctx, actorOf(req)) });
  });
  r.post('/purposes', async (req, res) => {
    const body = parse(newPurposeBody, req.body);
    res.status(201).json({ purpose: await createPurpose(ctx, actorOf(req), body) });
  });
  r.patch('/purposes/:id', async (req, res) => {
    const body = parse(purposeChanges, req.body);
    res.json({ purpose: await editPurpose(ctx, actorOf(req), param(req, 'id'), body) });
  });
  r.get('/purposes/:id/notices', async (req, res) => {
    res.json({ notices: await listPurposeNotices(ctx, actorOf(req), param(req, 'id')) });
  });
  r.post('/purposes/:id/notices', async (req, res) => {
    const body = parse(noticeBody, req.body);
    const texts = Object.fromEntries(Object.entries(body.texts).filter(([, v]) => v !== undefined)) as typeof body.texts & { nb: z.infer<typeof noticeText> };
    res.status(201).json({ notices: await publishNotice(ctx, actorOf(req), param(req, 'id'), { material: body.material, texts }) });
  });

  r.get('/channels', async (req, res) => {
    res.json({ channels: await listVisibleChannels(ctx, actorOf(req)) });
  });
  r.post('/channels', async (req, res) => {
    const body = parse(newChannelBody, req.body);
    res.status(201).json({ channel: await createChannel(ctx, actorOf(req), body) });
  });
  r.patch('/channels/:id', async (req, res) => {
    const body = parse(channelChanges, req.body);
    res.json({ channel: await editChannel(ctx, actorOf(req), param(req, 'id'), body) });
  });

  return r;
}
