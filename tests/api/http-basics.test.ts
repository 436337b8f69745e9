import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { testEngines } from '../support/engines.js';
import { tokenFor } from '../support/http.js';

// Security headers and Cache-Control on every kind of response: tests/security/headers-limits.test.ts.
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
