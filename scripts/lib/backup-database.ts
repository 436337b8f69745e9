/**
 * Copying the database out and back, per engine. SQLite: the online backup API, which copies
 * a consistent snapshot while the server goes on writing. PostgreSQL: pg_dump of the app's
 * schema in one repeatable-read snapshot, and pg_restore in one transaction.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { copyFile, mkdtemp, open, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { BackupError, type Snapshot } from './backup-files.js';

// What a copy holds, asked of the copy itself (SQLite) or inside the dump's snapshot (PostgreSQL).
const AUDIT_COUNT = 'select count(*) as events, coalesce(max(seq), 0) as last_seq from audit_events';
const AUDIT_HEAD = 'select hash from audit_events order by seq desc limit 1';
const REFERENCED_BLOBS =
  'select display_blob as id from photos union select thumb_blob from photos union select derivative_blob from publications where derivative_blob is not null';

/** Whether a database about to be restored into already holds anything. */
export interface TargetState {
  holdsData: boolean;
  /** A sentence for the refusal, e.g. "holds 1,234 audit events". */
  description: string;
}

// ---- SQLite ----------------------------------------------------------------------------

/**
 * Copies the database with SQLite's backup API while the server may be writing to it. All
 * pages go in one step, under one read transaction, so the copy is one consistent moment;
 * the copy is switched out of WAL mode so that it is a single self-contained file.
 */
export async function backupSqlite(source: string, dest: string): Promise<Snapshot> {
  if (!existsSync(source)) throw new BackupError(`There is no SQLite database at ${source}. Check DATABASE_URL and DATA_DIR.`);
  const db = new SqliteDatabase(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 10000');
    await db.backup(dest, { progress: () => 0x7fffffff });
  } finally {
    db.close();
  }
  const copy = new SqliteDatabase(dest);
  try {
    copy.pragma('journal_mode = DELETE');
    const check = copy.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new BackupError(`The copy of the database fails SQLite's integrity check (${String(check)}); the database itself may be damaged.`);
    const count = copy.prepare(AUDIT_COUNT).get() as { events: number; last_seq: number };
    const head = copy.prepare(AUDIT_HEAD).get() as { hash: string } | undefined;
    const blobs = copy.prepare(REFERENCED_BLOBS).all() as { id: string }[];
    return { auditEvents: count.events, lastSeq: count.last_seq, lastHash: head?.hash ?? null, referencedBlobs: blobs.map((b) => b.id) };
  } finally {
    copy.close();
  }
}

export function sqliteTarget(file: string): TargetState {
  if (!existsSync(file)) return { holdsData: false, description: 'does not exist yet' };
  let db: SqliteDatabase.Database | null = null;
  try {
    db = new SqliteDatabase(file, { fileMustExist: true });
    const tables = new Set((db.prepare(`select name from sqlite_master where type = 'table'`).all() as { name: string }[]).map((r) => r.name));
    if (!tables.has('audit_events') || !tables.has('organisations')) {
      return tables.size === 0 ? { holdsData: false, description: 'is empty' } : { holdsData: true, description: `holds ${tables.size} tables that are not Samtykke's` };
    }
    const events = (db.prepare('select count(*) as n from audit_events').get() as { n: number }).n;
    const orgs = (db.prepare('select count(*) as n from organisations').get() as { n: number }).n;
    // A database the app only migrated (started once with DEMO=off) holds nothing to lose.
    return events + orgs === 0 ? { holdsData: false, description: 'has tables but no data' } : { holdsData: true, description: `holds ${events} audit events` };
  } catch (err) {
    return { holdsData: true, description: `cannot be read (${err instanceof Error ? err.message : String(err)})` };
  } finally {
    db?.close();
  }
}

/**
 * Puts the backup copy in place of the database file. Any write-ahead log of the old file goes
 * first: SQLite would otherwise replay it onto the restored file.
 */
export async function restoreSqlite(backupFile: string, target: string): Promise<void> {
  mkdirSync(path.dirname(target), { recursive: true });
  const temp = `${target}.restoring`;
  await rm(temp, { force: true });
  await copyFile(backupFile, temp);
  const handle = await open(temp, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  for (const suffix of ['-wal', '-shm', '-journal']) await rm(`${target}${suffix}`, { force: true });
  await rename(temp, target);
  const dir = await open(path.dirname(target), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

// ---- PostgreSQL --------------------------------------------------------------------------

/** The connection for pg_dump and pg_restore, with the password in the environment rather than on the command line. */
function libpq(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return { dbname: u.toString(), env: { ...process.env, ...(password && { PGPASSWORD: password }) } };
}

function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new BackupError(
          err.code === 'ENOENT'
            ? `${command} was not found. Install the PostgreSQL client tools (the same major version as the server or newer), e.g. apt-get install postgresql-client.`
            : `${command} could not be started: ${err.message}`,
        ),
      ),
    );
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new BackupError(`${command} failed (exit ${code}):\n${stderr.trim()}`))));
  });
}

async function connect(url: string, schema: string | null): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, ...(schema && { options: `-c search_path=${schema}` }) });
  try {
    await client.connect();
  } catch (err) {
    throw new BackupError(`Cannot connect to PostgreSQL: ${err instanceof Error ? err.message : String(err)}`);
  }
  return client;
}

/** The schema the app uses: DATABASE_SCHEMA, or the connection's own (public unless the URL says otherwise). */
async function schemaOf(client: pg.Client, configured: string | null): Promise<string | null> {
  if (configured) return configured;
  return ((await client.query<{ s: string | null }>('select current_schema() as s')).rows[0]?.s ?? null) || null;
}

/**
 * Dumps the app's schema with pg_dump in the custom format. The dump runs in a snapshot this
 * connection exports, and the audit head and blob references are read in the same snapshot,
 * so the manifest describes exactly what the dump holds.
 */
export async function backupPostgres(url: string, configuredSchema: string | null, dest: string): Promise<{ schema: string; snapshot: Snapshot }> {
  const client = await connect(url, configuredSchema);
  try {
    const schema = await schemaOf(client, configuredSchema);
    const exists = schema && (await client.query('select 1 from pg_namespace where nspname = $1', [schema])).rowCount;
    if (!schema || !exists) throw new BackupError(`The schema ${schema ?? '(none)'} does not exist in that database. Check DATABASE_URL and DATABASE_SCHEMA.`);
    await client.query('begin isolation level repeatable read read only');
    await client.query(`set local search_path to ${pg.escapeIdentifier(schema)}`);
    const snapshotId = (await client.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    const conn = libpq(url);
    const dump = runTool('pg_dump', ['--format=custom', `--schema=${schema}`, '--no-owner', '--no-privileges', `--snapshot=${snapshotId}`, `--file=${dest}`, `--dbname=${conn.dbname}`], conn.env);
    const read = (async () => {
      const q = (text: string) => client.query(text);
      const count = (await q(AUDIT_COUNT)).rows[0] as { events: string; last_seq: string | number };
      const head = (await q(AUDIT_HEAD)).rows[0] as { hash: string } | undefined;
      const blobs = (await q(REFERENCED_BLOBS)).rows as { id: string }[];
      return { auditEvents: Number(count.events), lastSeq: Number(count.last_seq), lastHash: head?.hash ?? null, referencedBlobs: blobs.map((b) => b.id) };
    })();
    const [, snapshot] = await Promise.all([dump, read]);
    await client.query('commit');
    return { schema, snapshot };
  } finally {
    await client.end();
  }
}

export async function postgresTarget(url: string, configuredSchema: string | null, backupSchema: string): Promise<TargetState & { schema: string; exists: boolean; tables: number }> {
  const client = await connect(url, null);
  try {
    // Without DATABASE_SCHEMA, the connection's search_path (the URL may set one) names it; a
    // search_path naming no existing schema means the backup's schema is to be created.
    const schema = (await schemaOf(client, configuredSchema)) ?? backupSchema;
    if (schema !== backupSchema) {
      throw new BackupError(
        `the backup holds the schema ${backupSchema}, but this database would use ${schema}. pg_restore cannot rename a schema: ` +
          `set DATABASE_SCHEMA=${backupSchema} (in another database if that schema is in use here).`,
      );
    }
    const exists = ((await client.query('select 1 from pg_namespace where nspname = $1', [schema])).rowCount ?? 0) > 0;
    if (!exists) return { schema, exists, tables: 0, holdsData: false, description: 'does not exist yet' };
    const tables = (await client.query<{ name: string }>(`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = $1 and c.relkind in ('r', 'p')`, [schema])).rows.map((r) => r.name);
    if (tables.length === 0) return { schema, exists, tables: 0, holdsData: false, description: 'is empty' };
    if (!tables.includes('audit_events') || !tables.includes('organisations')) {
      return { schema, exists, tables: tables.length, holdsData: true, description: `holds ${tables.length} tables that are not Samtykke's` };
    }
    const s = pg.escapeIdentifier(schema);
    const row = (await client.query<{ events: string; orgs: string }>(`select (select count(*) from ${s}.audit_events) as events, (select count(*) from ${s}.organisations) as orgs`)).rows[0]!;
    const events = Number(row.events);
    return events + Number(row.orgs) === 0
      ? { schema, exists, tables: tables.length, holdsData: false, description: 'has tables but no data' }
      : { schema, exists, tables: tables.length, holdsData: true, description: `holds ${events} audit events` };
  } finally {
    await client.end();
  }
}

/**
 * Restores a dump into its schema: an existing schema with tables in it is dropped first (the
 * caller has made sure it holds nothing or was told to replace it), then everything in the
 * dump but the schema itself is restored in one transaction.
 */
export async function restorePostgres(url: string, target: { schema: string; exists: boolean; tables: number }, dumpFile: string): Promise<void> {
  const client = await connect(url, null);
  try {
    const s = pg.escapeIdentifier(target.schema);
    if (target.exists && target.tables > 0) await client.query(`drop schema ${s} cascade`);
    if (!target.exists || target.tables > 0) await client.query(`create schema ${s}`);
  } finally {
    await client.end();
  }
  const conn = libpq(url);
  // The dump creates its schema; ours exists now, made by the app's own role, so that entry is left out.
  const list = (await runTool('pg_restore', ['--list', dumpFile], conn.env))
    .split('\n')
    .filter((line) => !/^\d+; \d+ \d+ (SCHEMA -|COMMENT - SCHEMA) /.test(line))
    .join('\n');
  const work = await mkdtemp(path.join(tmpdir(), 'samtykke-restore-'));
  const listFile = path.join(work, 'restore.list');
  await writeFile(listFile, list);
  try {
    await runTool('pg_restore', ['--exit-on-error', '--single-transaction', '--no-owner', '--no-privileges', `--use-list=${listFile}`, `--dbname=${conn.dbname}`, dumpFile], conn.env);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
