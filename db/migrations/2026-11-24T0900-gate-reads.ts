import { sql, type Kysely } from 'kysely';
import type { Engine } from '../dialect.js';

// Frozen: imports no application code.

/**
 * What the publish gate reads on every check, made cheaper to read.
 *
 * 1. `roster_versions`: one row per unit whose roster of children has changed, holding a random
 *    token that triggers replace whenever a membership, a member's name or kind, or a group's
 *    unit changes. A process may keep a unit's prepared names for as long as the token it read
 *    them under is unchanged. A token is random, not a counter, so a rolled-back change never
 *    brings back a token that stood for other data. (A database restored from a backup, or a
 *    migration taken down and up again, can: servers are stopped for either, which empties
 *    their caches.)
 * 2. `consent_versions`: the same, per person, for everything the consent rule reads about them
 *    (their decisions, child views, protection, guardians, memberships and the groups' units,
 *    kind and birth date). A process may keep a person's consent facts while the token holds.
 * 3. The consent decisions the gate reads (per person and purpose, in order) are found in one
 *    index, without visiting the table.
 */
export async function up(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema
    .createTable('roster_versions')
    .addColumn('unit_id', 'text', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull())
    .execute();

  if (engine === 'sqlite') {
    const token = 'lower(hex(randomblob(12)))';
    // Upsert inside a trigger needs a WHERE on its SELECT (SQLite's parser otherwise reads ON as a join).
    const bumpGroup = (group: string) =>
      `INSERT INTO roster_versions (unit_id, token) SELECT unit_id, ${token} FROM groups WHERE id = ${group}
         ON CONFLICT (unit_id) DO UPDATE SET token = excluded.token;`;
    const bumpUnit = (unit: string) =>
      `INSERT INTO roster_versions (unit_id, token) SELECT ${unit}, ${token} WHERE true
         ON CONFLICT (unit_id) DO UPDATE SET token = excluded.token;`;
    const bumpPerson = (person: string) =>
      `INSERT INTO roster_versions (unit_id, token)
         SELECT unit_id, ${token} FROM (SELECT DISTINCT g.unit_id FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.person_id = ${person}) WHERE true
         ON CONFLICT (unit_id) DO UPDATE SET token = excluded.token;`;
    const triggers = [
      `CREATE TRIGGER roster_membership_insert AFTER INSERT ON memberships BEGIN ${bumpGroup('NEW.group_id')} END`,
      `CREATE TRIGGER roster_membership_update AFTER UPDATE ON memberships BEGIN ${bumpGroup('OLD.group_id')} ${bumpGroup('NEW.group_id')} END`,
      `CREATE TRIGGER roster_membership_delete AFTER DELETE ON memberships BEGIN ${bumpGroup('OLD.group_id')} END`,
      `CREATE TRIGGER roster_person_update AFTER UPDATE OF first_name, last_name, kind, organisation_id ON people BEGIN ${bumpPerson('NEW.id')} END`,
      `CREATE TRIGGER roster_group_update AFTER UPDATE OF unit_id ON groups BEGIN ${bumpUnit('OLD.unit_id')} ${bumpUnit('NEW.unit_id')} END`,
      `CREATE TRIGGER roster_group_delete AFTER DELETE ON groups BEGIN ${bumpUnit('OLD.unit_id')} END`,
    ];
    for (const t of triggers) await sql.raw(t).execute(db);
  } else {
    // On PostgreSQL the tokens are replaced at commit (deferred constraint triggers), not at
    // each statement: a row lock on a token taken mid-transaction, before the audit lock that
    // every audited write takes (audit.repository.ts), could deadlock against a transaction
    // that took the audit lock first and then touches the same person or unit. At commit,
    // every transaction that audits already holds the audit lock. Inside a transaction the
    // tokens are therefore not yet new, and the caches are not used there (rosterNames,
    // loadConsentFacts).
    await sql`CREATE FUNCTION roster_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        units text[];
        new_group text;
        old_group text;
      BEGIN
        IF TG_TABLE_NAME = 'memberships' THEN
          IF TG_OP <> 'DELETE' THEN new_group := NEW.group_id; END IF;
          IF TG_OP <> 'INSERT' THEN old_group := OLD.group_id; END IF;
          SELECT array_agg(g.unit_id) INTO units FROM groups g WHERE g.id IN (new_group, old_group);
        ELSIF TG_TABLE_NAME = 'people' THEN
          SELECT array_agg(g.unit_id) INTO units FROM memberships m JOIN groups g ON g.id = m.group_id WHERE m.person_id = NEW.id;
        ELSIF TG_OP = 'DELETE' THEN
          units := ARRAY[OLD.unit_id];
        ELSE
          units := ARRAY[OLD.unit_id, NEW.unit_id];
        END IF;
        INSERT INTO roster_versions AS v (unit_id, token)
          SELECT u, md5(random()::text || clock_timestamp()::text || u) FROM (SELECT DISTINCT unnest(units) AS u) s WHERE u IS NOT NULL
          ON CONFLICT (unit_id) DO UPDATE SET token = excluded.token;
        RETURN NULL;
      END $$`.execute(db);
    await sql`CREATE CONSTRAINT TRIGGER roster_membership_change AFTER INSERT OR UPDATE OR DELETE ON memberships DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION roster_changed()`.execute(db);
    await sql`CREATE CONSTRAINT TRIGGER roster_person_update AFTER UPDATE OF first_name, last_name, kind, organisation_id ON people DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION roster_changed()`.execute(db);
    await sql`CREATE CONSTRAINT TRIGGER roster_group_update AFTER UPDATE OF unit_id ON groups DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION roster_changed()`.execute(db);
    await sql`CREATE CONSTRAINT TRIGGER roster_group_delete AFTER DELETE ON groups DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION roster_changed()`.execute(db);
  }

  await db.schema
    .createTable('consent_versions')
    .addColumn('person_id', 'text', (c) => c.primaryKey())
    .addColumn('token', 'text', (c) => c.notNull())
    .execute();
  // Table → the column naming the person whose consent facts a row belongs to.
  const DEFERRED = 'DEFERRABLE INITIALLY DEFERRED';
  const factTables: [string, string][] = [
    ['consent_decisions', 'person_id'],
    ['child_views', 'person_id'],
    ['protection_changes', 'person_id'],
    ['guardian_links', 'child_id'],
    ['memberships', 'person_id'],
  ];
  if (engine === 'sqlite') {
    const bump = (person: string) =>
      `INSERT INTO consent_versions (person_id, token) SELECT ${person}, lower(hex(randomblob(12))) WHERE true
         ON CONFLICT (person_id) DO UPDATE SET token = excluded.token;`;
    const triggers: string[] = [];
    for (const [table, column] of factTables) {
      triggers.push(`CREATE TRIGGER consent_facts_${table}_insert AFTER INSERT ON ${table} BEGIN ${bump(`NEW.${column}`)} END`);
      triggers.push(`CREATE TRIGGER consent_facts_${table}_update AFTER UPDATE ON ${table} BEGIN ${bump(`OLD.${column}`)} ${bump(`NEW.${column}`)} END`);
      triggers.push(`CREATE TRIGGER consent_facts_${table}_delete AFTER DELETE ON ${table} BEGIN ${bump(`OLD.${column}`)} END`);
    }
    triggers.push(`CREATE TRIGGER consent_facts_people_update AFTER UPDATE OF kind, birth_date, organisation_id ON people BEGIN ${bump('NEW.id')} END`);
    triggers.push(`CREATE TRIGGER consent_facts_people_delete AFTER DELETE ON people BEGIN ${bump('OLD.id')} END`);
    triggers.push(`CREATE TRIGGER consent_facts_groups_update AFTER UPDATE OF unit_id ON groups BEGIN
      INSERT INTO consent_versions (person_id, token) SELECT person_id, lower(hex(randomblob(12))) FROM (SELECT DISTINCT person_id FROM memberships WHERE group_id = NEW.id) WHERE true
        ON CONFLICT (person_id) DO UPDATE SET token = excluded.token; END`);
    for (const t of triggers) await sql.raw(t).execute(db);
  } else {
    // One function per column name, reading NEW and OLD directly (no row-to-JSON per insert);
    // deferred to commit, as the roster's (see there).
    for (const column of ['person_id', 'child_id', 'id']) {
      await sql.raw(`CREATE FUNCTION consent_facts_changed_${column}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
          people text[] := ARRAY[]::text[];
        BEGIN
          IF TG_OP <> 'DELETE' THEN people := people || NEW.${column}; END IF;
          IF TG_OP <> 'INSERT' THEN people := people || OLD.${column}; END IF;
          INSERT INTO consent_versions AS v (person_id, token)
            SELECT p, md5(random()::text || clock_timestamp()::text || p) FROM (SELECT DISTINCT unnest(people) AS p) s WHERE p IS NOT NULL
            ON CONFLICT (person_id) DO UPDATE SET token = excluded.token;
          RETURN NULL;
        END $$`).execute(db);
    }
    await sql`CREATE FUNCTION consent_facts_group_moved() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO consent_versions AS v (person_id, token)
          SELECT p, md5(random()::text || clock_timestamp()::text || p) FROM (SELECT DISTINCT person_id AS p FROM memberships WHERE group_id = NEW.id) s
          ON CONFLICT (person_id) DO UPDATE SET token = excluded.token;
        RETURN NULL;
      END $$`.execute(db);
    for (const [table, column] of factTables) {
      await sql.raw(`CREATE CONSTRAINT TRIGGER consent_facts_change AFTER INSERT OR UPDATE OR DELETE ON ${table} ${DEFERRED} FOR EACH ROW EXECUTE FUNCTION consent_facts_changed_${column}()`).execute(db);
    }
    await sql`CREATE CONSTRAINT TRIGGER consent_facts_change AFTER UPDATE OF kind, birth_date, organisation_id OR DELETE ON people DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION consent_facts_changed_id()`.execute(db);
    await sql`CREATE CONSTRAINT TRIGGER consent_facts_change AFTER UPDATE OF unit_id ON groups DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION consent_facts_group_moved()`.execute(db);
  }

  // Covers every column listFactDecisions reads, in the order it reads them.
  if (engine === 'sqlite') {
    await sql`CREATE INDEX consent_decisions_facts ON consent_decisions
      (person_id, purpose_id, decided_at, id, question, decision, decided_by_person_id, notice_version, occasion)`.execute(db);
  } else {
    await sql`CREATE INDEX consent_decisions_facts ON consent_decisions (person_id, purpose_id, decided_at, id)
      INCLUDE (question, decision, decided_by_person_id, notice_version, occasion)`.execute(db);
  }
  await db.schema.dropIndex('consent_decisions_person_purpose').execute();
}

export async function down(db: Kysely<any>, engine: Engine): Promise<void> {
  await db.schema.createIndex('consent_decisions_person_purpose').on('consent_decisions').columns(['person_id', 'purpose_id']).execute();
  await db.schema.dropIndex('consent_decisions_facts').execute();
  const factTables = ['consent_decisions', 'child_views', 'protection_changes', 'guardian_links', 'memberships'];
  if (engine === 'sqlite') {
    for (const table of factTables) for (const op of ['insert', 'update', 'delete']) await sql.raw(`DROP TRIGGER consent_facts_${table}_${op}`).execute(db);
    for (const t of ['consent_facts_people_update', 'consent_facts_people_delete', 'consent_facts_groups_update']) await sql.raw(`DROP TRIGGER ${t}`).execute(db);
  } else {
    for (const table of [...factTables, 'people', 'groups']) await sql.raw(`DROP TRIGGER consent_facts_change ON ${table}`).execute(db);
    for (const f of ['consent_facts_changed_person_id', 'consent_facts_changed_child_id', 'consent_facts_changed_id', 'consent_facts_group_moved']) await sql.raw(`DROP FUNCTION ${f}()`).execute(db);
  }
  await db.schema.dropTable('consent_versions').execute();
  if (engine === 'sqlite') {
    for (const t of ['roster_membership_insert', 'roster_membership_update', 'roster_membership_delete', 'roster_person_update', 'roster_group_update', 'roster_group_delete']) {
      await sql.raw(`DROP TRIGGER ${t}`).execute(db);
    }
  } else {
    await sql`DROP TRIGGER roster_membership_change ON memberships`.execute(db);
    await sql`DROP TRIGGER roster_person_update ON people`.execute(db);
    await sql`DROP TRIGGER roster_group_update ON groups`.execute(db);
    await sql`DROP TRIGGER roster_group_delete ON groups`.execute(db);
    await sql`DROP FUNCTION roster_changed()`.execute(db);
  }
  await db.schema.dropTable('roster_versions').execute();
}
