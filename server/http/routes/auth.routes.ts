import { Router, type Response } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { currentUser, login, logout, requestMagicLink, signInWithMagicLink, type SignedIn } from '../../modules/auth/auth.service.js';
import { SESSION_COOKIE } from '../middleware/authenticate.js';
import { limiter } from '../middleware/rate-limit.js';
import { actorOf, email, param, parse } from '../validate.js';

export const loginBody = z.object({ email, password: z.string().min(1, 'Required.').max(1024) });
export const magicLinkBody = z.object({ email, lang: z.enum(['nb', 'nn', 'en']).default('nb') });
export const magicToken = z.string().min(20).max(200);

export function authRoutes(ctx: AppContext): Router {
  const r = Router();
  const secure = ctx.config.env === 'production';
  const { signIn, magicLink } = ctx.config.rateLimits;
  const logger = ctx.logger;
  const setSession = (res: Response, s: SignedIn) =>
    res.cookie(SESSION_COOKIE, s.token, { httpOnly: true, sameSite: 'strict', secure, path: '/', expires: new Date(s.expiresAt) });

  r.post(
    '/auth/login',
    limiter({ key: 'address', windowMinutes: 15, limit: signIn.perAddress, failuresOnly: true, logger }),
    limiter({ key: 'email', windowMinutes: 15, limit: signIn.perAccount, failuresOnly: true, logger }),
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
    limiter({ key: 'address', windowMinutes: 60, limit: magicLink.perAddress, logger }),
    limiter({ key: 'email', windowMinutes: 60, limit: magicLink.perAccount, logger }),
    async (req, res) => {
      const body = parse(magicLinkBody, req.body);
      await requestMagicLink(ctx, body.email, body.lang);
      res.status(202).json({ ok: true });
    },
  );

  r.get('/auth/magic/:token', limiter({ key: 'address', windowMinutes: 15, limit: signIn.perAddress, failuresOnly: true, logger }), async (req, res) => {
    const token = parse(magicToken, param(req, 'token'));
    const signedIn = await signInWithMagicLink(ctx, token);
    setSession(res, signedIn);
    res.json(signedIn);
  });

  return r;
}
