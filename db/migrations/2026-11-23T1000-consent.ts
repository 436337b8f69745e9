import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.js';

// Frozen: imports no application code.

async function appendOnly(db: Kysely<any>, engine: Engine, table: string): Promise<void> {
  if (engine === 'sqlite') {
    await sql.raw(`CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`).execute(db);
    await sql.raw(`CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`).execute(db);
  } else {
    await sql.raw(`CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION append_only()`).execute(db);
  }
}

export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  if (engine === 'postgres') {
    await sql`CREATE FUNCTION append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$`.execute(db);
  }

  await db.schema
    .createTable('purposes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name_nb', 'text', (c) => c.notNull())
    .addColumn('name_nn', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull().check(sql`audience in ('internal', 'closed', 'public', 'press')`))
    .addColumn('guardian_rule', 'text', (c) => c.notNull().check(sql`guardian_rule in ('any', 'both')`))
    .addColumn('first_name_question', 'integer', (c) => c.notNull().check(sql`first_name_question in (0, 1)`))
    .addColumn('per_occasion', 'integer', (c) => c.notNull().check(sql`per_occasion in (0, 1)`))
    .addColumn('active', 'integer', (c) => c.notNull().check(sql`active in (0, 1)`))
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('purposes_org_code_unique', ['organisation_id', 'code'])
    .execute();

  await db.schema
    .createTable('notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('purpose_id', 'text', (c) => c.notNull().references('purposes.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('lang', 'text', (c) => c.notNull().check(sql`lang in ('nb', 'nn', 'en')`))
    .addColumn('material', 'integer', (c) => c.notNull().check(sql`material in (0, 1)`))
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('where_published', 'text', (c) => c.notNull())
    .addColumn('who_can_see', 'text', (c) => c.notNull())
    .addColumn('retention', 'text', (c) => c.notNull())
    .addColumn('withdrawal', 'text', (c) => c.notNull())
    .addColumn('contact', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('notices_version_lang_unique', ['purpose_id', 'version', 'lang'])
    .execute();
  await appendOnly(db, engine, 'notices');

  await db.schema
    .createTable('channels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('purpose_id', 'text', (c) => c.notNull().references('purposes.id'))
    .addColumn('unit_id', 'text', (c) => c.references('units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('hosted', 'external')`))
    .addColumn('max_long_edge', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().check(sql`active in (0, 1)`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('consent_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('purpose_id', 'text', (c) => c.notNull().references('purposes.id'))
    .addColumn('question', 'text', (c) => c.notNull().check(sql`question in ('photo', 'first_name')`))
    .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('given', 'refused', 'withdrawn')`))
    .addColumn('decided_by_person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('decided_by_role', 'text', (c) =>
      c.notNull().check(sql`decided_by_role in ('parent', 'foster_parent', 'child_welfare', 'appointed_guardian', 'self')`),
    )
    .addColumn('method', 'text', (c) => c.notNull().check(sql`method in ('web', 'paper', 'verbal')`))
    .addColumn('recorded_by_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('evidence_note', 'text')
    .addColumn('notice_id', 'text', (c) => c.notNull().references('notices.id'))
    .addColumn('notice_version', 'integer', (c) => c.notNull())
    .addColumn('notice_sha256', 'text', (c) => c.notNull())
    .addColumn('occasion', 'text')
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'text')
    .execute();
  await db.schema.createIndex('consent_decisions_person_purpose').on('consent_decisions').columns(['person_id', 'purpose_id']).execute();
  await appendOnly(db, engine, 'consent_decisions');

  await db.schema
    .createTable('child_views')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('purpose_id', 'text', (c) => c.references('purposes.id'))
    .addColumn('objects', 'integer', (c) => c.notNull().check(sql`objects in (0, 1)`))
    .addColumn('note', 'text')
    .addColumn('recorded_by_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('child_views_person').on('child_views').column('person_id').execute();
  await appendOnly(db, engine, 'child_views');

  // The reason for protection is never stored: only that it applies, who set it and when.
  await db.schema
    .createTable('protection_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_id', 'text', (c) => c.notNull().references('people.id'))
    .addColumn('protected', 'integer', (c) => c.notNull().check(sql`protected in (0, 1)`))
    .addColumn('changed_by_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('protection_changes_person').on('protection_changes').column('person_id').execute();
  await appendOnly(db, engine, 'protection_changes');

  await db.schema
    .createTable('consent_rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id'))
    .addColumn('reason', 'text', (c) => c.notNull().check(sql`reason in ('school_year', 'new_purpose', 'notice_changed', 'other')`))
    .addColumn('purpose_ids', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('started_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('consent_round_recipients')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('consent_rounds.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .addColumn('reminders', 'integer', (c) => c.notNull())
    .addColumn('last_reminded_at', 'text')
    .addUniqueConstraint('round_recipient_unique', ['round_id', 'account_id'])
    .execute();

  // An e-mailed link can lead straight to a page (a consent round's questions).
  await db.schema.alterTable('magic_links').addColumn('next_path', 'text').execute();
}

export async function down(): Promise<void> {
  throw new Error('The consent migration cannot be reverted: restore a backup instead.');
}
