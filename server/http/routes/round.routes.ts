import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { listUnitRounds, remindRound, roundProgress, startRound } from '../../modules/consent/round.service.js';
import { actorOf, param, parse } from '../validate.js';

const lang = z.enum(['nb', 'nn', 'en']).default('nb');

export const roundsQuery = z.object({ unitId: z.string().min(1).max(64).optional() });
export const newRoundBody = z
  .object({
    unitId: z.string().min(1).max(64),
    purposeIds: z.array(z.string().min(1).max(64)).max(50).optional(),
    reason: z.enum(['school_year', 'new_purpose', 'notice_changed', 'other']),
    lang,
  })
  .strict();
export const remindBody = z.object({ lang }).strict();

export function roundRoutes(ctx: AppContext): Router {
  const r = Router();
  r.get('/consent-rounds', async (req, res) => {
    const q = parse(roundsQuery, req.query);
    res.json({ rounds: await listUnitRounds(ctx, actorOf(req), q.unitId) });
  });
  r.post('/consent-rounds', async (req, res) => {
    const body = parse(newRoundBody, req.body);
    res.status(201).json({ round: await startRound(ctx, actorOf(req), body) });
  });
  r.get('/consent-rounds/:id', async (req, res) => {
    res.json({ round: await roundProgress(ctx, actorOf(req), param(req, 'id')) });
  });
  r.post('/consent-rounds/:id/remind', async (req, res) => {
    const body = parse(remindBody, req.body ?? {});
    res.json({ round: await remindRound(ctx, actorOf(req), param(req, 'id'), body.lang) });
  });
  return r;
}
