import type { Executor, Session } from '../../../db/schema.js';

export async function insertSession(db: Executor, s: { id: string; accountId: string; now: string; expiresAt: string }): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ id: s.id, account_id: s.accountId, created_at: s.now, expires_at: s.expiresAt, revoked_at: null })
    .execute();
}

export async function findSession(db: Executor, id: string): Promise<Session | undefined> {
  return db
    .selectFrom('sessions')
    .select(['id', 'account_id', 'created_at', 'expires_at', 'revoked_at'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function revokeSession(db: Executor, id: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function revokeSessionsOfAccount(db: Executor, accountId: string, now: string): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('account_id', '=', accountId).where('revoked_at', 'is', null).execute();
}

export async function insertMagicLink(
  db: Executor,
  l: { tokenHash: string; accountId: string; now: string; expiresAt: string; nextPath?: string | null },
): Promise<void> {
  await db
    .insertInto('magic_links')
    .values({ token_hash: l.tokenHash, account_id: l.accountId, created_at: l.now, expires_at: l.expiresAt, used_at: null, next_path: l.nextPath ?? null })
    .execute();
}

/** Marks an unused, unexpired link used and returns its account; a second use finds nothing. */
export async function consumeMagicLink(db: Executor, tokenHash: string, now: string): Promise<{ accountId: string; nextPath: string | null } | null> {
  const result = await db
    .updateTable('magic_links')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['account_id', 'next_path'])
    .executeTakeFirst();
  return result ? { accountId: result.account_id, nextPath: result.next_path } : null;
}
