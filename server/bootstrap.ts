import path from 'node:path';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { openDatabase, type DatabaseHandle } from '../db/dialect.js';
import { migrateToLatest } from '../db/migrate.js';
import { availableParallelism } from 'node:os';
import { LocalBlobStore } from './adapters/blob-store.js';
import { systemClock, type Clock } from './adapters/clock.js';
import { ByteBudget, WorkQueue } from './adapters/work-queue.js';
import { outboxMailer, smtpMailer, type Mailer } from './adapters/mailer.js';
import type { Config } from './config.js';
import type { AppContext } from './context.js';
import { seedDemo } from './demo/seed.js';

// Enough waiting images to keep every core busy through a burst of uploads, few enough that
// a flood is answered with 503 rather than with memory.
const IMAGE_QUEUE_LENGTH = 200;
// Uploaded files are held in memory (never written to disk as originals); this caps them all.
const UPLOAD_MEMORY_BUDGET = 192 * 1024 * 1024;

export interface Started {
  ctx: AppContext;
  handle: DatabaseHandle;
  seeded: boolean;
}

/**
 * Creates the configured PostgreSQL schema when it is missing. Looked up first: CREATE SCHEMA
 * IF NOT EXISTS still needs the CREATE right on the database, which the app's role may lack
 * when an administrator made the schema for it.
 */
async function ensureSchema(handle: DatabaseHandle, schema: string): Promise<void> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${schema}`.execute(handle.db);
  if ((rows[0]?.n ?? 0) === 0) await sql`create schema if not exists ${sql.id(schema)}`.execute(handle.db);
}

/** Opens the database, brings its schema up to date and seeds the demo when asked to. */
export async function bootstrap(
  config: Config,
  logger: Logger,
  overrides: { clock?: Clock; mailer?: Mailer; schema?: string; seed?: boolean } = {},
): Promise<Started> {
  const schema = overrides.schema ?? config.databaseSchema ?? undefined;
  const handle = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, ...(schema && { schema }) });
  if (handle.engine === 'postgres' && schema) await ensureSchema(handle, schema);
  await migrateToLatest(handle.db, handle.engine);
  const mailer = overrides.mailer ?? (config.smtpUrl ? smtpMailer(config.smtpUrl) : outboxMailer(path.join(config.dataDir, 'outbox'), logger));
  const ctx: AppContext = {
    db: handle.db,
    engine: handle.engine,
    config,
    clock: overrides.clock ?? systemClock,
    logger,
    mailer,
    blobs: new LocalBlobStore(path.join(config.dataDir, 'blobs')),
    imageQueue: new WorkQueue(Math.max(1, availableParallelism()), IMAGE_QUEUE_LENGTH),
    uploadBudget: new ByteBudget(UPLOAD_MEMORY_BUDGET),
  };
  const seeded = config.demo && overrides.seed !== false ? await seedDemo(ctx) : false;
  return { ctx, handle, seeded };
}
