import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { decide, getPersonConsents } from '../../modules/consent/consent.service.js';
import { groupConsentOverview } from '../../modules/consent/overview.service.js';
import { getProtection, recordChildView, setProtection } from '../../modules/consent/protection.service.js';
import { actorOf, param, parse, text } from '../validate.js';

const lang = z.enum(['nb', 'nn', 'en']).default('nb');
const question = z.enum(['photo', 'first_name']).default('photo');

export const decisionBody = z
  .object({
    purposeId: z.string().min(1).max(64),
    question,
    decision: z.enum(['given', 'refused']),
    noticeVersion: z.number().int().positive(),
    lang,
    occasion: text(200, 1).nullable().optional(),
    onBehalfOf: z.string().min(1).max(64).optional(),
    method: z.enum(['web', 'paper', 'verbal']).optional(),
    evidenceNote: text(1000).nullable().optional(),
  })
  .strict();

export const withdrawBody = z
  .object({
    question,
    lang,
    occasion: text(200, 1).nullable().optional(),
    onBehalfOf: z.string().min(1).max(64).optional(),
    method: z.enum(['web', 'paper', 'verbal']).optional(),
    evidenceNote: text(1000).nullable().optional(),
  })
  .strict();

export const consentsQuery = z.object({ lang });
export const childViewBody = z
  .object({ objects: z.boolean(), purposeId: z.string().min(1).max(64).nullable().default(null), note: text(500).nullable().optional() })
  .strict();
export const protectionBody = z.object({ protected: z.boolean() }).strict();

export function consentRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/people/:id/consents', async (req, res) => {
    const q = parse(consentsQuery, req.query);
    res.json(await getPersonConsents(ctx, actorOf(req), param(req, 'id'), q.lang));
  });

  r.post('/people/:id/consents', async (req, res) => {
    const body = parse(decisionBody, req.body);
    res.status(201).json({ decision: await decide(ctx, actorOf(req), param(req, 'id'), body) });
  });

  // One click: no notice to confirm, no reason to give.
  r.post('/people/:id/consents/:purposeId/withdraw', async (req, res) => {
    const body = parse(withdrawBody, req.body ?? {});
    const decision = await decide(ctx, actorOf(req), param(req, 'id'), { ...body, purposeId: param(req, 'purposeId'), decision: 'withdrawn' });
    res.status(201).json({ decision });
  });

  r.post('/people/:id/views', async (req, res) => {
    const body = parse(childViewBody, req.body);
    res.status(201).json({ view: await recordChildView(ctx, actorOf(req), param(req, 'id'), body) });
  });

  r.get('/people/:id/protection', async (req, res) => {
    res.json(await getProtection(ctx, actorOf(req), param(req, 'id')));
  });
  r.put('/people/:id/protection', async (req, res) => {
    const body = parse(protectionBody, req.body);
    res.json(await setProtection(ctx, actorOf(req), param(req, 'id'), body.protected));
  });

  r.get('/groups/:id/consent-overview', async (req, res) => {
    res.json(await groupConsentOverview(ctx, actorOf(req), param(req, 'id')));
  });

  return r;
}
