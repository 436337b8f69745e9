import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.js';

// Frozen: imports no application code.

/**
 * Which organisation an audit event belongs to, so that an admin reads their own
 * organisation's log and no other. An index column beside the chain, not part of the hashed
 * content: the chain still proves every event's content and order.
 *
 * Events already written get their organisation from their actor, or else from their object
 * (an account, an organisation, a photo, a publication or a takedown). The log is append-only
 * by trigger; the triggers step aside for this one update, inside the migration's transaction.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('organisation_id', 'text').execute();

  if (engine === 'sqlite') await sql`DROP TRIGGER audit_events_no_update`.execute(db);
  else await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change`.execute(db);
  await sql`
    UPDATE audit_events SET organisation_id = COALESCE(
      (SELECT a.organisation_id FROM accounts a WHERE a.id = audit_events.actor_id),
      CASE audit_events.object_type
        WHEN 'account' THEN (SELECT a.organisation_id FROM accounts a WHERE a.id = audit_events.object_id)
        WHEN 'organisation' THEN (SELECT o.id FROM organisations o WHERE o.id = audit_events.object_id)
        WHEN 'photo' THEN (SELECT p.organisation_id FROM photos p WHERE p.id = audit_events.object_id)
        WHEN 'publication' THEN (SELECT p.organisation_id FROM publications p WHERE p.id = audit_events.object_id)
        WHEN 'takedown' THEN (
          SELECT p.organisation_id FROM takedowns t JOIN publications p ON p.id = t.publication_id WHERE t.id = audit_events.object_id
        )
      END
    )`.execute(db);
  if (engine === 'sqlite') {
    await sql`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
      BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END`.execute(db);
  } else {
    await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change`.execute(db);
  }
  await db.schema.createIndex('audit_events_organisation').on('audit_events').columns(['organisation_id', 'seq']).execute();
}

export async function down(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema.dropIndex('audit_events_organisation').execute();
  await db.schema.alterTable('audit_events').dropColumn('organisation_id').execute();
}
