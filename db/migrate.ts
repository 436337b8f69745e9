import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Engine } from './dialect.js';
import type { Database } from './schema.js';
import * as foundation from './migrations/2026-11-23T0900-foundation.js';
import * as consent from './migrations/2026-11-23T1000-consent.js';
import * as settings from './migrations/2026-11-23T1100-settings.js';
import * as photos from './migrations/2026-11-23T1200-photos.js';
import * as publications from './migrations/2026-11-23T1300-publications.js';
import * as auditOrganisation from './migrations/2026-11-23T1400-audit-organisation.js';
import * as gateReads from './migrations/2026-11-24T0900-gate-reads.js';

interface EngineMigration {
  up(db: Kysely<any>, engine: Engine): Promise<void>;
  down(db: Kysely<any>, engine: Engine): Promise<void>;
}

// Listed explicitly (not read from the folder) so the same list works under tsx, vitest and a bundle.
// Names sort by date; never rename or edit one that has shipped.
const migrations: Record<string, EngineMigration> = {
  '2026-11-23T0900-foundation': foundation,
  '2026-11-23T1000-consent': consent,
  '2026-11-23T1100-settings': settings,
  '2026-11-23T1200-photos': photos,
  '2026-11-23T1300-publications': publications,
  '2026-11-23T1400-audit-organisation': auditOrganisation,
  '2026-11-24T0900-gate-reads': gateReads,
};

class EngineMigrationProvider implements MigrationProvider {
  constructor(private readonly engine: Engine) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, m] of Object.entries(migrations)) {
      out[name] = { up: (db) => m.up(db, this.engine), down: (db) => m.down(db, this.engine) };
    }
    return out;
  }
}

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>, engine: Engine): Promise<string[]> {
  // Unless told the schema, kysely looks for its bookkeeping tables in every schema of the
  // database; with several schemas (one per test file, or another app's) it finds another's
  // tables, never creates ours and fails. The first schema on the search_path is where ours live.
  const migrationTableSchema = engine === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider: new EngineMigrationProvider(engine), ...(migrationTableSchema && { migrationTableSchema }) });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${reason}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Moves the schema to a named migration, up or down; for tests of a migration on old data. */
export async function migrateTo(db: Kysely<Database>, engine: Engine, name: string): Promise<void> {
  const migrationTableSchema = engine === 'postgres' ? await currentSchema(db) : undefined;
  const migrator = new Migrator({ db, provider: new EngineMigrationProvider(engine), ...(migrationTableSchema && { migrationTableSchema }) });
  const { error } = await migrator.migrateTo(name);
  if (error) throw error;
}

async function currentSchema(db: Kysely<Database>): Promise<string | undefined> {
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}
