// Headers and limits (issue #6, part 5): every kind of response carries a strict CSP, nosniff,
// no referrer, HSTS in production only and no-store on anything personal; sign-in, e-mailed
// links and uploads are limited per account and per client address, with X-Forwarded-For
// ignored unless TRUST_PROXY says which proxies to believe.
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, WEB_DIST } from '../../server/app.js';
import { ConfigError, loadConfig, type Config, type RateLimits } from '../../server/config.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';
import { photographicJpeg } from '../support/images.js';
import { ROOT, upload } from '../support/photos.js';

/** The Content-Security-Policy header as directive → sources. */
function cspOf(res: request.Response, what: string): Map<string, string[]> {
  const header = res.headers['content-security-policy'] as string | undefined;
  expect(header, `${what}: Content-Security-Policy`).toBeDefined();
  const directives = new Map<string, string[]>();
  for (const part of header!.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

function expectStrictHeaders(res: request.Response, what: string, production: boolean): void {
  const csp = cspOf(res, what);
  expect(csp.get('object-src'), `${what}: object-src`).toEqual(["'none'"]);
  expect(csp.get('base-uri'), `${what}: base-uri`).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors'), `${what}: frame-ancestors`).toEqual(["'none'"]);
  expect(csp.get('default-src'), `${what}: default-src`).toBeDefined();
  const scriptSrc = csp.get('script-src') ?? csp.get('default-src')!;
  for (const source of scriptSrc) {
    // Only our own origin (or nothing): no inline script, no eval, no other hosts, no data: URLs.
    expect(["'self'", "'none'"], `${what}: script-src ${source}`).toContain(source);
  }
  for (const directive of ['default-src', 'script-src', 'style-src', 'connect-src', 'img-src']) {
    for (const source of csp.get(directive) ?? []) expect(source, `${what}: ${directive}`).not.toMatch(/^(\*|https?:|'unsafe-(inline|eval|hashes)')$/);
  }
  expect(res.headers['x-content-type-options'], `${what}: nosniff`).toBe('nosniff');
  expect(res.headers['referrer-policy'], `${what}: Referrer-Policy`).toBe('no-referrer');
  expect(res.headers['x-frame-options'], `${what}: X-Frame-Options`).toBe('DENY');
  expect(res.headers['x-powered-by'], `${what}: X-Powered-By`).toBeUndefined();
  const hsts = res.headers['strict-transport-security'] as string | undefined;
  if (production) {
    expect(hsts, `${what}: HSTS in production`).toMatch(/max-age=(\d+)/);
    expect(Number(/max-age=(\d+)/.exec(hsts!)![1]), `${what}: HSTS max-age of a year or more`).toBeGreaterThanOrEqual(31_536_000);
    expect(hsts, `${what}: HSTS`).toMatch(/includeSubDomains/);
  } else {
    expect(hsts, `${what}: no HSTS outside production`).toBeUndefined();
  }
}

/** supertest parser that keeps the body as bytes whatever the content type. */
function binary(res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}
const bytes = binary as unknown as Parameters<ReturnType<typeof request.agent>['parse']>[0];

/** Every <script> of an HTML page loads a file of our own: none carries code inline, no element has an on… handler. */
function expectNoInlineScript(html: string, what: string): void {
  const scripts = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/gi) ?? [];
  for (const s of scripts) {
    expect(s, `${what}: a script from a file`).toMatch(/\bsrc="\/[^"]+"/);
    expect(s.replace(/^<script\b[^>]*>/i, '').replace(/<\/script>$/i, '').trim(), `${what}: no inline code`).toBe('');
  }
  expect(html, `${what}: no inline event handlers`).not.toMatch(/<[^>]+\son[a-z]+\s*=/i);
  expect(html, `${what}: no javascript: URLs`).not.toMatch(/javascript:/i);
}

/** A copy of the web app's own index.html with one asset, standing in for the built app. */
function standInWebDist(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'samtykke-web-'));
  copyFileSync(path.join(ROOT, 'web/index.html'), path.join(dir, 'index.html'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'assets/app-0123abcd.js'), 'export {};\n');
  return dir;
}

const TEXTS = { caption: 'Høstløv i sandkassa.', altText: 'Gule og røde blader i en sandkasse.' };

describe.each(testEngines())('security headers [%s]', (engine) => {
  let t: TestContext;
  let app: Express;
  let webDist: string;
  let staffToken: string;
  let photoId: string;
  let publicationId: string;

  beforeAll(async () => {
    t = await createTestContext(engine);
    webDist = standInWebDist();
    app = createApp(t.ctx, { requestLog: false, webDist });
    const dir = await demoDirectory(app);
    const groupId = (await dir.groups('Solsikken barnehage')).find((g) => g.name === 'Blåklokka')!.id;
    staffToken = await tokenFor(app, 'ansatt@demo.no');
    const staff = as(app, staffToken);
    // A photo of no people, published on the unit's public web page after the leader's review.
    const uploaded = await upload(staff, groupId, [{ name: 'løv.jpg', bytes: await photographicJpeg(800, 600, 17) }]);
    expect(uploaded.status).toBe(201);
    photoId = uploaded.photos[0]!.id;
    expect((await staff.patch(`/api/photos/${photoId}`).send({ noPeople: true })).status).toBe(200);
    const channels = (await dir.admin.get('/api/channels')).body.channels as { id: string; slug: string }[];
    const website = channels.find((c) => c.slug === 'solsikken-nettside')!;
    const published = await staff.post('/api/publications').send({ photoId, channelId: website.id, ...TEXTS });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    publicationId = published.body.publication.id;
    const leader = as(app, await tokenFor(app, 'leder@demo.no'));
    const reviewed = await leader.post(`/api/publications/${publicationId}/review`).send({ approve: true, harmAssessment: true });
    expect(reviewed.status, JSON.stringify(reviewed.body)).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    if (webDist) rmSync(webDist, { recursive: true, force: true });
  });

  /** One of every kind of response the server gives, with whether it is personal. */
  async function everyKind(a: Express, token: string | null): Promise<[string, request.Response, 'personal' | 'not personal'][]> {
    const bearer = (r: request.Test) => (token ? r.set('Authorization', `Bearer ${token}`) : r);
    const out: [string, request.Response, 'personal' | 'not personal'][] = [
      ['GET /healthz', await request(a).get('/healthz'), 'not personal'],
      ['GET /readyz', await request(a).get('/readyz'), 'not personal'],
      ['API JSON: GET /api/me', await bearer(request(a).get('/api/me')), 'personal'],
      ['API JSON: GET /api/photos', await bearer(request(a).get('/api/photos')), 'personal'],
      ['API error 401: GET /api/me anonymous', await request(a).get('/api/me'), 'personal'],
      ['API error 400: bad JSON', await request(a).post('/api/auth/login').set('Content-Type', 'application/json').send('{"email":'), 'personal'],
      ['API error 413: body too large', await request(a).post('/api/auth/login').set('Content-Type', 'application/json').send(JSON.stringify({ email: 'x@demo.no', password: 'x'.repeat(1_100_000) })), 'personal'],
      ['API error 401: wrong password', await request(a).post('/api/auth/login').send({ email: 'nobody@demo.no', password: 'wrong' }), 'personal'],
      ['API error 403: foreign Origin', await request(a).post('/api/auth/logout').set('Cookie', `samtykke_session=${token}`).set('Origin', 'https://evil.example'), 'personal'],
      ['API error 404: no such endpoint', await request(a).get('/api/no-such-thing'), 'personal'],
      ['API error 404: no such photo', await bearer(request(a).get('/api/photos/00000000-0000-4000-8000-000000000000')), 'personal'],
      ['GET /api/photos/:id/image', await bearer(request(a).get(`/api/photos/${photoId}/image`)).buffer(true).parse(bytes), 'personal'],
      ['GET /api/photos/:id/image?size=thumb', await bearer(request(a).get(`/api/photos/${photoId}/image?size=thumb`)).buffer(true).parse(bytes), 'personal'],
      ['/feed HTML', await request(a).get('/feed/solsikken-nettside').set('Accept', 'text/html'), 'personal'],
      ['/feed JSON', await request(a).get('/feed/solsikken-nettside?format=json'), 'personal'],
      ['/feed image', await request(a).get(`/feed/solsikken-nettside/${publicationId}.jpg`).buffer(true).parse(bytes), 'personal'],
      ['/feed image 404', await request(a).get('/feed/solsikken-nettside/00000000-0000-4000-8000-000000000000.jpg'), 'personal'],
      ['/feed HTML 404', await request(a).get('/feed/no-such-channel').set('Accept', 'text/html'), 'personal'],
      ['/feed closed channel, anonymous', await request(a).get('/feed/solsikken-galleri').set('Accept', 'text/html'), 'personal'],
      ['/feed stylesheet', await request(a).get('/feed/_/feed.css'), 'not personal'],
      ['404 outside /api and /feed', await request(a).post('/no-such-thing'), 'not personal'],
    ];
    return out;
  }

  it('every kind of response has the strict CSP, nosniff, no referrer and no HSTS outside production; everything personal is no-store', async () => {
    const responses = await everyKind(app, staffToken);
    const statuses = Object.fromEntries(responses.map(([what, res]) => [what, res.status]));
    // The requests reached what they were meant to: a test of headers on the wrong answers proves little.
    expect(statuses).toMatchObject({
      'API JSON: GET /api/me': 200,
      'API error 401: GET /api/me anonymous': 401,
      'API error 400: bad JSON': 400,
      'API error 413: body too large': 413,
      'API error 403: foreign Origin': 403,
      'API error 404: no such endpoint': 404,
      'GET /api/photos/:id/image': 200,
      '/feed HTML': 200,
      '/feed JSON': 200,
      '/feed image': 200,
      '/feed image 404': 404,
      '/feed HTML 404': 404,
      '/feed closed channel, anonymous': 401,
      '404 outside /api and /feed': 404,
    });
    for (const [what, res, personal] of responses) {
      expectStrictHeaders(res, what, false);
      if (personal === 'personal') expect(res.headers['cache-control'], `${what}: Cache-Control`).toMatch(/(^|,\s*)no-store(,|$)/);
    }
  });

  it('the feed page is served without any inline script, handler or style, and its images as JPEG only', async () => {
    const html = await request(app).get('/feed/solsikken-nettside').set('Accept', 'text/html');
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain(`/feed/solsikken-nettside/${publicationId}.jpg`);
    expect(html.text).not.toMatch(/<script/i);
    expect(html.text).not.toMatch(/\sstyle\s*=/i);
    expect(html.text).not.toMatch(/<style/i);
    expectNoInlineScript(html.text, '/feed HTML');
    const image = await request(app).get(`/feed/solsikken-nettside/${publicationId}.jpg`).buffer(true).parse(bytes);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect((image.body as Buffer).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('the single-page app: its HTML, deep links and assets carry the strict headers, and its HTML has no inline script', async () => {
    const dists: [string, string][] = [['stand-in from web/index.html', webDist]];
    // The real build as well, when this checkout has one (CI builds it for the browser tests).
    if (existsSync(path.join(WEB_DIST, 'index.html'))) dists.push(['web/dist', WEB_DIST]);
    for (const [label, dist] of dists) {
      const a = createApp(t.ctx, { requestLog: false, webDist: dist });
      for (const url of ['/', '/bilder', '/logg-inn/lenke/abc']) {
        const res = await request(a).get(url);
        expect(res.status, `${label} ${url}`).toBe(200);
        expect(res.headers['content-type'], `${label} ${url}`).toMatch(/^text\/html/);
        expectStrictHeaders(res, `${label} ${url}`, false);
        expectNoInlineScript(res.text, `${label} ${url}`);
      }
      const index = readFileSync(path.join(dist, 'index.html'), 'utf8');
      const asset = /(?:src|href)="(\/assets\/[^"]+)"/.exec(index)?.[1] ?? '/assets/app-0123abcd.js';
      const res = await request(a).get(asset);
      expect(res.status, `${label} ${asset}`).toBe(200);
      expectStrictHeaders(res, `${label} ${asset}`, false);
    }
  });
});

describe.each(testEngines())('HSTS in production only [%s]', (engine) => {
  let prod: TestContext;
  let dev: TestContext;
  beforeAll(async () => {
    // Production forbids demo mode, so this one has no demo data (and needs none).
    prod = await createTestContext(engine, { demo: false, env: { NODE_ENV: 'production' } });
    dev = await createTestContext(engine, { demo: false, env: { NODE_ENV: 'development' } });
  });
  afterAll(async () => {
    await prod?.close();
    await dev?.close();
  });

  it('production answers every kind of response with HSTS; development and test never do', async () => {
    for (const [t, production] of [
      [prod, true],
      [dev, false],
    ] as const) {
      expect(t.ctx.config.env).toBe(production ? 'production' : 'development');
      const app = createApp(t.ctx, { requestLog: false, webDist: null });
      for (const [what, req] of [
        ['GET /healthz', request(app).get('/healthz')],
        ['GET /api/me anonymous', request(app).get('/api/me')],
        ['POST /api/auth/login', request(app).post('/api/auth/login').send({ email: 'nobody@demo.no', password: 'x' })],
        ['GET /api/no-such-thing', request(app).get('/api/no-such-thing')],
        ['GET /feed/no-such-channel', request(app).get('/feed/no-such-channel')],
        ['GET /feed/_/feed.css', request(app).get('/feed/_/feed.css')],
        ['GET /elsewhere', request(app).get('/elsewhere')],
      ] as const) {
        expectStrictHeaders(await req, `${t.ctx.config.env}: ${what}`, production);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Rate limits

const RATE_SETTINGS: [string, (r: RateLimits) => number, number][] = [
  ['SIGN_IN_LIMIT_PER_ACCOUNT', (r) => r.signIn.perAccount, 10],
  ['SIGN_IN_LIMIT_PER_ADDRESS', (r) => r.signIn.perAddress, 50],
  ['MAGIC_LINK_LIMIT_PER_ACCOUNT', (r) => r.magicLink.perAccount, 5],
  ['MAGIC_LINK_LIMIT_PER_ADDRESS', (r) => r.magicLink.perAddress, 30],
  ['UPLOAD_LIMIT_PER_ACCOUNT', (r) => r.upload.perAccount, 600],
  ['UPLOAD_LIMIT_PER_ADDRESS', (r) => r.upload.perAddress, 2400],
];

const baseEnv = { SESSION_SECRET: 'a'.repeat(8) + 'bcdefghijklmnopqrstuvwxyz012345', DATA_DIR: tmpdir(), DEMO: 'off' };

describe('rate-limit and proxy settings', () => {
  it('every limit is a setting with a sensible default, documented in .env.example with that default', () => {
    const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
    const defaults = loadConfig(baseEnv).rateLimits;
    for (const [name, read, value] of RATE_SETTINGS) {
      expect(read(defaults), name).toBe(value);
      expect(example, `.env.example documents ${name}`).toMatch(new RegExp(`^${name}=${value}$`, 'm'));
      expect(read(loadConfig({ ...baseEnv, [name]: '7' }).rateLimits), `${name}=7`).toBe(7);
      expect(() => loadConfig({ ...baseEnv, [name]: '0' }), `${name}=0`).toThrow(ConfigError);
    }
    expect(example).toMatch(/^TRUST_PROXY=false$/m);
    expect(example).toMatch(/^UPLOAD_GRACE_SECONDS=20$/m);
    expect(example).toMatch(/^UPLOAD_MIN_BYTES_PER_SECOND=10000$/m);
    expect(loadConfig(baseEnv)).toMatchObject({ uploadGraceSeconds: 20, uploadMinBytesPerSecond: 10_000 });
  });

  it('TRUST_PROXY is explicit: off by default, a hop count becomes a number, addresses are checked, and trusting everyone is refused', () => {
    const trust = (value: string | undefined) => loadConfig({ ...baseEnv, ...(value !== undefined && { TRUST_PROXY: value }) }).trustProxy;
    expect(trust(undefined)).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('off')).toBe(false);
    // Express reads a string as addresses: "1" must become the number of hops, or it would trust the address 0.0.0.1.
    expect(trust('1')).toBe(1);
    expect(trust('2')).toBe(2);
    expect(trust('loopback')).toBe('loopback');
    expect(trust('loopback, 10.0.0.0/8 ,fd00::/8')).toBe('loopback, 10.0.0.0/8, fd00::/8');
    expect(trust('192.0.2.10')).toBe('192.0.2.10');
    for (const bad of ['true', 'TRUE', '*', 'banana', '10.0.0.0/33', '10.0.0.0/8/1', 'loopback,', '1.2.3']) {
      expect(() => trust(bad), `TRUST_PROXY=${bad}`).toThrow(ConfigError);
    }
    expect(() => trust('true')).toThrow(/X-Forwarded-For/);
  });
});

describe.each(testEngines())('rate limits [%s]', (engine) => {
  let t: TestContext;
  let groupId: string;
  let jpeg: Buffer;
  let staffToken: string;
  let leaderToken: string;

  beforeAll(async () => {
    t = await createTestContext(engine);
    const app = createApp(t.ctx, { requestLog: false, webDist: null });
    groupId = (await (await demoDirectory(app)).groups('Solsikken barnehage')).find((g) => g.name === 'Blåklokka')!.id;
    staffToken = await tokenFor(app, 'ansatt@demo.no');
    leaderToken = await tokenFor(app, 'leder@demo.no');
    jpeg = await photographicJpeg(64, 48, 3);
  });
  afterAll(() => t?.close());

  /**
   * A fresh app (its own counters) on the same database, with these limits and this proxy
   * setting; every limit not named is far out of reach.
   */
  function appWith(o: { trustProxy?: Config['trustProxy']; limits?: { [K in keyof RateLimits]?: Partial<RateLimits[K]> } }): Express {
    const far = { perAccount: 1000, perAddress: 1000 };
    const rateLimits: RateLimits = {
      signIn: { ...far, ...o.limits?.signIn },
      magicLink: { ...far, ...o.limits?.magicLink },
      upload: { ...far, ...o.limits?.upload },
    };
    return createApp({ ...t.ctx, config: { ...t.ctx.config, trustProxy: o.trustProxy ?? false, rateLimits } }, { requestLog: false, webDist: null });
  }

  const from = (r: request.Test, address: string | null) => (address ? r.set('X-Forwarded-For', address) : r);
  const failedSignIn = (a: Express, email: string, address: string | null = null) => from(request(a).post('/api/auth/login'), address).send({ email, password: 'not the password' });
  const signIn = (a: Express, email: string, address: string | null = null) => from(request(a).post('/api/auth/login'), address).send({ email, password: 'demo1234' });
  const askLink = (a: Express, email: string, address: string | null = null) => from(request(a).post('/api/auth/magic-link'), address).send({ email });
  const uploadAs = (a: Express, token: string, address: string | null = null) =>
    from(request(a).post(`/api/photos?groupId=${groupId}`).set('Authorization', `Bearer ${token}`), address).attach('photos', jpeg, 'a.jpg');

  /** A 429 in the API's error shape, with Retry-After within the window and the strict headers. */
  function expectLimited(res: request.Response, what: string, windowSeconds: number): void {
    expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(429);
    expect(res.body, what).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    const retryAfter = Number(res.headers['retry-after']);
    expect(Number.isInteger(retryAfter) && retryAfter > 0, `${what}: Retry-After ${res.headers['retry-after']}`).toBe(true);
    expect(retryAfter, `${what}: Retry-After`).toBeLessThanOrEqual(windowSeconds);
    expect(res.headers['ratelimit-policy'], `${what}: RateLimit-Policy`).toBeDefined();
    expect(res.headers['cache-control'], what).toBe('no-store');
    expectStrictHeaders(res, what, false);
  }

  it('with the default limits, the 11th wrong password for one account within 15 minutes is a 429, even with the right password, whatever the casing', async () => {
    const a = createApp(t.ctx, { requestLog: false, webDist: null });
    for (let i = 1; i <= 10; i++) expect((await failedSignIn(a, 'leder@demo.no')).status, `attempt ${i}`).toBe(401);
    expectLimited(await failedSignIn(a, 'leder@demo.no'), '11th wrong password', 15 * 60);
    expectLimited(await signIn(a, ' LEDER@demo.no '), 'the right password after the lock', 15 * 60);
    // Another account from the same address is not affected.
    expect((await signIn(a, 'ansatt@demo.no')).status).toBe(200);
  });

  it('sign-in is limited per account across addresses, and per address across accounts', async () => {
    const perAccount = appWith({ trustProxy: 'loopback', limits: { signIn: { perAccount: 3 } } });
    for (const [i, address] of ['198.51.100.1', '198.51.100.2', '198.51.100.3'].entries()) {
      expect((await failedSignIn(perAccount, 'leder@demo.no', address)).status, `attempt ${i + 1}`).toBe(401);
    }
    expectLimited(await signIn(perAccount, 'leder@demo.no', '198.51.100.4'), 'per account, from a fourth address', 15 * 60);
    expect((await signIn(perAccount, 'ansatt@demo.no', '198.51.100.1')).status).toBe(200);

    const perAddress = appWith({ trustProxy: 'loopback', limits: { signIn: { perAddress: 3 } } });
    for (const email of ['leder@demo.no', 'ansatt@demo.no', 'nobody@demo.no']) expect((await failedSignIn(perAddress, email, '203.0.113.7')).status).toBe(401);
    expectLimited(await signIn(perAddress, 'admin@demo.no', '203.0.113.7'), 'per address, a fourth account', 15 * 60);
    expect((await signIn(perAddress, 'admin@demo.no', '203.0.113.8')).status, 'another address').toBe(200);
    // Successful sign-ins do not count: a school behind one address signs in all day.
    const busy = appWith({ trustProxy: 'loopback', limits: { signIn: { perAddress: 3, perAccount: 3 } } });
    for (let i = 0; i < 5; i++) expect((await signIn(busy, 'ansatt@demo.no', '203.0.113.9')).status).toBe(200);
  });

  it('e-mailed sign-in links are limited per account and per address, and made-up links per address', async () => {
    const perAccount = appWith({ trustProxy: 'loopback', limits: { magicLink: { perAccount: 2 } } });
    expect((await askLink(perAccount, 'forelder@demo.no', '198.51.100.1')).status).toBe(202);
    expect((await askLink(perAccount, 'Forelder@demo.no', '198.51.100.2')).status).toBe(202);
    const mails = t.mailer.sent.length;
    expectLimited(await askLink(perAccount, 'forelder@demo.no', '198.51.100.3'), 'a third link for one account', 60 * 60);
    expect(t.mailer.sent.length, 'no e-mail for the refused request').toBe(mails);
    expect((await askLink(perAccount, 'elev@demo.no', '198.51.100.3')).status).toBe(202);

    const perAddress = appWith({ trustProxy: 'loopback', limits: { magicLink: { perAddress: 2 } } });
    expect((await askLink(perAddress, 'forelder@demo.no', '203.0.113.7')).status).toBe(202);
    expect((await askLink(perAddress, 'nobody@demo.no', '203.0.113.7')).status).toBe(202);
    expectLimited(await askLink(perAddress, 'elev@demo.no', '203.0.113.7'), 'a third link from one address', 60 * 60);
    expect((await askLink(perAddress, 'elev@demo.no', '203.0.113.8')).status).toBe(202);

    const guessing = appWith({ trustProxy: 'loopback', limits: { signIn: { perAddress: 3 } } });
    for (let i = 0; i < 3; i++) expect((await from(request(guessing).get(`/api/auth/magic/${'x'.repeat(43)}${i}`), '203.0.113.7')).status).toBe(401);
    expectLimited(await from(request(guessing).get(`/api/auth/magic/${'y'.repeat(43)}`), '203.0.113.7'), 'a fourth made-up link', 15 * 60);
  });

  it('uploads are limited per account and per address', async () => {
    const perAccount = appWith({ trustProxy: 'loopback', limits: { upload: { perAccount: 2 } } });
    expect((await uploadAs(perAccount, staffToken, '198.51.100.1')).status).toBe(201);
    expect((await uploadAs(perAccount, staffToken, '198.51.100.2')).status).toBe(201);
    expectLimited(await uploadAs(perAccount, staffToken, '198.51.100.3'), 'a third upload by one account', 15 * 60);
    expect((await uploadAs(perAccount, leaderToken, '198.51.100.3')).status, 'another account').toBe(201);

    const perAddress = appWith({ trustProxy: 'loopback', limits: { upload: { perAddress: 2 } } });
    expect((await uploadAs(perAddress, staffToken, '203.0.113.7')).status).toBe(201);
    expect((await uploadAs(perAddress, leaderToken, '203.0.113.7')).status).toBe(201);
    expectLimited(await uploadAs(perAddress, staffToken, '203.0.113.7'), 'a third upload from one address', 15 * 60);
    expect((await uploadAs(perAddress, staffToken, '203.0.113.8')).status, 'another address').toBe(201);
  });

  it('X-Forwarded-For is ignored while TRUST_PROXY is off: a client cannot pick a fresh address per attempt', async () => {
    const a = appWith({ trustProxy: false, limits: { signIn: { perAddress: 3 } } });
    for (const [i, address] of ['198.51.100.1', '198.51.100.2', '198.51.100.3'].entries()) {
      expect((await failedSignIn(a, `nobody${i}@demo.no`, address)).status).toBe(401);
    }
    expectLimited(await signIn(a, 'ansatt@demo.no', '198.51.100.4'), 'a "new" address that is only a header', 15 * 60);
  });

  it('X-Forwarded-For is honoured when TRUST_PROXY names the proxy, and with a hop count only as far as the trusted hops reach', async () => {
    const named = appWith({ trustProxy: 'loopback', limits: { signIn: { perAddress: 3 } } });
    for (let i = 0; i < 6; i++) expect((await failedSignIn(named, `nobody${i}@demo.no`, `198.51.100.${i + 1}`)).status, `client ${i + 1}`).toBe(401);

    // TRUST_PROXY=1 as the setting reads it: one proxy, which appends the address it saw.
    const hops = loadConfig({ ...baseEnv, TRUST_PROXY: '1' }).trustProxy;
    const oneHop = appWith({ trustProxy: hops, limits: { signIn: { perAddress: 3 } } });
    for (let i = 0; i < 3; i++) {
      // The client made up the first address; the proxy added the real one.
      expect((await failedSignIn(oneHop, `nobody${i}@demo.no`, `10.9.9.${i}, 192.0.2.50`)).status).toBe(401);
    }
    expectLimited(await signIn(oneHop, 'ansatt@demo.no', '10.9.9.99, 192.0.2.50'), 'a made-up address before the real one', 15 * 60);
    expect((await signIn(oneHop, 'ansatt@demo.no', '10.9.9.1, 192.0.2.51')).status, 'another real client').toBe(200);

    // A trusted list that does not include the socket's address (loopback) ignores the header.
    const elsewhere = appWith({ trustProxy: '10.0.0.0/8', limits: { signIn: { perAddress: 3 } } });
    for (let i = 0; i < 3; i++) expect((await failedSignIn(elsewhere, `nobody${i}@demo.no`, `198.51.100.${i + 1}`)).status).toBe(401);
    expectLimited(await signIn(elsewhere, 'ansatt@demo.no', '198.51.100.9'), 'a header from an untrusted peer', 15 * 60);
  });
});
