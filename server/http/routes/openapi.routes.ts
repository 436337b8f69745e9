import { Router } from 'express';
import type { AppContext } from '../../context.js';
import { openApiDocument } from '../openapi.js';

/** The API's own description, public like any API documentation. */
export function openApiRoutes(ctx: AppContext): Router {
  const r = Router();
  let document: Record<string, unknown> | undefined;
  r.get('/openapi.json', (_req, res) => {
    document ??= openApiDocument(ctx);
    res.json(document);
  });
  return r;
}
