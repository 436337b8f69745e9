import type { Express } from 'express';
import request from 'supertest';
import type { Executor } from '../../db/schema.js';
import { expect } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo/seed.js';

/** Signs in through the real endpoint and returns the bearer token. */
export async function tokenFor(app: Express, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await request(app).post('/api/auth/login').send({ email, password });
  expect(res.status, `sign-in as ${email}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body.token as string;
}

/** A supertest agent whose every request carries the caller's bearer token. */
export function as(app: Express, token: string) {
  const auth = { Authorization: `Bearer ${token}` };
  return {
    get: (url: string) => request(app).get(url).set(auth),
    post: (url: string) => request(app).post(url).set(auth),
    patch: (url: string) => request(app).patch(url).set(auth),
    put: (url: string) => request(app).put(url).set(auth),
    delete: (url: string) => request(app).delete(url).set(auth),
  };
}

/** One request as a test table describes it: where it goes and what it carries. */
export interface ApiCall {
  /** The concrete path, query string included. */
  path: string;
  body?: unknown;
  /** Multipart files in the field "photos". */
  files?: { name: string; bytes: Buffer }[];
  /** A text/csv body. */
  csv?: string;
}

/** Sends a call with the caller's bearer token, or anonymously when the token is null. */
export function sendCall(app: Express, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', token: string | null, call: ApiCall) {
  const m = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
  let req = request(app)[m](call.path);
  if (token) req = req.set('Authorization', `Bearer ${token}`);
  if (call.files) {
    for (const f of call.files) req = req.attach('photos', f.bytes, { filename: f.name, contentType: 'image/jpeg' });
    return req;
  }
  if (call.csv !== undefined) return req.set('Content-Type', 'text/csv').send(call.csv);
  return call.body === undefined ? req : req.send(call.body as object);
}

/** The sequence number of the newest audit event (0 for an empty log). */
export async function lastAuditSeq(db: Executor): Promise<number> {
  const row = await db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}
