import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer, startCommand } from '../build-server.js';
import { openRamFiles } from '../lib/ram-files.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The real server (server/main.ts, as `npm start` runs it) in a child process, on a free port, with its own data folder. */
export class BenchServer {
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
    readonly dataDir: string,
    private readonly logFile: string,
    private readonly agent: http.Agent,
  ) {}

  token = '';
  groupId = '';

  get pid(): number {
    return this.child.pid!;
  }

  static async start(): Promise<BenchServer> {
    const port = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), 'samtykke-bench-data-'));
    const logFile = path.join(dataDir, 'server.log');
    const log = createWriteStream(logFile);
    // The server as `npm start` runs it: the bundle, built afresh, on Node itself (no wrapper,
    // so that the pid measured is the server's), with the same variables (the memory
    // allocator's settings) and Node flags.
    const command = startCommand();
    await buildServer();
    const child = spawn(process.execPath, [...command.nodeArgs, command.script], {
      cwd: ROOT,
      env: {
        ...process.env,
        ...command.env,
        NODE_ENV: 'development',
        PORT: String(port),
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        DEMO: 'on',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    // Connections are kept open for the next upload, as a browser keeps them for the next photo
    // (the web app sends one photo per request).
    const server = new BenchServer(child, port, dataDir, logFile, new http.Agent({ keepAlive: true, maxSockets: 64 }));
    await server.waitUntilReady();
    await server.signIn('ansatt@demo.no', 'demo1234');
    return server;
  }

  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`The server stopped (exit ${this.child.exitCode}):\n${this.log()}`);
      const res = await this.request('GET', '/readyz').catch(() => null);
      if (res?.status === 200) return;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`The server did not become ready within 60 s:\n${this.log()}`);
  }

  private async signIn(email: string, password: string): Promise<void> {
    const login = await this.request('POST', '/api/auth/login', JSON.stringify({ email, password }), { 'content-type': 'application/json' });
    if (login.status !== 200) throw new Error(`Sign-in as ${email} failed: ${login.status} ${login.body}`);
    const signedIn = JSON.parse(login.body) as { token: string; user: { unitId: string | null } };
    this.token = signedIn.token;
    const unitId = signedIn.user.unitId;
    if (!unitId) throw new Error(`${email} has no unit`);
    const groups = await this.request('GET', `/api/units/${unitId}/groups`);
    if (groups.status !== 200) throw new Error(`Listing groups failed: ${groups.status} ${groups.body}`);
    const first = (JSON.parse(groups.body) as { groups: { id: string }[] }).groups[0];
    if (!first) throw new Error(`The unit ${unitId} has no group`);
    this.groupId = first.id;
  }

  /** One multipart upload of one photo; resolves with the status and the parsed answer. */
  async upload(name: string, bytes: Buffer): Promise<{ status: number; body: string }> {
    const boundary = `----samtykke-bench-${Math.random().toString(16).slice(2)}`;
    const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="photos"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    return this.request('POST', `/api/photos?groupId=${encodeURIComponent(this.groupId)}`, [head, bytes, tail], {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    });
  }

  request(method: string, urlPath: string, body?: string | Buffer[], headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    const parts = body === undefined ? [] : typeof body === 'string' ? [Buffer.from(body)] : body;
    const length = parts.reduce((n, p) => n + p.length, 0);
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path: urlPath,
          agent: this.agent,
          headers: { ...headers, ...(this.token && { authorization: `Bearer ${this.token}` }), ...(body !== undefined && { 'content-length': String(length) }) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      for (const p of parts) req.write(p);
      req.end();
    });
  }

  /**
   * Resident set size now and at its peak since start (or since resetPeak), and the bytes of the
   * uploads it holds in unnamed files in RAM (/dev/shm: memory, but not part of its RSS), in bytes.
   */
  memory(): { rss: number; peak: number; ramFiles: number } {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
    const ramFiles = openRamFiles(this.pid).reduce((n, f) => n + f.size, 0);
    return { rss: kb('VmRSS'), peak: kb('VmHWM'), ramFiles };
  }

  /** Resets the kernel's peak-RSS mark (VmHWM); false where the kernel does not allow it. */
  resetPeak(): boolean {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8').slice(-4000);
    } catch {
      return '';
    }
  }

  async stop(): Promise<void> {
    this.agent.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}
