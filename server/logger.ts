import { pino, type Logger } from 'pino';

/**
 * Logs carry ids and codes, never personal data: request bodies are not logged, and the
 * fields below are removed wherever they turn up.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'res.headers["set-cookie"]',
        '*.email',
        '*.password',
        '*.firstName',
        '*.lastName',
        '*.birthDate',
        '*.token',
      ],
      remove: true,
    },
  });
}
