import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webDir = path.join(root, 'web');
const builtIndex = path.join(webDir, 'dist', 'index.html');

function newestMtime(p: string): number {
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(p)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(path.join(p, entry)));
  }
  return newest;
}

/** Whether web/dist is missing or older than any source of the web app. */
export function webBuildIsStale(): boolean {
  if (!existsSync(path.join(webDir, 'index.html'))) return false; // nothing to build
  if (!existsSync(builtIndex)) return true;
  return newestMtime(webDir) > statSync(builtIndex).mtimeMs;
}

let building: Promise<void> | null = null;

/** Builds the web app with Vite when its sources changed since the last build. */
export async function ensureWebBuilt(options: { force?: boolean; quiet?: boolean } = {}): Promise<void> {
  if (!options.force && !webBuildIsStale()) return;
  building ??= (async () => {
    const { build } = await import('vite');
    await build({ configFile: path.join(webDir, 'vite.config.ts'), logLevel: options.quiet === false ? 'info' : 'warn' });
  })().finally(() => {
    building = null;
  });
  await building;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureWebBuilt({ force: process.argv.includes('--force'), quiet: false }).catch((err) => {
    console.error('The web app could not be built:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
