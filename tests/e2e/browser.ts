// Shared browser plumbing for the e2e suite: Debian's Chromium through playwright-core
// (never a downloaded browser), axe-core checks, and a watch on everything a page does wrong.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AxeResults, Result } from 'axe-core';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

/**
 * A describe block that needs a browser. Without Chromium it is skipped with a message,
 * except on CI (`CI` set), where a missing browser is a failure, not a silent pass.
 */
export function describeInBrowser(name: string, body: () => void): void {
  if (hasChromium) {
    describe(name, body);
    return;
  }
  const message = `No Chromium at ${CHROMIUM_PATH}. Install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH.`;
  if (process.env.CI) {
    describe(name, () => {
      it('has a browser to run in', () => {
        throw new Error(message);
      });
    });
    return;
  }
  console.warn(`Skipping browser tests "${name}": ${message}`);
  describe.skip(name, body);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const PHONE = { width: 360, height: 740 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

export type Session = {
  context: BrowserContext;
  page: Page;
  /** Console errors (CSP violations included), page errors, off-origin requests, 5xx responses. */
  problems: string[];
};

// Chromium logs every non-2xx fetch as a console error. A 4xx is an answer the app handles and
// shows in words (no access, not found, a refused upload, a publication the gate refused);
// a 5xx is a problem and is caught below.
const expectedConsoleNoise = /Failed to load resource: the server responded with a status of 4\d\d/;

export async function openSession(browser: Browser, baseURL: string, viewport: { width: number; height: number } = DESKTOP): Promise<Session> {
  const context = await browser.newContext({ baseURL, viewport, locale: 'nb-NO', timezoneId: 'Europe/Oslo' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !expectedConsoleNoise.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(baseURL) && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`off-origin request: ${url}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 500) problems.push(`${response.status()} from ${response.url()}`);
  });
  return { context, page, problems };
}

/** Signs in through the API; the cookie lands in the browser context like a real sign-in. */
export async function signInAs(session: Session, email: string, password = 'demo1234'): Promise<void> {
  const response = await session.context.request.post('/api/auth/login', { data: { email, password } });
  expect(response.status(), `sign-in as ${email}`).toBe(200);
}

/** Waits until the page has its h1 and nothing is loading any more. */
export async function ready(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('main .loading') === null);
}

/**
 * Checks (or unchecks) a radio button or checkbox. A controlled input can swallow a click
 * when React re-renders it at that moment (Playwright then reports that the click "did not
 * change its state"); this clicks again until the state sticks, and fails if it never does.
 */
export async function choose(control: Locator, checked = true): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await control.setChecked(checked, { timeout: 5_000 });
      if ((await control.isChecked()) === checked) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`${control} did not become ${checked ? 'checked' : 'unchecked'}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

function describeViolation(violation: Result): string {
  const nodes = violation.nodes
    .slice(0, 5)
    .map((node) => `    at ${node.target.join(' ')}\n      ${(node.failureSummary ?? '').replace(/\n/g, '\n      ')}`)
    .join('\n');
  const more = violation.nodes.length > 5 ? `\n    … and ${violation.nodes.length - 5} more` : '';
  return `  [${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help}\n    ${violation.helpUrl}\n${nodes}${more}`;
}

/** "wcag1412" → "1.4.12": the success criterion an axe tag names (principle and guideline are one digit). */
export function criterionOfTag(tag: string): string | null {
  const match = /^wcag(\d)(\d)(\d+)$/.exec(tag);
  return match ? `${match[1]}.${match[2]}.${match[3]}` : null;
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page and fails with a readable list. Returns
 * the success criteria whose rules axe found something to check on this page and passed.
 */
export async function expectNoAxeViolations(page: Page, label: string): Promise<Set<string>> {
  // The app's CSP forbids inline scripts, so axe is evaluated through the DevTools protocol
  // (page.evaluate) rather than added as a <script> tag.
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(axeSource);
  const results = await page.evaluate(
    (tags) =>
      (window as unknown as { axe: { run(context: Document, options: object): Promise<AxeResults> } }).axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }),
    wcagTags,
  );
  const report = results.violations.map(describeViolation).join('\n');
  expect(results.violations.length, `axe found WCAG 2.1 AA violations on ${label}:\n${report}`).toBe(0);
  return new Set(results.passes.flatMap((rule) => rule.tags.map(criterionOfTag).filter((c): c is string => c !== null)));
}

/** One h1, one main landmark, a title naming the page, the language set, nothing wider than the screen. */
export async function expectSoundPage(page: Page, label: string): Promise<void> {
  const facts = await page.evaluate(() => ({
    h1: document.querySelectorAll('h1').length,
    main: document.querySelectorAll('main, [role="main"]').length,
    title: document.title,
    lang: document.documentElement.lang,
    overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));
  expect(facts.h1, `${label}: number of h1`).toBe(1);
  expect(facts.main, `${label}: number of main landmarks`).toBe(1);
  expect(facts.title, `${label}: document.title`).toMatch(/.+ – Samtykke$/);
  expect(['nb', 'nn', 'en'], `${label}: <html lang>`).toContain(facts.lang);
  expect(facts.overflow, `${label}: the page is wider than the screen`).toBeLessThanOrEqual(0);
}

/** Lets layout-dependent rendering (resize observers, then React) and transitions (a dialog fading in) finish. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50)))),
  );
  await page.evaluate(() => Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined))));
}

/** The narrowest screen WCAG 1.4.10 (reflow) asks for: 320 CSS pixels, as 1280 pixels at 400 % zoom. */
export const NARROWEST = { width: 320, height: 640 } as const;

/**
 * Checks a page as it is now at phone width and at desktop width (axe, one h1, title, language,
 * nothing wider than the screen), and that it still fits at 320 pixels. The success criteria
 * axe evaluated are added to `evaluated` when given.
 */
export async function checkPage(page: Page, label: string, evaluated?: Set<string>): Promise<void> {
  const original = page.viewportSize() ?? DESKTOP;
  for (const viewport of [PHONE, DESKTOP]) {
    await page.setViewportSize(viewport);
    await settle(page);
    await expectSoundPage(page, `${label} at ${viewport.width}px`);
    const criteria = await expectNoAxeViolations(page, `${label} at ${viewport.width}px`);
    for (const criterion of criteria) evaluated?.add(criterion);
  }
  await page.setViewportSize(NARROWEST);
  await settle(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, `${label} at 320px: the page scrolls sideways (WCAG 1.4.10)`).toBeLessThanOrEqual(0);
  await page.setViewportSize(original);
}

export function expectNoProblems(session: Session, label: string): void {
  expect(session.problems, `${label}: console errors, CSP violations or off-origin requests`).toEqual([]);
}
