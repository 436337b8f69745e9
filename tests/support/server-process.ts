/**
 * The server as a real process of its own (node with tsx's loader, so the pid is the server's
 * and SIGKILL kills it outright), on a database and DATA_DIR of the test's own: a SQLite file,
 * or a PostgreSQL schema named through DATABASE_SCHEMA. Also runs the npm commands an operator
 * would (backup, restore, audit:verify) with the same settings.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { pino } from 'pino';
import { openDatabase, type DatabaseHandle, type Engine } from '../../db/dialect.js';
import { bootstrap, type Started } from '../../server/bootstrap.js';
import { loadConfig } from '../../server/config.js';
import { createSignInLink } from '../../server/modules/auth/auth.service.js';
import { findAccountByEmail } from '../../server/modules/auth/account.repository.js';
import { freePort } from './net.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Database {
  engine: Engine;
  dataDir: string;
  /** The settings naming this database and folder, as an operator would set them. */
  settings: Record<string, string>;
  /** Drops the schema (PostgreSQL) or database created for it, and removes the folder. */
  dispose(): Promise<void>;
}

/**
 * A fresh database of the test's own. On PostgreSQL `inDatabase` names a database to create
 * (a restore needs the schema name it was backed up under, so it goes in another database).
 */
export async function freshDatabase(engine: Engine, options: { schema?: string; inDatabase?: string } = {}): Promise<Database> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'samtykke-proc-'));
  const settings: Record<string, string> = {
    DATA_DIR: dataDir,
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    NODE_ENV: 'development',
    DEMO: 'on',
    LOG_LEVEL: 'warn',
  };
  if (engine === 'sqlite') {
    settings.DATABASE_URL = `sqlite:${path.join(dataDir, 'samtykke.sqlite')}`;
    return { engine, dataDir, settings, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set');
  const schema = options.schema ?? `t_${randomBytes(6).toString('hex')}`;
  let url = base;
  if (options.inDatabase) {
    await adminQuery(base, `create database ${pg.escapeIdentifier(options.inDatabase)}`);
    const u = new URL(base);
    u.pathname = `/${options.inDatabase}`;
    url = u.toString();
  } else {
    await adminQuery(base, `create schema ${pg.escapeIdentifier(schema)}`);
  }
  settings.DATABASE_URL = url;
  settings.DATABASE_SCHEMA = schema;
  return {
    engine,
    dataDir,
    settings,
    async dispose() {
      if (options.inDatabase) await adminQuery(base, `drop database if exists ${pg.escapeIdentifier(options.inDatabase)} with (force)`);
      else await adminQuery(base, `drop schema if exists ${pg.escapeIdentifier(schema)} cascade`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** The environment of a child process: only what a fresh machine has, and the settings. */
export function processEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...settings };
}

/** Opens the database directly, as an inspector would: no migration, no seeding, no writes. */
export function inspect(db: Database): DatabaseHandle {
  return openDatabase({ url: db.settings.DATABASE_URL!, dataDir: db.dataDir, ...(db.settings.DATABASE_SCHEMA && { schema: db.settings.DATABASE_SCHEMA }) });
}

/** The app's context on the same database, in the test process, for what only the server side can do (a sign-in link). */
export async function sideContext(db: Database): Promise<Started> {
  return bootstrap(loadConfig(db.settings), pino({ level: 'silent' }), { seed: false });
}

export class ServerProcess {
  private child: ChildProcess | null = null;
  private output = '';
  private constructor(
    readonly db: Database,
    readonly port: number,
  ) {}

  static async create(db: Database): Promise<ServerProcess> {
    return new ServerProcess(db, await freePort());
  }

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get log(): string {
    return this.output.slice(-4000);
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the server and resolves once /readyz answers (the database is open and migrated). */
  async start(): Promise<void> {
    if (this.running) throw new Error('the server is already running');
    const env = processEnv({ ...this.db.settings, PORT: String(this.port), PUBLIC_URL: this.base });
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the server stopped (exit ${child.exitCode}):\n${this.log}`);
      try {
        if ((await fetch(`${this.base}/readyz`, { signal: AbortSignal.timeout(1000) })).ok) return;
      } catch {
        /* not listening yet */
      }
      if (Date.now() > deadline) throw new Error(`the server did not start within 60 s:\n${this.log}`);
      await sleep(100);
    }
  }

  /** SIGKILL: no shutdown handler runs, nothing is flushed; resolves once the process is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(6000)]);
    if (this.running) await this.kill();
  }

  /** Signs in by e-mail: a one-time link made on the database, used on the server like a guardian's click. */
  async signIn(side: Started, email: string): Promise<string> {
    const account = await findAccountByEmail(side.ctx.db, email);
    if (!account) throw new Error(`no account ${email}`);
    const link = await side.ctx.db.transaction().execute((trx) => createSignInLink(side.ctx, trx, account.id, null, 30));
    const res = await fetch(`${this.base}/api/auth/magic/${link.split('/').pop()}`);
    if (res.status !== 200) throw new Error(`sign-in as ${email}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  }

  /** Password sign-in through the API (the demo staff accounts). */
  async login(email: string, password = 'demo1234'): Promise<string> {
    const res = await fetch(`${this.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
    if (res.status !== 200) throw new Error(`sign-in as ${email}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  }

  /** A JSON request with a bearer token; a GET is retried once on a connection dropped by an earlier server's death. */
  async api<T = unknown>(token: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
    const send = () =>
      fetch(`${this.base}${url}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    const res = await send().catch(async (err: unknown) => {
      if (method !== 'GET') throw err;
      await sleep(200);
      return send();
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run <script> -- args` in the repository, with only the given settings. */
export function npmRun(script: 'backup' | 'restore' | 'audit:verify', args: string[], settings: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], { cwd: ROOT, env: processEnv(settings), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A guardian who may answer for a child, and one purpose they can answer (as their consent page shows it). */
export interface ConsentChoice {
  token: string;
  childId: string;
  purposeId: string;
  questions: string[];
  noticeVersion: number;
  perOccasion: boolean;
}

interface ConsentPage {
  canDecide: boolean;
  purposes: { purpose: { id: string; perOccasion?: boolean }; notice: { version: number } | null; questions: { question: string }[] }[];
}

/**
 * Signs in every guardian with parental responsibility for a demo child and lists what each
 * can answer. Pupils of 15 and more decide for themselves, so their guardians drop out.
 */
export async function guardianChoices(server: ServerProcess): Promise<{ choices: ConsentChoice[]; readerOf: Map<string, string>; accountIds: string[] }> {
  const side = await sideContext(server.db);
  try {
    const links = await side.ctx.db
      .selectFrom('accounts as a')
      .innerJoin('guardian_links as l', 'l.guardian_id', 'a.person_id')
      .select(['a.id as accountId', 'a.email as email', 'l.child_id as childId'])
      .where('a.role', '=', 'guardian')
      .where('a.active', '=', 1)
      .where('l.responsibility', '=', 1)
      .execute();
    const tokens = new Map<string, string>();
    for (const l of links) if (!tokens.has(l.email)) tokens.set(l.email, await server.signIn(side, l.email));
    const choices: ConsentChoice[] = [];
    const readerOf = new Map<string, string>();
    for (const l of links) {
      const token = tokens.get(l.email)!;
      const page = await server.api<ConsentPage>(token, 'GET', `/api/people/${l.childId}/consents`);
      if (page.status !== 200) throw new Error(`consent page of ${l.childId}: ${page.status} ${JSON.stringify(page.body)}`);
      if (!page.body.canDecide) continue;
      readerOf.set(l.childId, token);
      for (const p of page.body.purposes) {
        if (!p.notice || p.questions.length === 0) continue;
        choices.push({ token, childId: l.childId, purposeId: p.purpose.id, questions: p.questions.map((q) => q.question), noticeVersion: p.notice.version, perOccasion: p.purpose.perOccasion === true });
      }
    }
    return { choices, readerOf, accountIds: [...new Set(links.map((l) => l.accountId))] };
  } finally {
    await side.handle.close();
  }
}

/** The request a guardian's click sends: a decision, or a one-click withdrawal. */
export function consentRequest(c: ConsentChoice, decision: 'given' | 'refused' | 'withdrawn', question: string): { url: string; body: Record<string, unknown> } {
  const occasion = c.perOccasion ? { occasion: 'Sommerfesten' } : {};
  return decision === 'withdrawn'
    ? { url: `/api/people/${c.childId}/consents/${c.purposeId}/withdraw`, body: { question, ...occasion } }
    : { url: `/api/people/${c.childId}/consents`, body: { purposeId: c.purposeId, question, decision, noticeVersion: c.noticeVersion, ...occasion } };
}
