import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { testEngines } from '../support/engines.js';
import { tokenFor } from '../support/http.js';

/** The Content-Security-Policy header as directive → sources. */
function cspOf(res: request.Response): Map<string, string[]> {
  const header = res.headers['content-security-policy'] as string | undefined;
  expect(header, 'Content-Security-Policy header').toBeDefined();
  const directives = new Map<string, string[]>();
  for (const part of header!.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

function expectSecurityHeaders(res: request.Response, what: string): void {
  const csp = cspOf(res);
  expect(csp.get('object-src'), `${what}: object-src`).toEqual(["'none'"]);
  expect(csp.get('base-uri'), `${what}: base-uri`).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors'), `${what}: frame-ancestors`).toEqual(["'none'"]);
  const scriptSrc = csp.get('script-src') ?? csp.get('default-src');
  expect(scriptSrc, `${what}: script-src`).toBeDefined();
  expect(scriptSrc, `${what}: script-src`).not.toContain("'unsafe-inline'");
  expect(scriptSrc, `${what}: script-src`).not.toContain("'unsafe-eval'");
  expect(scriptSrc, `${what}: script-src`).not.toContain('*');
  expect(res.headers['x-content-type-options'], what).toBe('nosniff');
  expect(res.headers['referrer-policy'], what).toBe('no-referrer');
  expect(res.headers['x-frame-options'], what).toBe('DENY');
  expect(res.headers['x-powered-by'], what).toBeUndefined();
}

describe.each(testEngines())('HTTP basics [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let token: string;

  beforeAll(async () => {
    t = await createTestContext(engine);
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    token = await tokenFor(app, 'ansatt@demo.no');
  });
  afterAll(() => t.close());

  it('/healthz and /readyz answer 200', async () => {
    const health = await request(app).get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ status: 'ok' });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  it('every kind of response carries the security headers', async () => {
    const responses: [string, request.Response][] = [
      ['GET /healthz', await request(app).get('/healthz')],
      ['GET /readyz', await request(app).get('/readyz')],
      ['GET /api/me (200)', await request(app).get('/api/me').set('Authorization', `Bearer ${token}`)],
      ['GET /api/me anonymous (401)', await request(app).get('/api/me')],
      ['GET /api/no-such-thing (404)', await request(app).get('/api/no-such-thing')],
      ['POST /api/auth/login bad JSON (400)', await request(app).post('/api/auth/login').set('Content-Type', 'application/json').send('{"email":')],
      ['POST /api/auth/login wrong password (401)', await request(app).post('/api/auth/login').send({ email: 'ansatt@demo.no', password: 'wrong' })],
    ];
    for (const [what, res] of responses) expectSecurityHeaders(res, what);
  });

  it('every /api response, success or error, is marked Cache-Control: no-store', async () => {
    const responses: [string, request.Response][] = [
      ['200', await request(app).get('/api/me').set('Authorization', `Bearer ${token}`)],
      ['401', await request(app).get('/api/me')],
      ['404', await request(app).get('/api/no-such-thing')],
      ['400', await request(app).post('/api/auth/login').set('Content-Type', 'application/json').send('{')],
      ['sign-in', await request(app).post('/api/auth/login').send({ email: 'ansatt@demo.no', password: 'demo1234' })],
    ];
    for (const [what, res] of responses) expect(res.headers['cache-control'], what).toBe('no-store');
  });

  it('a body that is not JSON is a 400 INVALID_JSON with no internals in it', async () => {
    const res = await request(app).post('/api/auth/login').set('Content-Type', 'application/json').send('{"email": "ansatt@demo.no", password');
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ error: { code: 'INVALID_JSON', message: 'The request body is not valid JSON.' } });
    expect(res.text).not.toMatch(/SyntaxError|Unexpected|\bat \w|node_modules|\.ts:|\.js:|stack/i);
  });

  it('a body over the size limit is a 413 in the same error shape', async () => {
    const res = await request(app)
      .post('/api/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'ansatt@demo.no', password: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } });
  });

  it('an unknown /api path is a 404 JSON error, whatever the method', async () => {
    for (const [method, path] of [
      ['get', '/api/no-such-thing'],
      ['post', '/api/no-such-thing'],
      ['get', '/api/people/1/no-such-thing'],
      ['delete', '/api/me'],
    ] as const) {
      const res = await request(app)[method](path).set('Authorization', `Bearer ${token}`);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: 'There is no such API endpoint.' } });
    }
  });
});
