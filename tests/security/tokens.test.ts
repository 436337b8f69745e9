// Tokens and sessions (issue #6, part 2): every way to present a session that is not a live
// session we issued is a 401 and nothing else, and a cookie alone never changes state unless
// the request comes from our own origin.
import { createHmac, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, UnsecuredJWT, base64url, decodeJwt, type JWTPayload } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/adapters/clock.js';
import { createApp } from '../../server/app.js';
import { createSignInLink } from '../../server/modules/auth/auth.service.js';
import { AUDIENCE, ISSUER, tokenKeys, type TokenKeys } from '../../server/modules/auth/token.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';
import { photographicJpeg } from '../support/images.js';
import { photoRowCount, upload } from '../support/photos.js';

const COOKIE = 'samtykke_session';
const MINUTE = 60_000;

/** HS256 by hand, so that any header and any key at all can be signed. */
function handSign(header: object, payload: object, key: Uint8Array | Buffer | string): string {
  const input = `${base64url.encode(JSON.stringify(header))}.${base64url.encode(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', key).update(input).digest('base64url')}`;
}

const setCookies = (res: request.Response): string[] => {
  const h = res.headers['set-cookie'] as unknown;
  return Array.isArray(h) ? (h as string[]) : typeof h === 'string' ? [h] : [];
};

/** What is presented: a session token (or none) to the API, a whole Authorization header, or a one-time sign-in link. */
type Presented = { session: string | null } | { authorization: string } | { link: string };

interface TokenCase {
  name: string;
  make: () => Promise<Presented>;
}

describe.each(testEngines())('tokens and sessions [%s]', (engine) => {
  let t: TestContext;
  let clock: ManualClock;
  let app: ReturnType<typeof createApp>;
  let keys: TokenKeys;
  /** The leader's real token, and its claims. */
  let real: string;
  let claims: JWTPayload;
  let adminAccountId: string;
  let unitId: string;
  const refusedBodies: { name: string; kind: 'session' | 'header' | 'link'; body: unknown }[] = [];
  let tokenCaseCount = 0;

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    t = await createTestContext(engine, { clock });
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    keys = tokenKeys(t.ctx.config.sessionSecret);
    real = await tokenFor(app, 'leder@demo.no');
    claims = decodeJwt(real);
    const adminMe = await request(app).get('/api/me').set('Authorization', `Bearer ${await tokenFor(app, 'admin@demo.no')}`);
    adminAccountId = adminMe.body.user.id;
    unitId = (await request(app).get('/api/me').set('Authorization', `Bearer ${real}`)).body.user.unitId;
  });
  afterAll(async () => {
    console.log(`[security] tokens: ${tokenCaseCount} token cases refused with 401 and nothing else [${engine}]`);
    await t?.close();
  });

  const now = () => Math.floor(clock.now().getTime() / 1000);
  const good = (): Record<string, unknown> => ({ sub: claims.sub, sid: claims.sid, iss: ISSUER, aud: AUDIENCE, iat: now(), exp: now() + 3600 });
  const header = (): Record<string, unknown> => ({ alg: 'HS256', typ: 'JWT', kid: keys.kid });
  const sign = (payload: object, h: object = header(), key: Uint8Array | Buffer | string = keys.key) => handSign(h, payload, key);
  const session = (token: string | null): Presented => ({ session: token });
  const unsigned = (h: object, payload: object) => `${base64url.encode(JSON.stringify(h))}.${base64url.encode(JSON.stringify(payload))}.`;

  /** Asks for a sign-in link by e-mail, as a guardian does, and returns its token. */
  async function emailedLink(email: string): Promise<string> {
    const before = t.mailer.sent.length;
    const res = await request(app).post('/api/auth/magic-link').send({ email });
    expect(res.status).toBe(202);
    const mail = t.mailer.sent.slice(before).find((m) => m.to === email);
    expect(mail, `a sign-in e-mail to ${email}`).toBeDefined();
    return /\/logg-inn\/lenke\/([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
  }

  /** A staff account of the leader's unit that the admin creates, signs in once, then deactivates. */
  async function deactivatedAccount(before: (email: string, accountId: string) => Promise<string>): Promise<string> {
    const admin = as(app, await tokenFor(app, 'admin@demo.no'));
    const email = `vikar.${randomBytes(4).toString('hex')}@example.no`;
    const created = await admin.post('/api/accounts').send({ email, role: 'staff', unitId, password: 'vikarpassord1' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const presented = await before(email, created.body.account.id);
    const off = await admin.patch(`/api/accounts/${created.body.account.id}`).send({ active: false });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    return presented;
  }

  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string;

  const cases: TokenCase[] = [
    { name: 'no token at all', make: async () => session(null) },
    { name: 'alg none (jose UnsecuredJWT)', make: async () => session(new UnsecuredJWT(good()).encode()) },
    { name: 'alg none under our kid, signature dropped', make: async () => session(unsigned({ alg: 'none', typ: 'JWT', kid: keys.kid }, good())) },
    { name: 'alg NONE in capitals, signature dropped', make: async () => session(unsigned({ alg: 'NONE', typ: 'JWT', kid: keys.kid }, good())) },
    {
      // The classic RS/HS confusion: a verifier that takes the algorithm from the token would
      // check this HMAC with the public key it holds for RS256, and accept it.
      name: 'HS256 signed with an RSA public key (PEM) as the HMAC secret',
      make: async () => session(sign(good(), header(), rsaPublicPem)),
    },
    {
      name: 'RS256 signed with an RSA private key under our kid',
      make: async () => session(await new SignJWT(good()).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: keys.kid }).sign(rsa.privateKey)),
    },
    { name: 'HS512 with the real key', make: async () => session(await new SignJWT(good()).setProtectedHeader({ alg: 'HS512', typ: 'JWT', kid: keys.kid }).sign(keys.key)) },
    { name: 'HS256 with another key under our kid', make: async () => session(sign(good(), header(), randomBytes(32))) },
    {
      name: 'a changed signature',
      make: async () => {
        const [h, p, s] = real.split('.') as [string, string, string];
        return session(`${h}.${p}.${s.slice(0, 10)}${s[10] === 'A' ? 'B' : 'A'}${s.slice(11)}`);
      },
    },
    { name: 'an unknown kid', make: async () => session(sign(good(), { ...header(), kid: 'not-our-key-id' })) },
    { name: 'no kid', make: async () => session(sign(good(), { alg: 'HS256', typ: 'JWT' })) },
    { name: 'no exp', make: async () => session(sign({ ...good(), exp: undefined })) },
    { name: 'an exp in the past', make: async () => session(sign({ ...good(), iat: now() - 7200, exp: now() - 60 })) },
    { name: 'an nbf in the future', make: async () => session(sign({ ...good(), nbf: now() + 600 })) },
    { name: 'no iat', make: async () => session(sign({ ...good(), iat: undefined })) },
    { name: 'a wrong iss', make: async () => session(sign({ ...good(), iss: 'someone-else' })) },
    { name: 'no iss', make: async () => session(sign({ ...good(), iss: undefined })) },
    { name: 'a wrong aud', make: async () => session(sign({ ...good(), aud: 'another-api' })) },
    { name: 'a wrong typ', make: async () => session(sign(good(), { ...header(), typ: 'at+jwt' })) },
    {
      name: 'a changed payload: sub switched to the admin account under the old signature',
      make: async () => {
        const [h, p, s] = real.split('.') as [string, string, string];
        const payload = { ...(JSON.parse(Buffer.from(p, 'base64url').toString()) as object), sub: adminAccountId };
        return session(`${h}.${base64url.encode(JSON.stringify(payload))}.${s}`);
      },
    },
    { name: 'a correctly signed sub of another account on this session', make: async () => session(sign({ ...good(), sub: adminAccountId })) },
    { name: 'a correctly signed sid of no session', make: async () => session(sign({ ...good(), sid: randomUUID() })) },
    { name: 'no sid', make: async () => session(sign({ ...good(), sid: undefined })) },
    { name: 'a jku header', make: async () => session(sign(good(), { ...header(), jku: 'https://evil.example/jwks.json' })) },
    { name: 'an x5u header', make: async () => session(sign(good(), { ...header(), x5u: 'https://evil.example/cert.pem' })) },
    {
      name: 'a jwk header carrying the key the token is signed with',
      make: async () => {
        const own = randomBytes(32);
        return session(sign(good(), { ...header(), jwk: { kty: 'oct', k: base64url.encode(own) } }, own));
      },
    },
    { name: 'an x5c header', make: async () => session(sign(good(), { ...header(), x5c: [base64url.encode(randomBytes(64))] })) },
    { name: 'a crit header', make: async () => session(sign(good(), { ...header(), crit: ['exp'] })) },
    { name: 'five parts, as an encrypted token', make: async () => session(`${real}.${base64url.encode(randomBytes(16))}.${base64url.encode(randomBytes(16))}`) },
    { name: 'garbage', make: async () => session('not.a.token') },
    { name: 'Basic credentials instead of a bearer token', make: async () => ({ authorization: `Basic ${Buffer.from('admin@demo.no:demo1234').toString('base64')}` }) },
    { name: 'a real bearer token with something after it', make: async () => ({ authorization: `Bearer ${real} extra` }) },
    { name: 'Bearer with no token', make: async () => ({ authorization: 'Bearer' }) },
    {
      name: 'the token of a signed-out session',
      make: async () => {
        const token = await tokenFor(app, 'ansatt@demo.no');
        const out = await request(app).post('/api/auth/logout').set('Authorization', `Bearer ${token}`);
        expect(out.status).toBe(204);
        return session(token);
      },
    },
    { name: 'the token of a deactivated account', make: async () => session(await deactivatedAccount((email) => tokenFor(app, email, 'vikarpassord1'))) },
    {
      name: 'a one-time sign-in link used a second time',
      make: async () => {
        const link = await emailedLink('forelder@demo.no');
        expect((await request(app).get(`/api/auth/magic/${link}`)).status).toBe(200);
        return { link };
      },
    },
    {
      name: 'a one-time sign-in link used after MAGIC_LINK_TTL_MINUTES',
      make: async () => {
        const link = await emailedLink('forelder@demo.no');
        clock.advance((t.ctx.config.magicLinkTtlMinutes + 1) * MINUTE);
        return { link };
      },
    },
    { name: 'a made-up sign-in link', make: async () => ({ link: randomBytes(32).toString('base64url') }) },
    {
      name: 'a sign-in link of an account deactivated after it was sent',
      make: async () => {
        // A link made the way a consent round makes one, for any account.
        const linkFor = async (_email: string, accountId: string) =>
          (await t.ctx.db.transaction().execute((trx) => createSignInLink(t.ctx, trx, accountId, null, 30))).split('/').pop()!;
        return { link: await deactivatedAccount(linkFor) };
      },
    },
  ];

  describe('control: correctly made credentials are accepted, so each refusal below is about the one thing changed', () => {
    it('a token hand-signed with the real key and the right claims answers 200 with the user', async () => {
      const res = await request(app).get('/api/me').set('Authorization', `Bearer ${sign(good())}`);
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ id: claims.sub, email: 'leder@demo.no' });
      const people = await request(app).get('/api/people').set('Cookie', `${COOKIE}=${sign(good())}`);
      expect(people.status).toBe(200);
      expect(people.body.people.length).toBeGreaterThan(0);
    });

    it('the same claims signed through jose answer 200', async () => {
      const token = await new SignJWT({ sid: claims.sid })
        .setProtectedHeader(header() as { alg: string })
        .setSubject(claims.sub!)
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setIssuedAt(now())
        .setNotBefore(now() - 5)
        .setExpirationTime(now() + 600)
        .sign(keys.key);
      expect((await request(app).get('/api/me').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    });

    it('a fresh e-mailed sign-in link signs in once', async () => {
      const link = await emailedLink('forelder@demo.no');
      const res = await request(app).get(`/api/auth/magic/${link}`);
      expect(res.status).toBe(200);
      expect(res.body.user.email).toBe('forelder@demo.no');
    });
  });

  describe('refused: 401 and nothing else', () => {
    it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
      const presented = await c.make();
      tokenCaseCount += 1;
      const answers: [string, request.Response][] = [];
      if ('link' in presented) {
        answers.push(['GET /api/auth/magic/:token', await request(app).get(`/api/auth/magic/${presented.link}`)]);
      } else if ('authorization' in presented) {
        for (const [what, req] of [
          ['GET /api/me', request(app).get('/api/me')],
          ['GET /api/people', request(app).get('/api/people')],
          ['POST /api/auth/logout', request(app).post('/api/auth/logout')],
        ] as const) {
          answers.push([what, await req.set('Authorization', presented.authorization)]);
        }
      } else {
        const bearer = (r: request.Test) => (presented.session === null ? r : r.set('Authorization', `Bearer ${presented.session}`));
        answers.push(['GET /api/me (bearer)', await bearer(request(app).get('/api/me'))]);
        answers.push(['GET /api/people (bearer)', await bearer(request(app).get('/api/people'))]);
        answers.push(['POST /api/auth/logout (bearer)', await bearer(request(app).post('/api/auth/logout'))]);
        if (presented.session !== null) {
          answers.push(['GET /api/people (cookie)', await request(app).get('/api/people').set('Cookie', `${COOKIE}=${presented.session}`)]);
        }
      }
      for (const [what, res] of answers) {
        expect(res.status, what).toBe(401);
        expect(res.headers['content-type'], what).toMatch(/^application\/json/);
        // Nothing else: only the error, no session cookie, no token, no user.
        expect(res.body, what).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
        expect(setCookies(res), what).toEqual([]);
        expect(res.text, what).not.toMatch(/@demo\.no|"token"|"user"|eyJ/);
        const kind = 'link' in presented ? 'link' : 'authorization' in presented ? 'header' : 'session';
        refusedBodies.push({ name: `${c.name}: ${what}`, kind, body: res.body });
      }
    });

    // A header that is not "Bearer <token>" at all may say so: the client knows that already.
    it('every refused token gets the very same body, so an answer never tells which check failed', () => {
      expect(tokenCaseCount).toBe(cases.length);
      const withToken = refusedBodies.filter((b) => b.kind === 'session' && !b.name.startsWith('no token'));
      const links = refusedBodies.filter((b) => b.kind === 'link');
      expect(withToken.length).toBeGreaterThan(20);
      expect(links.length).toBe(4);
      for (const b of withToken) expect(b.body, b.name).toEqual(withToken[0]!.body);
      for (const b of links) expect(b.body, b.name).toEqual(links[0]!.body);
    });
  });

  describe('cookie-authenticated changes need our own Origin', () => {
    const FOREIGN_ORIGINS: (string | undefined)[] = [
      undefined,
      'null',
      'https://evil.example',
      // Look-alikes of our own origin: another scheme, another port, our host as a prefix or as a user name.
      'https://localhost',
      'http://localhost:1',
      'http://localhost.evil.example',
      'http://localhost@evil.example',
    ];

    it('POST, PATCH, DELETE and an upload with the session cookie are refused with 403 and no effect without our Origin, and go through with it', async () => {
      expect(t.ctx.config.publicUrl).toMatch(/^http:\/\/localhost(:\d+)?$/);
      const ours = t.ctx.config.publicUrl;
      const dir = await demoDirectory(app);
      const groupId = (await dir.groups('Solsikken barnehage')).find((g) => g.name === 'Blåklokka')!.id;
      const staffToken = await tokenFor(app, 'ansatt@demo.no');
      const staff = as(app, staffToken);
      const jpeg = await photographicJpeg(320, 240, 5);
      const uploaded = await upload(staff, groupId, [{ name: 'a.jpg', bytes: jpeg }]);
      expect(uploaded.status).toBe(201);
      const photoId = uploaded.photos[0]!.id;
      const cookie = `${COOKIE}=${staffToken}`;
      const withOrigin = (r: request.Test, origin: string | undefined) => (origin === undefined ? r : r.set('Origin', origin));

      const changes: [string, (origin: string | undefined) => request.Test][] = [
        ['PATCH /api/photos/:id', (o) => withOrigin(request(app).patch(`/api/photos/${photoId}`).set('Cookie', cookie), o).send({ noPeople: true })],
        ['POST /api/photos', (o) => withOrigin(request(app).post(`/api/photos?groupId=${groupId}`).set('Cookie', cookie), o).attach('photos', jpeg, 'b.jpg')],
        ['DELETE /api/photos/:id', (o) => withOrigin(request(app).delete(`/api/photos/${photoId}`).set('Cookie', cookie), o)],
        ['POST /api/auth/logout', (o) => withOrigin(request(app).post('/api/auth/logout').set('Cookie', cookie), o)],
      ];
      const rowsBefore = await photoRowCount(t.ctx);
      for (const [what, send] of changes) {
        for (const origin of FOREIGN_ORIGINS) {
          // A same-origin Referer is no substitute for Origin.
          const res = await send(origin).set('Referer', `${ours}/bilder`);
          expect(res.status, `${what} with Origin ${origin}`).toBe(403);
          expect(res.body, `${what} with Origin ${origin}`).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
        }
      }
      // None of it happened.
      expect(await photoRowCount(t.ctx)).toBe(rowsBefore);
      const photo = await staff.get(`/api/photos/${photoId}`);
      expect(photo.status).toBe(200);
      expect(photo.body.photo.noPeople).toBe(false);
      expect((await staff.get('/api/me')).status, 'the refused logout did not happen').toBe(200);
      // Reading with the cookie needs no Origin.
      expect((await request(app).get('/api/me').set('Cookie', cookie).set('Origin', 'https://evil.example')).status).toBe(200);

      // From our own origin, each goes through.
      const expected: Record<string, number> = { 'PATCH /api/photos/:id': 200, 'POST /api/photos': 201, 'DELETE /api/photos/:id': 204, 'POST /api/auth/logout': 204 };
      for (const [what, send] of changes) {
        const res = await send(ours);
        expect(res.status, `${what} from ${ours}: ${JSON.stringify(res.body)}`).toBe(expected[what]);
      }
      expect((await staff.get('/api/me')).status, 'signed out from our own origin').toBe(401);
    });

    it('the Host the browser used counts as our origin too (a deployment reached by another name); a bearer token needs no Origin', async () => {
      const token = await tokenFor(app, 'ansatt@demo.no');
      const viaHost = await request(app)
        .post('/api/auth/logout')
        .set('Cookie', `${COOKIE}=${token}`)
        .set('Host', 'samtykke.kommune.example')
        .set('Origin', 'https://samtykke.kommune.example');
      expect(viaHost.status).toBe(204);
      const bearer = await tokenFor(app, 'ansatt@demo.no');
      expect((await request(app).post('/api/auth/logout').set('Authorization', `Bearer ${bearer}`)).status).toBe(204);
    });
  });
});
