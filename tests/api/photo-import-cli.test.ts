import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryMailer } from '../../server/adapters/mailer.js';
import { createApp } from '../../server/app.js';
import { bootstrap } from '../../server/bootstrap.js';
import { loadConfig } from '../../server/config.js';
import { findAuditEvents } from '../../server/modules/audit/audit.repository.js';
import { createTestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { as, tokenFor } from '../support/http.js';
import { PDF_DOCUMENT, photographicJpeg, plantedPng, plantedWebp, SVG_WITH_SCRIPT } from '../support/images.js';
import { blobFiles, fetchDerivatives, metadataProblems, ROOT } from '../support/photos.js';

// `script` runs a command on a pseudo-terminal: the only way to see what a person at a terminal sees.
const HAS_SCRIPT = spawnSync('script', ['--version']).status === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Each run starts npx and tsx, which takes seconds on a small machine.
describe('photo import from the command line [sqlite]', { timeout: 120_000 }, () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let groupId: string;
  let archive: string;

  beforeAll(async () => {
    // A migrated database with the demo organisation, which the CLI (it never seeds) then opens.
    const t = await createTestContext('sqlite');
    const dir = await demoDirectory(createApp(t.ctx, { requestLog: false, webDist: null }));
    groupId = (await dir.groups('Solsikken barnehage')).find((g) => g.name === 'Prestekragen')!.id;
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

    // An archive as a kindergarten might have one: photos in folders, and things that are not photos.
    archive = path.join(dataDir, 'arkiv');
    mkdirSync(path.join(archive, 'sommerfest'), { recursive: true });
    writeFileSync(path.join(archive, 'IMG_0001.jpg'), await photographicJpeg(1024, 768, 81));
    writeFileSync(path.join(archive, 'sommerfest', 'IMG_0002.png'), await plantedPng());
    writeFileSync(path.join(archive, 'sommerfest', 'IMG_0003.webp'), await plantedWebp());
    writeFileSync(path.join(archive, 'invitasjon.jpg'), PDF_DOCUMENT);
    writeFileSync(path.join(archive, 'logo.svg'), SVG_WITH_SCRIPT);
    writeFileSync(path.join(archive, 'tom.jpg'), Buffer.alloc(0));
    writeFileSync(path.join(archive, '.DS_Store'), 'Bud1');
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  function importPhotos(...args: string[]): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn('npx', ['tsx', 'scripts/import-photos.ts', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  /** Runs the import with stderr on a terminal and stdout to a file, as `import:photos > report.txt` at a shell. */
  function importPhotosAtTerminal(...args: string[]): Promise<Run> {
    const out = path.join(dataDir, `stdout-${randomBytes(4).toString('hex')}.txt`);
    const command = `npx tsx scripts/import-photos.ts ${args.map((a) => `'${a}'`).join(' ')} > '${out}'`;
    return new Promise((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let terminal = '';
      child.stdout.on('data', (d) => (terminal += d));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout: readFileSync(out, 'utf8'), stderr: terminal }));
    });
  }

  /** Opens the database the CLI wrote to and looks at the group's photos through the API. */
  async function inspect<T>(look: (staff: ReturnType<typeof as>, ctx: Awaited<ReturnType<typeof bootstrap>>['ctx']) => Promise<T>): Promise<T> {
    const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir, DATABASE_URL: env.DATABASE_URL!, DEMO: 'on', SESSION_SECRET: env.SESSION_SECRET!, LOG_LEVEL: 'silent' });
    const { ctx, handle } = await bootstrap(config, pino({ level: 'silent' }), { mailer: new MemoryMailer(), seed: false });
    try {
      const app = createApp(ctx, { requestLog: false, webDist: null });
      return await look(as(app, await tokenFor(app, 'ansatt@demo.no')), ctx);
    } finally {
      await handle.close();
    }
  }

  it('without a group it prints the usage and exits 64', async () => {
    const run = await importPhotos(archive);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('Usage: npm run import:photos -- <folder> --group <group id> --as <staff or leader e-mail>');
  });

  it('imports the photos of a folder and its subfolders, lists every refused file in the summary, and exits 0; at a terminal a progress bar is drawn on stderr', async () => {
    expect(HAS_SCRIPT, '`script` (util-linux) is needed to run the import on a terminal').toBe(true);
    const run = await importPhotosAtTerminal(archive, '--group', groupId, '--as', 'ansatt@demo.no');
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain('3 photo(s) imported, 3 refused, from 6 file(s).');
    expect(run.stdout).toMatch(/refused invitasjon\.jpg: .+ \(UNSUPPORTED_FORMAT\)/);
    expect(run.stdout).toMatch(/refused logo\.svg: .+ \(UNSUPPORTED_FORMAT\)/);
    expect(run.stdout).toMatch(/refused tom\.jpg: .+ \(EMPTY_FILE\)/);
    expect(run.stdout).not.toMatch(/IMG_000\d/);
    expect(run.stderr).toMatch(/Importing \[[█░]+\] 100% \| 6\/6 files \| 3 refused/);
    expect(run.stdout, 'the report stays clean of the progress bar').not.toMatch(/Importing|\u001b\[/);

    await inspect(async (staff, ctx) => {
      const list = await staff.get(`/api/photos?groupId=${groupId}`);
      expect(list.status).toBe(200);
      expect(list.body.photos).toHaveLength(3);
      // Through the same pipeline as the web upload: clean derivatives, the capture time kept.
      for (const photo of list.body.photos) {
        const d = await fetchDerivatives(staff, photo);
        expect(await metadataProblems(d.display, ['SAMTYKKE-MARKER-GPS', 'SAMTYKKE-MARKER-MAKE'])).toEqual([]);
      }
      expect(list.body.photos.map((p: { capturedAt: string | null }) => p.capturedAt).sort()).toEqual(['2024-05-17T10:11:12+02:00', null, null]);
      const uploaded = await findAuditEvents(ctx.db, { action: 'photo.uploaded', limit: 10 });
      const refused = await findAuditEvents(ctx.db, { action: 'photo.refused', limit: 10 });
      expect(uploaded).toHaveLength(3);
      expect(refused.map((e) => JSON.parse(e.payload).code).sort()).toEqual(['EMPTY_FILE', 'UNSUPPORTED_FORMAT', 'UNSUPPORTED_FORMAT']);
      expect(JSON.stringify([...uploaded, ...refused])).not.toMatch(/arkiv|invitasjon|logo|IMG_/);
    });
    expect(blobFiles(dataDir)).toHaveLength(6);
  });

  it('draws no progress bar into a pipe, and refuses someone who is not staff', async () => {
    const single = path.join(dataDir, 'enkelt');
    mkdirSync(single);
    writeFileSync(path.join(single, 'IMG_0100.jpg'), await photographicJpeg(640, 480, 83));
    const run = await importPhotos(single, '--group', groupId, '--as', 'leder@demo.no');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('1 photo(s) imported, 0 refused, from 1 file(s).');
    expect(run.stderr).not.toMatch(/Importing|\u001b\[/);

    const guardian = await importPhotos(single, '--group', groupId, '--as', 'forelder@demo.no');
    expect(guardian.code).not.toBe(0);
    expect(guardian.stderr).toContain('forelder@demo.no is not an active staff or leader account.');
    expect(await inspect(async (staff) => (await staff.get(`/api/photos?groupId=${groupId}`)).body.photos.length)).toBe(4);
  });
});
