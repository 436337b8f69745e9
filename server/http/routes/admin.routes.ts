import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { createAccount, listOrganisationAccounts, setAccountStatus } from '../../modules/auth/account.service.js';
import { listAudit, verifyAuditChain } from '../../modules/audit/audit.service.js';
import { requireRole } from '../../modules/access/guards.js';
import { actorOf, dateOrTime, email, param, parse, queryInt } from '../validate.js';

export const auditQuery = z.object({
  from: dateOrTime.optional(),
  to: dateOrTime.optional(),
  actor: z.string().max(64).optional(),
  action: z.string().max(64).optional(),
  objectType: z.string().max(64).optional(),
  objectId: z.string().max(64).optional(),
  limit: queryInt(1, 1000).prefault('200'),
  before: queryInt(1, 2_147_483_647).optional(),
});

export const newAccount = z
  .object({
    email,
    role: z.enum(['admin', 'leader', 'staff', 'guardian', 'pupil']),
    unitId: z.string().min(1).nullable().optional(),
    personId: z.string().min(1).nullable().optional(),
    password: z.string().min(10, 'Use at least 10 characters.').max(1024).nullable().optional(),
  })
  .strict();

export const accountStatusBody = z.object({ active: z.boolean() }).strict();

export function adminRoutes(ctx: AppContext): Router {
  const r = Router();

  r.get('/audit', async (req, res) => {
    const q = parse(auditQuery, req.query);
    const events = await listAudit(ctx, actorOf(req), {
      ...(q.from && { from: new Date(q.from).toISOString() }),
      ...(q.to && { to: new Date(q.to).toISOString() }),
      ...(q.actor && { actorId: q.actor }),
      ...(q.action && { action: q.action }),
      ...(q.objectType && { objectType: q.objectType }),
      ...(q.objectId && { objectId: q.objectId }),
      ...(q.before && { beforeSeq: q.before }),
      limit: q.limit,
    });
    res.json({ events });
  });

  r.get('/audit/verify', async (req, res) => {
    await requireRole(ctx, actorOf(req), ['admin'], 'audit');
    res.json(await verifyAuditChain(ctx));
  });

  r.get('/accounts', async (req, res) => {
    res.json({ accounts: await listOrganisationAccounts(ctx, actorOf(req)) });
  });
  r.post('/accounts', async (req, res) => {
    const body = parse(newAccount, req.body);
    res.status(201).json({ account: await createAccount(ctx, actorOf(req), body) });
  });
  r.patch('/accounts/:id', async (req, res) => {
    const body = parse(accountStatusBody, req.body);
    res.json({ account: await setAccountStatus(ctx, actorOf(req), param(req, 'id'), body.active) });
  });

  return r;
}
