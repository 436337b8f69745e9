import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const strongSecret = () => randomBytes(36).toString('base64url');

/** The message loadConfig refuses the environment with; fails the test if it does not refuse. */
function refusal(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('configuration', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'samtykke-config-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  describe('in production', () => {
    const production = (extra: Record<string, string>) => ({ NODE_ENV: 'production', DATA_DIR: dataDir, ...extra });

    it('refuses demo mode, naming DEMO', () => {
      for (const on of ['on', '1', 'true', 'yes']) {
        const message = refusal(production({ DEMO: on, SESSION_SECRET: strongSecret() }));
        expect(message).toMatch(/^DEMO is on while NODE_ENV=production\. Set DEMO=off/);
      }
    });

    it('leaves demo mode off when DEMO is not set, and starts with a strong secret', () => {
      const config = loadConfig(production({ SESSION_SECRET: strongSecret() }));
      expect(config.demo).toBe(false);
      expect(config.env).toBe('production');
      expect(existsSync(path.join(dataDir, 'session-secret')), 'no generated secret in production').toBe(false);
    });

    it('refuses a missing SESSION_SECRET with a sentence saying what to set', () => {
      for (const env of [production({ DEMO: 'off' }), production({}), production({ DEMO: 'off', SESSION_SECRET: '' })]) {
        const message = refusal(env);
        expect(message).toMatch(/^SESSION_SECRET is missing\. Set it to at least 32 random characters/);
        expect(message).toContain('randomBytes');
      }
    });

    it('refuses a weak SESSION_SECRET: too short, one character repeated, or a word padded out', () => {
      for (const weak of ['short', strongSecret().slice(0, 31), 'a'.repeat(64), 'abababababababababababababababababab', `changeme${strongSecret()}`, `Password${strongSecret()}`]) {
        const message = refusal(production({ DEMO: 'off', SESSION_SECRET: weak }));
        expect(message, weak).toMatch(/^SESSION_SECRET is too weak\. Set it to at least 32 random characters/);
        expect(message, 'the secret itself is never echoed').not.toContain(weak);
      }
    });

    it('never generates a secret in production, even with DATA_DIR writable', () => {
      refusal(production({ DEMO: 'off' }));
      expect(existsSync(path.join(dataDir, 'session-secret'))).toBe(false);
    });
  });

  it('refuses a weak SESSION_SECRET outside production too, when one is given', () => {
    expect(refusal({ NODE_ENV: 'development', DATA_DIR: dataDir, SESSION_SECRET: 'secret' })).toMatch(/^SESSION_SECRET is too weak/);
  });

  it('names each bad value in a sentence a person can act on', () => {
    const cases: [Record<string, string>, string][] = [
      [{ PORT: 'abc' }, '- PORT: PORT must be a whole number from 0 to 65535'],
      [{ PORT: '-1' }, '- PORT: PORT must be a whole number from 0 to 65535'],
      [{ PORT: '3000.5' }, '- PORT: PORT must be a whole number from 0 to 65535'],
      [{ PORT: '70000' }, '- PORT: PORT must be a whole number from 0 to 65535'],
      [{ SCHOOL_YEAR_END: '13-40' }, '- SCHOOL_YEAR_END: SCHOOL_YEAR_END must be a month and day as MM-DD, for example 07-31'],
      [{ SCHOOL_YEAR_END: '7/31' }, '- SCHOOL_YEAR_END: SCHOOL_YEAR_END must be a month and day as MM-DD, for example 07-31'],
      [{ SCHOOL_YEAR_END: '02-31' }, '- SCHOOL_YEAR_END: SCHOOL_YEAR_END must be a day that exists every year'],
      [{ SCHOOL_YEAR_END: '06-31' }, '- SCHOOL_YEAR_END: SCHOOL_YEAR_END must be a day that exists every year'],
      [{ SELF_CONSENT_AGE: 'femten' }, '- SELF_CONSENT_AGE: SELF_CONSENT_AGE must be a whole number'],
      [{ SELF_CONSENT_AGE: '19' }, '- SELF_CONSENT_AGE: SELF_CONSENT_AGE must be at most 18'],
      [{ NODE_ENV: 'prod' }, '- NODE_ENV: NODE_ENV must be development, production or test'],
      [{ DATABASE_URL: 'mysql://x' }, '- DATABASE_URL: DATABASE_URL must start with postgres://'],
      [{ PUBLIC_URL: 'samtykke.kommune.no' }, '- PUBLIC_URL: PUBLIC_URL must be a full URL'],
    ];
    for (const [env, line] of cases) {
      const message = refusal({ DATA_DIR: dataDir, ...env });
      expect(message, JSON.stringify(env)).toMatch(/^The configuration is not valid:\n/);
      expect(message, JSON.stringify(env)).toContain(line);
      expect(message, 'no zod jargon').not.toMatch(/Invalid input|expected (number|int|string)|received/);
      expect(message).toMatch(/See \.env\.example for every setting\.$/);
    }
    // Every problem at once, not only the first.
    const both = refusal({ DATA_DIR: dataDir, PORT: 'abc', SCHOOL_YEAR_END: '13-40' });
    expect(both).toContain('- PORT:');
    expect(both).toContain('- SCHOOL_YEAR_END:');
  });

  it('reads good values, and an empty variable counts as unset', () => {
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '8080', SCHOOL_YEAR_END: '06-20', SELF_CONSENT_AGE: '', DATABASE_URL: '' });
    expect(config).toMatchObject({ port: 8080, schoolYearEnd: { month: 6, day: 20 }, selfConsentAge: 15, databaseUrl: null, demo: true });
  });

  it('demo mode without SESSION_SECRET generates one, keeps it in DATA_DIR, and uses the same one next time', () => {
    const first = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir });
    expect(first.demo).toBe(true);
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dataDir, 'session-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret);
    expect(statSync(file).mode & 0o777, 'readable by the owner only').toBe(0o600);
    const second = loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, DEMO: 'on' });
    expect(second.sessionSecret).toBe(first.sessionSecret);
    // A different data folder is a different installation with a secret of its own.
    const other = mkdtempSync(path.join(tmpdir(), 'samtykke-config-'));
    try {
      expect(loadConfig({ DATA_DIR: other }).sessionSecret).not.toBe(first.sessionSecret);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  describe('the real server', () => {
    /** Starts `npx tsx server/main.ts` with only the settings given and waits for it to stop. */
    function startServer(settings: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
      const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), DATA_DIR: dataDir, PORT: '0', ...settings };
      return new Promise((resolve, reject) => {
        const child = spawn('npx', ['tsx', 'server/main.ts'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        // A server that started after all would never exit on its own.
        const timer = setTimeout(() => child.kill('SIGTERM'), 30_000);
        child.on('error', reject);
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });
    }

    it('refuses to start in production without SESSION_SECRET, and says why on stderr', async () => {
      const run = await startServer({ NODE_ENV: 'production', DEMO: 'off' });
      // The output goes into every message, so that a failure here says what the server printed.
      const output = `exit ${run.code}\nstderr: ${run.stderr}\nstdout: ${run.stdout}`;
      expect(run.code, output).not.toBe(0);
      expect(run.code, output).not.toBeNull();
      expect(run.stderr, output).toContain('Samtykke cannot start.');
      expect(run.stderr).toMatch(/SESSION_SECRET is missing\. Set it to at least 32 random characters/);
      expect(run.stdout).not.toMatch(/running/i);
      expect(existsSync(path.join(dataDir, 'samtykke.sqlite')), 'no database was created').toBe(false);
    }, 60_000);

    it('refuses to start in production with DEMO on, and says why on stderr', async () => {
      const run = await startServer({ NODE_ENV: 'production', DEMO: 'on', SESSION_SECRET: strongSecret() });
      const output = `exit ${run.code}\nstderr: ${run.stderr}\nstdout: ${run.stdout}`;
      expect(run.code, output).not.toBe(0);
      expect(run.stderr, output).toMatch(/DEMO is on while NODE_ENV=production\. Set DEMO=off/);
    }, 60_000);
  });
});
