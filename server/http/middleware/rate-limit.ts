import type { Request, RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { TooManyRequestsError } from '../../errors.js';

interface LimitOptions {
  windowMinutes: number;
  limit: number;
  /** Count only failed attempts (a wrong password), not successful ones. */
  failuresOnly?: boolean;
  key: 'address' | 'email';
}

const emailKey = (req: Request) => {
  const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
  return `email:${email}`;
};

/**
 * A limiter answering 429 with Retry-After in the API's error shape. The client address is
 * the socket's unless TRUST_PROXY names the proxies in front of us.
 */
export function limiter(o: LimitOptions): RequestHandler {
  return rateLimit({
    windowMs: o.windowMinutes * 60_000,
    limit: o.limit,
    skipSuccessfulRequests: o.failuresOnly ?? false,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: o.key === 'email' ? emailKey : (req) => ipKeyGenerator(req.ip ?? 'unknown'),
    handler: (req, _res, next) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : o.windowMinutes * 60;
      next(new TooManyRequestsError(seconds));
    },
  });
}
