import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDialectConfig } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  engine: Engine;
  /** The raw better-sqlite3 handle, for the online backup API and integrity checks. */
  sqlite: SqliteDatabase.Database | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** postgres://… or sqlite:<file>; null means the SQLite file in dataDir. */
  url: string | null;
  dataDir: string;
  /** PostgreSQL only: the schema to use (tests give each file its own). */
  schema?: string;
}

export function sqliteFileFor(options: OpenOptions): string {
  if (options.url?.startsWith('sqlite:')) return path.resolve(options.url.slice('sqlite:'.length));
  if (options.url?.startsWith('file:')) return path.resolve(options.url.slice('file:'.length));
  return path.join(options.dataDir, 'samtykke.sqlite');
}

/** Opens the database the settings name: PostgreSQL for postgres:// URLs, SQLite otherwise. */
export function openDatabase(options: OpenOptions): DatabaseHandle {
  if (options.url && /^postgres(ql)?:\/\//.test(options.url)) {
    // pg returns int8 as strings; the audit sequence is int4, so no parser change is needed.
    const pool = new pg.Pool({
      connectionString: options.url,
      max: 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, engine: 'postgres', sqlite: null, close: () => db.destroy() };
  }
  const file = sqliteFileFor(options);
  mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  // WAL lets readers go on while one writer commits; FULL makes every commit durable on power loss.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // INSERT OR REPLACE deletes the row it replaces without firing delete triggers unless this is
  // on, which would let it rewrite the append-only tables past their no-delete triggers.
  sqlite.pragma('recursive_triggers = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Reads go through a memory map instead of a system call per page, and more pages stay
  // cached: the publish gate reads a unit's roster and its people's consent on every check.
  // Neither changes what is written or when it is durable. The map is the largest this build
  // of SQLite allows (2 GB of address space, not of memory: its pages are the kernel's file cache).
  sqlite.pragma('mmap_size = 2147418112');
  sqlite.pragma('cache_size = -65536');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return { db, engine: 'sqlite', sqlite, close: () => db.destroy() };
}

const STATEMENT_CACHE = 500;

/**
 * Kysely prepares every query anew; compiling the SQL costs about as much as running a small
 * query. The same text gets the same prepared statement back (the most recent 500), unless that
 * one is still being iterated.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      const cached = cache.get(sql);
      if (cached) {
        if (cached.busy) return sqlite.prepare(sql);
        cache.delete(sql);
        cache.set(sql, cached);
        return cached;
      }
      const statement = sqlite.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}
