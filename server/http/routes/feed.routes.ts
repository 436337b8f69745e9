import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { channelFeed, feedImage, type Feed } from '../../modules/publications/feed.service.js';
import { FEED_CSS } from '../feed-style.js';
import { authenticateRequest } from '../middleware/authenticate.js';
import { param, parse } from '../validate.js';

/** HTML by default; JSON when asked for in the query or by the Accept header. */
export const feedQuery = z.object({ format: z.enum(['html', 'json']).optional() });
/** A published photo in a hosted channel: the publication id, then .jpg. */
export const FEED_FILE = /^([0-9a-f-]{36})\.jpg$/;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const dateFormat = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', day: 'numeric', month: 'long', year: 'numeric' });

/** The gallery page: server-rendered, no script, one stylesheet from this origin. */
function renderFeed(feed: Feed): string {
  const items = feed.items
    .map(
      (i) => `<li><figure>
<img src="${escape(i.image)}" alt="${escape(i.altText)}" width="${i.width}" height="${i.height}" loading="lazy">
<figcaption>${i.title ? `<strong>${escape(i.title)}</strong><br>` : ''}${escape(i.caption)}
<br><span class="date">Publisert <time datetime="${escape(i.publishedAt)}">${dateFormat.format(new Date(i.publishedAt))}</time></span></figcaption>
</figure></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="nb">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escape(feed.channel.name)}</title>
<link rel="stylesheet" href="/feed/_/feed.css">
</head>
<body>
<a class="skip" href="#innhold">Hopp til bildene</a>
<header><h1>${escape(feed.channel.name)}</h1></header>
<main id="innhold">
${feed.items.length === 0 ? '<p>Det er ingen bilder her nå.</p>' : `<ul class="gallery">\n${items}\n</ul>`}
</main>
<footer><p>Bildene vises bare så lenge det er gitt samtykke. Vil du at et bilde skal fjernes, kontakt barnehagen eller skolen.</p></footer>
</body>
</html>`;
}

/** Hosted channels, outside /api. Nothing here may be cached: a withdrawal counts from the next request. */
export function feedRoutes(ctx: AppContext): Router {
  const r = Router();
  r.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  r.get('/_/feed.css', (_req, res) => {
    res.type('text/css').send(FEED_CSS);
  });
  r.use(authenticateRequest(ctx));

  r.get('/:slug', async (req, res) => {
    const q = parse(feedQuery, req.query);
    const feed = await channelFeed(ctx, param(req, 'slug'), req.actor ?? null);
    const wantsJson = q.format === 'json' || (q.format === undefined && req.accepts(['html', 'json']) === 'json');
    if (!feed) {
      res.status(404);
      if (wantsJson) res.json({ error: { code: 'NOT_FOUND', message: 'There is no such channel.' } });
      else res.type('html').send('<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Fant ikke siden</title><link rel="stylesheet" href="/feed/_/feed.css"></head><body><main><h1>Fant ikke siden</h1><p>Denne kanalen finnes ikke.</p></main></body></html>');
      return;
    }
    if (wantsJson) res.json(feed);
    else res.type('html').send(renderFeed(feed));
  });

  r.get('/:slug/:file', async (req, res) => {
    const match = FEED_FILE.exec(param(req, 'file'));
    const bytes = match ? await feedImage(ctx, param(req, 'slug'), match[1]!, req.actor ?? null) : null;
    if (!bytes) {
      res.status(404).json({ error: { code: 'NOT_FOUND', message: 'The photo is not available.' } });
      return;
    }
    res.setHeader('Content-Type', 'image/jpeg');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(bytes);
  });
  return r;
}
