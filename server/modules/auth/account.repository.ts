import type { Account, Executor, Role } from '../../../db/schema.js';

const columns = [
  'id',
  'organisation_id',
  'email',
  'password_hash',
  'role',
  'unit_id',
  'person_id',
  'active',
  'created_at',
  'updated_at',
] as const;

export async function findAccountByEmail(db: Executor, email: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').select(columns).where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
}

export async function findAccountById(db: Executor, id: string): Promise<Account | undefined> {
  return db.selectFrom('accounts').select(columns).where('id', '=', id).executeTakeFirst();
}

export async function findAccountsByPerson(db: Executor, personId: string): Promise<Account[]> {
  return db.selectFrom('accounts').select(columns).where('person_id', '=', personId).execute();
}

export interface NewAccount {
  id: string;
  organisationId: string;
  email: string;
  passwordHash: string | null;
  role: Role;
  unitId: string | null;
  personId: string | null;
  now: string;
}

export async function insertAccount(db: Executor, a: NewAccount): Promise<void> {
  await db
    .insertInto('accounts')
    .values({
      id: a.id,
      organisation_id: a.organisationId,
      email: a.email.trim().toLowerCase(),
      password_hash: a.passwordHash,
      role: a.role,
      unit_id: a.unitId,
      person_id: a.personId,
      active: 1,
      created_at: a.now,
      updated_at: a.now,
    })
    .execute();
}

export async function setAccountActive(db: Executor, id: string, active: boolean, now: string): Promise<void> {
  await db.updateTable('accounts').set({ active: active ? 1 : 0, updated_at: now }).where('id', '=', id).execute();
}

export async function listAccounts(db: Executor, organisationId: string): Promise<Account[]> {
  return db.selectFrom('accounts').select(columns).where('organisation_id', '=', organisationId).orderBy('email').execute();
}
