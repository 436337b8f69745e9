import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { exportConsentRecord } from '../../modules/consent/consent-record.service.js';
import { actorOf, param, parse } from '../validate.js';

export const consentRecordQuery = z.object({
  format: z.enum(['iso27560', 'kantara'], { error: 'Choose format=iso27560 or format=kantara.' }),
  lang: z.enum(['nb', 'nn', 'en']).default('nb'),
});

export function consentRecordRoutes(ctx: AppContext): Router {
  const r = Router();

  // A download: the file name says whose record it is (by id) and in which standard.
  r.get('/people/:id/consent-record', async (req, res) => {
    const q = parse(consentRecordQuery, req.query);
    const record = await exportConsentRecord(ctx, actorOf(req), param(req, 'id'), q.format, q.lang);
    res.setHeader('Content-Disposition', `attachment; filename="${record.filename}"`);
    res.type(record.contentType).send(JSON.stringify(record.body, null, 2));
  });

  return r;
}
