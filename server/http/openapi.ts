/**
 * The OpenAPI 3.1 description of every route, served at GET /api/openapi.json. Parameters and
 * request bodies are converted from the very zod schemas the routes parse with, so the
 * document cannot drift from validation; tests/security/openapi.test.ts proves that it has one
 * operation for each route the app answers, and the fuzzer sends what it describes.
 */
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { SESSION_COOKIE } from './middleware/authenticate.js';
import * as admin from './routes/admin.routes.js';
import * as auth from './routes/auth.routes.js';
import * as consentRecord from './routes/consent-record.routes.js';
import * as consent from './routes/consent.routes.js';
import * as feed from './routes/feed.routes.js';
import * as photo from './routes/photo.routes.js';
import * as publication from './routes/publication.routes.js';
import * as purpose from './routes/purpose.routes.js';
import * as roster from './routes/roster.routes.js';
import * as round from './routes/round.routes.js';
import * as settings from './routes/settings.routes.js';
import { pathParam } from './validate.js';

type JsonSchema = Record<string, unknown>;

/** Who may call: anyone, anyone with an optional session (hosted feeds), or a signed-in caller. */
type Access = 'public' | 'optional' | 'signed-in';
type Success = 'json' | 'empty' | 'csv' | 'jpeg' | 'html-or-json' | 'css' | 'download';

type Body =
  | { kind: 'json'; schema: z.ZodType; required: boolean }
  | { kind: 'multipart'; schema: (ctx: AppContext) => z.ZodType }
  | { kind: 'csv'; json: z.ZodType };

interface Operation {
  summary: string;
  tag: string;
  access?: Access;
  /** Path parameters that are checked for more than presence. */
  params?: Record<string, z.ZodType>;
  query?: z.ZodObject;
  body?: Body;
  ok: [status: number, what: Success];
  /** Answers particular to the operation; 400/401/403/404/413/415 follow from its shape. */
  errors?: (409 | 422 | 429 | 503)[];
}

const json = (schema: z.ZodType, required = true): Body => ({ kind: 'json', schema, required });

/** The form POST /api/photos reads: files in "photos"; other text fields are ignored. */
const uploadForm = (ctx: AppContext) =>
  z.object({
    photos: z
      .array(z.string().meta({ contentMediaType: 'application/octet-stream' }))
      .min(1)
      .max(ctx.config.uploadMaxFiles)
      .meta({ description: `1–${ctx.config.uploadMaxFiles} image files (JPEG, PNG, WebP, HEIC, AVIF), each at most ${ctx.config.uploadMaxBytes} bytes.` }),
  });

/** The error body of every refusal (server/errors.ts). */
export const errorBody = z.object({
  error: z.object({
    code: z.string().meta({ description: 'A stable, machine-readable code, e.g. VALIDATION_FAILED.' }),
    message: z.string().meta({ description: 'A plain-language explanation.' }),
    details: z.unknown().optional(),
  }),
});

/** Every operation, keyed by method and express path exactly as routeTable() lists them. */
const OPERATIONS: Record<string, Operation> = {
  'GET /healthz': { summary: 'The process is up', tag: 'service', access: 'public', ok: [200, 'json'] },
  'GET /readyz': { summary: 'The database answers', tag: 'service', access: 'public', ok: [200, 'json'], errors: [503] },
  'GET /api/openapi.json': { summary: 'This document', tag: 'service', access: 'public', ok: [200, 'json'] },

  'POST /api/auth/login': { summary: 'Sign in with e-mail and password', tag: 'auth', access: 'public', body: json(auth.loginBody), ok: [200, 'json'], errors: [429] },
  'POST /api/auth/logout': { summary: 'End this session', tag: 'auth', ok: [204, 'empty'] },
  'GET /api/me': { summary: 'The signed-in account', tag: 'auth', ok: [200, 'json'] },
  'POST /api/auth/magic-link': { summary: 'E-mail a one-time sign-in link', tag: 'auth', access: 'public', body: json(auth.magicLinkBody), ok: [202, 'json'], errors: [429] },
  'GET /api/auth/magic/:token': { summary: 'Sign in with a one-time link', tag: 'auth', access: 'public', params: { token: auth.magicToken }, ok: [200, 'json'], errors: [429] },

  'GET /api/units': { summary: 'Units the caller can see', tag: 'roster', ok: [200, 'json'] },
  'POST /api/units': { summary: 'Create a unit', tag: 'roster', body: json(roster.newUnitBody), ok: [201, 'json'], errors: [409] },
  'PATCH /api/units/:id': { summary: 'Rename or change a unit', tag: 'roster', body: json(roster.unitChanges), ok: [200, 'json'], errors: [409] },
  'GET /api/units/:id/groups': { summary: 'Groups of a unit', tag: 'roster', ok: [200, 'json'] },
  'POST /api/units/:id/groups': { summary: 'Create a group', tag: 'roster', body: json(roster.groupBody), ok: [201, 'json'], errors: [409] },
  'PATCH /api/groups/:id': { summary: 'Rename a group', tag: 'roster', body: json(roster.groupBody), ok: [200, 'json'], errors: [409] },
  'GET /api/people': { summary: 'People the caller can see', tag: 'roster', query: roster.peopleQuery, ok: [200, 'json'] },
  'POST /api/people': { summary: 'Add a person', tag: 'roster', body: json(roster.newPerson), ok: [201, 'json'], errors: [409] },
  'GET /api/people/:id': { summary: 'One person', tag: 'roster', ok: [200, 'json'] },
  'PATCH /api/people/:id': { summary: 'Change a person', tag: 'roster', body: json(roster.personChanges), ok: [200, 'json'], errors: [409] },
  'POST /api/people/:id/memberships': { summary: 'Place a person in a group', tag: 'roster', body: json(roster.membershipBody), ok: [201, 'json'], errors: [409] },
  'PATCH /api/memberships/:id': { summary: 'End or reopen a membership', tag: 'roster', body: json(roster.membershipEndBody), ok: [200, 'json'] },
  'GET /api/people/:id/guardians': { summary: 'Guardians of a person', tag: 'roster', ok: [200, 'json'] },
  'POST /api/people/:id/guardians': { summary: 'Add a guardian', tag: 'roster', body: json(roster.newGuardian), ok: [201, 'json'], errors: [409] },
  'PATCH /api/guardian-links/:id': { summary: "Change a guardian's role or responsibility", tag: 'roster', body: json(roster.guardianLinkChanges), ok: [200, 'json'] },
  'POST /api/import/roster': {
    summary: 'Import a roster file (dry run with dryRun=true)',
    tag: 'roster',
    query: roster.importQuery,
    body: { kind: 'csv', json: roster.importJsonBody },
    ok: [200, 'json'],
    errors: [422],
  },

  'GET /api/purposes': { summary: 'Purposes of the organisation', tag: 'purposes', ok: [200, 'json'] },
  'POST /api/purposes': { summary: 'Create a purpose', tag: 'purposes', body: json(purpose.newPurposeBody), ok: [201, 'json'], errors: [409] },
  'PATCH /api/purposes/:id': { summary: 'Change a purpose', tag: 'purposes', body: json(purpose.purposeChanges), ok: [200, 'json'] },
  'GET /api/purposes/:id/notices': { summary: 'Notice versions of a purpose', tag: 'purposes', ok: [200, 'json'] },
  'POST /api/purposes/:id/notices': { summary: 'Publish a new notice version', tag: 'purposes', body: json(purpose.noticeBody), ok: [201, 'json'] },
  'GET /api/channels': { summary: 'Channels the caller can see', tag: 'purposes', ok: [200, 'json'] },
  'POST /api/channels': { summary: 'Create a channel', tag: 'purposes', body: json(purpose.newChannelBody), ok: [201, 'json'], errors: [409] },
  'PATCH /api/channels/:id': { summary: 'Change a channel', tag: 'purposes', body: json(purpose.channelChanges), ok: [200, 'json'] },

  'GET /api/people/:id/consents': { summary: 'Effective consent per purpose, with history', tag: 'consent', query: consent.consentsQuery, ok: [200, 'json'] },
  'POST /api/people/:id/consents': { summary: 'Give or refuse consent', tag: 'consent', body: json(consent.decisionBody), ok: [201, 'json'], errors: [409, 422] },
  'POST /api/people/:id/consents/:purposeId/withdraw': {
    summary: 'Withdraw consent in one step',
    tag: 'consent',
    body: json(consent.withdrawBody, false),
    ok: [201, 'json'],
    errors: [409, 422],
  },
  'POST /api/people/:id/views': { summary: "Record the child's own view", tag: 'consent', body: json(consent.childViewBody), ok: [201, 'json'] },
  'GET /api/people/:id/protection': { summary: 'The protection flag', tag: 'consent', ok: [200, 'json'] },
  'PUT /api/people/:id/protection': { summary: 'Set or clear the protection flag', tag: 'consent', body: json(consent.protectionBody), ok: [200, 'json'] },
  'GET /api/groups/:id/consent-overview': { summary: 'Who may be photographed for what, today', tag: 'consent', ok: [200, 'json'] },
  'GET /api/people/:id/consent-record': { summary: 'Consent record export (ISO/IEC 27560 or Kantara)', tag: 'consent', query: consentRecord.consentRecordQuery, ok: [200, 'download'] },
  'GET /api/consent-rounds': { summary: 'Consent rounds of a unit', tag: 'consent', query: round.roundsQuery, ok: [200, 'json'] },
  'POST /api/consent-rounds': { summary: 'Start a consent round', tag: 'consent', body: json(round.newRoundBody), ok: [201, 'json'], errors: [422] },
  'GET /api/consent-rounds/:id': { summary: 'Progress of a consent round', tag: 'consent', ok: [200, 'json'] },
  'POST /api/consent-rounds/:id/remind': { summary: 'Remind those who have not answered', tag: 'consent', body: json(round.remindBody, false), ok: [200, 'json'] },
  'GET /api/settings': { summary: 'Organisation settings', tag: 'settings', ok: [200, 'json'] },
  'PUT /api/settings': { summary: 'Change organisation settings', tag: 'settings', body: json(settings.settingsChanges), ok: [200, 'json'] },

  'POST /api/photos': {
    summary: 'Upload photos; a result or an error per file',
    tag: 'photos',
    query: photo.uploadQuery,
    body: { kind: 'multipart', schema: uploadForm },
    ok: [201, 'json'],
    errors: [422, 429, 503],
  },
  'GET /api/photos': { summary: 'Photos the caller can see', tag: 'photos', query: photo.photoListQuery, ok: [200, 'json'] },
  'GET /api/photos/:id': { summary: 'One photo with its tags', tag: 'photos', ok: [200, 'json'] },
  'PUT /api/photos/:id/tags': { summary: 'Replace the tags of a photo', tag: 'photos', body: json(photo.tagsBody), ok: [200, 'json'], errors: [422] },
  'PATCH /api/photos/:id': { summary: 'Mark a photo as portrait or as showing no people', tag: 'photos', body: json(photo.photoFlagsBody), ok: [200, 'json'] },
  'GET /api/photos/:id/image': { summary: 'The display image or thumbnail', tag: 'photos', query: photo.imageQuery, ok: [200, 'jpeg'] },
  'DELETE /api/photos/:id': { summary: 'Delete a photo', tag: 'photos', ok: [204, 'empty'], errors: [409] },

  'POST /api/photos/:id/gate': { summary: 'What the gate would decide (dry run)', tag: 'publications', body: json(publication.gateBody), ok: [200, 'json'], errors: [422] },
  'POST /api/publications': { summary: 'Publish, or ask for review', tag: 'publications', body: json(publication.publishBody), ok: [201, 'json'], errors: [409, 422] },
  'GET /api/publications': { summary: 'The publication log', tag: 'publications', query: publication.logQuery, ok: [200, 'json'] },
  'GET /api/publications.csv': { summary: 'The publication log as CSV', tag: 'publications', query: publication.logQuery, ok: [200, 'csv'] },
  'GET /api/publications/:id': { summary: 'The story of one publication', tag: 'publications', ok: [200, 'json'] },
  'GET /api/publications/:id/image': { summary: 'The published image', tag: 'publications', ok: [200, 'jpeg'] },
  'POST /api/publications/:id/review': { summary: 'Approve or reject a publication (four eyes)', tag: 'publications', body: json(publication.reviewBody), ok: [200, 'json'], errors: [409, 422] },
  'POST /api/publications/:id/unpublish': { summary: 'Take a publication down', tag: 'publications', ok: [200, 'json'], errors: [409] },
  'PATCH /api/publications/:id': { summary: 'Record where an external copy lives', tag: 'publications', body: json(publication.externalUrlBody), ok: [200, 'json'], errors: [409] },
  'POST /api/publications/:id/takedown-request': {
    summary: 'Ask for a publication to be taken down',
    tag: 'publications',
    body: json(publication.takedownRequestBody),
    ok: [200, 'json'],
    errors: [409],
  },
  'GET /api/people/:id/publications': { summary: 'Where a person has been published', tag: 'publications', ok: [200, 'json'] },
  'GET /api/takedowns': { summary: 'Takedown tasks', tag: 'publications', query: publication.takedownsQuery, ok: [200, 'json'] },
  'POST /api/takedowns/:id/done': { summary: 'Record a takedown as done', tag: 'publications', body: json(publication.takedownDoneBody), ok: [200, 'json'], errors: [409] },
  'GET /api/guidelines': { summary: 'The current publishing guidelines', tag: 'publications', query: publication.guidelinesQuery, ok: [200, 'json'] },
  'POST /api/guidelines': { summary: 'Publish new guidelines', tag: 'publications', body: json(publication.guidelinesBody), ok: [201, 'json'] },
  'POST /api/guidelines/acknowledge': { summary: 'Confirm having read the guidelines', tag: 'publications', body: json(publication.acknowledgeBody), ok: [204, 'empty'], errors: [409] },
  'GET /api/units/:id/guideline-acknowledgements': { summary: 'Who in a unit has read the guidelines', tag: 'publications', ok: [200, 'json'] },

  'GET /api/audit': { summary: 'Audit events', tag: 'admin', query: admin.auditQuery, ok: [200, 'json'] },
  'GET /api/audit/verify': { summary: 'Verify the audit chain', tag: 'admin', ok: [200, 'json'] },
  'GET /api/accounts': { summary: 'Accounts of the organisation', tag: 'admin', ok: [200, 'json'] },
  'POST /api/accounts': { summary: 'Create an account', tag: 'admin', body: json(admin.newAccount), ok: [201, 'json'], errors: [409] },
  'PATCH /api/accounts/:id': { summary: 'Activate or deactivate an account', tag: 'admin', body: json(admin.accountStatusBody), ok: [200, 'json'] },

  'GET /feed/_/feed.css': { summary: 'The stylesheet of hosted channels', tag: 'feed', access: 'public', ok: [200, 'css'] },
  'GET /feed/:slug': { summary: 'A hosted channel as an HTML page or JSON', tag: 'feed', access: 'optional', query: feed.feedQuery, ok: [200, 'html-or-json'] },
  'GET /feed/:slug/:file': {
    summary: 'A published photo of a hosted channel',
    tag: 'feed',
    access: 'optional',
    params: { file: z.string().regex(feed.FEED_FILE) },
    ok: [200, 'jpeg'],
  },
};

const ERRORS: Record<number, [name: string, description: string]> = {
  400: ['BadRequest', 'The input is not valid; `details` lists each problem by field.'],
  401: ['Unauthenticated', 'No valid session: sign in.'],
  403: ['Forbidden', 'The caller may not do this (or a cookie request came from another origin).'],
  404: ['NotFound', 'No such object, or none the caller may see.'],
  409: ['Conflict', 'The request conflicts with the current state.'],
  413: ['PayloadTooLarge', 'The request body is over the limit.'],
  415: ['UnsupportedMediaType', 'The body is not in a media type (or character set) this operation reads.'],
  422: ['Unprocessable', 'The input is valid but the rules refuse it; the code says why.'],
  429: ['TooManyRequests', 'Rate limited; Retry-After says when to try again.'],
  503: ['Unavailable', 'Busy or not ready; try again later.'],
};

const SUCCESS: Record<Success, Record<string, unknown> | null> = {
  json: { 'application/json': { schema: { type: 'object' } } },
  empty: null,
  csv: { 'text/csv': { schema: { type: 'string' } } },
  jpeg: { 'image/jpeg': { schema: { type: 'string', contentMediaType: 'image/jpeg' } } },
  'html-or-json': { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object' } } },
  css: { 'text/css': { schema: { type: 'string' } } },
  download: { 'application/json': { schema: { type: 'object' } } },
};

/** The input side of a zod schema as JSON Schema 2020-12 (what a client may send). */
export function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/api/people/:id` → `/api/people/{id}`. */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:(\w+)/g, '{$1}');

const pathParams = (expressPath: string): string[] => [...expressPath.matchAll(/:(\w+)/g)].map((m) => m[1]!);

function operationId(method: string, path: string): string {
  const words = path
    .replace(/^\/api\//, '/')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1));
  return method.toLowerCase() + words.join('');
}

function requestBody(ctx: AppContext, body: Body): Record<string, unknown> {
  switch (body.kind) {
    case 'json':
      return { required: body.required, content: { 'application/json': { schema: inputSchema(body.schema) } } };
    case 'multipart':
      return {
        required: true,
        content: {
          'multipart/form-data': {
            schema: inputSchema(body.schema(ctx)),
            encoding: { photos: { contentType: 'image/jpeg, image/png, image/webp, image/heic, image/heif, image/avif, application/octet-stream' } },
          },
        },
      };
    case 'csv': {
      const csv = { schema: { type: 'string', description: 'The roster as CSV, one person per row.' } };
      return { required: true, content: { 'text/csv': csv, 'application/csv': csv, 'text/plain': csv, 'application/json': { schema: inputSchema(body.json) } } };
    }
  }
}

function describe(ctx: AppContext, key: string, op: Operation): Record<string, unknown> {
  const [method, path] = key.split(' ') as [string, string];
  const access = op.access ?? 'signed-in';
  const parameters: Record<string, unknown>[] = pathParams(path).map((name) => ({
    name,
    in: 'path',
    required: true,
    schema: inputSchema(op.params?.[name] ?? pathParam),
  }));
  if (op.query) {
    const query = inputSchema(op.query) as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      const { description, ...rest } = schema;
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, ...(description !== undefined && { description }), schema: rest });
    }
  }

  const errors = new Set<number>(op.errors);
  if (op.query || op.body || op.params) errors.add(400);
  if (access !== 'public') errors.add(401);
  if (access === 'signed-in' && key !== 'GET /api/me' && key !== 'POST /api/auth/logout') errors.add(403);
  if (pathParams(path).length > 0) errors.add(404);
  if (op.body) {
    errors.add(413);
    errors.add(415);
  }

  const [status, what] = op.ok;
  const content = SUCCESS[what];
  const responses: Record<string, unknown> = { [status]: { description: op.summary, ...(content && { content }) } };
  for (const code of [...errors].sort((a, b) => a - b)) responses[code] = { $ref: `#/components/responses/${ERRORS[code]![0]}` };

  return {
    operationId: operationId(method, path),
    summary: op.summary,
    tags: [op.tag],
    ...(access === 'public' && { security: [] }),
    ...(access === 'optional' && { security: [{}, { bearer: [] }, { session: [] }] }),
    ...(parameters.length > 0 && { parameters }),
    ...(op.body && { requestBody: requestBody(ctx, op.body) }),
    responses,
  };
}

/** The operations, as [method, express path] pairs, for tests that compare them with routeTable(). */
export const documentedRoutes = (): [string, string][] => Object.keys(OPERATIONS).map((k) => k.split(' ') as [string, string]);

export function openApiDocument(ctx: AppContext): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [key, op] of Object.entries(OPERATIONS)) {
    const [method, path] = key.split(' ') as [string, string];
    (paths[openApiPath(path)] ??= {})[method.toLowerCase()] = describe(ctx, key, op);
  }
  const errorSchema = z.toJSONSchema(errorBody) as JsonSchema;
  delete errorSchema.$schema;
  return {
    openapi: '3.1.1',
    info: {
      title: 'Samtykke',
      version: '1.0.0',
      summary: 'Consent and photo-publication registry for kindergartens and schools',
      description: 'Every answer that refuses uses the Error schema. Sign in with POST /api/auth/login and send the token as a bearer token, or use the session cookie from the same origin.',
    },
    servers: [{ url: ctx.config.publicUrl }],
    security: [{ bearer: [] }, { session: [] }],
    tags: [...new Set(Object.values(OPERATIONS).map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE },
      },
      responses: Object.fromEntries(
        Object.values(ERRORS).map(([name, description]) => [name, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]),
      ),
    },
  };
}
