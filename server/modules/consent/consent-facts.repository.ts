import type { Executor } from '../../../db/schema.js';

// The columns the consent rule reads, and no others: the gate loads these for every tagged
// person on every check, and for every person of a withdrawal's publications at once.

export async function listFactPeople(db: Executor, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('people').select(['id', 'organisation_id', 'kind', 'birth_date']).where('id', 'in', ids).execute();
}

export async function listFactGuardianLinks(db: Executor, childIds: readonly string[]) {
  if (childIds.length === 0) return [];
  return db.selectFrom('guardian_links').select(['child_id', 'guardian_id', 'responsibility']).where('child_id', 'in', childIds).execute();
}

export async function listFactMemberships(db: Executor, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('memberships')
    .innerJoin('groups', 'groups.id', 'memberships.group_id')
    .select(['memberships.person_id', 'groups.unit_id', 'memberships.from_date', 'memberships.to_date'])
    .where('memberships.person_id', 'in', personIds)
    .orderBy('memberships.from_date')
    .execute();
}

/** Decisions of the people for the purposes, oldest first. */
export async function listFactDecisions(db: Executor, personIds: readonly string[], purposeIds: readonly string[]) {
  if (personIds.length === 0 || purposeIds.length === 0) return [];
  return db
    .selectFrom('consent_decisions')
    .select(['id', 'person_id', 'purpose_id', 'question', 'decision', 'decided_by_person_id', 'notice_version', 'occasion', 'decided_at'])
    .where('person_id', 'in', personIds)
    .where('purpose_id', 'in', purposeIds)
    .orderBy('decided_at')
    .orderBy('id')
    .execute();
}

export async function listFactChildViews(db: Executor, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return db.selectFrom('child_views').select(['person_id', 'purpose_id', 'objects', 'recorded_at']).where('person_id', 'in', personIds).orderBy('recorded_at').execute();
}

export async function listFactProtection(db: Executor, personIds: readonly string[]) {
  if (personIds.length === 0) return [];
  return db.selectFrom('protection_changes').select(['person_id', 'protected', 'changed_at']).where('person_id', 'in', personIds).orderBy('changed_at').execute();
}

/** Which notice versions of the purposes are material changes. */
export async function listFactNoticeVersions(db: Executor, purposeIds: readonly string[]) {
  if (purposeIds.length === 0) return [];
  return db.selectFrom('notices').select(['purpose_id', 'version', 'material']).distinct().where('purpose_id', 'in', purposeIds).execute();
}

/** The consent-facts token of each person that has one (replaced by triggers on every change; see migration 2026-11-24T0900). */
export async function listConsentTokens(db: Executor, personIds: readonly string[]): Promise<Map<string, string>> {
  if (personIds.length === 0) return new Map();
  const rows = await db.selectFrom('consent_versions').select(['person_id', 'token']).where('person_id', 'in', personIds).execute();
  return new Map(rows.map((r) => [r.person_id, r.token]));
}
