import path from 'node:path';
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

/** Opens the database, brings its schema up to date and seeds the demo when asked to. */
export async function bootstrap(
  config: Config,
  logger: Logger,
  overrides: { clock?: Clock; mailer?: Mailer; schema?: string; seed?: boolean } = {},
): Promise<Started> {
  const handle = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, ...(overrides.schema && { schema: overrides.schema }) });
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
