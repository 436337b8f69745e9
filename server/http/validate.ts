import type { Request } from 'express';
import { z } from 'zod';
import type { Actor } from '../context.js';
import { parseCalendarDate } from '../domain/dates.js';
import { UnauthenticatedError, ValidationError } from '../errors.js';
import { nulPath } from './middleware/refuse-nul.js';

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
  const nul = nulPath(data);
  if (nul) throw new ValidationError('Some of the input is not valid.', [{ field: nul.join('.') || null, message: 'Contains a NUL character (U+0000).' }]);
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
/** A date as YYYY-MM-DD or an ISO 8601 time with an offset. */
export const dateOrTime = z.string().datetime({ offset: true }).or(isoDate);

/**
 * Free text: at most `max` characters as sent (so the documented maxLength is exact), then
 * trimmed; `min` counts what is left after trimming.
 */
export function text(max: number, min = 0) {
  const trimmed = z.string().max(max, `At most ${max} characters.`).trim();
  return min > 0 ? trimmed.min(min, 'Required.') : trimmed;
}

export const name = text(100, 1);
// Surrounding spaces and capitals are forgiven, so the documented input is any string that fits.
export const email = z.string().max(254).trim().toLowerCase().pipe(z.email('Not an e-mail address.')).meta({ description: 'An e-mail address.' });

/**
 * A whole number in a query string: digits only (no sign, spaces, exponent or hex), then
 * checked for range. The upper bound keeps it inside a 32-bit database integer.
 */
export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,10}$/, 'Use a whole number.')
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .meta({ description: `A whole number from ${min} to ${max}.` });

/** Path parameters are not validated beyond being present: an unknown id is a 404. */
export const pathParam = z.string().min(1);

