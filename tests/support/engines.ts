import type { Engine } from '../../db/dialect.js';

/**
 * The database engines every repository and API test runs on: SQLite always, PostgreSQL
 * when TEST_DATABASE_URL is set. CI must set it; a CI run without it fails instead of
 * silently testing one engine.
 */
export function testEngines(): Engine[] {
  if (process.env.CI && !process.env.TEST_DATABASE_URL) {
    throw new Error('CI is set but TEST_DATABASE_URL is not: the PostgreSQL half of the suite would be skipped.');
  }
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}
