import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { currentUser, login, logout, requestMagicLink, signInWithMagicLink, type SignedIn } from '../../modules/auth/auth.service.js';
import { SESSION_COOKIE } from '../middleware/authenticate.js';
import { limiter } from '../middleware/rate-limit.js';
import { actorOf, email, param, parse } from '../validate.js';

const loginBody = z.object({ email, password: z.string().min(1, 'Required.').max(1024) });
const magicLinkBody = z.object({ email, lang: z.enum(['nb', 'nn', 'en']).default('nb') });

export function authRoutes(ctx: AppContext): Router {
  const r = Router();
  const secure = ctx.config.env === 'production';
  const setSession = (res: Response, s: SignedIn) =>
    res.cookie(SESSION_COOKIE, s.token, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires: new Date(s.expiresAt) });

  r.post(
    '/auth/login',
    limiter({ key: 'address', windowMinutes: 15, limit: 50, failuresOnly: true }),
    limiter({ key: 'email', windowMinutes: 15, limit: 10, failuresOnly: true }),
    async (req, res) => {
      const body = parse(loginBody, req.body);
      const signedIn = await login(ctx, body.email, body.password);
      setSession(res, signedIn);
      res.json(signedIn);
    },
  );

  r.post('/auth/logout', async (req, res) => {
    await logout(ctx, actorOf(req));
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  r.get('/me', async (req, res) => {
    res.json({ user: await currentUser(ctx, actorOf(req)) });
  });

  r.post(
    '/auth/magic-link',
    limiter({ key: 'address', windowMinutes: 60, limit: 30 }),
    limiter({ key: 'email', windowMinutes: 60, limit: 5 }),
    async (req, res) => {
      const body = parse(magicLinkBody, req.body);
      await requestMagicLink(ctx, body.email, body.lang);
      res.status(202).json({ ok: true });
    },
  );

  r.get('/auth/magic/:token', limiter({ key: 'address', windowMinutes: 15, limit: 50, failuresOnly: true }), async (req, res) => {
    const token = parse(z.string().min(20).max(200), param(req, 'token'));
    const signedIn = await signInWithMagicLink(ctx, token);
    setSession(res, signedIn);
    res.json(signedIn);
  });

  return r;
}
