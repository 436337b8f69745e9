import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.js';

// Frozen: imports no application code.

/** Photos exist only as re-encoded derivatives in the blob store; no original is kept. */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('group_id', 'text', (c) => c.notNull().references('groups.id'))
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('uploaded_at', 'text', (c) => c.notNull())
    .addColumn('captured_at', 'text')
    .addColumn('width', 'integer', (c) => c.notNull())
    .addColumn('height', 'integer', (c) => c.notNull())
    .addColumn('display_blob', 'text', (c) => c.notNull())
    .addColumn('display_bytes', 'integer', (c) => c.notNull())
    .addColumn('thumb_blob', 'text', (c) => c.notNull())
    .addColumn('thumb_width', 'integer', (c) => c.notNull())
    .addColumn('thumb_height', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('activity', 'portrait')`))
    .addColumn('no_people', 'integer', (c) => c.notNull().check(sql`no_people in (0, 1)`))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('photos_group_uploaded').on('photos').columns(['group_id', 'uploaded_at']).execute();
  await db.schema.createIndex('photos_unit_uploaded').on('photos').columns(['unit_id', 'uploaded_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('Restore a backup instead of reverting.');
}
