import type { Express } from 'express';
import request from 'supertest';
import { expect } from 'vitest';
import type { AppContext } from '../../server/context.js';
import { createSignInLink } from '../../server/modules/auth/auth.service.js';
import { findAccountByEmail } from '../../server/modules/auth/account.repository.js';
import { as } from './http.js';

export type Agent = ReturnType<typeof as>;

/**
 * Signed-in agents by e-mail address, signed in on first use through a one-time sign-in link
 * (GET /api/auth/magic/:token): no password hashing, so a test can sign in dozens of people
 * quickly. Password sign-in itself is tested in auth.test.ts. Sessions follow the app's clock,
 * so a test that moves the clock far calls `forget()` and everyone signs in again.
 */
export class Sessions {
  private tokens = new Map<string, string>();
  constructor(
    private readonly app: Express,
    private readonly ctx: AppContext,
  ) {}

  async as(email: string): Promise<Agent> {
    return as(this.app, await this.token(email));
  }

  /** The bearer token of the address's session, signing in on first use. */
  async token(email: string): Promise<string> {
    let token = this.tokens.get(email);
    if (!token) {
      const account = await findAccountByEmail(this.ctx.db, email);
      expect(account, `an account for ${email}`).toBeDefined();
      const link = await this.ctx.db.transaction().execute((trx) => createSignInLink(this.ctx, trx, account!.id, null, 30));
      const res = await request(this.app).get(`/api/auth/magic/${link.split('/').pop()}`);
      expect(res.status, `sign-in as ${email}: ${JSON.stringify(res.body)}`).toBe(200);
      token = res.body.token as string;
      this.tokens.set(email, token);
    }
    return token;
  }

  forget(): void {
    this.tokens.clear();
  }
}

export interface FamilyGuardian {
  id: string;
  linkId: string;
  firstName: string;
  lastName: string;
  /** The e-mail address of the guardian's sign-in account. */
  email: string;
}

export interface Family {
  child: { id: string; firstName: string; lastName: string; birthDate: string; membershipId: string; groupId: string; unitId: string };
  guardians: FamilyGuardian[];
}

export interface NewFamily {
  child: string;
  birthDate: string;
  groupId: string;
  /** First day in the group (default: today by the app's clock). */
  from?: string;
  guardians: { name: string; role?: 'parent' | 'foster_parent' | 'child_welfare' | 'appointed_guardian'; responsibility?: boolean }[];
}

let serial = 0;
const unique = () => `${Date.now().toString(36)}${(serial++).toString(36)}`;
const ascii = (s: string) =>
  s
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'aa')
    .normalize('NFD')
    .replace(/[^a-z0-9]/g, '');

/** Gives a pupil a sign-in account (as the admin), and returns its e-mail address. */
export async function pupilAccount(admin: Agent, personId: string): Promise<string> {
  const email = `elev.${unique()}@test.no`;
  const res = await admin.post('/api/accounts').send({ email, role: 'pupil', personId });
  expect(res.status, `account for ${personId}: ${JSON.stringify(res.body)}`).toBe(201);
  return email;
}

/** The guardian links of a child as the admin sees them. */
export async function guardiansOf(admin: Agent, childId: string) {
  const res = await admin.get(`/api/people/${childId}/guardians`);
  expect(res.status).toBe(200);
  return res.body.guardians as { id: string; role: string; responsibility: boolean; guardian: { id: string; firstName: string; lastName: string; email: string } }[];
}

/** A child of its own in a group, with its guardians, created through the admin's API. */
export async function createFamily(admin: Agent, f: NewFamily): Promise<Family> {
  const [firstName, lastName] = f.child.split(' ') as [string, string];
  const created = await admin
    .post('/api/people')
    .send({ kind: 'child', firstName, lastName, birthDate: f.birthDate, groupId: f.groupId, ...(f.from && { from: f.from }) });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const person = created.body.person;
  const membership = person.memberships[0];
  const guardians: FamilyGuardian[] = [];
  for (const g of f.guardians) {
    const [gFirst, gLast] = g.name.split(' ') as [string, string];
    const email = `${ascii(gFirst)}.${ascii(gLast)}.${unique()}@example.no`;
    const link = await admin.post(`/api/people/${person.id}/guardians`).send({
      firstName: gFirst,
      lastName: gLast,
      email,
      role: g.role ?? 'parent',
      responsibility: g.responsibility ?? true,
    });
    expect(link.status, JSON.stringify(link.body)).toBe(201);
    const guardianId = link.body.guardian.guardian.id as string;
    guardians.push({ id: guardianId, linkId: link.body.guardian.id, firstName: gFirst, lastName: gLast, email });
  }
  return {
    child: { id: person.id, firstName, lastName, birthDate: f.birthDate, membershipId: membership.id, groupId: membership.groupId, unitId: membership.unitId },
    guardians,
  };
}

export interface QuestionState {
  valid: boolean;
  reasons: string[];
  decidedBy: 'guardians' | 'self';
  awaiting: { id: string; firstName: string; lastName: string }[];
  validUntil: string | null;
  decisionIds: string[];
  answers: { decider: { id: string; firstName: string; lastName: string }; state: string; decisionId: string | null; validUntil: string | null }[];
}

export interface ConsentsView {
  person: { id: string; firstName: string; lastName: string; birthDate: string | null };
  decidesSelf: boolean;
  selfConsentFrom: string | null;
  canDecide: boolean;
  purposes: { purpose: { id: string; code: string }; notice: { version: number; lang: string; sha256: string } | null; questions: { question: string; state: QuestionState; myAnswer: string | null }[] }[];
  history: {
    id: string;
    purposeId: string;
    question: string;
    decision: string;
    decidedBy: { id: string; firstName: string; lastName: string; role: string };
    method: string;
    evidenceNote: string | null;
    noticeId: string;
    noticeVersion: number;
    noticeSha256: string;
    occasion: string | null;
    decidedAt: string;
    validUntil: string | null;
  }[];
}

/** A person's consent page as the caller sees it; fails the test unless it is a 200. */
export async function consentsOf(agent: Agent, personId: string, lang?: 'nb' | 'nn' | 'en'): Promise<ConsentsView> {
  const res = await agent.get(`/api/people/${personId}/consents${lang ? `?lang=${lang}` : ''}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as ConsentsView;
}

/** The state of one purpose and question on a consent page. */
export function stateOf(view: ConsentsView, purposeId: string, question: 'photo' | 'first_name' = 'photo') {
  const p = view.purposes.find((x) => x.purpose.id === purposeId);
  expect(p, `purpose ${purposeId} on the consent page`).toBeDefined();
  const q = p!.questions.find((x) => x.question === question);
  expect(q, `question ${question}`).toBeDefined();
  return { ...q!.state, myAnswer: q!.myAnswer };
}

/** Purpose ids of the demo organisation by code. */
export async function purposeIds(agent: Agent): Promise<Record<string, string>> {
  const res = await agent.get('/api/purposes');
  expect(res.status).toBe(200);
  return Object.fromEntries((res.body.purposes as { id: string; code: string }[]).map((p) => [p.code, p.id]));
}

/** A plain-language notice text for test purposes, in one language. */
export const noticeText = (what: string) => ({
  what,
  wherePublished: 'I foreldregalleriet.',
  whoCanSee: 'Foreldrene i barnehagen.',
  retention: 'Til slutten av barnehageåret.',
  withdrawal: 'Trekk samtykket med én knapp.',
  contact: 'Styreren.',
});
