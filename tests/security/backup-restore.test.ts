// Backup and restore as an operator runs them: `npm run backup` while the server is answering
// consent writes and photo requests, `npm run restore` into a fresh database and DATA_DIR, and
// the restored app serving the same audit chain, the acknowledged writes and the same image bytes.
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../scripts/lib/backup-files.js';
import { testEngines } from '../support/engines.js';
import { photographicJpeg } from '../support/images.js';
import { consentRequest, freshDatabase, guardianChoices, inspect, npmRun, ServerProcess, type ConsentChoice, type Database } from '../support/server-process.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Photo {
  id: string;
  urls: { display: string; thumb: string };
}

async function bytesOf(server: ServerProcess, token: string, url: string): Promise<Buffer> {
  const res = await fetch(`${server.base}${url}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, `GET ${url}`).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe.each(testEngines())('backup and restore [%s]', (engine) => {
  let original: Database;
  let target: Database;
  let server: ServerProcess;
  let restored: ServerProcess | null = null;
  let backupDir: string;
  let staff: string;
  let photos: Photo[] = [];
  const derivatives = new Map<string, Buffer>();
  let choices: ConsentChoice[] = [];
  let counts = { blobs: 0, events: 0, acked: 0, duringBackup: 0 };

  beforeAll(async () => {
    original = await freshDatabase(engine);
    server = await ServerProcess.create(original);
    await server.start();
    staff = await server.login('ansatt@demo.no');
    const units = await server.api<{ units: { id: string; name: string }[] }>(staff, 'GET', '/api/units');
    const unit = units.body.units.find((u) => u.name === 'Solsikken barnehage')!;
    const groups = await server.api<{ groups: { id: string; name: string }[] }>(staff, 'GET', `/api/units/${unit.id}/groups`);
    const groupId = groups.body.groups.find((g) => g.name === 'Blåklokka')!.id;
    const form = new FormData();
    for (const seed of [11, 12, 13]) form.append('photos', new Blob([new Uint8Array(await photographicJpeg(1600, 1200, seed))], { type: 'image/jpeg' }), `foto-${seed}.jpg`);
    const uploaded = await fetch(`${server.base}/api/photos?groupId=${groupId}`, { method: 'POST', headers: { authorization: `Bearer ${staff}` }, body: form });
    const body = (await uploaded.json()) as { photos: Photo[] };
    expect(uploaded.status, JSON.stringify(body)).toBe(201);
    photos = body.photos;
    expect(photos).toHaveLength(3);
    for (const p of photos) for (const url of [p.urls.display, p.urls.thumb]) derivatives.set(url, await bytesOf(server, staff, url));
    choices = (await guardianChoices(server)).choices;
    backupDir = path.join(mkdtempSync(path.join(tmpdir(), 'samtykke-backup-')), 'backup');
    // PostgreSQL: pg_restore brings a schema back under its own name, so the fresh target is a database of its own.
    target = await freshDatabase(engine, engine === 'postgres' ? { schema: original.settings.DATABASE_SCHEMA!, inDatabase: `r_${randomBytes(6).toString('hex')}` } : {});
  }, 120_000);

  afterAll(async () => {
    await restored?.stop();
    await server?.stop();
    await original?.dispose();
    await target?.dispose();
    if (backupDir) rmSync(path.dirname(backupDir), { recursive: true, force: true });
    console.log(
      `[security] backup/restore: ${counts.events} audit events and ${counts.blobs} photo files restored; ${counts.acked} acknowledged writes checked, ${counts.duringBackup} requests answered during the backup [${engine}]`,
    );
  });

  it('backs up while the server answers, restores into a fresh database and folder, and the restored app has every acknowledged write, the audit chain and the same image bytes', async () => {
    // Writes and reads keep coming while the backup runs.
    type Write = { id: string | null; sentAt: number; answeredAt: number; status: number };
    const writes: Write[] = [];
    const reads: number[] = [];
    let stopped = false;
    let n = 0;
    const worker = async () => {
      while (!stopped) {
        const c = choices[n++ % choices.length]!;
        const decision = (['given', 'refused', 'withdrawn'] as const)[n % 3]!;
        const { url, body } = consentRequest(c, decision, c.questions[0]!);
        const sentAt = Date.now();
        const res = await server.api<{ decision?: { id: string } }>(c.token, 'POST', url, body);
        writes.push({ id: res.body.decision?.id ?? null, sentAt, answeredAt: Date.now(), status: res.status });
        const photo = photos[n % photos.length]!;
        const image = await fetch(`${server.base}${photo.urls.thumb}`, { headers: { authorization: `Bearer ${staff}` } });
        await image.arrayBuffer();
        if (image.status === 200) reads.push(Date.now());
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    while (writes.length < 30) await sleep(20);
    const backupStart = Date.now();
    const backup = await npmRun('backup', [backupDir], original.settings);
    const backupEnd = Date.now();
    await sleep(300);
    stopped = true;
    await Promise.all(workers);
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain(`Backup written to ${backupDir}`);
    expect(writes.filter((w) => w.status !== 201), 'every write answered 201').toEqual([]);
    counts.duringBackup = [...writes.map((w) => w.answeredAt), ...reads].filter((t) => t > backupStart && t < backupEnd).length;
    expect(counts.duringBackup, 'the server kept answering during the backup').toBeGreaterThan(0);

    // The manifest lists every derivative the app served, with its size and hash.
    const manifest = JSON.parse(readFileSync(path.join(backupDir, 'manifest.json'), 'utf8')) as Manifest;
    expect(manifest).toMatchObject({ format: 'samtykke-backup', version: 1, engine, schema: engine === 'postgres' ? original.settings.DATABASE_SCHEMA : null });
    expect(manifest.database.file).toBe(engine === 'postgres' ? 'database.pgdump' : 'database.sqlite');
    const hashes = new Map(manifest.blobs.map((b) => [b.sha256, b.bytes]));
    for (const [url, bytes] of derivatives) expect(hashes.get(sha(bytes)), `${url} in the manifest`).toBe(bytes.length);

    // Restore into the fresh database and folder.
    const restore = await npmRun('restore', [backupDir], target.settings);
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('the audit chain verifies');
    expect(restore.stdout).toContain(`photo files: ${manifest.blobs.length} written`);

    // Again without --force: refused, with a plain message, and nothing changes.
    const again = await npmRun('restore', [backupDir], target.settings);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/Nothing was restored: .*holds \d+ audit events.*--force/s);
    expect(again.stderr).not.toMatch(/\n\s+at /);

    // A damaged copy is refused whole, even with --force, before anything is touched.
    const damaged = path.join(path.dirname(backupDir), 'damaged');
    cpSync(backupDir, damaged, { recursive: true });
    const victim = manifest.blobs[0]!;
    const file = path.join(damaged, 'blobs', victim.id.slice(0, 2), victim.id);
    const bytes = readFileSync(file);
    const middle = bytes.length >> 1;
    bytes.writeUInt8(bytes[middle]! ^ 0xff, middle);
    writeFileSync(file, bytes);
    const refused = await npmRun('restore', [damaged, '--force'], target.settings);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`Nothing was restored: the backup is damaged: 1 of ${manifest.blobs.length} photo files`);
    writeFileSync(path.join(damaged, 'manifest.json'), '{ not json');
    const garbled = await npmRun('restore', [damaged], target.settings);
    expect(garbled.code).not.toBe(0);
    expect(garbled.stderr).toContain('cannot be read as JSON');

    // With --force it replaces what is there.
    const forced = await npmRun('restore', [backupDir, '--force'], target.settings);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toContain('(replaced, --force)');

    // The operator's audit check on the restored database.
    const verify = await npmRun('audit:verify', [], target.settings);
    expect(verify.code, verify.stderr).toBe(0);
    const report = JSON.parse(verify.stdout.trim().split('\n').at(-1)!) as { ok: boolean; events: number };
    expect(report).toMatchObject({ ok: true, events: manifest.audit.events });

    // Every write answered before the backup began is in it; none sent after it ended is.
    const handle = inspect(target);
    try {
      const ids = new Set((await handle.db.selectFrom('consent_decisions').select('id').execute()).map((r) => r.id));
      // Answered by the time the backup was started (the same millisecond included: the
      // backup command had not even been spawned then).
      const before = writes.filter((w) => w.answeredAt <= backupStart);
      const after = writes.filter((w) => w.sentAt > backupEnd);
      expect(before.length).toBeGreaterThanOrEqual(30);
      expect(before.filter((w) => !ids.has(w.id!)), 'writes acknowledged before the backup').toEqual([]);
      expect(after.filter((w) => ids.has(w.id!)), 'writes sent after the backup ended').toEqual([]);
      counts.acked = before.length + after.length;
      if (handle.sqlite) expect(handle.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      await handle.close();
    }
    const blobs = readdirSync(path.join(target.dataDir, 'blobs'), { recursive: true, encoding: 'utf8' }).filter((f) => /[a-f0-9]{32}$/.test(f));
    expect(blobs).toHaveLength(manifest.blobs.length);

    // The restored app serves the photos, byte for byte as the original did.
    restored = await ServerProcess.create(target);
    await restored.start();
    const staffThere = await restored.login('ansatt@demo.no');
    const listed = await restored.api<{ photos: { id: string }[] }>(staffThere, 'GET', '/api/photos');
    expect(listed.status).toBe(200);
    expect(listed.body.photos.map((p) => p.id).sort()).toEqual(photos.map((p) => p.id).sort());
    for (const [url, original] of derivatives) expect(sha(await bytesOf(restored, staffThere, url)), url).toBe(sha(original));
    counts = { ...counts, blobs: manifest.blobs.length, events: report.events };
  }, 150_000);
});
