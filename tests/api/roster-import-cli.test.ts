import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryMailer } from '../../server/adapters/mailer.js';
import { createApp } from '../../server/app.js';
import { bootstrap } from '../../server/bootstrap.js';
import { loadConfig } from '../../server/config.js';
import { createTestContext } from '../support/context.js';
import { as, tokenFor } from '../support/http.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HEADER = 'unit,group,child_id,child_first_name,child_last_name,child_birth_date,start_date,guardian_first_name,guardian_last_name,guardian_email,guardian_phone,guardian_role,parental_responsibility';
// `script` runs a command on a pseudo-terminal: the only way to see what a person at a terminal sees.
const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

const GOOD = [
  HEADER,
  'Solsikken barnehage,Blåklokka,CLI-1,Ronja,Lindqvist,2021-03-05,2025-08-15,Eva,Lindqvist,eva.lindqvist@example.no,,parent,yes',
  'Solsikken barnehage,Blåklokka,CLI-1,Ronja,Lindqvist,2021-03-05,2025-08-15,Jon,Lindqvist,jon.lindqvist@example.no,,parent,yes',
  'Solsikken barnehage,Kvitveis,CLI-2,Brage,Lindqvist,2023-01-20,2025-08-15,Eva,Lindqvist,eva.lindqvist@example.no,,parent,yes',
].join('\n');

const OTHER = [
  HEADER,
  'Fjellet skole;10B;CLI-6;Vår;Kristiansen;2010-04-04;;Gunn;Kristiansen;gunn.kristiansen@example.no;;forelder;ja',
  'Fjellet skole;10B;CLI-7;Storm;Kristiansen;2010-04-04;;Gunn;Kristiansen;gunn.kristiansen@example.no;;forelder;ja',
]
  .join('\r\n')
  .replace(HEADER, HEADER.replaceAll(',', ';'));

const WITH_ERRORS = [
  HEADER,
  'Solsikken barnehage,Blåklokka,CLI-3,Tage,Holt,2021-05-05,,Siri,Holt,siri.holt@example.no,,parent,yes',
  'Solsikken barnehage,Blåklokka,CLI-4,Alma,Holt,30.02.2022,,Siri,Holt,siri.holt@example.no,,parent,yes',
  'Solsikken barnehage,Blåklokka,CLI-5,Edvard,Holt,2022-05-05,,Siri,Holt,siri.holt-example.no,,parent,yes',
].join('\n');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Each run starts npx and tsx, which takes seconds on a small machine.
describe('roster import from the command line [sqlite]', { timeout: 90_000 }, () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  const file = (name: string, text: string) => {
    const p = path.join(dataDir, name);
    writeFileSync(p, text);
    return p;
  };

  beforeAll(async () => {
    // A migrated database with the demo organisation, which the CLI (it never seeds) then opens.
    const t = await createTestContext('sqlite');
    await t.handle.close(); // not t.close(): that would delete the database
    dataDir = t.dataDir;
    env = {
      ...process.env,
      DATA_DIR: dataDir,
      DATABASE_URL: t.databaseUrl,
      DEMO: 'on',
      NODE_ENV: 'development',
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      LOG_LEVEL: 'warn',
    };
    delete env.TEST_DATABASE_URL;
    delete env.IMPORT_ADMIN_EMAIL;
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  function importRoster(...args: string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn('npx', ['tsx', 'scripts/import-roster.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Runs the import with stderr on a terminal and stdout to a file, as `import:roster > report.txt` at a shell. */
  function importRosterAtTerminal(csvPath: string): Promise<Run> {
    const out = path.join(dataDir, `stdout-${randomBytes(4).toString('hex')}.txt`);
    const command = `npx tsx scripts/import-roster.ts '${csvPath}' --admin admin@demo.no > '${out}'`;
    return new Promise((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let terminal = '';
      child.stdout.on('data', (d) => (terminal += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout: readFileSync(out, 'utf8'), stderr: terminal }));
    });
  }

  /** Opens the database the CLI wrote to and asks the API what is in it. */
  async function peopleWithExternalIds(prefix = 'CLI-'): Promise<{ externalId: string | null; firstName: string }[]> {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: env.DATABASE_URL!, DEMO: 'on', SESSION_SECRET: env.SESSION_SECRET!, LOG_LEVEL: 'silent' });
    const { ctx, handle } = await bootstrap(config, pino({ level: 'silent' }), { mailer: new MemoryMailer() });
    try {
      const app = createApp(ctx, { requestLog: false, webDist: null });
      const admin = as(app, await tokenFor(app, 'admin@demo.no'));
      return (await admin.get('/api/people?kind=child')).body.people.filter((p: { externalId: string | null }) => p.externalId?.startsWith(prefix));
    } finally {
      await handle.close();
    }
  }

  it('--dry-run prints what the import would do and writes nothing', async () => {
    const run = await importRoster(file('dry.csv', GOOD), '--admin', 'admin@demo.no', '--dry-run');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Dry run: 3 rows');
    expect(run.stdout).toContain('children: 2 new, 0 updated');
    expect(run.stdout).toContain('guardians: 2 new; guardian links: 3 new, 0 updated');
    expect(run.stdout).toContain('groups: 1 new; memberships: 2 new');
    expect(run.stdout).not.toContain('Import:');
    expect(await peopleWithExternalIds()).toEqual([]);
  });

  it('a file with errors exits non-zero, names each line and column, and imports none of it', async () => {
    const run = await importRoster(file('errors.csv', WITH_ERRORS), '--admin', 'admin@demo.no');
    expect(run.code).toBe(65);
    expect(run.stdout).toContain('line 3, child_birth_date:');
    expect(run.stdout).toContain('line 4, guardian_email:');
    expect(run.stdout).not.toContain('Import:');
    expect(run.stderr).toContain('2 error(s) found. Nothing was imported.');
    expect(await peopleWithExternalIds()).toEqual([]);
  });

  it('someone who is not an active admin cannot import', async () => {
    const run = await importRoster(file('staff.csv', GOOD), '--admin', 'ansatt@demo.no');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('ansatt@demo.no is not an active admin account.');
    expect(await peopleWithExternalIds()).toEqual([]);
  });

  it('without a file it prints the usage and exits 64', async () => {
    const run = await importRoster('--admin', 'admin@demo.no');
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Usage: npm run import:roster -- <file.csv> --admin <admin e-mail>');
  });

  it('an import prints the summary, exits 0, and the children are then in the registry; at a terminal a progress bar is drawn on stderr', async () => {
    expect(HAS_SCRIPT, '`script` (util-linux) is needed to run the import on a terminal').toBe(true);
    const run = await importRosterAtTerminal(file('good.csv', GOOD));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Dry run: 3 rows');
    expect(run.stdout).toContain('Import: 3 rows');
    expect(run.stdout.split('Import: 3 rows')[1]).toContain('children: 2 new, 0 updated');
    expect((await peopleWithExternalIds()).map((p) => `${p.externalId} ${p.firstName}`).sort()).toEqual(['CLI-1 Ronja', 'CLI-2 Brage']);

    expect(run.stderr).toMatch(/Checking \[[█░]+\] 100% \| 3\/3 rows/);
    expect(run.stderr).toMatch(/Importing \[[█░]+\] 100% \| 3\/3 rows/);
    expect(run.stdout, 'the report stays clean of the progress bar').not.toMatch(/Checking|Importing|\u001b\[/);
  });

  it('importing the same file again reports every row unchanged, and draws no progress bar into a pipe', async () => {
    const csv = file('other.csv', OTHER);
    const first = await importRoster(csv, '--admin', 'admin@demo.no');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.split('Import: 2 rows')[1]).toContain('children: 2 new, 0 updated');

    const again = await importRoster(csv, '--admin', 'admin@demo.no');
    expect(again.code, again.stderr).toBe(0);
    const report = again.stdout.split('Import: 2 rows')[1];
    expect(report).toContain('children: 0 new, 0 updated');
    expect(report).toContain('guardians: 0 new; guardian links: 0 new, 0 updated');
    expect(report).toContain('groups: 0 new; memberships: 0 new');
    expect(report).toContain('rows that changed nothing: 2');
    expect(again.stderr).not.toMatch(/Checking|Importing|\u001b\[/);
    expect((await peopleWithExternalIds('CLI-6')).map((p) => p.firstName)).toEqual(['Vår']);
    expect(await peopleWithExternalIds('CLI-7')).toHaveLength(1);
  });
});
