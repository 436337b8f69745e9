import type { Request } from 'express';
import { z } from 'zod';
import type { Actor } from '../context.js';
import { parseCalendarDate } from '../domain/dates.js';
import { UnauthenticatedError, ValidationError } from '../errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in caller, set by the authentication middleware; null when anonymous. */
    actor?: Actor | null;
    /** How the caller authenticated, for the same-origin check. */
    authVia?: 'cookie' | 'bearer' | null;
  }
}

/** Parses input with a zod schema, turning every problem into one 400 with field details. */
export function parse<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (!result.success) {
    const details = result.error.issues.map((i) => ({ field: i.path.join('.') || null, message: i.message }));
    throw new ValidationError('Some of the input is not valid.', details);
  }
  return result.data;
}

/** The signed-in caller; anonymous requests get 401. */
export function actorOf(req: Request): Actor {
  if (!req.actor) throw new UnauthenticatedError();
  return req.actor;
}

/** A route parameter, always a single string in express 5. */
export const param = (req: Request, name: string): string => String(req.params[name] ?? '');

// Date.parse is no check: V8 reads 2023-02-30 as 2 March.
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date as YYYY-MM-DD.').refine((s) => parseCalendarDate(s) !== null, 'Not a real date.');
export const name = z.string().trim().min(1, 'Required.').max(100, 'At most 100 characters.');
export const email = z.string().trim().toLowerCase().email('Not an e-mail address.').max(254);
