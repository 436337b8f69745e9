import { randomUUID } from 'node:crypto';
import type { Person, Trx } from '../../../db/schema.js';
import type { AppContext } from '../../context.js';
import { audit } from '../audit/audit.service.js';
import { findAccountByEmail, insertAccount } from '../auth/account.repository.js';

/**
 * Gives a guardian a password-less account so they can sign in with an e-mailed link.
 * An address already used by another account is left alone.
 */
export async function ensureGuardianAccount(ctx: AppContext, trx: Trx, actor: { accountId: string } | null, guardian: Person): Promise<void> {
  if (!guardian.email || (await findAccountByEmail(trx, guardian.email))) return;
  const id = randomUUID();
  await insertAccount(trx, {
    id,
    organisationId: guardian.organisation_id,
    email: guardian.email,
    passwordHash: null,
    role: 'guardian',
    unitId: null,
    personId: guardian.id,
    now: ctx.clock.now().toISOString(),
  });
  await audit(ctx, trx, actor, { action: 'account.created', objectType: 'account', objectId: id, payload: { role: 'guardian', personId: guardian.id } });
}
