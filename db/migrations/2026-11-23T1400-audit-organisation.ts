import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.js';

// Frozen: imports no application code.

/**
 * Which organisation an audit event belongs to, so that an admin reads their own
 * organisation's log and no other. An index column beside the chain, not part of the hashed
 * content: the chain still proves every event's content and order.
 */
export async function up(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema.alterTable('audit_events').addColumn('organisation_id', 'text').execute();
  await sql`update audit_events set organisation_id = (select organisation_id from accounts where accounts.id = audit_events.actor_id) where actor_id is not null`.execute(db);
  await db.schema.createIndex('audit_events_organisation').on('audit_events').columns(['organisation_id', 'seq']).execute();
}

export async function down(db: Kysely<any>, _engine: Engine): Promise<void> {
  await db.schema.dropIndex('audit_events_organisation').execute();
  await db.schema.alterTable('audit_events').dropColumn('organisation_id').execute();
}
