import { randomUUID } from 'node:crypto';
import type { Role } from '../../../db/schema.js';
import type { Actor, AppContext } from '../../context.js';
import { ConflictError, ValidationError } from '../../errors.js';
import { requireRole } from '../access/guards.js';
import { audit, refuseAccess } from '../audit/audit.service.js';
import { findPerson } from '../roster/person.repository.js';
import { findUnit } from '../roster/unit.repository.js';
import { findAccountByEmail, findAccountById, insertAccount, listAccounts, setAccountActive } from './account.repository.js';
import { toPublicUser, type PublicUser } from './auth.service.js';
import { hashPassword } from './password.js';
import { revokeSessionsOfAccount } from './session.repository.js';

export interface AccountDto extends PublicUser {
  active: boolean;
}

export async function listOrganisationAccounts(ctx: AppContext, actor: Actor): Promise<AccountDto[]> {
  await requireRole(ctx, actor, ['admin'], 'account');
  const accounts = await listAccounts(ctx.db, actor.organisationId);
  return accounts.map((a) => ({ ...toPublicUser(a), active: a.active === 1 }));
}

export interface NewAccountInput {
  email: string;
  role: Role;
  unitId?: string | null;
  personId?: string | null;
  password?: string | null;
}

export async function createAccount(ctx: AppContext, actor: Actor, input: NewAccountInput): Promise<AccountDto> {
  await requireRole(ctx, actor, ['admin'], 'account');
  const needsUnit = input.role === 'leader' || input.role === 'staff';
  const needsPerson = input.role === 'guardian' || input.role === 'pupil';
  if (needsUnit && !input.unitId) throw new ValidationError('A leader or staff account needs a unit.');
  if (needsPerson && !input.personId) throw new ValidationError('A guardian or pupil account needs the person it belongs to.');
  if (input.unitId) {
    const unit = await findUnit(ctx.db, input.unitId);
    if (!unit || unit.organisation_id !== actor.organisationId) throw await refuseAccess(ctx, actor, 'unit', input.unitId, 'The unit');
  }
  if (input.personId) {
    const person = await findPerson(ctx.db, input.personId);
    if (!person || person.organisation_id !== actor.organisationId) throw await refuseAccess(ctx, actor, 'person', input.personId, 'The person');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const id = randomUUID();
  await ctx.db.transaction().execute(async (trx) => {
    if (await findAccountByEmail(trx, input.email)) throw new ConflictError('ACCOUNT_EXISTS', 'An account with this e-mail address already exists.');
    await insertAccount(trx, {
      id,
      organisationId: actor.organisationId,
      email: input.email,
      passwordHash,
      role: input.role,
      unitId: needsUnit ? input.unitId! : null,
      personId: input.personId ?? null,
      now: ctx.clock.now().toISOString(),
    });
    await audit(ctx, trx, actor, { action: 'account.created', objectType: 'account', objectId: id, payload: { role: input.role, unitId: input.unitId ?? null } });
  });
  const account = (await findAccountById(ctx.db, id))!;
  return { ...toPublicUser(account), active: true };
}

/** Deactivation ends every session of the account at once. */
export async function setAccountStatus(ctx: AppContext, actor: Actor, accountId: string, active: boolean): Promise<AccountDto> {
  await requireRole(ctx, actor, ['admin'], 'account', accountId);
  const account = await findAccountById(ctx.db, accountId);
  if (!account || account.organisation_id !== actor.organisationId) throw await refuseAccess(ctx, actor, 'account', accountId, 'The account');
  if (account.id === actor.accountId && !active) throw new ValidationError('You cannot deactivate your own account.');
  const now = ctx.clock.now().toISOString();
  await ctx.db.transaction().execute(async (trx) => {
    await setAccountActive(trx, accountId, active, now);
    if (!active) await revokeSessionsOfAccount(trx, accountId, now);
    await audit(ctx, trx, actor, { action: active ? 'account.activated' : 'account.deactivated', objectType: 'account', objectId: accountId });
  });
  return { ...toPublicUser(account), active };
}
