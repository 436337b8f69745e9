import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { freePort } from '../support/net.js';
import { as, tokenFor } from '../support/http.js';
import { hugePng, jpegClaiming, PDF_DOCUMENT, photographicJpeg, truncatedJpeg } from '../support/images.js';
import { blobFiles, photoRowCount, ROOT, upload, type Agent } from '../support/photos.js';

const MB = 1024 * 1024;

describe.each(testEngines())('upload limits [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let staff: Agent;
  let groupId: string;
  let photos: Buffer[];

  beforeAll(async () => {
    // Small limits, so that a test can pass them without big files.
    t = await createTestContext(engine, { env: { UPLOAD_MAX_FILES: '4', UPLOAD_MAX_BYTES: String(300 * 1024) } });
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    const dir = await demoDirectory(app);
    groupId = (await dir.groups('Solsikken barnehage')).find((g) => g.name === 'Prestekragen')!.id;
    staff = as(app, await tokenFor(app, 'ansatt@demo.no'));
    photos = await Promise.all([61, 62, 63].map((seed) => photographicJpeg(480, 360, seed)));
  });
  afterAll(() => t?.close());

  it('a refused file does not stop the others: three photos and a PDF named .jpg give 201 with three photos and one error', async () => {
    const res = await upload(staff, groupId, [
      { name: 'a.jpg', bytes: photos[0]! },
      { name: 'x.jpg', bytes: PDF_DOCUMENT },
      { name: 'b.jpg', bytes: photos[1]! },
      { name: 'c.jpg', bytes: photos[2]! },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.photos).toHaveLength(3);
    expect(res.errors).toEqual([{ file: 'x.jpg', code: 'UNSUPPORTED_FORMAT', status: 415, message: expect.stringMatching(/JPEG, PNG, WebP/) }]);
    for (const p of res.photos) expect(p).toMatchObject({ id: expect.any(String), width: 480, height: 360, thumbWidth: 320, thumbHeight: 240, capturedAt: null });
  });

  it('more files than UPLOAD_MAX_FILES are refused with 413 TOO_MANY_FILES and nothing is stored', async () => {
    const blobs = blobFiles(t.dataDir).length;
    const rows = await photoRowCount(t.ctx);
    const res = await upload(staff, groupId, [0, 1, 2, 0, 1].map((i, n) => ({ name: `${n}.jpg`, bytes: photos[i]! })));
    expect(res.status).toBe(413);
    expect((res.body as { error: { code: string } }).error.code).toBe('TOO_MANY_FILES');
    expect(blobFiles(t.dataDir)).toHaveLength(blobs);
    expect(await photoRowCount(t.ctx)).toBe(rows);
  });

  it('a file above UPLOAD_MAX_BYTES is refused with 413 FILE_TOO_LARGE and nothing is stored', async () => {
    const big = await photographicJpeg(1400, 1000, 64, 95);
    expect(big.length).toBeGreaterThan(300 * 1024);
    const blobs = blobFiles(t.dataDir).length;
    const res = await upload(staff, groupId, [
      { name: 'small.jpg', bytes: photos[0]! },
      { name: 'big.jpg', bytes: big },
    ]);
    expect(res.status).toBe(413);
    expect((res.body as { error: { code: string } }).error.code).toBe('FILE_TOO_LARGE');
    expect(blobFiles(t.dataDir)).toHaveLength(blobs);
  });

  it('UPLOAD_MAX_PIXELS is enforced from the header: a 100-megapixel PNG and a JPEG claiming 65000×65000 are refused at once, without decoding', async () => {
    for (const [name, bytes] of [
      ['huge.png', hugePng()],
      ['claims-65000.jpg', await jpegClaiming(65_000, 65_000)],
    ] as const) {
      const rss = process.memoryUsage().rss;
      const started = performance.now();
      const res = await upload(staff, groupId, [{ name, bytes }]);
      const ms = performance.now() - started;
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.errors).toEqual([{ file: name, code: 'TOO_MANY_PIXELS', status: 422, message: expect.any(String) }]);
      // Decoding 100 megapixels takes seconds and 300 MB; reading a header takes neither.
      expect(ms, `${name} answered in ${ms.toFixed(0)} ms`).toBeLessThan(1500);
      expect(process.memoryUsage().rss - rss, `${name}: memory growth`).toBeLessThan(100 * MB);
    }
  });

  it('a body that is not multipart is refused with 415 NOT_MULTIPART; no file, or the wrong field, with 400', async () => {
    const json = await staff.post(`/api/photos?groupId=${groupId}`).send({ photos: ['a'] });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('NOT_MULTIPART');
    const raw = await staff.post(`/api/photos?groupId=${groupId}`).set('Content-Type', 'image/jpeg').send(photos[0]!);
    expect(raw.status).toBe(415);
    expect(raw.body.error.code).toBe('NOT_MULTIPART');
    const empty = await staff.post(`/api/photos?groupId=${groupId}`).field('note', 'x');
    expect(empty.status).toBe(400);
    const wrongField = await staff.post(`/api/photos?groupId=${groupId}`).attach('file', photos[0]!, 'a.jpg');
    expect(wrongField.status).toBe(400);
    expect(wrongField.body.error.code).toBe('UNEXPECTED_FIELD');
  });
});

// ---------------------------------------------------------------------------------------------
// The real server in a process of its own, so that its memory can be measured from outside.

/** Resident memory of a process in MB, from /proc. */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) / 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Watch {
  /** Highest resident memory seen, MB. */
  peak: number;
  /** Slowest answer of /healthz and /api/me, ms. */
  slowest: number;
  probes: number;
  failures: string[];
}

/**
 * While `work` runs (and for a moment after), samples the server's memory every 20 ms and
 * asks /healthz and /api/me every 100 ms how long they take to answer.
 */
async function watching<T>(pid: number, base: string, token: string, work: () => Promise<T>): Promise<{ result: T; watch: Watch }> {
  const watch: Watch = { peak: rssMb(pid), slowest: 0, probes: 0, failures: [] };
  let running = true;
  const sampler = (async () => {
    while (running) {
      watch.peak = Math.max(watch.peak, rssMb(pid));
      await sleep(20);
    }
  })();
  const prober = (async () => {
    while (running) {
      for (const [url, headers] of [
        [`${base}/healthz`, {}],
        [`${base}/api/me`, { Authorization: `Bearer ${token}` }],
      ] as const) {
        const started = performance.now();
        try {
          const res = await fetch(url, { headers, signal: AbortSignal.timeout(5000) });
          await res.arrayBuffer();
          if (res.status !== 200) watch.failures.push(`${url}: ${res.status}`);
        } catch (err) {
          watch.failures.push(`${url}: ${(err as Error).message}`);
        }
        watch.slowest = Math.max(watch.slowest, performance.now() - started);
        watch.probes += 1;
      }
      await sleep(100);
    }
  })();
  try {
    const result = await work();
    await sleep(500);
    return { result, watch };
  } finally {
    running = false;
    await Promise.all([sampler, prober]);
  }
}

/**
 * Streams a multipart upload whose one file is `size` bytes, made up on the fly from one
 * reused 1 MB buffer. Stops writing as soon as the server answers or drops the connection.
 */
function streamHugeUpload(base: string, token: string, groupId: string, size: number): Promise<{ status: number | null; code: string | null; sent: number; dropped: string | null }> {
  const boundary = `----samtykke${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="huge.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(MB, 0x5a);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(chunk);
  const url = new URL(`${base}/api/photos?groupId=${groupId}`);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = false;
    const req = http.request(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        'Content-Length': String(head.length + size + tail.length),
      },
    });
    const finish = (v: Awaited<ReturnType<typeof streamHugeUpload>>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => {
      done = true;
      req.destroy();
      reject(new Error(`no answer after ${(sent / MB).toFixed(0)} MB sent`));
    }, 60_000);
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => {
        let code: string | null = null;
        try {
          code = (JSON.parse(body) as { error?: { code?: string } }).error?.code ?? null;
        } catch {
          /* not JSON */
        }
        finish({ status: res.statusCode ?? null, code, sent, dropped: null });
      });
      res.on('error', () => finish({ status: res.statusCode ?? null, code: null, sent, dropped: 'response cut off' }));
    });
    // The server may close the connection while we still write: that is a refusal too.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') finish({ status: null, code: null, sent, dropped: err.code });
      else if (!done) reject(err);
    });
    const pump = () => {
      while (!done && sent < size) {
        const n = Math.min(chunk.length, size - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          req.once('drain', pump);
          return;
        }
      }
      if (!done && sent >= size) req.end(tail);
    };
    req.write(head);
    pump();
  });
}

async function uploadTo(base: string, token: string, groupId: string, name: string, bytes: Buffer): Promise<{ status: number; body: { photos?: unknown[]; errors?: { code: string }[] } }> {
  const form = new FormData();
  form.append('photos', new Blob([new Uint8Array(bytes)], { type: 'image/jpeg' }), name);
  const res = await fetch(`${base}/api/photos?groupId=${groupId}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form, signal: AbortSignal.timeout(60_000) });
  return { status: res.status, body: (await res.json()) as { photos?: unknown[]; errors?: { code: string }[] } };
}

describe('server memory under hostile uploads [sqlite]', { timeout: 180_000 }, () => {
  let dataDir: string;
  let server: ChildProcess;
  let base: string;
  let token: string;
  let groupId: string;
  let serverLog = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'samtykke-memory-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      DEMO: 'on',
      NODE_ENV: 'development',
      SESSION_SECRET: randomBytes(30).toString('base64url'),
      LOG_LEVEL: 'warn',
    };
    for (const k of ['DATABASE_URL', 'TEST_DATABASE_URL', 'UPLOAD_MAX_BYTES', 'UPLOAD_MAX_FILES', 'UPLOAD_MAX_PIXELS', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) delete env[k];
    // node itself with tsx's loader (not npx, not the tsx launcher), so that the pid measured is the server's.
    server = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d) => (serverLog += d));
    server.stderr!.on('data', (d) => (serverLog += d));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server stopped: ${serverLog}`);
      try {
        if ((await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) })).ok) break;
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) throw new Error(`the server did not start: ${serverLog}`);
      await sleep(200);
    }
    const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'ansatt@demo.no', password: 'demo1234' }) });
    expect(login.status).toBe(200);
    token = ((await login.json()) as { token: string }).token;
    const me = await fetch(`${base}/api/photos`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    const units = (await (await fetch(`${base}/api/units`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { units: { id: string; name: string }[] };
    const unit = units.units.find((u) => u.name === 'Solsikken barnehage')!;
    const groups = (await (await fetch(`${base}/api/units/${unit.id}/groups`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { groups: { id: string; name: string }[] };
    groupId = groups.groups.find((g) => g.name === 'Blåklokka')!.id;
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('a 1 GB body, a 100-megapixel PNG, a JPEG claiming 65000×65000 and a truncated 12-megapixel JPEG are refused without memory growing 100 MB past idle, and the server keeps answering', async () => {
    const pid = server.pid!;
    // Warm up with one normal 12-megapixel photo, then let the server settle: that is idle.
    const normal = await photographicJpeg(4000, 3000, 71, 85);
    const warm = await uploadTo(base, token, groupId, 'normal.jpg', normal);
    expect(warm.status, JSON.stringify(warm.body)).toBe(201);
    await sleep(1000);
    const baseline = rssMb(pid);
    const limit = baseline + 100;
    const peaks: Record<string, number> = {};
    const check = (name: string, watch: Watch) => {
      peaks[name] = watch.peak;
      expect(watch.failures, `${name}: /healthz and /api/me kept answering`).toEqual([]);
      expect(watch.probes, `${name}: probes ran`).toBeGreaterThan(0);
      expect(watch.slowest, `${name}: slowest probe ${watch.slowest.toFixed(0)} ms`).toBeLessThan(2000);
      expect(watch.peak, `${name}: peak ${watch.peak.toFixed(0)} MB against idle ${baseline.toFixed(0)} MB`).toBeLessThan(limit);
    };

    const gigabyte = await watching(pid, base, token, () => streamHugeUpload(base, token, groupId, 1024 * MB));
    // Refused early: with a 413 FILE_TOO_LARGE, or by the connection being closed on it.
    if (gigabyte.result.status !== null) {
      expect(gigabyte.result.status).toBe(413);
      expect(gigabyte.result.code).toBe('FILE_TOO_LARGE');
    } else expect(['EPIPE', 'ECONNRESET']).toContain(gigabyte.result.dropped);
    expect(gigabyte.result.sent, 'the server did not read the whole gigabyte').toBeLessThan(512 * MB);
    check('1 GB body', gigabyte.watch);

    const cases: [string, string, Buffer, string][] = [
      ['100-MP PNG', 'huge.png', hugePng(), 'TOO_MANY_PIXELS'],
      ['65000² JPEG', 'claims.jpg', await jpegClaiming(65_000, 65_000), 'TOO_MANY_PIXELS'],
      ['truncated 12-MP JPEG', 'truncated.jpg', await truncatedJpeg(4000, 3000, 0.5), 'CORRUPT_IMAGE'],
    ];
    for (const [label, name, bytes, code] of cases) {
      const { result, watch } = await watching(pid, base, token, () => uploadTo(base, token, groupId, name, bytes));
      expect(result.status, `${label}: ${JSON.stringify(result.body)}`).toBe(422);
      expect(result.body.errors?.map((e) => e.code)).toEqual([code]);
      check(label, watch);
    }

    const after = await fetch(`${base}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(after.status).toBe(200);
    const refusal = gigabyte.result.status ? `${gigabyte.result.status} ${gigabyte.result.code}` : gigabyte.result.dropped;
    console.log(
      `1 GB body refused (${refusal}) after ${(gigabyte.result.sent / MB).toFixed(0)} MB sent; ` +
        `server memory: idle ${baseline.toFixed(0)} MB after one 12-MP upload; peaks ${Object.entries(peaks)
        .map(([k, v]) => `${k} ${v.toFixed(0)} MB (+${(v - baseline).toFixed(0)})`)
        .join(', ')}; now ${rssMb(pid).toFixed(0)} MB`,
    );
  });
});
