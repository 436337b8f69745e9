import type { Executor, Takedown } from '../../../db/schema.js';

const columns = ['id', 'publication_id', 'unit_id', 'reason', 'person_id', 'requested_by', 'status', 'created_at', 'due_at', 'done_at', 'done_by', 'evidence'] as const;

export async function insertTakedown(db: Executor, t: Takedown): Promise<void> {
  await db.insertInto('takedowns').values(t).execute();
}

// 12 values a row: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const INSERT_ROWS = 1000;

export async function insertTakedowns(db: Executor, rows: readonly Takedown[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_ROWS) await db.insertInto('takedowns').values(rows.slice(i, i + INSERT_ROWS)).execute();
}

/** Which of the publications have an open takedown task. */
export async function publicationsWithOpenTakedown(db: Executor, publicationIds: readonly string[]): Promise<Set<string>> {
  if (publicationIds.length === 0) return new Set();
  const rows = await db.selectFrom('takedowns').select('publication_id').where('publication_id', 'in', publicationIds).where('status', '=', 'open').execute();
  return new Set(rows.map((r) => r.publication_id));
}

export async function findTakedown(db: Executor, id: string): Promise<Takedown | undefined> {
  return db.selectFrom('takedowns').select(columns).where('id', '=', id).executeTakeFirst();
}

export async function openTakedownFor(db: Executor, publicationId: string): Promise<Takedown | undefined> {
  return db.selectFrom('takedowns').select(columns).where('publication_id', '=', publicationId).where('status', '=', 'open').executeTakeFirst();
}

/** Takedowns of the organisation's units (all of them when unitIds is null). */
export async function listTakedowns(db: Executor, organisationId: string, unitIds: readonly string[] | null, status?: 'open' | 'done'): Promise<Takedown[]> {
  // Takedowns carry only a unit: without this, an admin (unitIds null) would list every organisation's.
  let q = db
    .selectFrom('takedowns')
    .select(columns)
    .where('unit_id', 'in', db.selectFrom('units').select('units.id').where('units.organisation_id', '=', organisationId));
  if (unitIds) {
    if (unitIds.length === 0) return [];
    q = q.where('unit_id', 'in', unitIds);
  }
  if (status) q = q.where('status', '=', status);
  return q.orderBy('due_at').orderBy('id').execute();
}

export async function takedownsOfPublications(db: Executor, publicationIds: readonly string[]): Promise<Takedown[]> {
  if (publicationIds.length === 0) return [];
  return db.selectFrom('takedowns').select(columns).where('publication_id', 'in', publicationIds).orderBy('created_at').execute();
}

export async function completeTakedown(db: Executor, id: string, by: string, evidence: string, at: string): Promise<void> {
  await db.updateTable('takedowns').set({ status: 'done', done_by: by, done_at: at, evidence }).where('id', '=', id).where('status', '=', 'open').execute();
}
