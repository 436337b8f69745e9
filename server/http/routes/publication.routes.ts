import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { dryRunGate, getPublication, publicationImage, publish, recordExternalUrl, review, unpublish } from '../../modules/publications/publication.service.js';
import { listPublicationLog, publicationLogCsv, publicationStory } from '../../modules/publications/publication-log.service.js';
import { listUnitTakedowns, markTakedownDone, publicationsOfPerson, requestTakedown } from '../../modules/publications/takedown.service.js';
import { acknowledgeGuidelines, currentGuidelines, publishGuidelines, unitAcknowledgements } from '../../modules/publications/guideline.service.js';
import { actorOf, dateOrTime, param, parse, queryInt, text as freeText } from '../validate.js';

const text = (max: number) => z.string().max(max).default('');
const texts = { caption: text(2000), altText: text(1000), title: text(200), occasion: freeText(200, 1).nullable().optional() };
const id = z.string().min(1).max(64);
const lang = z.enum(['nb', 'nn', 'en']).default('nb');

export const logQuery = z.object({
  unitId: id.optional(),
  channelId: id.optional(),
  status: z.enum(['pending_review', 'published', 'rejected', 'unpublished']).optional(),
  from: dateOrTime.optional(),
  to: dateOrTime.optional(),
  personId: id.optional(),
  limit: queryInt(1, 5000).prefault('500'),
});

export const gateBody = z.object({ channelId: id, ...texts }).strict();
export const publishBody = z.object({ photoId: id, channelId: id, ...texts }).strict();
export const reviewBody = z.object({ approve: z.boolean(), harmAssessment: z.boolean().default(false), note: freeText(1000).nullable().optional() }).strict();
// Only web addresses: the link is shown to staff, so no javascript: or data: URLs.
// Addresses with æøå (https://bø.kommune.no/…) are kept in their ASCII form, as a browser sends them.
const webAddress = z
  .string()
  .max(2000)
  .regex(/^https?:\/\/\S+$/, 'Use a web address starting with https:// or http://.')
  .refine((s) => URL.canParse(s), 'Not a web address.')
  .transform((s) => new URL(s).href)
  .pipe(z.string().max(4000).regex(/^https?:\/\/(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})+$/, 'Use a web address starting with https:// or http://.'));
export const externalUrlBody = z.object({ externalUrl: webAddress }).strict();
export const takedownRequestBody = z.object({ personId: id }).strict();
export const takedownsQuery = z.object({ status: z.enum(['open', 'done']).optional() });
export const takedownDoneBody = z.object({ evidence: freeText(2000, 1) }).strict();
export const guidelinesQuery = z.object({ lang });
const guidelineText = z.object({ title: freeText(200, 1), body: freeText(50_000, 1) }).strict();
export const guidelinesBody = z.object({ texts: z.object({ nb: guidelineText, nn: guidelineText.optional(), en: guidelineText.optional() }).strict() }).strict();
export const acknowledgeBody = z.object({ version: z.number().int().positive() }).strict();

export function publicationRoutes(ctx: AppContext): Router {
  const r = Router();

  r.post('/photos/:id/gate', async (req, res) => {
    const body = parse(gateBody, req.body);
    res.json({ gate: await dryRunGate(ctx, actorOf(req), { ...body, photoId: param(req, 'id') }) });
  });

  r.post('/publications', async (req, res) => {
    const body = parse(publishBody, req.body);
    const result = await publish(ctx, actorOf(req), body);
    res.status(201).json(result);
  });

  r.get('/publications', async (req, res) => {
    const q = parse(logQuery, req.query);
    res.json({ publications: await listPublicationLog(ctx, actorOf(req), normalise(q)) });
  });

  r.get('/publications.csv', async (req, res) => {
    const q = parse(logQuery, req.query);
    const csv = publicationLogCsv(await listPublicationLog(ctx, actorOf(req), normalise(q)));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', 'attachment; filename="publiseringer.csv"');
    res.send(csv);
  });

  r.get('/publications/:id', async (req, res) => {
    res.json(await publicationStory(ctx, actorOf(req), param(req, 'id')));
  });

  r.get('/publications/:id/image', async (req, res) => {
    const bytes = await publicationImage(ctx, actorOf(req), param(req, 'id'));
    res.setHeader('Content-Type', 'image/jpeg');
    res.setHeader('Content-Disposition', `attachment; filename="samtykke-publisering-${param(req, 'id').slice(0, 8)}.jpg"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(bytes);
  });

  r.post('/publications/:id/review', async (req, res) => {
    const body = parse(reviewBody, req.body);
    res.json({ publication: await review(ctx, actorOf(req), param(req, 'id'), body) });
  });

  r.post('/publications/:id/unpublish', async (req, res) => {
    res.json({ publication: await unpublish(ctx, actorOf(req), param(req, 'id')) });
  });

  r.patch('/publications/:id', async (req, res) => {
    const body = parse(externalUrlBody, req.body);
    res.json({ publication: await recordExternalUrl(ctx, actorOf(req), param(req, 'id'), body.externalUrl) });
  });

  r.post('/publications/:id/takedown-request', async (req, res) => {
    const body = parse(takedownRequestBody, req.body);
    res.json({ publication: await requestTakedown(ctx, actorOf(req), param(req, 'id'), body.personId) });
  });

  r.get('/people/:id/publications', async (req, res) => {
    res.json({ publications: await publicationsOfPerson(ctx, actorOf(req), param(req, 'id')) });
  });

  r.get('/takedowns', async (req, res) => {
    const q = parse(takedownsQuery, req.query);
    res.json({ takedowns: await listUnitTakedowns(ctx, actorOf(req), q.status) });
  });

  r.post('/takedowns/:id/done', async (req, res) => {
    const body = parse(takedownDoneBody, req.body);
    res.json({ takedown: await markTakedownDone(ctx, actorOf(req), param(req, 'id'), body.evidence) });
  });

  r.get('/guidelines', async (req, res) => {
    const q = parse(guidelinesQuery, req.query);
    res.json({ guidelines: await currentGuidelines(ctx, actorOf(req), q.lang) });
  });
  r.post('/guidelines', async (req, res) => {
    const body = parse(guidelinesBody, req.body);
    const texts = Object.fromEntries(Object.entries(body.texts).filter(([, v]) => v)) as typeof body.texts & { nb: z.infer<typeof guidelineText> };
    res.status(201).json({ version: await publishGuidelines(ctx, actorOf(req), texts) });
  });
  r.post('/guidelines/acknowledge', async (req, res) => {
    const body = parse(acknowledgeBody, req.body);
    await acknowledgeGuidelines(ctx, actorOf(req), body.version);
    res.status(204).end();
  });
  r.get('/units/:id/guideline-acknowledgements', async (req, res) => {
    res.json(await unitAcknowledgements(ctx, actorOf(req), param(req, 'id')));
  });

  return r;
}

function normalise(q: z.infer<typeof logQuery>) {
  const iso = (v: string) => new Date(v).toISOString();
  return { ...q, ...(q.from && { from: iso(q.from) }), ...(q.to && { to: iso(q.to) }) };
}
