import { ensureWebBuilt } from '../../scripts/build-web.js';

/** Builds the web app once before the browser tests, instead of once per test file. */
export default async function setup(): Promise<void> {
  await ensureWebBuilt();
}
