import type { Kysely } from 'kysely';
import type { Engine } from '../dialect.js';

// Frozen: imports no application code.

/** Per-organisation settings; a null column falls back to the environment's default. */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('organisation_settings')
    .addColumn('organisation_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('self_consent_age', 'integer')
    .addColumn('school_year_end', 'text')
    .addColumn('takedown_due_hours', 'integer')
    .addColumn('retention_unpublished_days', 'integer')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Restore a backup instead of reverting.');
}
