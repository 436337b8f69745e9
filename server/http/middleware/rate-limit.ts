import type { Request, RequestHandler } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import type { Logger } from 'pino';
import { TooManyRequestsError } from '../../errors.js';

interface LimitOptions {
  windowMinutes: number;
  limit: number;
  /** Count only failed attempts (a wrong password), not successful ones. */
  failuresOnly?: boolean;
  /**
   * What is counted: the client address; the account named by the body's e-mail address
   * (sign-in, before anyone is signed in); or the signed-in account (anonymous requests are
   * not counted here, they are refused further on).
   */
  key: 'address' | 'email' | 'account';
  /** Where express-rate-limit reports a misconfiguration (such as X-Forwarded-For without TRUST_PROXY). */
  logger: Logger;
}

const emailKey = (req: Request) => {
  const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
  return `email:${email}`;
};

const KEYS: Record<LimitOptions['key'], (req: Request) => string> = {
  address: (req) => ipKeyGenerator(req.ip ?? 'unknown'),
  email: emailKey,
  account: (req) => `account:${req.actor?.accountId ?? ''}`,
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
    ...(o.key === 'account' && { skip: (req: Request) => !req.actor }),
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: KEYS[o.key],
    logger: o.logger,
    handler: (req, _res, next) => {
      const resetTime = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
      const seconds = resetTime ? Math.max(1, Math.ceil((resetTime.getTime() - Date.now()) / 1000)) : o.windowMinutes * 60;
      next(new TooManyRequestsError(seconds));
    },
  });
}
