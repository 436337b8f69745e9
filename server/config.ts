import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/** Settings, read once from the environment and validated; see .env.example. */
export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  dataDir: string;
  databaseUrl: string | null;
  /** PostgreSQL only: the schema the app's tables live in; null means the connection's default (public). */
  databaseSchema: string | null;
  demo: boolean;
  sessionSecret: string;
  smtpUrl: string | null;
  publicUrl: string;
  /** Express's "trust proxy": false (the socket address), a number of hops, or the proxies' addresses. */
  trustProxy: string | number | false;
  selfConsentAge: number;
  schoolYearEnd: { month: number; day: number };
  uploadMaxBytes: number;
  uploadMaxFiles: number;
  uploadMaxPixels: number;
  retentionUnpublishedDays: number;
  takedownDueHours: number;
  sessionTtlHours: number;
  magicLinkTtlMinutes: number;
  /** How slowly an upload may arrive: a grace period, then at least this many bytes a second on average. */
  uploadGraceSeconds: number;
  uploadMinBytesPerSecond: number;
  rateLimits: RateLimits;
  logLevel: string;
}

/** Requests allowed per window, counted per account and per client address. */
export interface RateLimits {
  /** Failed password sign-ins per 15 minutes (also failed sign-in links, per address). */
  signIn: { perAccount: number; perAddress: number };
  /** Sign-in links asked for per hour. */
  magicLink: { perAccount: number; perAddress: number };
  /** Upload requests per 15 minutes. */
  upload: { perAccount: number; perAddress: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const MIN_SECRET_LENGTH = 32;

const PORT_MESSAGE = 'PORT must be a whole number from 0 to 65535';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const existsEveryYear = (monthDay: string) => {
  const [month, day] = monthDay.split('-').map(Number) as [number, number];
  const last = DAYS_IN_MONTH[month - 1];
  // A value that is not MM-DD at all is the pattern's to report.
  return last === undefined || day <= last;
};

const TRUST_EVERYONE = new Set(['true', 'on', 'yes', '*']);
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

const flag = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((v) => ['1', 'true', 'on', 'yes'].includes(v));

const positiveInt = (name: string) =>
  z.coerce.number({ error: `${name} must be a whole number` }).int(`${name} must be a whole number`).positive(`${name} must be greater than 0`);

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], {
    error: 'NODE_ENV must be development, production or test',
  }).default('development'),
  PORT: z.coerce
    .number({ error: PORT_MESSAGE })
    .int(PORT_MESSAGE)
    .min(0, PORT_MESSAGE)
    .max(65535, PORT_MESSAGE)
    .default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine((v) => v === '' || /^postgres(ql)?:\/\//.test(v) || v.startsWith('sqlite:') || v.startsWith('file:'), {
      message: 'DATABASE_URL must start with postgres:// (PostgreSQL) or sqlite: (a SQLite file); leave it empty for the SQLite file in DATA_DIR',
    })
    .optional(),
  DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'DATABASE_SCHEMA must be a PostgreSQL schema name of lower-case letters, digits and _, for example samtykke')
    .optional(),
  DEMO: flag.optional(),
  SESSION_SECRET: z.string().optional(),
  SMTP_URL: z.string().optional(),
  PUBLIC_URL: z.string().url('PUBLIC_URL must be a full URL such as https://samtykke.kommune.no').optional(),
  TRUST_PROXY: z
    .string()
    .refine((v) => !TRUST_EVERYONE.has(v.trim().toLowerCase()), {
      message: 'TRUST_PROXY must not trust every address (anyone could then pick their own address with X-Forwarded-For); name the proxies, e.g. loopback or 10.0.0.0/8, or the number of hops, e.g. 1',
    })
    .refine((v) => TRUST_EVERYONE.has(v.trim().toLowerCase()) || parseTrustProxy(v) !== null, {
      message: 'TRUST_PROXY must be false, a number of proxy hops such as 1, or a comma-separated list of proxy addresses and subnets such as loopback, 10.0.0.0/8',
    })
    .optional(),
  SELF_CONSENT_AGE: positiveInt('SELF_CONSENT_AGE').max(18, 'SELF_CONSENT_AGE must be at most 18').default(15),
  SCHOOL_YEAR_END: z
    .string()
    .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'SCHOOL_YEAR_END must be a month and day as MM-DD, for example 07-31')
    // 02-30 or 04-31 would pass the pattern and make every consent end on a day that does not exist.
    .refine((v) => existsEveryYear(v), 'SCHOOL_YEAR_END must be a day that exists every year (02-29 does not), for example 07-31')
    .default('07-31'),
  UPLOAD_MAX_BYTES: positiveInt('UPLOAD_MAX_BYTES').default(25 * 1024 * 1024),
  UPLOAD_MAX_FILES: positiveInt('UPLOAD_MAX_FILES').default(50),
  UPLOAD_MAX_PIXELS: positiveInt('UPLOAD_MAX_PIXELS').default(50_000_000),
  RETENTION_UNPUBLISHED_DAYS: positiveInt('RETENTION_UNPUBLISHED_DAYS').default(90),
  TAKEDOWN_DUE_HOURS: positiveInt('TAKEDOWN_DUE_HOURS').default(24),
  SESSION_TTL_HOURS: positiveInt('SESSION_TTL_HOURS').default(12),
  MAGIC_LINK_TTL_MINUTES: positiveInt('MAGIC_LINK_TTL_MINUTES').default(30),
  UPLOAD_GRACE_SECONDS: positiveInt('UPLOAD_GRACE_SECONDS').default(20),
  UPLOAD_MIN_BYTES_PER_SECOND: positiveInt('UPLOAD_MIN_BYTES_PER_SECOND').default(10_000),
  SIGN_IN_LIMIT_PER_ACCOUNT: positiveInt('SIGN_IN_LIMIT_PER_ACCOUNT').default(10),
  SIGN_IN_LIMIT_PER_ADDRESS: positiveInt('SIGN_IN_LIMIT_PER_ADDRESS').default(50),
  MAGIC_LINK_LIMIT_PER_ACCOUNT: positiveInt('MAGIC_LINK_LIMIT_PER_ACCOUNT').default(5),
  MAGIC_LINK_LIMIT_PER_ADDRESS: positiveInt('MAGIC_LINK_LIMIT_PER_ADDRESS').default(30),
  UPLOAD_LIMIT_PER_ACCOUNT: positiveInt('UPLOAD_LIMIT_PER_ACCOUNT').default(600),
  UPLOAD_LIMIT_PER_ADDRESS: positiveInt('UPLOAD_LIMIT_PER_ADDRESS').default(2400),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

/**
 * Parses the environment. In demo mode a missing SESSION_SECRET is generated once and kept
 * in DATA_DIR, so sessions survive restarts; production refuses demo mode and weak secrets.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `- ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`The configuration is not valid:\n${lines.join('\n')}\nSee .env.example for every setting.`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  const demo = e.DEMO ?? !production;
  if (production && demo) {
    throw new ConfigError('DEMO is on while NODE_ENV=production. Set DEMO=off: demo data and demo passwords must never run in production.');
  }
  const dataDir = path.resolve(e.DATA_DIR);
  let sessionSecret = e.SESSION_SECRET ?? '';
  if (sessionSecret.length < MIN_SECRET_LENGTH || isWeak(sessionSecret)) {
    if (production || e.SESSION_SECRET) {
      throw new ConfigError(
        `SESSION_SECRET is ${e.SESSION_SECRET ? 'too weak' : 'missing'}. Set it to at least ${MIN_SECRET_LENGTH} random characters, ` +
          'for example the output of: node -e "console.log(require(\'crypto\').randomBytes(48).toString(\'base64url\'))"',
      );
    }
    sessionSecret = demoSecret(dataDir);
  }
  const [month, day] = e.SCHOOL_YEAR_END.split('-').map(Number) as [number, number];
  const databaseUrl = e.DATABASE_URL ? e.DATABASE_URL : null;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    dataDir,
    databaseUrl,
    databaseSchema: e.DATABASE_SCHEMA ?? null,
    demo,
    sessionSecret,
    smtpUrl: e.SMTP_URL ?? null,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    trustProxy: parseTrustProxy(e.TRUST_PROXY) ?? false,
    selfConsentAge: e.SELF_CONSENT_AGE,
    schoolYearEnd: { month, day },
    uploadMaxBytes: e.UPLOAD_MAX_BYTES,
    uploadMaxFiles: e.UPLOAD_MAX_FILES,
    uploadMaxPixels: e.UPLOAD_MAX_PIXELS,
    retentionUnpublishedDays: e.RETENTION_UNPUBLISHED_DAYS,
    takedownDueHours: e.TAKEDOWN_DUE_HOURS,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    magicLinkTtlMinutes: e.MAGIC_LINK_TTL_MINUTES,
    uploadGraceSeconds: e.UPLOAD_GRACE_SECONDS,
    uploadMinBytesPerSecond: e.UPLOAD_MIN_BYTES_PER_SECOND,
    rateLimits: {
      signIn: { perAccount: e.SIGN_IN_LIMIT_PER_ACCOUNT, perAddress: e.SIGN_IN_LIMIT_PER_ADDRESS },
      magicLink: { perAccount: e.MAGIC_LINK_LIMIT_PER_ACCOUNT, perAddress: e.MAGIC_LINK_LIMIT_PER_ADDRESS },
      upload: { perAccount: e.UPLOAD_LIMIT_PER_ACCOUNT, perAddress: e.UPLOAD_LIMIT_PER_ADDRESS },
    },
    logLevel: e.LOG_LEVEL,
  };
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

function isWeak(secret: string): boolean {
  // A long secret made of one repeated character or a dictionary word padded out is still weak.
  return new Set(secret).size < 10 || /^(changeme|secret|password|demo)/i.test(secret);
}


/**
 * TRUST_PROXY as Express takes it, or null when it is not valid. Express reads a string as a
 * list of addresses, so a hop count must become a number ("1" would be refused as an address).
 */
function parseTrustProxy(value: string | undefined): string | number | false | null {
  const v = value?.trim().toLowerCase();
  if (!v || ['false', 'off', 'no', '0'].includes(v)) return false;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v.split(',').map((x) => x.trim());
  const valid = entries.every((x) => {
    if (PROXY_RANGES.has(x)) return true;
    const [address, prefix, extra] = x.split('/');
    if (extra !== undefined || !address || !isIP(address)) return false;
    if (prefix === undefined) return true;
    const bits = Number(prefix);
    return /^\d+$/.test(prefix) && bits <= (isIP(address) === 4 ? 32 : 128);
  });
  return valid ? entries.join(', ') : null;
}

function demoSecret(dataDir: string): string {
  const file = path.join(dataDir, 'session-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
