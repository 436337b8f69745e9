import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Account, Trx } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { UnauthenticatedError } from '../../errors.js';
import { audit } from '../audit/audit.service.js';
import { findAccountByEmail, findAccountById } from './account.repository.js';
import { burnPasswordCheck, verifyPassword } from './password.js';
import { consumeMagicLink, findSession, insertMagicLink, insertSession, revokeSession } from './session.repository.js';
import { signSessionToken, tokenKeys, verifySessionToken, type TokenKeys } from './token.js';

export interface PublicUser {
  id: string;
  email: string;
  role: Account['role'];
  organisationId: string;
  unitId: string | null;
  personId: string | null;
}

export interface SignedIn {
  token: string;
  expiresAt: string;
  user: PublicUser;
}

const keysCache = new WeakMap<AppContext['config'], TokenKeys>();
function keysFor(ctx: AppContext): TokenKeys {
  let keys = keysCache.get(ctx.config);
  if (!keys) keysCache.set(ctx.config, (keys = tokenKeys(ctx.config.sessionSecret)));
  return keys;
}

export function toPublicUser(a: Account): PublicUser {
  return { id: a.id, email: a.email, role: a.role, organisationId: a.organisation_id, unitId: a.unit_id, personId: a.person_id };
}

async function startSession(ctx: AppContext, account: Account, method: 'password' | 'magic_link'): Promise<SignedIn> {
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.config.sessionTtlHours * 3600_000);
  const sessionId = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    await insertSession(trx, { id: sessionId, accountId: account.id, now: now.toISOString(), expiresAt: expiresAt.toISOString() });
    await audit(ctx, trx, { accountId: account.id, organisationId: account.organisation_id }, { action: 'auth.login', objectType: 'session', objectId: sessionId, payload: { method } });
  });
  const token = await signSessionToken(keysFor(ctx), { sub: account.id, sid: sessionId }, now, expiresAt);
  return { token, expiresAt: expiresAt.toISOString(), user: toPublicUser(account) };
}

async function auditFailedLogin(ctx: AppContext, account: { id: string; organisation_id: string } | null, reason: string): Promise<void> {
  await ctx.db.transaction().execute((trx) =>
    audit(ctx, trx, null, { action: 'auth.login_failed', objectType: 'account', objectId: account?.id ?? null, organisationId: account?.organisation_id ?? null, payload: { reason } }),
  );
}

/** Password sign-in. Every failure gets the same answer, whatever the reason. */
export async function login(ctx: AppContext, email: string, password: string): Promise<SignedIn> {
  const account = await findAccountByEmail(ctx.db, email);
  if (!account?.password_hash) {
    await burnPasswordCheck(password);
    await auditFailedLogin(ctx, account ?? null, account ? 'NO_PASSWORD' : 'UNKNOWN_ACCOUNT');
    throw new UnauthenticatedError('The e-mail address or password is wrong.');
  }
  const ok = await verifyPassword(password, account.password_hash);
  if (!ok || !account.active) {
    await auditFailedLogin(ctx, account, ok ? 'INACTIVE' : 'WRONG_PASSWORD');
    throw new UnauthenticatedError('The e-mail address or password is wrong.');
  }
  return startSession(ctx, account, 'password');
}

export async function logout(ctx: AppContext, actor: Actor): Promise<void> {
  await ctx.db.transaction().execute(async (trx) => {
    await revokeSession(trx, actor.sessionId, ctx.clock.now().toISOString());
    await audit(ctx, trx, actor, { action: 'auth.logout', objectType: 'session', objectId: actor.sessionId });
  });
}

/** Resolves a bearer or cookie token to the caller, checking the session row on every request. */
export async function authenticate(ctx: AppContext, token: string): Promise<Actor | null> {
  const now = ctx.clock.now();
  const claims = await verifySessionToken(keysFor(ctx), token, now);
  if (!claims) return null;
  const session = await findSession(ctx.db, claims.sid);
  if (!session || session.account_id !== claims.sub || session.revoked_at || session.expires_at <= now.toISOString()) return null;
  const account = await findAccountById(ctx.db, claims.sub);
  if (!account?.active) return null;
  return {
    accountId: account.id,
    sessionId: session.id,
    role: account.role,
    organisationId: account.organisation_id,
    unitId: account.unit_id,
    personId: account.person_id,
  };
}

export async function currentUser(ctx: AppContext, actor: Actor): Promise<PublicUser> {
  const account = await findAccountById(ctx.db, actor.accountId);
  if (!account) throw new UnauthenticatedError();
  return toPublicUser(account);
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const MAGIC_LINK_ROLES: ReadonlySet<Account['role']> = new Set(['guardian', 'pupil']);

/**
 * E-mails a one-time sign-in link to a guardian or pupil. The answer never tells whether the
 * address is known.
 */
export async function requestMagicLink(ctx: AppContext, email: string, lang: 'nb' | 'nn' | 'en'): Promise<void> {
  const account = await findAccountByEmail(ctx.db, email);
  if (!account?.active || !MAGIC_LINK_ROLES.has(account.role)) {
    await ctx.db.transaction().execute((trx) =>
      audit(ctx, trx, null, { action: 'auth.magic_link_refused', objectType: 'account', objectId: account?.id ?? null, organisationId: account?.organisation_id ?? null }),
    );
    return;
  }
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.config.magicLinkTtlMinutes * 60_000);
  await ctx.db.transaction().execute(async (trx) => {
    await insertMagicLink(trx, { tokenHash: hashToken(token), accountId: account.id, now: now.toISOString(), expiresAt: expiresAt.toISOString() });
    await audit(ctx, trx, null, { action: 'auth.magic_link_sent', objectType: 'account', objectId: account.id, organisationId: account.organisation_id });
  });
  const link = `${ctx.config.publicUrl}/logg-inn/lenke/${token}`;
  await ctx.mailer.send({ to: account.email, ...magicLinkMail(lang, link, ctx.config.magicLinkTtlMinutes) });
}

export async function signInWithMagicLink(ctx: AppContext, token: string): Promise<SignedIn & { next: string | null }> {
  const now = ctx.clock.now().toISOString();
  const link = await ctx.db.transaction().execute(async (trx) => {
    const found = await consumeMagicLink(trx, hashToken(token), now);
    if (!found) await audit(ctx, trx, null, { action: 'auth.magic_link_invalid', objectType: 'magic_link', objectId: null });
    return found;
  });
  const account = link ? await findAccountById(ctx.db, link.accountId) : undefined;
  if (!account?.active) throw new UnauthenticatedError('This sign-in link has expired or has already been used. Ask for a new one.');
  return { ...(await startSession(ctx, account, 'magic_link')), next: link!.nextPath };
}

/**
 * Creates a one-time sign-in link for an account (used by consent rounds, which lead the
 * person straight to their questions). The caller sends it.
 */
export async function createSignInLink(ctx: AppContext, trx: Trx, accountId: string, nextPath: string | null, ttlMinutes: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const now = ctx.clock.now();
  await insertMagicLink(trx, {
    tokenHash: hashToken(token),
    accountId,
    now: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlMinutes * 60_000).toISOString(),
    nextPath,
  });
  return `${ctx.config.publicUrl}/logg-inn/lenke/${token}`;
}

function magicLinkMail(lang: 'nb' | 'nn' | 'en', link: string, minutes: number): { subject: string; text: string } {
  switch (lang) {
    case 'en':
      return {
        subject: 'Your sign-in link for Samtykke',
        text: `Open this link to sign in to Samtykke:\n\n${link}\n\nThe link works once and for ${minutes} minutes. If you did not ask for it, you can ignore this e-mail.`,
      };
    case 'nn':
      return {
        subject: 'Innloggingslenkja di til Samtykke',
        text: `Opna denne lenkja for å logga inn i Samtykke:\n\n${link}\n\nLenkja verkar éin gong og i ${minutes} minutt. Viss du ikkje bad om ho, kan du sjå bort frå denne e-posten.`,
      };
    default:
      return {
        subject: 'Innloggingslenken din til Samtykke',
        text: `Åpne denne lenken for å logge inn i Samtykke:\n\n${link}\n\nLenken virker én gang og i ${minutes} minutter. Hvis du ikke ba om den, kan du se bort fra denne e-posten.`,
      };
  }
}
