import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, routeTable } from '../../server/app.js';
import { openApiPath } from '../../server/http/openapi.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';
import { photographicJpeg } from '../support/images.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema: object;
}
interface OperationObject {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: object }> };
  responses: Record<string, { $ref?: string; description?: string }>;
  security?: unknown[];
}
type Document = { openapi: string; paths: Record<string, Partial<Record<(typeof METHODS)[number], OperationObject>>> };

function operations(doc: Document): [string, OperationObject][] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => [`${m.toUpperCase()} ${path}`, item[m]!] as [string, OperationObject]),
  );
}

describe.each(testEngines())('the OpenAPI document [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let doc: Document;

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    const res = await request(app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    doc = res.body as Document;
  });
  afterAll(async () => {
    console.log(`[security] openapi: ${operations(doc).length} operations, one per route [${engine}]`);
    await t.close();
  });

  it('is served to anonymous callers and validates as OpenAPI 3.1', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const validator = new Validator();
    const result = await validator.validate(structuredClone(doc) as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has exactly one operation for each route the app answers', () => {
    const routes = routeTable(t.ctx).map((r) => `${r.method} ${openApiPath(r.path)}`);
    expect(new Set(routes).size, 'routeTable lists a route twice').toBe(routes.length);
    const documented = operations(doc).map(([key]) => key);
    expect([...documented].sort()).toEqual([...routes].sort());
  });

  it('describes every path parameter, and only those', () => {
    for (const [key, op] of operations(doc)) {
      const inPath = [...key.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? []).filter((p) => p.in === 'path');
      expect(declared.map((p) => p.name).sort(), key).toEqual(inPath.sort());
      for (const p of declared) expect(p.required, `${key} ${p.name}`).toBe(true);
    }
  });

  it('gives every operation a unique id, a success answer and the shared error schema for refusals', () => {
    const ids = operations(doc).map(([, op]) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [key, op] of operations(doc)) {
      const statuses = Object.keys(op.responses).map(Number);
      expect(statuses.filter((s) => s >= 200 && s < 300), key).toHaveLength(1);
      for (const s of statuses.filter((x) => x >= 400)) {
        expect(op.responses[s]!.$ref, `${key} ${s}`).toMatch(/^#\/components\/responses\//);
      }
      // Anything that reads input can refuse it; anything that needs a session says so.
      if (op.parameters?.some((p) => p.in === 'query') || op.requestBody) expect(statuses, key).toContain(400);
      if (op.security?.length !== 0) expect(statuses, key).toContain(401);
      if (op.requestBody) expect(statuses, key).toEqual(expect.arrayContaining([413, 415]));
    }
  });

  it('holds parameter and body schemas that compile as JSON Schema 2020-12', () => {
    const ajv = new Ajv2020({ strict: true, validateFormats: false, allErrors: true });
    let compiled = 0;
    for (const [key, op] of operations(doc)) {
      for (const p of op.parameters ?? []) {
        expect(() => ajv.compile(p.schema), `${key} ${p.name}`).not.toThrow();
        compiled += 1;
      }
      for (const [type, media] of Object.entries(op.requestBody?.content ?? {})) {
        expect(() => ajv.compile(media.schema), `${key} ${type}`).not.toThrow();
        compiled += 1;
      }
    }
    expect(compiled).toBeGreaterThan(100);
  });

  it('refuses what the document refuses, where the two once differed', async () => {
    // Found by the fuzzer: each of these was accepted (or a 500) before the fix.
    const admin = as(app, await tokenFor(app, 'admin@demo.no'));
    const unitId = ((await admin.get('/api/units')).body.units as { id: string }[])[0]!.id;

    // An empty body sent as JSON is no body, not {}: the document requires one.
    expect(doc.paths['/api/units/{id}']!.patch!.requestBody).toMatchObject({ required: true });
    const empty = await admin.patch(`/api/units/${unitId}`).set('Content-Type', 'application/json').send('');
    expect(empty.status).toBe(400);

    const emptyFile = await admin.post('/api/import/roster?dryRun=true').set('Content-Type', 'text/csv').send('');
    expect(emptyFile.status).toBe(400);

    // A Content-Encoding the upload parser cannot undo is refused, not stored as if absent.
    const staff = as(app, await tokenFor(app, 'ansatt@demo.no'));
    const unit = (await staff.get('/api/me')).body.user.unitId as string;
    const group = ((await staff.get(`/api/units/${unit}/groups`)).body.groups as { id: string }[])[0]!.id;
    const encoded = await staff
      .post(`/api/photos?groupId=${group}`)
      .set('Content-Encoding', 'gzip')
      .attach('photos', await photographicJpeg(96, 64, 1), { filename: 'a.jpg', contentType: 'image/jpeg' });
    expect(encoded.status).toBe(415);

    // Numbers in a query string are digits only, as documented: no exponent, sign or spaces.
    const limit = doc.paths['/api/audit']!.get!.parameters!.find((p) => p.name === 'limit')!;
    expect(limit.schema).toMatchObject({ type: 'string', pattern: '^\\d{1,10}$' });
    for (const bad of ['1e2', ' 5', '+5', '0x10', '5.0']) expect((await admin.get(`/api/audit?limit=${encodeURIComponent(bad)}`)).status, bad).toBe(400);
    expect((await admin.get('/api/audit?limit=5')).status).toBe(200);

    // A calendar date that does not exist is refused, not turned into an invalid time (a 500).
    for (const bad of ['2026-13-45', '2026-02-30']) {
      expect((await admin.get(`/api/audit?from=${bad}`)).status, bad).toBe(400);
      expect((await admin.get(`/api/publications?to=${bad}`)).status, bad).toBe(400);
    }

    // U+0000 in a path, query or body is refused (PostgreSQL text cannot hold it).
    expect((await admin.get('/api/people/a%00b')).status).toBe(400);
    expect((await admin.get('/api/people?q=a%00b')).status).toBe(400);
    expect((await admin.post(`/api/units/${unitId}/groups`).send({ name: 'a\u0000b' })).status).toBe(400);

    // An external copy must be a web address: no javascript: or data: URLs.
    const url = doc.paths['/api/publications/{id}']!.patch!.requestBody!.content['application/json']!.schema;
    expect(JSON.stringify(url)).toContain('https?');
    expect((await admin.patch('/api/publications/x').send({ externalUrl: 'javascript:alert(1)' })).status).toBe(400);
    // …but an address with æøå is one (kept as a browser sends it): past validation, to the lookup.
    expect((await admin.patch('/api/publications/x').send({ externalUrl: 'https://bø.kommune.no/årboka' })).status).toBe(404);
  });
});
