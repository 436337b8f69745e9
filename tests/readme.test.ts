// README.md is what a newcomer reads first: every picture and file it links to must exist in the
// repository (on a fresh clone, so an ignored or uncommitted file fails here).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');

describe('README.md', () => {
  const links = [...readme.matchAll(/\]\(([^)\s#]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/i.test(target));

  it('links to files of the repository', () => {
    expect(links.length).toBeGreaterThan(3);
  });

  it('shows the screenshots of the web app', () => {
    expect(links.filter((link) => link.startsWith('docs/screenshots/') && link.endsWith('.png')).length).toBeGreaterThanOrEqual(4);
  });

  it('every file it links to exists', () => {
    expect(links.filter((link) => !existsSync(path.join(root, link)))).toEqual([]);
  });
});
