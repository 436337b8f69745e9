/**
 * Bundles the server (server/main.ts and everything it imports from the project) into one
 * ES module, dist/server.mjs, for `npm start`. Packages stay in node_modules and are imported
 * from there, so native modules (better-sqlite3, sharp) load as they always do.
 *
 * Why: under tsx, Node runs the TypeScript loader on a thread of its own for the life of the
 * process, with its own JavaScript heap and the compiled sources. The bundle runs on plain
 * Node, which saves about 45 MB of resident memory, idle and at peak (measured with
 * bench:pipeline; README.md, "Benchmarks"). Tests and the dev tools still run the sources
 * through tsx.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the bundle goes. It sits one folder below the root, as server/app.ts does, so paths it resolves from its own location (web/dist) are the same. */
export const SERVER_BUNDLE = path.join(root, 'dist', 'server.mjs');

export async function buildServer(): Promise<void> {
  await build({
    entryPoints: [path.join(root, 'server', 'main.ts')],
    outfile: SERVER_BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'warning',
  });
}

/**
 * How `npm start` runs the server, read from its script: the variables set right before
 * `node`, Node's flags, and the file it runs.
 */
export function startCommand(): { env: Record<string, string>; nodeArgs: string[]; script: string } {
  const start = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? '';
  const words = (start.split('&&').find((part) => /(^|\s)node\s/.test(part)) ?? '').trim().split(/\s+/);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length; i++) {
    const m = /^([A-Z_][A-Z0-9_]*)=(\S*)$/.exec(words[i]!);
    if (!m) break;
    env[m[1]!] = m[2]!;
  }
  if (words[i] !== 'node' || words.length < i + 2) throw new Error(`The start script does not run the server with node: ${start}`);
  const rest = words.slice(i + 1);
  return { env, nodeArgs: rest.slice(0, -1), script: rest[rest.length - 1]! };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildServer().catch((err: unknown) => {
    console.error('The server could not be built:', err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
