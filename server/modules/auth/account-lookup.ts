import type { Account, Executor } from '../../../db/schema.js';

/** Active sign-in accounts of the given people (guardians and pupils), by person id. */
export async function activeAccountsOfPeople(db: Executor, personIds: readonly string[]): Promise<Map<string, Pick<Account, 'id' | 'email' | 'person_id'>>> {
  if (personIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'email', 'person_id'])
    .where('person_id', 'in', personIds)
    .where('active', '=', 1)
    .where('role', 'in', ['guardian', 'pupil'])
    .execute();
  return new Map(rows.map((r) => [r.person_id!, r]));
}
