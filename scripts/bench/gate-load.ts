import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Nearest-rank percentile of a list of durations. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export const round2 = (n: number) => Math.round(n * 100) / 100;

export interface Answer {
  status: number;
  body: string;
  ms: number;
}

/** A keep-alive HTTP client for one server. */
export class Client {
  private readonly agent: http.Agent;
  constructor(readonly port: number, sockets: number) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  request(method: string, urlPath: string, token: string | null, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? null : Buffer.from(JSON.stringify(body));
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path: urlPath,
          agent: this.agent,
          headers: {
            ...(token && { authorization: `Bearer ${token}` }),
            ...(payload && { 'content-type': 'application/json', 'content-length': String(payload.length) }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/**
 * `clients` workers, each sending its requests one after the other, until `total` have been
 * sent. Returns every request's latency; throws on an unexpected status.
 */
export async function load(total: number, clients: number, send: (client: number, n: number) => Promise<Answer>, expect = 200): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      while (next < total) {
        const n = next++;
        const answer = await send(c, n);
        if (answer.status !== expect) throw new Error(`Unexpected answer ${answer.status}: ${answer.body.slice(0, 300)}`);
        latencies.push(answer.ms);
      }
    }),
  );
  return latencies;
}

/** The application in a child process (scripts/bench/gate-serve.ts), on a free port. */
export async function startServer(env: Record<string, string>, nodeArgs: string[] = []): Promise<{ child: ChildProcess; port: number; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'scripts/bench/gate-serve.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`The server stopped (exit ${code}):\n${log}${out}`)));
    setTimeout(() => reject(new Error(`The server did not start within 120 s:\n${log}${out}`)), 120_000).unref();
  });
  return {
    child,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    },
  };
}
