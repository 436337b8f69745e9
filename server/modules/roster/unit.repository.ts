import type { Executor, Group, Organisation, Unit, UnitKind } from '../../../db/schema.js';

const unitColumns = ['id', 'organisation_id', 'name', 'kind', 'created_at', 'updated_at'] as const;
const groupColumns = ['id', 'unit_id', 'name', 'created_at', 'updated_at'] as const;

export async function insertOrganisation(db: Executor, o: { id: string; name: string; now: string }): Promise<void> {
  await db.insertInto('organisations').values({ id: o.id, name: o.name, created_at: o.now }).execute();
}

export async function findOrganisation(db: Executor, id: string): Promise<Organisation | undefined> {
  return db.selectFrom('organisations').select(['id', 'name', 'created_at']).where('id', '=', id).executeTakeFirst();
}

export async function countOrganisations(db: Executor): Promise<number> {
  const row = await db.selectFrom('organisations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function listUnits(db: Executor, organisationId: string, onlyIds?: readonly string[]): Promise<Unit[]> {
  let q = db.selectFrom('units').select(unitColumns).where('organisation_id', '=', organisationId);
  if (onlyIds) {
    if (onlyIds.length === 0) return [];
    q = q.where('id', 'in', onlyIds);
  }
  return q.orderBy('name').execute();
}

export async function findUnit(db: Executor, id: string): Promise<Unit | undefined> {
  return db.selectFrom('units').select(unitColumns).where('id', '=', id).executeTakeFirst();
}

export async function findUnitByName(db: Executor, organisationId: string, name: string): Promise<Unit | undefined> {
  return db.selectFrom('units').select(unitColumns).where('organisation_id', '=', organisationId).where('name', '=', name).executeTakeFirst();
}

export async function insertUnit(db: Executor, u: { id: string; organisationId: string; name: string; kind: UnitKind; now: string }): Promise<void> {
  await db
    .insertInto('units')
    .values({ id: u.id, organisation_id: u.organisationId, name: u.name, kind: u.kind, created_at: u.now, updated_at: u.now })
    .execute();
}

export async function updateUnit(db: Executor, id: string, changes: { name?: string; kind?: UnitKind }, now: string): Promise<void> {
  await db.updateTable('units').set({ ...changes, updated_at: now }).where('id', '=', id).execute();
}

export async function listGroups(db: Executor, unitId: string): Promise<Group[]> {
  return db.selectFrom('groups').select(groupColumns).where('unit_id', '=', unitId).orderBy('name').execute();
}

export async function findGroup(db: Executor, id: string): Promise<(Group & { organisation_id: string }) | undefined> {
  return db
    .selectFrom('groups')
    .innerJoin('units', 'units.id', 'groups.unit_id')
    .select(['groups.id', 'groups.unit_id', 'groups.name', 'groups.created_at', 'groups.updated_at', 'units.organisation_id'])
    .where('groups.id', '=', id)
    .executeTakeFirst();
}

export async function findGroupByName(db: Executor, unitId: string, name: string): Promise<Group | undefined> {
  return db.selectFrom('groups').select(groupColumns).where('unit_id', '=', unitId).where('name', '=', name).executeTakeFirst();
}

export async function insertGroup(db: Executor, g: { id: string; unitId: string; name: string; now: string }): Promise<void> {
  await db.insertInto('groups').values({ id: g.id, unit_id: g.unitId, name: g.name, created_at: g.now, updated_at: g.now }).execute();
}

export async function updateGroup(db: Executor, id: string, changes: { name?: string }, now: string): Promise<void> {
  await db.updateTable('groups').set({ ...changes, updated_at: now }).where('id', '=', id).execute();
}
