// `npm start` runs the server bundled into dist/server.mjs on plain Node, not the sources
// under tsx. This builds the bundle as `npm start` does and runs it the way the start script
// says, so that anything the sources find only beside themselves (a file read relative to the
// module, say) fails here rather than on a municipality's server.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer, SERVER_BUNDLE, startCommand } from '../../scripts/build-server.js';
import { freePort } from '../support/net.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('the server as npm start runs it', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'samtykke-start-'));
  let child: ChildProcess | null = null;

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is one bundle that starts on plain Node in demo mode, prints the sign-ins, and answers', async () => {
    const command = startCommand();
    expect(path.resolve(ROOT, command.script)).toBe(SERVER_BUNDLE);
    await buildServer();

    const port = await freePort();
    // Only what a fresh machine has: no NODE_ENV (vitest sets it to "test"), no settings.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...command.env, DATA_DIR: dataDir, PORT: String(port) };
    child = spawn(process.execPath, [...command.nodeArgs, command.script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const running = `Samtykke is running at http://localhost:${port} (demo mode, demo data created).`;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`The bundled server did not start within 60 s:\n${output}`)), 60_000);
      child!.once('exit', (code) => reject(new Error(`The bundled server stopped (exit ${code}):\n${output}`)));
      const poll = setInterval(() => {
        if (!output.includes(running) || !output.includes('leder@demo.no')) return;
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }, 50);
    });
    expect(output).toContain('Demo sign-ins, all with the password demo1234:');

    const base = `http://127.0.0.1:${port}`;
    const css = await fetch(`${base}/feed/_/feed.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain(':root {');

    expect((await fetch(`${base}/api/me`)).status).toBe(401);
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'leder@demo.no', password: 'demo1234' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const me = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { email: string; role: string } }).user).toMatchObject({ email: 'leder@demo.no', role: 'leader' });
  }, 90_000);
});
