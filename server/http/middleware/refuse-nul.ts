import type { RequestHandler } from 'express';
import { ValidationError } from '../../errors.js';

/**
 * U+0000 has no place in any input, and PostgreSQL text cannot hold it (the query would fail
 * with a 500). Path and query are checked here, before routing; bodies are checked by parse().
 * A literal NUL cannot reach us in a URL (Node's parser refuses it), so %00 is the only form.
 */
export const refuseNulInUrl: RequestHandler = (req, _res, next) => {
  if (/%00/.test(req.originalUrl)) throw new ValidationError('The address contains a NUL character (%00).');
  next();
};

/**
 * The path of the first string in a parsed body or query that contains U+0000, or null.
 * Iterative: a JSON body may nest thousands of levels deep.
 */
export function nulPath(value: unknown): string[] | null {
  const stack: [unknown, string[]][] = [[value, []]];
  while (stack.length > 0) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return path;
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) return [...path, k];
        stack.push([child, path.length < 20 ? [...path, k] : path]);
      }
    }
  }
  return null;
}
