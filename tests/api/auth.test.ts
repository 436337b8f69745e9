import { randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/adapters/clock.js';
import { createApp } from '../../server/app.js';
import { findAuditEvents } from '../../server/modules/audit/audit.repository.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { testEngines } from '../support/engines.js';
import { as, tokenFor } from '../support/http.js';

const PASSWORD = 'demo1234';
const COOKIE = 'samtykke_session';
const DEMO_EMAILS = ['admin@demo.no', 'leder@demo.no', 'ansatt@demo.no', 'forelder@demo.no', 'elev@demo.no'];

const cookieHeader = (token: string) => `${COOKIE}=${token}`;
const setCookies = (res: request.Response): string[] => {
  const h = res.headers['set-cookie'] as unknown;
  return Array.isArray(h) ? (h as string[]) : typeof h === 'string' ? [h] : [];
};

// Forged and stale tokens, stale sign-in links and the Origin check: tests/security/tokens.test.ts.
// Rate limits: tests/security/headers-limits.test.ts.
describe.each(testEngines())('sign-in and sessions [%s]', (engine) => {
  let t: TestContext;
  let clock: ManualClock;
  let app: ReturnType<typeof createApp>;
  /** A new app has rate-limit counters of its own, so a test's attempts do not spill into another's. */
  const freshApp = () => createApp(t.ctx, { requestLog: false, webDist: null });

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    t = await createTestContext(engine, { clock });
    app = freshApp();
  });
  afterAll(() => t.close());

  const me = (token: string) => request(app).get('/api/me').set('Authorization', `Bearer ${token}`);

  describe('password sign-in', () => {
    it('sets an HttpOnly, SameSite=Strict session cookie and returns the token and the user', async () => {
      const res = await request(app).post('/api/auth/login').send({ email: 'leder@demo.no', password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        token: expect.any(String),
        expiresAt: expect.any(String),
        user: {
          id: expect.any(String),
          email: 'leder@demo.no',
          role: 'leader',
          organisationId: expect.any(String),
          unitId: expect.any(String),
          personId: null,
        },
      });
      expect(JSON.stringify(res.body)).not.toMatch(/password|hash|scrypt/i);
      const cookie = setCookies(res).find((c) => c.startsWith(`${COOKIE}=`));
      expect(cookie, 'session cookie').toBeDefined();
      expect(cookie).toContain(`${COOKIE}=${res.body.token};`);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Strict/i);
      expect(cookie).toMatch(/;\s*Path=\//);
      // The cookie lasts exactly as long as the session behind it.
      const expires = /Expires=([^;]+)/i.exec(cookie!)?.[1];
      expect(new Date(expires!).getTime()).toBe(Math.floor(new Date(res.body.expiresAt).getTime() / 1000) * 1000);
    });

    it('accepts the e-mail address in any case and with surrounding spaces', async () => {
      const res = await request(app).post('/api/auth/login').send({ email: '  Leder@Demo.NO ', password: PASSWORD });
      expect(res.status).toBe(200);
      expect(res.body.user.email).toBe('leder@demo.no');
    });

    it('answers a wrong password and an unknown e-mail address with the same 401', async () => {
      const wrong = await request(app).post('/api/auth/login').send({ email: 'leder@demo.no', password: 'not the password' });
      const unknown = await request(app).post('/api/auth/login').send({ email: 'nobody@demo.no', password: PASSWORD });
      const noPassword = await request(app).post('/api/auth/login').send({ email: 'barnevern@demo.no', password: PASSWORD });
      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(noPassword.status).toBe(401);
      expect(wrong.body).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.any(String) } });
      expect(unknown.body).toEqual(wrong.body);
      expect(noPassword.body).toEqual(wrong.body);
      expect(setCookies(wrong)).toEqual([]);
    });

    it('a missing field is a 400 naming the field, not a sign-in failure', async () => {
      const res = await request(app).post('/api/auth/login').send({ email: 'leder@demo.no' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'password' })]);
    });
  });

  describe('the signed-in user', () => {
    it('GET /api/me answers with a bearer token and with the session cookie', async () => {
      const login = await request(app).post('/api/auth/login').send({ email: 'ansatt@demo.no', password: PASSWORD });
      const bearer = await me(login.body.token);
      expect(bearer.status).toBe(200);
      expect(bearer.body.user).toEqual(login.body.user);
      const cookie = await request(app).get('/api/me').set('Cookie', cookieHeader(login.body.token));
      expect(cookie.status).toBe(200);
      expect(cookie.body.user).toEqual(login.body.user);
      expect((await request(app).get('/api/me')).status).toBe(401);
    });

    it("a pupil's /api/me names the person they are", async () => {
      const token = await tokenFor(app, 'elev@demo.no');
      const res = await me(token);
      expect(res.status).toBe(200);
      expect(res.body.user).toMatchObject({ role: 'pupil', email: 'elev@demo.no', unitId: null, personId: expect.any(String) });
      const admin = as(app, await tokenFor(app, 'admin@demo.no'));
      const person = await admin.get(`/api/people/${res.body.user.personId}`);
      expect(person.status).toBe(200);
      expect(person.body.person).toMatchObject({ firstName: 'Mia', lastName: 'Lie' });
    });
  });

  describe('ending a session', () => {
    it('logout makes the same token a 401 on the very next request, and clears the cookie', async () => {
      const token = await tokenFor(app, 'ansatt@demo.no');
      expect((await me(token)).status).toBe(200);
      const out = await request(app).post('/api/auth/logout').set('Authorization', `Bearer ${token}`);
      expect(out.status).toBe(204);
      expect(setCookies(out).find((c) => c.startsWith(`${COOKIE}=;`))).toMatch(/Expires=Thu, 01 Jan 1970/);
      const after = await me(token);
      expect(after.status).toBe(401);
      expect(after.body.error.code).toBe('UNAUTHENTICATED');
      expect((await request(app).get('/api/me').set('Cookie', cookieHeader(token))).status).toBe(401);
      // Other sessions of the same account go on.
      const other = await tokenFor(app, 'ansatt@demo.no');
      expect((await me(other)).status).toBe(200);
    });

    it("an admin deactivating an account ends that account's sessions at once", async () => {
      const admin = as(app, await tokenFor(app, 'admin@demo.no'));
      const unitId = (await me(await tokenFor(app, 'leder@demo.no'))).body.user.unitId as string;
      const email = `vikar.${randomBytes(3).toString('hex')}@example.no`;
      const created = await admin.post('/api/accounts').send({ email, role: 'staff', unitId, password: 'vikarpassord1' });
      expect(created.status).toBe(201);
      const first = await tokenFor(app, email, 'vikarpassord1');
      const second = await tokenFor(app, email, 'vikarpassord1');
      expect((await me(first)).status).toBe(200);

      const res = await admin.patch(`/api/accounts/${created.body.account.id}`).send({ active: false });
      expect(res.status).toBe(200);
      expect(res.body.account.active).toBe(false);

      expect((await me(first)).status).toBe(401);
      expect((await me(second)).status).toBe(401);
      expect((await request(app).get('/api/me').set('Cookie', cookieHeader(first))).status).toBe(401);
      // Signing in again is refused with the same answer as a wrong password.
      const again = await request(app).post('/api/auth/login').send({ email, password: 'vikarpassord1' });
      const wrong = await request(app).post('/api/auth/login').send({ email, password: 'not the password' });
      expect(again.status).toBe(401);
      expect(again.body).toEqual(wrong.body);
    });

    it('only an admin may deactivate an account', async () => {
      const leader = as(app, await tokenFor(app, 'leder@demo.no'));
      const staffId = (await me(await tokenFor(app, 'ansatt@demo.no'))).body.user.id as string;
      const res = await leader.patch(`/api/accounts/${staffId}`).send({ active: false });
      expect(res.status).toBe(403);
      expect((await me(await tokenFor(app, 'ansatt@demo.no'))).status).toBe(200);
    });
  });

  describe('magic sign-in links for guardians', () => {
    const linkTokenIn = (text: string) => {
      const m = /\/logg-inn\/lenke\/([A-Za-z0-9_-]+)/.exec(text);
      expect(m, 'sign-in link in the e-mail').not.toBeNull();
      return m![1]!;
    };

    async function requestLink(a: ReturnType<typeof createApp>, email: string): Promise<string> {
      const before = t.mailer.sent.length;
      const res = await request(a).post('/api/auth/magic-link').send({ email });
      expect(res.status).toBe(202);
      const mails = t.mailer.sent.slice(before);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.to).toBe(email);
      return linkTokenIn(mails[0]!.text);
    }

    // A second use, a stale link and a made-up one are refused in tests/security/tokens.test.ts.
    it('an e-mailed link signs the guardian in', async () => {
      const a = freshApp();
      const link = await requestLink(a, 'forelder@demo.no');
      const first = await request(a).get(`/api/auth/magic/${link}`);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ token: expect.any(String), user: { email: 'forelder@demo.no', role: 'guardian', personId: expect.any(String) } });
      expect(setCookies(first).find((c) => c.startsWith(`${COOKIE}=`))).toMatch(/HttpOnly.*SameSite=Strict|SameSite=Strict.*HttpOnly/i);
      expect((await me(first.body.token)).status).toBe(200);
    });

    it('a link still works a minute before MAGIC_LINK_TTL_MINUTES (30) have passed', async () => {
      const a = freshApp();
      const fresh = await requestLink(a, 'forelder@demo.no');
      clock.advance(29 * 60_000);
      expect((await request(a).get(`/api/auth/magic/${fresh}`)).status).toBe(200);
    });

    it('an unknown address and a staff address get the same 202 and no e-mail', async () => {
      const a = freshApp();
      const known = await request(a).post('/api/auth/magic-link').send({ email: 'forelder@demo.no' });
      const before = t.mailer.sent.length;
      for (const email of ['nobody@demo.no', 'ansatt@demo.no', 'admin@demo.no']) {
        const res = await request(a).post('/api/auth/magic-link').send({ email });
        expect(res.status, email).toBe(202);
        expect(res.body, email).toEqual(known.body);
      }
      expect(t.mailer.sent.length).toBe(before);
    });
  });

  describe('audit of sign-ins', () => {
    it('every sign-in and every failed sign-in is audited with ids, never the e-mail address', async () => {
      const before = (await findAuditEvents(t.ctx.db, { limit: 1 }))[0]?.seq ?? 0;
      const ok = await request(app).post('/api/auth/login').send({ email: 'forelder@demo.no', password: PASSWORD });
      const wrong = await request(app).post('/api/auth/login').send({ email: 'forelder@demo.no', password: 'not the password' });
      const unknown = await request(app).post('/api/auth/login').send({ email: 'ukjent.person@example.no', password: PASSWORD });
      expect([ok.status, wrong.status, unknown.status]).toEqual([200, 401, 401]);
      const accountId = ok.body.user.id as string;

      const events = (await findAuditEvents(t.ctx.db, { limit: 100 })).filter((e) => e.seq > before).reverse();
      expect(events.map((e) => [e.action, e.actor_id, e.object_id, JSON.parse(e.payload)])).toEqual([
        ['auth.login', accountId, decodeJwt(ok.body.token).sid, { method: 'password' }],
        ['auth.login_failed', null, accountId, { reason: 'WRONG_PASSWORD' }],
        ['auth.login_failed', null, null, { reason: 'UNKNOWN_ACCOUNT' }],
      ]);
      for (const e of events) expect(JSON.stringify(e)).not.toMatch(/@|forelder|ukjent/i);
    });

    it('no sign-in event in the whole log, of any kind, carries an e-mail address', async () => {
      // One of each kind of sign-in first, so that this test stands on its own.
      const a = freshApp();
      const before = t.mailer.sent.length;
      await request(a).post('/api/auth/magic-link').send({ email: 'forelder@demo.no' });
      const link = /\/logg-inn\/lenke\/([A-Za-z0-9_-]+)/.exec(t.mailer.sent[before]!.text)![1]!;
      expect((await request(a).get(`/api/auth/magic/${link}`)).status).toBe(200);
      expect((await request(a).get(`/api/auth/magic/${link}`)).status).toBe(401);
      await request(a).post('/api/auth/magic-link').send({ email: 'ansatt@demo.no' });
      const token = await tokenFor(a, 'elev@demo.no');
      await request(a).post('/api/auth/logout').set('Authorization', `Bearer ${token}`);

      const events = await findAuditEvents(t.ctx.db, { limit: 10_000 });
      const signIns = events.filter((e) => e.action.startsWith('auth.'));
      const actions = new Set(signIns.map((e) => e.action));
      for (const action of ['auth.login', 'auth.login_failed', 'auth.logout', 'auth.magic_link_sent', 'auth.magic_link_refused', 'auth.magic_link_invalid']) {
        expect(actions, action).toContain(action);
      }
      for (const e of signIns) {
        expect(e.payload, `${e.action} #${e.seq}`).not.toMatch(/@/);
        for (const email of DEMO_EMAILS) expect(JSON.stringify(e), `${e.action} #${e.seq}`).not.toContain(email);
      }
      expect(signIns.some((e) => e.action === 'auth.login' && JSON.parse(e.payload).method === 'magic_link')).toBe(true);
    });
  });
});
