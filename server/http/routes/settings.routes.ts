import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { getSettings, updateSettings } from '../../modules/settings/settings.service.js';
import { actorOf, parse } from '../validate.js';

export const settingsChanges = z
  .object({
    selfConsentAge: z.number().int().min(12).max(18).nullable(),
    schoolYearEnd: z
      .string()
      .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'Use MM-DD, for example 07-31.')
      .nullable(),
    takedownDueHours: z.number().int().min(1).max(24 * 14).nullable(),
    retentionUnpublishedDays: z.number().int().min(1).max(3650).nullable(),
  })
  .partial()
  .strict();

export function settingsRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/settings', async (req, res) => {
    res.json({ settings: await getSettings(ctx, actorOf(req)) });
  });
  r.put('/settings', async (req, res) => {
    const body = parse(settingsChanges, req.body);
    res.json({ settings: await updateSettings(ctx, actorOf(req), body) });
  });
  return r;
}
