import type { Executor, GuardianLink, GuardianRole, Person } from '../../../db/schema.js';

const linkColumns = ['id', 'child_id', 'guardian_id', 'role', 'responsibility', 'created_at', 'updated_at'] as const;

export type GuardianLinkWithPerson = GuardianLink & {
  guardian: Pick<Person, 'id' | 'first_name' | 'last_name' | 'email' | 'phone'>;
};

export async function listGuardianLinksOfChild(db: Executor, childId: string): Promise<GuardianLinkWithPerson[]> {
  const rows = await db
    .selectFrom('guardian_links')
    .innerJoin('people', 'people.id', 'guardian_links.guardian_id')
    .select([
      'guardian_links.id',
      'guardian_links.child_id',
      'guardian_links.guardian_id',
      'guardian_links.role',
      'guardian_links.responsibility',
      'guardian_links.created_at',
      'guardian_links.updated_at',
      'people.first_name',
      'people.last_name',
      'people.email',
      'people.phone',
    ])
    .where('guardian_links.child_id', '=', childId)
    .orderBy('guardian_links.created_at')
    .orderBy('guardian_links.id')
    .execute();
  return rows.map(({ first_name, last_name, email, phone, ...link }) => ({
    ...link,
    guardian: { id: link.guardian_id, first_name, last_name, email, phone },
  }));
}

/** The children a person is a guardian of with parental responsibility. */
export async function listResponsibleChildIds(db: Executor, guardianId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('guardian_links')
    .select('child_id')
    .where('guardian_id', '=', guardianId)
    .where('responsibility', '=', 1)
    .execute();
  return rows.map((r) => r.child_id);
}

export async function findGuardianLink(db: Executor, id: string): Promise<GuardianLink | undefined> {
  return db.selectFrom('guardian_links').select(linkColumns).where('id', '=', id).executeTakeFirst();
}

export async function findGuardianLinkByPair(db: Executor, childId: string, guardianId: string): Promise<GuardianLink | undefined> {
  return db
    .selectFrom('guardian_links')
    .select(linkColumns)
    .where('child_id', '=', childId)
    .where('guardian_id', '=', guardianId)
    .executeTakeFirst();
}

export async function insertGuardianLink(
  db: Executor,
  l: { id: string; childId: string; guardianId: string; role: GuardianRole; responsibility: boolean; now: string },
): Promise<void> {
  await db
    .insertInto('guardian_links')
    .values({
      id: l.id,
      child_id: l.childId,
      guardian_id: l.guardianId,
      role: l.role,
      responsibility: l.responsibility ? 1 : 0,
      created_at: l.now,
      updated_at: l.now,
    })
    .execute();
}

export async function updateGuardianLink(
  db: Executor,
  id: string,
  changes: { role?: GuardianRole; responsibility?: boolean },
  now: string,
): Promise<void> {
  await db
    .updateTable('guardian_links')
    .set({
      ...(changes.role !== undefined && { role: changes.role }),
      ...(changes.responsibility !== undefined && { responsibility: changes.responsibility ? 1 : 0 }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** Guardian links of many children at once (name-free: for computing consent). */
export async function listGuardianLinksOfChildren(db: Executor, childIds: readonly string[]): Promise<GuardianLink[]> {
  if (childIds.length === 0) return [];
  return db.selectFrom('guardian_links').select(linkColumns).where('child_id', 'in', childIds).execute();
}
