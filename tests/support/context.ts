import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { pino } from 'pino';
import type { Engine } from '../../db/dialect.js';
import { ManualClock, systemClock, type Clock } from '../../server/adapters/clock.js';
import { MemoryMailer } from '../../server/adapters/mailer.js';
import { bootstrap } from '../../server/bootstrap.js';
import { loadConfig, type Config } from '../../server/config.js';
import type { AppContext } from '../../server/context.js';
import type { DatabaseHandle } from '../../db/dialect.js';

export interface TestContext {
  ctx: AppContext;
  handle: DatabaseHandle;
  mailer: MemoryMailer;
  clock: Clock;
  dataDir: string;
  /** The URL the database was opened with (a sqlite: file, or postgres:// with its schema). */
  databaseUrl: string;
  schema: string | null;
  close(): Promise<void>;
}

export interface TestContextOptions {
  demo?: boolean;
  clock?: ManualClock;
  env?: Record<string, string>;
}

/** A freshly migrated database of its own (a temp SQLite file, or a new PostgreSQL schema). */
export async function createTestContext(engine: Engine, options: TestContextOptions = {}): Promise<TestContext> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'samtykke-test-'));
  let schema: string | null = null;
  let databaseUrl = `sqlite:${path.join(dataDir, 'test.sqlite')}`;
  if (engine === 'postgres') {
    const url = process.env.TEST_DATABASE_URL;
    if (!url) throw new Error('TEST_DATABASE_URL is not set');
    schema = `t_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
    databaseUrl = url;
  }
  const config: Config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    DEMO: options.demo === false ? 'off' : 'on',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const mailer = new MemoryMailer();
  const clock = options.clock ?? systemClock;
  const logger = pino({ level: 'silent' });
  const dropSchema = async () => {
    if (!schema) return;
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  };
  let started;
  try {
    started = await bootstrap(config, logger, { clock, mailer, ...(schema && { schema }) });
  } catch (err) {
    await dropSchema();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const { ctx, handle } = started;
  return {
    ctx,
    handle,
    mailer,
    clock,
    dataDir,
    databaseUrl,
    schema,
    async close() {
      await handle.close();
      await dropSchema();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
