import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Express, type Router } from 'express';
import { sql } from 'kysely';
import { pinoHttp } from 'pino-http';
import type { AppContext } from './context.js';
import { authenticateRequest } from './http/middleware/authenticate.js';
import { errorHandler, notFoundApi } from './http/middleware/error-handler.js';
import { jsonBody } from './http/middleware/json-body.js';
import { refuseNulInUrl } from './http/middleware/refuse-nul.js';
import { securityHeaders } from './http/middleware/security-headers.js';
import { adminRoutes } from './http/routes/admin.routes.js';
import { authRoutes } from './http/routes/auth.routes.js';
import { consentRecordRoutes } from './http/routes/consent-record.routes.js';
import { consentRoutes } from './http/routes/consent.routes.js';
import { feedRoutes } from './http/routes/feed.routes.js';
import { openApiRoutes } from './http/routes/openapi.routes.js';
import { photoRoutes } from './http/routes/photo.routes.js';
import { publicationRoutes } from './http/routes/publication.routes.js';
import { purposeRoutes } from './http/routes/purpose.routes.js';
import { roundRoutes } from './http/routes/round.routes.js';
import { settingsRoutes } from './http/routes/settings.routes.js';
import { rosterRoutes } from './http/routes/roster.routes.js';

export const WEB_DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../web/dist');

export interface AppOptions {
  /** The built web app to serve; defaults to web/dist when it exists. */
  webDist?: string | null;
  /** Request logging; off in tests by default. */
  requestLog?: boolean;
}

/** The whole HTTP application; main.ts and every test build it the same way. */
export function createApp(ctx: AppContext, options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', ctx.config.trustProxy === false ? false : ctx.config.trustProxy);
  app.set('etag', false);
  app.set('query parser', 'simple');

  if (options.requestLog ?? true) {
    app.use(
      pinoHttp({
        logger: ctx.logger,
        // Paths only: query strings can carry search terms such as names.
        serializers: {
          req: (req: { method: string; url: string; id: unknown }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
          res: (res: { statusCode: number }) => ({ status: res.statusCode }),
        },
      }),
    );
  }
  app.use(securityHeaders(ctx.config.env === 'production'));
  app.use(refuseNulInUrl);

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await sql`select 1`.execute(ctx.db);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'unavailable' });
    }
  });

  const api = express.Router();
  api.use(jsonBody('1mb'));
  api.use(authenticateRequest(ctx));
  for (const routes of apiRouters(ctx)) api.use(routes);
  api.use(notFoundApi);
  app.use('/api', api);
  app.use('/feed', feedRoutes(ctx));

  const webDist = options.webDist === undefined ? WEB_DIST : options.webDist;
  if (webDist && existsSync(path.join(webDist, 'index.html'))) {
    app.use(express.static(webDist, { index: false, maxAge: '1h', setHeaders: immutableAssets }));
    // The single-page app answers every other GET; its router shows the page or a 404 page.
    app.get(/^(?!\/(api|feed)\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(webDist, 'index.html'));
    });
  }

  // Anything else: our own 404, so it keeps this app's security headers.
  app.use((_req, res) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: 'There is nothing at this address.' } });
  });
  app.use(errorHandler(ctx.logger, ctx.config.uploadMaxBytes + 1024 * 1024));
  return app;
}

/** Every router mounted under /api, in the order they are tried. */
function apiRouters(ctx: AppContext): Router[] {
  return [
    authRoutes(ctx),
    rosterRoutes(ctx),
    purposeRoutes(ctx),
    consentRoutes(ctx),
    consentRecordRoutes(ctx),
    roundRoutes(ctx),
    settingsRoutes(ctx),
    photoRoutes(ctx),
    publicationRoutes(ctx),
    adminRoutes(ctx),
    openApiRoutes(ctx),
  ];
}

export interface RouteEntry {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Express path syntax, e.g. /api/people/:id. */
  path: string;
}

/**
 * Every route the app answers, read from the same routers createApp mounts, so the access
 * matrix and the OpenAPI document can prove they cover each one.
 */
export function routeTable(ctx: AppContext): RouteEntry[] {
  const entries: RouteEntry[] = [
    { method: 'GET', path: '/healthz' },
    { method: 'GET', path: '/readyz' },
  ];
  const collect = (prefix: string, router: Router) => {
    for (const layer of router.stack) {
      const route = layer.route as { path: string; methods: Record<string, boolean> } | undefined;
      if (!route) continue;
      for (const [method, on] of Object.entries(route.methods)) {
        if (on && method !== '_all') entries.push({ method: method.toUpperCase() as RouteEntry['method'], path: prefix + route.path });
      }
    }
  };
  for (const routes of apiRouters(ctx)) collect('/api', routes);
  collect('/feed', feedRoutes(ctx));
  return entries;
}

function immutableAssets(res: express.Response, file: string): void {
  if (file.includes(`${path.sep}assets${path.sep}`)) res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
}
