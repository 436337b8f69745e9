/**
 * npm run restore -- <backup folder> [--force]: brings a backup made by `npm run backup` back
 * into the configured database and DATA_DIR, then checks what it restored. Stop the server first.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, sqliteFileFor } from '../db/dialect.js';
import { ConfigError, loadConfig, type Config } from '../server/config.js';
import { verifyAuditChain } from '../server/modules/audit/audit.service.js';
import { fail } from './cli.js';
import { postgresTarget, restorePostgres, restoreSqlite, sqliteTarget } from './lib/backup-database.js';
import { blobPath, BackupError, listBlobIds, readManifest, restoreBlobs, verifyBackupFiles, type Manifest } from './lib/backup-files.js';

const USAGE =
  'Usage: npm run restore -- <backup folder> [--force]\n' +
  'Restores into the database and DATA_DIR the settings name. Stop the server first. --force replaces a database or photo folder that already holds data.';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { force: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } } });
if (values.help || positionals.length !== 1) fail(USAGE, values.help ? 0 : 64);
const dir = path.resolve(positionals[0]!);
const force = values.force;

let config: Config;
let manifest: Manifest;
try {
  manifest = readManifest(dir);
} catch (err) {
  fail(`Nothing was restored: ${err instanceof Error ? err.message : String(err)}`);
}
try {
  if (existsSync('.env')) process.loadEnvFile('.env');
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) fail(`Nothing was restored: ${err.message}`);
  throw err;
}

const postgres = config.databaseUrl !== null && /^postgres(ql)?:\/\//.test(config.databaseUrl);
const engine = postgres ? 'postgres' : 'sqlite';
const blobRoot = path.join(config.dataDir, 'blobs');
let changed = false;

try {
  if (manifest.engine !== engine) {
    throw new BackupError(
      `the backup is of a ${manifest.engine === 'postgres' ? 'PostgreSQL' : 'SQLite'} database, but DATABASE_URL names ${postgres ? 'PostgreSQL' : 'SQLite'}. ` +
        'Restore into the same kind of database the backup was made from.',
    );
  }
  await verifyBackupFiles(dir, manifest);

  const sqliteFile = sqliteFileFor({ url: config.databaseUrl, dataDir: config.dataDir });
  const pgTarget = postgres ? await postgresTarget(config.databaseUrl!, config.databaseSchema, manifest.schema ?? 'public') : null;
  const state = pgTarget ?? sqliteTarget(sqliteFile);
  const where = pgTarget ? `PostgreSQL schema ${pgTarget.schema}` : `SQLite database ${sqliteFile}`;
  const blobsThere = (await listBlobIds(blobRoot)).length;
  if ((state.holdsData || blobsThere > 0) && !force) {
    const what = [state.holdsData && `the ${where} ${state.description}`, blobsThere > 0 && `${blobRoot} holds ${blobsThere} photo files`].filter(Boolean).join(' and ');
    throw new BackupError(`${what}. Restoring would replace ${state.holdsData && blobsThere > 0 ? 'them' : 'it'}; run again with --force to do so.`);
  }

  changed = true;
  // Photo files first: until the database is in place, nothing refers to them.
  const blobs = await restoreBlobs(dir, manifest, blobRoot, force);
  if (pgTarget) await restorePostgres(config.databaseUrl!, pgTarget, path.join(dir, manifest.database.file));
  else await restoreSqlite(path.join(dir, manifest.database.file), sqliteFile);

  const check = await checkRestored(config, pgTarget?.schema ?? null, manifest);
  console.log(
    `Restored the backup of ${manifest.createdAt} from ${dir}:\n` +
      `  ${where}${state.holdsData ? ' (replaced, --force)' : ''}: ${check.events} audit events, the audit chain verifies and ends where the backup's did` +
      `${check.integrity ? '; SQLite integrity check: ok' : ''}\n` +
      `  photo files: ${blobs.written} written to ${blobRoot}, each matching its SHA-256${blobs.removed > 0 ? `; ${blobs.removed} not in the backup removed` : ''}` +
      `${check.missing > 0 ? `\n  Warning: ${check.missing} photo files the database refers to were not in the backup.` : ''}\n` +
      'Sessions of the old installation end unless SESSION_SECRET is the same; people sign in again.',
  );
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  fail(changed ? `The restore failed part way and may have left the database or ${blobRoot} incomplete: ${message}\nFix the cause and run it again with --force.` : `Nothing was restored: ${message}`);
}

/** Opens what was restored: the integrity check, the whole audit chain, and the photo files its rows refer to. */
async function checkRestored(cfg: Config, schema: string | null, m: Manifest): Promise<{ events: number; integrity: boolean; missing: number }> {
  const handle = openDatabase({ url: cfg.databaseUrl, dataDir: cfg.dataDir, ...(schema && { schema }) });
  try {
    let integrity = false;
    if (handle.sqlite) {
      const result = handle.sqlite.pragma('integrity_check', { simple: true });
      if (result !== 'ok') throw new BackupError(`the restored SQLite database fails its integrity check: ${String(result)}`);
      integrity = true;
    }
    const report = await verifyAuditChain({ db: handle.db });
    if (!report.ok) throw new BackupError(`the restored audit chain does not verify: it breaks at event #${report.brokenAt?.seq} (${report.brokenAt?.problem}).`);
    const head = await handle.db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (report.events !== m.audit.events || (head?.hash ?? null) !== m.audit.lastHash) {
      throw new BackupError(`the restored audit log has ${report.events} events ending in ${head?.hash ?? 'nothing'}; the backup had ${m.audit.events} ending in ${m.audit.lastHash}.`);
    }
    const photos = await handle.db.selectFrom('photos').select(['display_blob', 'thumb_blob']).execute();
    const derivatives = await handle.db.selectFrom('publications').select('derivative_blob').where('derivative_blob', 'is not', null).execute();
    const referenced = new Set([...photos.flatMap((p) => [p.display_blob, p.thumb_blob]), ...derivatives.map((d) => d.derivative_blob!)]);
    const missing = [...referenced].filter((id) => !existsSync(blobPath(path.join(cfg.dataDir, 'blobs'), id))).length;
    return { events: report.events, integrity, missing };
  } finally {
    await handle.close();
  }
}
