import type { RequestHandler } from 'express';
import { parse as parseCookie } from 'cookie';
import type { AppContext } from '../../context.js';
import { ForbiddenError, UnauthenticatedError } from '../../errors.js';
import { authenticate } from '../../modules/auth/auth.service.js';

export const SESSION_COOKIE = 'samtykke_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Resolves the caller from `Authorization: Bearer` or the session cookie. A token that is
 * present but not valid is a 401 at once. A cookie-authenticated request that changes state
 * must come from our own origin (the cookie is SameSite=Strict too; this is the second lock).
 */
export function authenticateRequest(ctx: AppContext): RequestHandler {
  return async (req, _res, next) => {
    req.actor = null;
    req.authVia = null;
    const header = req.headers.authorization;
    let token: string | undefined;
    if (header !== undefined) {
      const match = /^Bearer ([A-Za-z0-9_\-.=]+)$/.exec(header);
      if (!match) throw new UnauthenticatedError('The Authorization header is not a valid bearer token.');
      token = match[1];
      req.authVia = 'bearer';
    } else if (req.headers.cookie) {
      token = parseCookie(req.headers.cookie)[SESSION_COOKIE];
      if (token) req.authVia = 'cookie';
    }
    if (!token) return next();
    const actor = await authenticate(ctx, token);
    if (!actor) throw new UnauthenticatedError('Your session has ended. Sign in again.');
    if (req.authVia === 'cookie' && !SAFE_METHODS.has(req.method) && !sameOrigin(req.headers.origin, req.headers.host, ctx.config.publicUrl)) {
      throw new ForbiddenError('This request must come from the Samtykke app itself.');
    }
    req.actor = actor;
    next();
  };
}

function sameOrigin(origin: string | undefined, host: string | undefined, publicUrl: string): boolean {
  if (!origin) return false;
  try {
    const o = new URL(origin);
    return o.origin === new URL(publicUrl).origin || (host !== undefined && o.host === host);
  } catch {
    return false;
  }
}
