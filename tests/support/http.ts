import type { Express } from 'express';
import request from 'supertest';
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
