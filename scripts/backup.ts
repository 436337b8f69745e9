/**
 * npm run backup -- [folder]: an online, consistent copy of the database and the photo blobs,
 * taken while the server runs. See README.md, "Backup and restore".
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sqliteFileFor } from '../db/dialect.js';
import { ConfigError, loadConfig, type Config } from '../server/config.js';
import { fail } from './cli.js';
import { backupPostgres, backupSqlite } from './lib/backup-database.js';
import { copyBlobs, MANIFEST, sha256File, writeDurably, type BlobEntry, type Manifest, type Snapshot } from './lib/backup-files.js';

const USAGE = 'Usage: npm run backup -- [folder]\nWithout a folder the backup goes to backups/samtykke-<date>-<time> here.';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { help: { type: 'boolean', default: false } } });
if (values.help || positionals.length > 1) fail(USAGE, values.help ? 0 : 64);

if (existsSync('.env')) process.loadEnvFile('.env');
let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(err.message);
  throw err;
}

const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
const dir = path.resolve(positionals[0] ?? path.join('backups', `samtykke-${stamp}`));

if (existsSync(dir) && readdirSync(dir).length > 0) fail(`${dir} is not empty: a backup goes into a new or empty folder.`);
try {
  mkdirSync(dir, { recursive: true });
  const started = Date.now();
  const blobRoot = path.join(config.dataDir, 'blobs');
  const copied = new Map<string, BlobEntry>();
  // Blobs are written before the row that refers to them commits. Copying them before and
  // after the database copy therefore catches every blob the copy refers to, unless a photo
  // was deleted in between.
  await copyBlobs(blobRoot, path.join(dir, 'blobs'), copied);
  const postgres = config.databaseUrl !== null && /^postgres(ql)?:\/\//.test(config.databaseUrl);
  let snapshot: Snapshot;
  let schema: string | null = null;
  let file: string;
  if (postgres) {
    file = 'database.pgdump';
    ({ schema, snapshot } = await backupPostgres(config.databaseUrl!, config.databaseSchema, path.join(dir, file)));
  } else {
    file = 'database.sqlite';
    snapshot = await backupSqlite(sqliteFileFor({ url: config.databaseUrl, dataDir: config.dataDir }), path.join(dir, file));
  }
  await copyBlobs(blobRoot, path.join(dir, 'blobs'), copied);
  const missing = snapshot.referencedBlobs.filter((id) => !copied.has(id));
  if (missing.length > 0) {
    console.warn(
      `Warning: ${missing.length} photo files the database refers to are not in ${blobRoot} (deleted while the backup ran, or lost before it; first: ${missing[0]}). ` +
        'The backup is written without them; run it again if photos were being deleted.',
    );
  }
  const blobs = [...copied.values()].sort((a, b) => a.id.localeCompare(b.id));
  const manifest: Manifest = {
    format: 'samtykke-backup',
    version: 1,
    createdAt: new Date().toISOString(),
    engine: postgres ? 'postgres' : 'sqlite',
    schema,
    database: { file, ...(await sha256File(path.join(dir, file))) },
    audit: { events: snapshot.auditEvents, lastSeq: snapshot.lastSeq, lastHash: snapshot.lastHash },
    blobs,
  };
  // Written last: a folder without it is an unfinished backup.
  await writeDurably(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const blobBytes = blobs.reduce((sum, b) => sum + b.bytes, 0);
  console.log(
    `Backup written to ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s:\n` +
      `  ${postgres ? `PostgreSQL schema ${schema} (pg_dump, custom format)` : 'SQLite database'}: ${mb(manifest.database.bytes)} MB, ${snapshot.auditEvents} audit events\n` +
      `  photo files: ${blobs.length} (${mb(blobBytes)} MB), each with its SHA-256 in ${MANIFEST}\n` +
      `Restore it with: npm run restore -- ${dir}`,
  );
} catch (err) {
  // The folder was new or empty: what is in it now is this attempt's, and useless without a manifest.
  for (const entry of existsSync(dir) ? readdirSync(dir) : []) rmSync(path.join(dir, entry), { recursive: true, force: true });
  fail(`The backup failed: ${err instanceof Error ? err.message : String(err)}`);
}
