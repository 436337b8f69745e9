import type { Executor, Membership, Person, PersonKind } from '../../../db/schema.js';

const personColumns = [
  'people.id',
  'people.organisation_id',
  'people.kind',
  'people.first_name',
  'people.last_name',
  'people.birth_date',
  'people.email',
  'people.phone',
  'people.external_id',
  'people.created_at',
  'people.updated_at',
] as const;

const membershipColumns = ['id', 'person_id', 'group_id', 'from_date', 'to_date', 'created_at'] as const;

export async function findPerson(db: Executor, id: string): Promise<Person | undefined> {
  return db.selectFrom('people').select(personColumns).where('people.id', '=', id).executeTakeFirst();
}

export async function findPeopleByIds(db: Executor, ids: readonly string[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('people').select(personColumns).where('people.id', 'in', ids).execute();
}

export async function findPersonByExternalId(db: Executor, organisationId: string, externalId: string): Promise<Person | undefined> {
  return db
    .selectFrom('people')
    .select(personColumns)
    .where('people.organisation_id', '=', organisationId)
    .where('people.external_id', '=', externalId)
    .executeTakeFirst();
}

export async function findAdultByEmail(db: Executor, organisationId: string, email: string): Promise<Person | undefined> {
  return db
    .selectFrom('people')
    .select(personColumns)
    .where('people.organisation_id', '=', organisationId)
    .where('people.kind', '=', 'adult')
    .where('people.email', '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

export async function findChildrenByNameAndBirthDate(
  db: Executor,
  organisationId: string,
  firstName: string,
  lastName: string,
  birthDate: string,
): Promise<Person[]> {
  return db
    .selectFrom('people')
    .select(personColumns)
    .where('people.organisation_id', '=', organisationId)
    .where('people.kind', '=', 'child')
    .where('people.first_name', '=', firstName)
    .where('people.last_name', '=', lastName)
    .where('people.birth_date', '=', birthDate)
    .orderBy('people.created_at')
    .orderBy('people.id')
    .execute();
}

export interface PeopleQuery {
  organisationId: string;
  /** Only people with a membership in one of these units (current on `on` when given). */
  unitIds?: readonly string[];
  groupId?: string;
  ids?: readonly string[];
  kind?: PersonKind;
  /** Free text matched against first and last name, case-insensitively. */
  q?: string;
  on?: string;
  limit: number;
}

export async function searchPeople(db: Executor, query: PeopleQuery): Promise<Person[]> {
  let q = db.selectFrom('people').select(personColumns).where('people.organisation_id', '=', query.organisationId);
  if (query.ids) {
    if (query.ids.length === 0) return [];
    q = q.where('people.id', 'in', query.ids);
  }
  if (query.kind) q = q.where('people.kind', '=', query.kind);
  if (query.unitIds || query.groupId) {
    const unitIds = query.unitIds;
    if (unitIds && unitIds.length === 0) return [];
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('memberships')
          .innerJoin('groups', 'groups.id', 'memberships.group_id')
          .select('memberships.id')
          .whereRef('memberships.person_id', '=', 'people.id')
          .$if(!!unitIds, (sq) => sq.where('groups.unit_id', 'in', unitIds!))
          .$if(!!query.groupId, (sq) => sq.where('groups.id', '=', query.groupId!))
          .$if(!!query.on, (sq) =>
            sq.where('memberships.from_date', '<=', query.on!).where((eb) =>
              eb.or([eb('memberships.to_date', 'is', null), eb('memberships.to_date', '>=', query.on!)]),
            ),
          ),
      ),
    );
  }
  if (query.q) {
    const pattern = `%${query.q.trim().toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) =>
      eb.or([
        eb(eb.fn('lower', ['people.first_name']), 'like', eb.val(pattern)),
        eb(eb.fn('lower', ['people.last_name']), 'like', eb.val(pattern)),
      ]),
    );
  }
  return q.orderBy('people.last_name').orderBy('people.first_name').orderBy('people.id').limit(query.limit).execute();
}

/**
 * The unit's roster token: replaced by triggers whenever a membership, a member's name or kind,
 * or a group's unit changes (see migration 2026-11-24T0900). Null until the roster first changes.
 */
export async function rosterToken(db: Executor, unitId: string): Promise<string | null> {
  const row = await db.selectFrom('roster_versions').select('token').where('unit_id', '=', unitId).executeTakeFirst();
  return row?.token ?? null;
}

/**
 * The children of a unit on a day, each once: what the publish gate checks texts against.
 * Read from the unit's groups, so the cost is the size of the unit, not of the organisation;
 * the organisation is checked here rather than in SQL, where a condition on
 * people.organisation_id can lead SQLite without statistics to walk the whole organisation.
 */
export async function listUnitChildNames(db: Executor, q: { organisationId: string; unitId: string; on: string }): Promise<Pick<Person, 'id' | 'first_name' | 'last_name'>[]> {
  const rows = await db
    .selectFrom('groups')
    .innerJoin('memberships', 'memberships.group_id', 'groups.id')
    .innerJoin('people', 'people.id', 'memberships.person_id')
    .select(['people.id', 'people.organisation_id', 'people.first_name', 'people.last_name'])
    .distinct()
    .where('groups.unit_id', '=', q.unitId)
    .where('people.kind', '=', 'child')
    .where('memberships.from_date', '<=', q.on)
    .where((eb) => eb.or([eb('memberships.to_date', 'is', null), eb('memberships.to_date', '>=', q.on)]))
    .orderBy('people.id')
    .execute();
  return rows.filter((r) => r.organisation_id === q.organisationId).map(({ id, first_name, last_name }) => ({ id, first_name, last_name }));
}

export interface PersonInput {
  id: string;
  organisationId: string;
  kind: PersonKind;
  firstName: string;
  lastName: string;
  birthDate: string | null;
  email: string | null;
  phone: string | null;
  externalId: string | null;
  now: string;
}

export async function insertPerson(db: Executor, p: PersonInput): Promise<void> {
  await db
    .insertInto('people')
    .values({
      id: p.id,
      organisation_id: p.organisationId,
      kind: p.kind,
      first_name: p.firstName,
      last_name: p.lastName,
      birth_date: p.birthDate,
      email: p.email?.trim().toLowerCase() ?? null,
      phone: p.phone,
      external_id: p.externalId,
      created_at: p.now,
      updated_at: p.now,
    })
    .execute();
}

export async function updatePerson(
  db: Executor,
  id: string,
  changes: { firstName?: string; lastName?: string; birthDate?: string | null; email?: string | null; phone?: string | null },
  now: string,
): Promise<void> {
  await db
    .updateTable('people')
    .set({
      ...(changes.firstName !== undefined && { first_name: changes.firstName }),
      ...(changes.lastName !== undefined && { last_name: changes.lastName }),
      ...(changes.birthDate !== undefined && { birth_date: changes.birthDate }),
      ...(changes.email !== undefined && { email: changes.email?.trim().toLowerCase() ?? null }),
      ...(changes.phone !== undefined && { phone: changes.phone }),
      updated_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function listMemberships(db: Executor, personIds: readonly string[]): Promise<(Membership & { unit_id: string })[]> {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('memberships')
    .innerJoin('groups', 'groups.id', 'memberships.group_id')
    .select([
      'memberships.id',
      'memberships.person_id',
      'memberships.group_id',
      'memberships.from_date',
      'memberships.to_date',
      'memberships.created_at',
      'groups.unit_id',
    ])
    .where('memberships.person_id', 'in', personIds)
    .orderBy('memberships.from_date')
    .execute();
}

export async function findMembership(db: Executor, id: string): Promise<Membership | undefined> {
  return db.selectFrom('memberships').select(membershipColumns).where('id', '=', id).executeTakeFirst();
}

export async function insertMembership(
  db: Executor,
  m: { id: string; personId: string; groupId: string; from: string; to: string | null; now: string },
): Promise<void> {
  await db
    .insertInto('memberships')
    .values({ id: m.id, person_id: m.personId, group_id: m.groupId, from_date: m.from, to_date: m.to, created_at: m.now })
    .execute();
}

export async function setMembershipEnd(db: Executor, id: string, to: string | null): Promise<void> {
  await db.updateTable('memberships').set({ to_date: to }).where('id', '=', id).execute();
}
