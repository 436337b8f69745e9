import express, { type Request, type RequestHandler } from 'express';

const EMPTY = Symbol('emptyJsonBody');
type Marked = Request & { [EMPTY]?: boolean };

/**
 * JSON bodies up to `limit`. body-parser turns an empty body sent as application/json into
 * {}; here it stays no body at all, so an operation that needs one still answers 400 and the
 * answer matches the OpenAPI document (an empty body is not a JSON object).
 */
export function jsonBody(limit: string): RequestHandler[] {
  return [
    express.json({
      limit,
      verify: (req, _res, raw) => {
        if (raw.length === 0) (req as Marked)[EMPTY] = true;
      },
    }),
    (req, _res, next) => {
      if ((req as Marked)[EMPTY]) req.body = undefined;
      next();
    },
  ];
}
