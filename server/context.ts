import type { Logger } from 'pino';
import type { Engine } from '../db/dialect.js';
import type { Db } from '../db/schema.js';
import type { BlobStore } from './adapters/blob-store.js';
import type { Clock } from './adapters/clock.js';
import type { ByteBudget, WorkQueue } from './adapters/work-queue.js';
import type { Mailer } from './adapters/mailer.js';
import type { Config } from './config.js';

/** What every service needs from the outside world, built once in main and in each test. */
export interface AppContext {
  db: Db;
  engine: Engine;
  config: Config;
  clock: Clock;
  logger: Logger;
  mailer: Mailer;
  blobs: BlobStore;
  /** Image processing: about one image per core, with a bounded queue. */
  imageQueue: WorkQueue;
  /** Uploaded bytes held in memory across all requests. */
  uploadBudget: ByteBudget;
}

/** The signed-in caller, as every service sees it. */
export interface Actor {
  accountId: string;
  sessionId: string;
  role: 'admin' | 'leader' | 'staff' | 'guardian' | 'pupil';
  organisationId: string;
  /** Leader and staff: the unit they work in. */
  unitId: string | null;
  /** Guardian and pupil: the person they are. */
  personId: string | null;
}
