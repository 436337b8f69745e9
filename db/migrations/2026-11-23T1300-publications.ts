import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.js';

// Frozen: imports no application code.

export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema
    .createTable('photo_tags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('photo_id', 'text', (c) => c.notNull().references('photos.id').onDelete('cascade'))
    // null: a recognisable person who is not registered (a visitor).
    .addColumn('person_id', 'text', (c) => c.references('people.id'))
    .addColumn('recognisable', 'integer', (c) => c.notNull().check(sql`recognisable in (0, 1)`))
    .addColumn('created_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('photo_tags_photo').on('photo_tags').column('photo_id').execute();
  await db.schema.createIndex('photo_tags_person').on('photo_tags').column('person_id').execute();

  await db.schema
    .createTable('publications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    // Kept when the photo is deleted, so the record of what was published survives.
    .addColumn('photo_id', 'text')
    .addColumn('channel_id', 'text', (c) => c.notNull().references('channels.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending_review', 'published', 'rejected', 'unpublished')`))
    .addColumn('caption', 'text', (c) => c.notNull())
    .addColumn('alt_text', 'text', (c) => c.notNull())
    .addColumn('title', 'text')
    .addColumn('occasion', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('reviewed_at', 'text')
    .addColumn('harm_assessed', 'integer', (c) => c.notNull().check(sql`harm_assessed in (0, 1)`))
    .addColumn('review_note', 'text')
    .addColumn('published_at', 'text')
    .addColumn('unpublished_at', 'text')
    .addColumn('unpublish_reason', 'text')
    .addColumn('external_url', 'text')
    .addColumn('derivative_blob', 'text')
    .addColumn('derivative_width', 'integer')
    .addColumn('derivative_height', 'integer')
    // The gate's answer at the last decision (JSON) and the consent decisions it relied on.
    .addColumn('gate', 'text', (c) => c.notNull())
    .addColumn('decision_ids', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('publications_channel_status').on('publications').columns(['channel_id', 'status']).execute();
  await db.schema.createIndex('publications_photo').on('publications').column('photo_id').execute();
  await db.schema.createIndex('publications_unit_requested').on('publications').columns(['unit_id', 'requested_at']).execute();

  await db.schema
    .createTable('takedowns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('publication_id', 'text', (c) => c.notNull().references('publications.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    // The person whose consent or request caused it (ids only).
    .addColumn('person_id', 'text')
    .addColumn('requested_by', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('open', 'done')`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('done_at', 'text')
    .addColumn('done_by', 'text', (c) => c.references('accounts.id'))
    .addColumn('evidence', 'text')
    .execute();
  await db.schema.createIndex('takedowns_unit_status').on('takedowns').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('takedowns_publication').on('takedowns').column('publication_id').execute();

  await db.schema
    .createTable('guidelines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('guidelines_version_lang', ['organisation_id', 'version', 'lang'])
    .execute();

  await db.schema
    .createTable('guideline_acknowledgements')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('guideline_ack_unique', ['account_id', 'version'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('Restore a backup instead of reverting.');
}
