// The server's CSP allows nothing from elsewhere, so the built app must not even try:
// no CDN fonts, no third-party scripts, styles or images. (The browser tests also fail on
// any off-origin request a page makes; this catches what no visited page happens to load.)
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

// Ways a browser would fetch a URL: CSS url()/@import, HTML src/href, JS import().
const fetchingUrl = [
  /url\(\s*['"]?https?:/gi,
  /@import\s+(url\()?\s*['"]?https?:/gi,
  /\b(src|href|srcset|action)\s*=\s*['"]?https?:/gi,
  /\bimport\(\s*['"`]https?:/gi,
];

describe('the built web app', () => {
  it('has an index.html with no inline script or style', () => {
    const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style[\s>]/i);
    expect(html).not.toMatch(/\sstyle=/i);
  });

  it('fetches nothing from another origin', () => {
    const offenders: string[] = [];
    for (const file of files(dist).filter((f) => /\.(html|css|js|svg)$/.test(f))) {
      const text = readFileSync(file, 'utf8');
      for (const pattern of fetchingUrl) {
        for (const match of text.matchAll(pattern)) {
          offenders.push(`${path.relative(dist, file)}: …${text.slice(Math.max(0, match.index - 40), match.index + 80)}…`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});

describe('what a guardian downloads first', () => {
  const html = () => readFileSync(path.join(dist, 'index.html'), 'utf8');
  const entry = () => {
    const src = /<script[^>]+src="\/([^"]+\.js)"/.exec(html())?.[1];
    expect(src, 'the entry script in index.html').toBeDefined();
    return readFileSync(path.join(dist, src!), 'utf8');
  };

  it('leaves out the staff pages, the guardian photo page and the languages not chosen', () => {
    const main = entry();
    // Ids that only the upload page, the publish dialog, the takedowns and a guardian's photo page use.
    for (const marker of ['upload-files', 'publish-channel', 'takedown-evidence-', 'child-publication-']) {
      expect(main.includes(marker), `"${marker}" is in the main bundle`).toBe(false);
    }
    // Nynorsk and English are fetched when chosen; Bokmål is the default and the fallback.
    expect(main).toContain('Få en innloggingslenke på e-post');
    expect(main).not.toContain('Få ei innloggingslenkje på e-post');
    expect(main).not.toContain('Get a sign-in link by email');
  });
});
