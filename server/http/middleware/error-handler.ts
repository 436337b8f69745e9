import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError, ServiceBusyError, TooManyRequestsError } from '../../errors.js';

export const notFoundApi: RequestHandler = (_req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: 'There is no such API endpoint.' } });
};

/** The one place where errors become HTTP answers. Unknown errors are logged and answered with no internals. */
/**
 * `lingerBytes`: the most of an unwanted request body read and thrown away so that the answer
 * arrives (one photo upload and its multipart wrapping, so a phone refused with 429 or 503
 * sees that answer and its Retry-After, not a reset connection).
 */
export function errorHandler(logger: Logger, lingerBytes: number): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    // Refused before a large body was read (an upload to a group out of reach, say): close the
    // connection rather than let Node read and discard the rest, which may be gigabytes. Bodies
    // up to lingerBytes are read off as usual, so that closing cannot cut the answer off (a TCP reset).
    if (!req.complete && !(Number(req.headers['content-length']) <= lingerBytes)) res.setHeader('Connection', 'close');
    if (err instanceof AppError) {
      if (err instanceof TooManyRequestsError || err instanceof ServiceBusyError) res.setHeader('Retry-After', String(err.retryAfterSeconds));
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.details !== undefined && { details: err.details }) } });
      return;
    }
    // body-parser and friends signal client mistakes with a status and `expose`.
    const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const code = err.type === 'entity.too.large' ? 'PAYLOAD_TOO_LARGE' : err.type === 'entity.parse.failed' ? 'INVALID_JSON' : 'BAD_REQUEST';
      const message =
        code === 'PAYLOAD_TOO_LARGE' ? 'The request is too large.' : code === 'INVALID_JSON' ? 'The request body is not valid JSON.' : 'The request could not be understood.';
      res.status(status).json({ error: { code, message } });
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong on our side. Try again, and contact support if it keeps happening.' } });
  };
}
