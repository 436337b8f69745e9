import { existsSync } from 'node:fs';
import { pino } from 'pino';
import { bootstrap, type Started } from '../server/bootstrap.js';
import { ConfigError, loadConfig } from '../server/config.js';

/** Opens the configured database for a command-line tool, with readable failures. */
export async function openForCli(options: { seed?: boolean } = {}): Promise<Started> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  try {
    const config = loadConfig();
    return await bootstrap(config, pino({ level: 'warn' }, pino.destination(2)), { seed: options.seed ?? false });
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
}

export function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}
