// Hostile uploads (issue #6, part 3): a corpus built in code is refused file by file with its
// code, nothing of it is stored or served, hostile request bodies (1 GB, thousands of parts, a
// trickle) are cut off, and a real server process stays within 100 MB of idle memory and keeps
// answering another user throughout.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCommand } from '../../scripts/build-server.js';
import { createApp } from '../../server/app.js';
import { createTestContext, type TestContext } from '../support/context.js';
import { demoDirectory } from '../support/demo.js';
import { testEngines } from '../support/engines.js';
import { hostileCorpus, multipartBody, statusOf, type HostileFile } from '../support/hostile-files.js';
import { as, tokenFor } from '../support/http.js';
import { openRamFiles } from '../../scripts/lib/ram-files.js';
import { photographicJpeg } from '../support/images.js';
import { freePort } from '../support/net.js';
import { blobFiles, fetchDerivatives, metadataProblems, photoRowCount, ROOT, type Agent } from '../support/photos.js';

const MB = 1024 * 1024;
// What a cut-off client may have written: the 25 MB file limit and a little multipart, plus
// what the kernel's socket buffers take in before the close reaches the client.
const CUT_OFF_BYTES = 48 * MB;
/** The ways a client sees the server close the connection on a body it does not want (see StreamResult). */
const CLOSED_BY_SERVER = ['EPIPE', 'ECONNRESET', 'closed'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A slow body must be cut off this soon: after UPLOAD_GRACE_SECONDS of 2 s at 2000 bytes a second minimum. */
const SLOW_ENV = { UPLOAD_GRACE_SECONDS: '2', UPLOAD_MIN_BYTES_PER_SECOND: '2000' };
// Characters an echoed name must never carry: controls, and the bidi overrides that disguise an extension.
// eslint-disable-next-line no-control-regex
const UNSAFE_NAME = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069/\\]/;

type UploadAnswer = { status: number; body: { photos?: { id: string; urls: { display: string; thumb: string } }[]; errors?: { file: string; code: string; status: number; message: string }[]; error?: { code: string } } };

// ---------------------------------------------------------------------------------------------
// Raw HTTP: bodies no client library would send, at the pace the test chooses.

interface StreamResult {
  status: number | null;
  code: string | null;
  /** File bytes written before the server answered or closed the connection. */
  sent: number;
  /**
   * How the server ended the connection before it had the whole body: EPIPE or ECONNRESET when
   * a write or read failed on it, 'closed' when it closed its side (FIN) without that; null when
   * it took the whole body.
   */
  dropped: 'EPIPE' | 'ECONNRESET' | 'closed' | null;
  ms: number;
}

/**
 * An HTTP answer read off the wire: its status, its body (chunks joined) and whether all of it
 * has arrived (Content-Length bytes, or the last chunk); null while its head has not.
 */
function readAnswer(bytes: Buffer): { status: number; text: string; complete: boolean } | null {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const head = bytes.subarray(0, headEnd + 2).toString('latin1');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  const body = bytes.subarray(headEnd + 4);
  if (/\r\ntransfer-encoding: chunked\r\n/i.test(head)) {
    // Only what is between the chunk sizes.
    const rest = body.toString('utf8');
    return { status, text: rest.split('\r\n').filter((_, i) => i % 2 === 1).join(''), complete: rest.endsWith('0\r\n\r\n') };
  }
  const declared = /\r\ncontent-length: *(\d+)\r\n/i.exec(head)?.[1];
  // Neither: the body runs until the connection closes.
  if (declared === undefined) return { status, text: body.toString('utf8'), complete: false };
  const length = Number(declared);
  return { status, text: body.subarray(0, length).toString('utf8'), complete: body.length >= length };
}

/** The error code of an answer's JSON body, or null. */
function errorCode(text: string): string | null {
  try {
    return (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
  } catch {
    return null;
  }
}

/**
 * POSTs a multipart upload whose one file is `size` bytes (a JPEG signature, then filler),
 * written as fast as the socket takes it, or `trickle` bytes a second, on a bare TCP socket: no
 * HTTP client library, which would itself close the connection on an answer saying
 * `Connection: close`. Stops writing as soon as the server answers or drops the connection;
 * with `keepSending`, as an attacker would, goes on writing after the answer until the server
 * closes the connection (or takes it all).
 */
function streamUpload(base: string, token: string, groupId: string, o: { size: number; trickle?: number; keepSending?: boolean }): Promise<StreamResult> {
  const boundary = `----samtykke${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="big.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = Buffer.alloc(o.trickle ?? MB, 0x5a);
  Buffer.from([0xff, 0xd8, 0xff, 0xe0]).copy(chunk);
  const url = new URL(base);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = false;
    let trickleTimer: NodeJS.Timeout | undefined;
    const received: Buffer[] = [];
    const socket = net.connect(Number(url.port), url.hostname);
    const answer = () => {
      const a = readAnswer(Buffer.concat(received));
      return a?.complete ? { status: a.status, code: errorCode(a.text) } : { status: null, code: null };
    };
    const stop = () => {
      done = true;
      clearTimeout(timer);
      clearInterval(trickleTimer);
      socket.destroy();
    };
    const finish = (dropped: StreamResult['dropped']) => {
      if (done) return;
      const a = answer();
      stop();
      resolve({ ...a, dropped, sent, ms: performance.now() - started });
    };
    const timer = setTimeout(() => {
      const a = answer();
      stop();
      reject(new Error(`the connection was neither closed nor taken whole: ${sent} bytes sent in ${((performance.now() - started) / 1000).toFixed(0)} s (answer: ${a.status ?? 'none'} ${a.code ?? ''})`));
    }, 60_000);
    socket.on('data', (d: Buffer) => {
      received.push(d);
      if (!o.keepSending && readAnswer(Buffer.concat(received))?.complete) finish(null);
    });
    // The server closed its side, or cut the connection: a refusal either way.
    socket.on('end', () => finish('closed'));
    socket.on('close', () => finish('closed'));
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET') finish(err.code);
      else if (!done) {
        stop();
        reject(err);
      }
    });
    // Everything written and the connection still open: the server took the whole body.
    const allSent = () =>
      socket.write(tail, () => {
        if (o.keepSending) setTimeout(() => finish(null), 200);
      });
    socket.write(
      [
        `POST /api/photos?groupId=${groupId} HTTP/1.1`,
        `Host: ${url.host}`,
        `Authorization: Bearer ${token}`,
        `Content-Type: multipart/form-data; boundary=${boundary}`,
        `Content-Length: ${head.length + o.size + tail.length}`,
        '',
        '',
      ].join('\r\n'),
    );
    socket.write(head);
    if (o.trickle) {
      trickleTimer = setInterval(() => {
        if (done || sent >= o.size) return;
        sent += chunk.length;
        socket.write(chunk);
      }, 1000);
      return;
    }
    const pump = () => {
      while (!done && sent < o.size) {
        const n = Math.min(chunk.length, o.size - sent);
        sent += n;
        if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          socket.once('drain', pump);
          return;
        }
      }
      if (!done && sent >= o.size) allSent();
    };
    pump();
  });
}

/** A multipart body of `count` one-byte files, or of `count` small text fields. */
function tinyParts(count: number, kind: 'files' | 'fields'): { body: Buffer; contentType: string } {
  if (kind === 'files') return multipartBody(Array.from({ length: count }, (_, i) => ({ name: `${i}.jpg`, bytes: Buffer.from([0xff]) })));
  const boundary = `----samtykke${randomBytes(8).toString('hex')}`;
  const parts = Array.from({ length: count }, (_, i) => `--${boundary}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nx\r\n`);
  return { body: Buffer.from(`${parts.join('')}--${boundary}--\r\n`), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Every file under the data folder, relative, so that a test can prove nothing landed elsewhere. */
function filesUnder(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => statSync(path.join(dir, f)).isFile()).sort();
}

const expectedEcho = (f: HostileFile) => f.echoed ?? f.name;
const refusedCode = (f: HostileFile) => ('refused' in f.outcome ? f.outcome.refused : null);

// ---------------------------------------------------------------------------------------------

describe.each(testEngines())('hostile uploads [%s]', (engine) => {
  let t: TestContext;
  let app: ReturnType<typeof createApp>;
  let staff: Agent;
  let staffToken: string;
  let leaderToken: string;
  let groupId: string;
  let outOfReachGroupId: string;
  let corpus: HostileFile[];
  let accepted: { id: string; urls: { display: string; thumb: string } }[] = [];
  let requestAttacks = 0;

  beforeAll(async () => {
    t = await createTestContext(engine, { env: SLOW_ENV });
    app = createApp(t.ctx, { requestLog: false, webDist: null });
    const dir = await demoDirectory(app);
    groupId = (await dir.groups('Solsikken barnehage')).find((g) => g.name === 'Blåklokka')!.id;
    outOfReachGroupId = (await dir.groups('Fjellet skole')).find((g) => g.name === '10B')!.id;
    staffToken = await tokenFor(app, 'ansatt@demo.no');
    staff = as(app, staffToken);
    leaderToken = await tokenFor(app, 'leder@demo.no');
    corpus = await hostileCorpus();
  });
  afterAll(async () => {
    if (corpus) {
      const refused = corpus.filter((f) => 'refused' in f.outcome).length;
      console.log(
        `[security] hostile uploads: ${corpus.length} hostile files (${refused} refused with their code, ${corpus.length - refused} accepted only as clean re-encoded derivatives) ` +
          `and ${requestAttacks} hostile request bodies refused [${engine}]`,
      );
    }
    await t?.close();
  });

  const send = async (files: { name: string; bytes: Buffer }[]): Promise<UploadAnswer> => {
    const { body, contentType } = multipartBody(files);
    const res = await staff.post(`/api/photos?groupId=${groupId}`).set('Content-Type', contentType).send(body);
    return { status: res.status, body: res.body as UploadAnswer['body'] };
  };

  it('each hostile file alone is refused with its code and nothing is stored, or accepted only as a clean re-encoded derivative', async () => {
    accepted = [];
    for (const f of corpus) {
      const rows = await photoRowCount(t.ctx);
      const blobs = blobFiles(t.dataDir).length;
      const res = await send([f]);
      const code = refusedCode(f);
      if (code) {
        expect(res.status, `${f.label}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(statusOf(code));
        expect(res.body, f.label).toEqual({ photos: [], errors: [{ file: expectedEcho(f), code, status: statusOf(code), message: expect.any(String) }] });
        expect(res.body.errors![0]!.file, `${f.label}: echoed name`).not.toMatch(UNSAFE_NAME);
        expect(res.body.errors![0]!.file.length, `${f.label}: echoed name`).toBeLessThanOrEqual(200);
        expect(await photoRowCount(t.ctx), `${f.label}: no photo row`).toBe(rows);
        expect(blobFiles(t.dataDir), `${f.label}: no blob`).toHaveLength(blobs);
      } else {
        expect(res.status, `${f.label}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(201);
        expect(res.body.errors, f.label).toEqual([]);
        expect(res.body.photos, f.label).toHaveLength(1);
        accepted.push(res.body.photos![0]!);
        expect(await photoRowCount(t.ctx)).toBe(rows + 1);
        expect(blobFiles(t.dataDir)).toHaveLength(blobs + 2);
      }
    }
    expect(accepted.length).toBeGreaterThan(0);
  });

  it('an accepted polyglot is served only as a re-encoded JPEG with none of the appended page or archive in it', async () => {
    const polyglots = corpus.filter((f) => 'derivative' in f.outcome);
    expect(accepted).toHaveLength(polyglots.length);
    for (const [i, f] of polyglots.entries()) {
      const forbidden = 'derivative' in f.outcome ? f.outcome.derivative.forbidden : [];
      const photo = accepted[i]!;
      const { display, thumb } = await fetchDerivatives(staff, photo as Parameters<typeof fetchDerivatives>[1]);
      for (const [size, jpeg] of [['display', display], ['thumb', thumb]] as const) {
        expect(await metadataProblems(jpeg, forbidden), `${f.label} (${size})`).toEqual([]);
        // Nothing after the end marker, and not one 32-byte run of the original's tail.
        const tail = f.bytes.subarray(f.bytes.length - 32);
        expect(jpeg.includes(tail), `${f.label} (${size}): the original's last bytes`).toBe(false);
      }
      const res = await staff.get(photo.urls.display);
      expect(res.headers['content-type']).toBe('image/jpeg');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('all the refused files in one request: one error per file, in order, and nothing stored', async () => {
    const refused = corpus.filter((f) => refusedCode(f) !== null);
    // UPLOAD_MAX_FILES is 50 by default; the whole refused corpus fits in one request.
    expect(refused.length).toBeLessThanOrEqual(t.ctx.config.uploadMaxFiles);
    const rows = await photoRowCount(t.ctx);
    const blobs = blobFiles(t.dataDir).length;
    const res = await send(refused);
    expect(res.status).toBe(422);
    expect(res.body.photos).toEqual([]);
    expect(res.body.errors!.map((e) => [e.file, e.code])).toEqual(refused.map((f) => [expectedEcho(f), refusedCode(f)]));
    expect(await photoRowCount(t.ctx)).toBe(rows);
    expect(blobFiles(t.dataDir)).toHaveLength(blobs);
  });

  it('nothing is written outside the blob folder, blobs have random ids for names, and only accepted photos are listed', async () => {
    for (const f of filesUnder(t.dataDir)) {
      expect(f, 'a file in the data folder').toMatch(/^(test\.sqlite(-wal|-shm|-journal)?|blobs\/[0-9a-f]{2}\/[0-9a-f]{32})$/);
    }
    const listed = (await staff.get(`/api/photos?groupId=${groupId}&limit=200`)).body.photos as { id: string }[];
    expect(listed.map((p) => p.id).sort()).toEqual(accepted.map((p) => p.id).sort());
  });

  it('a name in Norwegian comes back as sent, whether as raw UTF-8 (as browsers send it) or as RFC 5987 filename*', async () => {
    const name = 'Blåbærtur på Øya – «sommer».jpg';
    const viaFilenameStar = await send([{ name, bytes: Buffer.from('<html></html>') }]);
    expect(viaFilenameStar.body.errors?.map((e) => e.file)).toEqual([name]);
    const raw = await staff.post(`/api/photos?groupId=${groupId}`).attach('photos', Buffer.from('<html></html>'), { filename: name, contentType: 'image/jpeg' });
    expect(raw.body.errors?.map((e: { file: string }) => e.file)).toEqual([name]);
  });

  it('thousands of tiny parts are refused with 413 (TOO_MANY_FILES, TOO_MANY_PARTS) and nothing is stored', async () => {
    const rows = await photoRowCount(t.ctx);
    const blobs = blobFiles(t.dataDir).length;
    for (const [kind, code] of [
      ['files', 'TOO_MANY_FILES'],
      ['fields', 'TOO_MANY_PARTS'],
    ] as const) {
      const { body, contentType } = tinyParts(5000, kind);
      const res = await staff.post(`/api/photos?groupId=${groupId}`).set('Content-Type', contentType).send(body);
      expect(res.status, `5000 tiny ${kind}: ${JSON.stringify(res.body)}`).toBe(413);
      expect(res.body.error.code).toBe(code);
      requestAttacks += 1;
    }
    expect(await photoRowCount(t.ctx)).toBe(rows);
    expect(blobFiles(t.dataDir)).toHaveLength(blobs);
  });

  describe('over a real socket', () => {
    let server: http.Server;
    let base: string;
    beforeAll(async () => {
      server = http.createServer(app);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it("a body trickling in at 5 bytes a second is stopped with 408 UPLOAD_TOO_SLOW, while another user's requests are answered at once", async () => {
      const rows = await photoRowCount(t.ctx);
      const slow = streamUpload(base, staffToken, groupId, { size: 200_000, trickle: 5 });
      let slowest = 0;
      let probes = 0;
      let settled = false;
      void slow.finally(() => (settled = true));
      while (!settled) {
        const started = performance.now();
        const res = await fetch(`${base}/api/me`, { headers: { Authorization: `Bearer ${leaderToken}` }, signal: AbortSignal.timeout(5000) });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { user: { email: string } }).user.email).toBe('leder@demo.no');
        slowest = Math.max(slowest, performance.now() - started);
        probes += 1;
        await sleep(200);
      }
      const result = await slow;
      requestAttacks += 1;
      expect(result.status, JSON.stringify(result)).toBe(408);
      expect(result.code).toBe('UPLOAD_TOO_SLOW');
      // Two seconds of grace, then the first check finds it far behind 2000 bytes a second.
      expect(result.ms).toBeGreaterThan(1900);
      expect(result.ms).toBeLessThan(6000);
      expect(probes).toBeGreaterThan(5);
      expect(slowest, `the other user's slowest answer, ${slowest.toFixed(0)} ms`).toBeLessThan(1000);
      expect(await photoRowCount(t.ctx)).toBe(rows);
    });

    it('a 1 GB body is cut off soon after UPLOAD_MAX_BYTES, and one to a group out of reach at once, long before the gigabyte', async () => {
      const blobs = blobFiles(t.dataDir).length;
      // The client goes on writing after the answer, as an attacker would: the server must close
      // the connection rather than read the rest and throw it away.
      const big = await streamUpload(base, staffToken, groupId, { size: 1024 * MB, keepSending: true });
      if (big.status !== null) expect([big.status, big.code]).toEqual([413, 'FILE_TOO_LARGE']);
      expect(CLOSED_BY_SERVER).toContain(big.dropped);
      expect(big.sent, 'bytes read of the gigabyte').toBeLessThan(CUT_OFF_BYTES);

      const elsewhere = await streamUpload(base, staffToken, outOfReachGroupId, { size: 1024 * MB, keepSending: true });
      if (elsewhere.status !== null) expect([elsewhere.status, elsewhere.code]).toEqual([404, 'NOT_FOUND']);
      expect(CLOSED_BY_SERVER).toContain(elsewhere.dropped);
      expect(elsewhere.sent, 'bytes read of the gigabyte for a group out of reach').toBeLessThan(CUT_OFF_BYTES);
      requestAttacks += 2;
      expect(blobFiles(t.dataDir)).toHaveLength(blobs);
    });
  });
});

// ---------------------------------------------------------------------------------------------
// The real server in a process of its own, so that its memory can be measured from outside.

/**
 * Memory of a process in MB, from /proc: its resident set, and the uploads it holds in unnamed
 * files in RAM (/dev/shm is memory too, but not part of the resident set).
 */
function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  const ramFiles = openRamFiles(pid).reduce((n, f) => n + f.size, 0);
  return Number(m[1]) / 1024 + ramFiles / 2 ** 20;
}

interface Watch {
  /** Highest resident memory seen, MB. */
  peak: number;
  /** Slowest answer to the other user, ms. */
  slowest: number;
  probes: number;
  failures: string[];
}

/**
 * While `work` runs (and for a moment after), samples the server's memory every 20 ms and
 * asks /healthz and, as another user, /api/me every 100 ms how long they take to answer.
 */
async function watching<T>(pid: number, base: string, otherToken: string, work: () => Promise<T>): Promise<{ result: T; watch: Watch }> {
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
        [`${base}/api/me`, { Authorization: `Bearer ${otherToken}` }],
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

/** Writes a request as given, byte for byte, and reads the answer's status and body. */
function rawRequest(base: string, headLines: string[], body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const url = new URL(base);
    const socket = net.connect(Number(url.port), url.hostname, () => {
      socket.write(`${headLines.join('\r\n')}\r\n\r\n`);
      // Not end(): a half-closed connection makes the server abandon the request. It closes
      // the connection after answering (Connection: close).
      socket.write(body);
    });
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', reject);
    socket.setTimeout(120_000, () => socket.destroy(new Error('no answer')));
    socket.on('close', () => {
      const answer = readAnswer(Buffer.concat(received));
      resolve({ status: answer?.status ?? 0, text: answer?.text ?? '' });
    });
  });
}

async function postMultipart(base: string, token: string, groupId: string, m: { body: Buffer; contentType: string }): Promise<UploadAnswer> {
  const res = await fetch(`${base}/api/photos?groupId=${groupId}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': m.contentType },
    body: new Uint8Array(m.body),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: res.status, body: (await res.json()) as UploadAnswer['body'] };
}

describe('hostile uploads against a server process [sqlite]', { timeout: 240_000 }, () => {
  let dataDir: string;
  let server: ChildProcess;
  let base: string;
  let staffToken: string;
  let leaderToken: string;
  let groupId: string;
  let outOfReachGroupId: string;
  let serverLog = '';
  let baseline = 0;
  const peaks: Record<string, number> = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'samtykke-hostile-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      // What npm start sets for the server (MALLOC_ARENA_MAX), so its memory is measured as it runs.
      ...startCommand().env,
      ...SLOW_ENV,
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
    const signIn = async (email: string) => {
      const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ email, password: 'demo1234' }) });
      expect(res.status).toBe(200);
      return ((await res.json()) as { token: string }).token;
    };
    staffToken = await signIn('ansatt@demo.no');
    leaderToken = await signIn('leder@demo.no');
    const get = async <T>(p: string) => (await (await fetch(`${base}${p}`, { headers: { Authorization: `Bearer ${staffToken}` } })).json()) as T;
    const units = (await get<{ units: { id: string; name: string }[] }>('/api/units')).units;
    const unit = units.find((u) => u.name === 'Solsikken barnehage')!;
    groupId = (await get<{ groups: { id: string; name: string }[] }>(`/api/units/${unit.id}/groups`)).groups.find((g) => g.name === 'Blåklokka')!.id;
    // Staff see their own unit only; the admin finds the group out of their reach.
    const adminToken = await signIn('admin@demo.no');
    const adminGet = async <T>(p: string) => (await (await fetch(`${base}${p}`, { headers: { Authorization: `Bearer ${adminToken}` } })).json()) as T;
    const fjellet = (await adminGet<{ units: { id: string; name: string }[] }>('/api/units')).units.find((u) => u.name === 'Fjellet skole')!;
    outOfReachGroupId = (await adminGet<{ groups: { id: string; name: string }[] }>(`/api/units/${fjellet.id}/groups`)).groups[0]!.id;

    // Warm up with one normal 12-megapixel photo, then let the server settle: that is idle.
    const warm = await postMultipart(base, staffToken, groupId, multipartBody([{ name: 'normal.jpg', bytes: await photographicJpeg(4000, 3000, 71, 85) }]));
    expect(warm.status, JSON.stringify(warm.body)).toBe(201);
    await sleep(1000);
    baseline = rssMb(server.pid!);
  });

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    if (baseline) {
      console.log(
        `[security] hostile uploads, server memory: idle ${baseline.toFixed(0)} MB after one 12-MP upload; peaks ` +
          Object.entries(peaks)
            .map(([k, v]) => `${k} ${v.toFixed(0)} MB (+${(v - baseline).toFixed(0)})`)
            .join(', '),
      );
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const check = (name: string, watch: Watch) => {
    peaks[name] = watch.peak;
    expect(watch.failures, `${name}: /healthz and another user's /api/me kept answering`).toEqual([]);
    expect(watch.probes, `${name}: probes ran`).toBeGreaterThan(0);
    expect(watch.slowest, `${name}: slowest answer to another user ${watch.slowest.toFixed(0)} ms`).toBeLessThan(3000);
    expect(watch.peak, `${name}: peak ${watch.peak.toFixed(0)} MB against idle ${baseline.toFixed(0)} MB`).toBeLessThan(baseline + 100);
  };

  it("a 1 GB body, a 1 GB body to a group out of reach, a trickling body and 5000 tiny parts at once: each refused, memory within 100 MB of idle, another user answered throughout", async () => {
    const blobs = blobFiles(dataDir).length;
    const { result, watch } = await watching(server.pid!, base, leaderToken, () =>
      Promise.all([
        streamUpload(base, staffToken, groupId, { size: 1024 * MB, keepSending: true }),
        streamUpload(base, staffToken, outOfReachGroupId, { size: 1024 * MB, keepSending: true }),
        streamUpload(base, staffToken, groupId, { size: 200_000, trickle: 5 }),
        postMultipart(base, staffToken, groupId, tinyParts(5000, 'files')),
      ]),
    );
    const [gigabyte, elsewhere, slow, parts] = result;
    for (const [what, r, status, code] of [
      ['1 GB body', gigabyte, 413, 'FILE_TOO_LARGE'],
      ['1 GB body to a group out of reach', elsewhere, 404, 'NOT_FOUND'],
    ] as const) {
      if (r.status !== null) expect([r.status, r.code], what).toEqual([status, code]);
      expect(CLOSED_BY_SERVER, `${what}: the server closed the connection`).toContain(r.dropped);
      expect(r.sent, `${what}: bytes the server took`).toBeLessThan(CUT_OFF_BYTES);
    }
    expect([slow.status, slow.code], 'trickling body').toEqual([408, 'UPLOAD_TOO_SLOW']);
    expect(slow.ms, 'trickling body cut off after').toBeLessThan(6000);
    expect([parts.status, parts.body.error?.code], '5000 tiny parts').toEqual([413, 'TOO_MANY_FILES']);
    check('request bodies', watch);
    expect(blobFiles(dataDir)).toHaveLength(blobs);
  });

  it('a photo sent in one-byte HTTP chunks is stored like any other, with memory within 100 MB of idle (the chunks are not kept one object each)', async () => {
    // 1.2 million chunks of one byte: kept as they came, each a Buffer object of about 100 bytes
    // of heap, they would take over 100 MB; the storage copies small chunks into blocks.
    const photo = await photographicJpeg(2000, 1500, 73, 97);
    expect(photo.length).toBeGreaterThan(MB);
    const { body, contentType } = multipartBody([{ name: 'chunked.jpg', bytes: photo }]);
    // Each byte as its own chunk: "1", CRLF, the byte, CRLF; then the last, empty chunk.
    const wire = Buffer.alloc(body.length * 6 + 5);
    body.forEach((byte, i) => wire.set([0x31, 0x0d, 0x0a, byte, 0x0d, 0x0a], i * 6));
    wire.write('0\r\n\r\n', body.length * 6, 'latin1');
    const { result, watch } = await watching(server.pid!, base, leaderToken, () => rawRequest(base, [
      `POST /api/photos?groupId=${groupId} HTTP/1.1`,
      `Host: ${new URL(base).host}`,
      `Authorization: Bearer ${staffToken}`,
      `Content-Type: ${contentType}`,
      'Transfer-Encoding: chunked',
      'Connection: close',
    ], wire));
    expect(result.status, result.text).toBe(201);
    expect((JSON.parse(result.text) as { photos: { width: number }[] }).photos.map((p) => p.width)).toEqual([1600]);
    check('one-byte chunks', watch);
  });

  it('the whole hostile corpus, a file per request and then in one request: memory within 100 MB of idle, another user answered throughout, only clean derivatives stored', async () => {
    const corpus = await hostileCorpus();
    const blobs = blobFiles(dataDir).length;
    const { result, watch } = await watching(server.pid!, base, leaderToken, async () => {
      const answers: UploadAnswer[] = [];
      for (const f of corpus) answers.push(await postMultipart(base, staffToken, groupId, multipartBody([f])));
      const refused = corpus.filter((f) => refusedCode(f) !== null);
      answers.push(await postMultipart(base, staffToken, groupId, multipartBody(refused)));
      return answers;
    });
    for (const [i, f] of corpus.entries()) {
      const code = refusedCode(f);
      const answer = result[i]!;
      if (code) expect([answer.status, answer.body.errors?.map((e) => e.code)], f.label).toEqual([statusOf(code), [code]]);
      else expect([answer.status, answer.body.photos?.length], f.label).toEqual([201, 1]);
    }
    expect(result.at(-1)!.status).toBe(422);
    check('hostile corpus', watch);
    const accepted = corpus.filter((f) => refusedCode(f) === null).length;
    expect(blobFiles(dataDir)).toHaveLength(blobs + 2 * accepted);
  });
});
