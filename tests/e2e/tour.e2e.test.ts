// The tour: every page of the app, as every role that may open it, in Bokmål, Nynorsk and English.
// On each page: axe-core at phone and desktop width, one h1 in the right language, nothing wider
// than a 320-pixel screen, no text left in another language, no internal code or missing text on
// screen, no layout jump while it loads; in Bokmål also a visible focus on every stop of the Tab
// order. Dialogs and form errors are checked open. Screenshots of the key pages go to the folder
// the run prints (SCREENSHOT_DIR, by default test-results/screenshots).
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { criteria } from '../../web/src/features/help/wcag';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, describeInBrowser, DESKTOP, expectNoProblems, launchBrowser, openSession, PHONE, ready, signInAs } from './browser';
import type { Session } from './browser';
import { directory, makeJpeg, post, requestPublication, tagPhoto, uploadPhoto } from './photo-helpers';
import type { Api } from './photo-helpers';
import { ACCOUNTS, LANGUAGES, MESSAGES, ROLES, STOPS, text } from './tour-pages';
import type { Language, SignedInRole, Stop, TourRole, World } from './tour-pages';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOT_DIR = path.resolve(root, process.env.SCREENSHOT_DIR ?? 'test-results/screenshots');

const escape = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const startsWith = (value: string) => new RegExp(`^${escape(value)}`);

// Long texts that belong to one language only: a page in another language must not show them.
const foreign = Object.fromEntries(
  LANGUAGES.map((language) => {
    const others = LANGUAGES.filter((other) => other !== language);
    const own = new Set(MESSAGES[language].values());
    const texts = new Set<string>();
    for (const other of others) {
      for (const value of MESSAGES[other].values()) {
        if (value.length >= 24 && !value.includes('{{') && !own.has(value)) texts.add(value);
      }
    }
    return [language, [...texts]];
  }),
) as Record<Language, string[]>;

// Keys with at least two dots: what i18next shows in place of a missing text.
const keyPaths = [...MESSAGES.nb.keys()].filter((key) => key.split('.').length >= 3);

describeInBrowser('the tour: every page, every role, three languages', () => {
  let server: TestServer;
  let browser: Browser;
  let world: World;
  const sessions = new Map<TourRole, Session>();
  /** The WCAG criteria axe found something to check on, and passed, across the whole tour. */
  const evaluated = new Set<string>();
  const visited = new Set<string>();
  let screenshots = 0;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
    world = await setTheScene();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    console.info(`tour: ${visited.size} page visits, ${screenshots} screenshots in ${path.relative(root, SCREENSHOT_DIR)}`);
    await browser?.close();
    await server?.close();
  });

  const apiOf = (session: Session): Api => ({ request: session.context.request, origin: server.url });

  /** A photo of the guardian's child published on the group wall, one waiting for review, and one taken down from Facebook. */
  async function setTheScene(): Promise<World> {
    const staff = await openSession(browser, server.url);
    const leader = await openSession(browser, server.url);
    const admin = await openSession(browser, server.url);
    await Promise.all([signInAs(staff, ACCOUNTS.staff), signInAs(leader, ACCOUNTS.leader), signInAs(admin, ACCOUNTS.admin)]);
    const ids = await directory(apiOf(staff));
    const emma = await ids.child('Blåklokka', 'Emma Nordmann');
    const frida = await ids.child('Blåklokka', 'Frida Johnsen');
    const groupId = ids.group('Blåklokka').id;
    const photoId = await uploadPhoto(apiOf(staff), groupId, await makeJpeg({ hue: 40, capturedAt: '2026:10:01 09:30:00' }));
    await tagPhoto(apiOf(staff), photoId, [
      { personId: frida.id, recognisable: true },
      { personId: emma.id, recognisable: false },
    ]);
    const text = { caption: 'Maling i gymsalen', altText: 'Barn som maler med fingrene' };
    const wall = await requestPublication(apiOf(staff), { photoId, channelId: ids.channel('solsikken-vegg').id, ...text });
    expect(wall.status).toBe('published');
    const pending = await requestPublication(apiOf(staff), { photoId, channelId: ids.channel('solsikken-nettside').id, ...text });
    expect(pending.status).toBe('pending_review');
    const facebook = await requestPublication(apiOf(staff), { photoId, channelId: ids.channel('kommunens-facebook').id, ...text });
    await post(apiOf(leader), `/api/publications/${facebook.id}/review`, { approve: true, harmAssessment: true });
    await post(apiOf(leader), `/api/publications/${facebook.id}/unpublish`);

    const pupil = await openSession(browser, server.url);
    await signInAs(pupil, ACCOUNTS.pupil);
    const me = (await (await pupil.context.request.get('/api/me')).json()) as { user: { personId: string } };
    const { settings } = (await (await admin.context.request.get('/api/settings')).json()) as { settings: { takedownDueHours: number } };
    for (const session of [staff, leader, admin, pupil]) await session.context.close();
    return {
      unitId: ids.unit.id,
      groupId,
      childId: emma.id,
      childFirstName: emma.firstName,
      pupilId: me.user.personId,
      photoId,
      publicationId: wall.id,
      purposeId: ids.purpose('website').id,
      takedownDueHours: settings.takedownDueHours,
    };
  }

  /** One browser context per role, signed in once, watching for layout shifts from the first paint. */
  async function sessionOf(role: TourRole): Promise<Session> {
    let session = sessions.get(role);
    if (!session) {
      session = await openSession(browser, server.url, PHONE);
      await session.context.addInitScript(() => {
        const scope = window as unknown as { layoutShift: number };
        scope.layoutShift = 0;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
            if (!entry.hadRecentInput) scope.layoutShift += entry.value;
          }
        }).observe({ type: 'layout-shift', buffered: true });
      });
      if (role !== 'anonymous') await signInAs(session, ACCOUNTS[role]);
      sessions.set(role, session);
    }
    return session;
  }

  async function useLanguage(session: Session, language: Language): Promise<void> {
    await session.page.goto('/tilgjengelighet');
    await session.page.evaluate((choice) => window.localStorage.setItem('samtykke.language', choice), language);
  }

  const resolve = (language: Language, spec: NonNullable<Stop['heading']>): string =>
    typeof spec === 'string' ? text(language, spec) : text(language, ...spec(world));

  /** Opens a page and checks everything the tour checks on every page. */
  async function inspect(role: TourRole, stop: Stop, language: Language): Promise<Page> {
    const session = await sessionOf(role);
    const { page } = session;
    const label = `${stop.name} as ${role} in ${language}`;
    await page.setViewportSize(PHONE);
    await page.goto(stop.path(world));
    await ready(page);
    expect(new URL(page.url()).pathname, `${label}: stayed on the page`).toBe(new URL(stop.path(world), server.url).pathname);
    if (stop.shows) {
      const shown = resolve(language, stop.shows);
      await expect.poll(() => page.locator('main').innerText(), { message: `${label} shows "${shown}"` }).toContain(shown);
    }
    if (stop.heading) await expect.poll(() => page.locator('main h1').innerText(), { message: `${label}: h1` }).toBe(resolve(language, stop.heading));
    else await expect.poll(() => page.locator('main h1').innerText()).toMatch(/\S/);

    // The chrome is in the chosen language too.
    expect(await page.evaluate(() => document.documentElement.lang), `${label}: <html lang>`).toBe(language);
    expect(await page.locator('footer').innerText(), `${label}: footer`).toContain(text(language, 'footer.accessibility'));
    if (role !== 'anonymous') {
      expect(await page.getByRole('button', { name: text(language, 'layout.signOut'), exact: true }).count(), `${label}: sign-out button`).toBe(1);
    }

    const shown = await page.locator('body').innerText();
    const leftovers = foreign[language].filter((other) => shown.includes(other));
    expect(leftovers, `${label}: texts from another language`).toEqual([]);
    expect(shown.match(/\b[A-Z]{2,}(?:_[A-Z]{2,})+\b/g) ?? [], `${label}: internal codes on screen`).toEqual([]);
    expect(keyPaths.filter((key) => shown.includes(key)), `${label}: text keys instead of texts`).toEqual([]);
    expect(shown.includes('{{'), `${label}: an unfilled placeholder`).toBe(false);

    if (stop.rights && (role === 'guardian' || role === 'pupil')) {
      // What is kept, for how long, how to get something removed (with this organisation's deadline), slettmeg.no.
      // The panel fetches its figures itself, after the page's own data, and shows nothing (no
      // loading state, so ready() does not wait for it) until they are in: wait for it.
      await expect
        .poll(() => page.locator('body').innerText(), { message: `${label}: the rights panel` })
        .toContain(text(language, 'rights.removal', { hours: world.takedownDueHours }));
      await expect.poll(() => page.locator('body').innerText()).toContain(text(language, 'rights.heading'));
      expect(await page.locator('main a[href="https://slettmeg.no/"]').count(), `${label}: a link to slettmeg.no`).toBe(1);
    }

    const shift = await page.evaluate(() => (window as unknown as { layoutShift: number }).layoutShift);
    expect(shift, `${label}: cumulative layout shift while loading`).toBeLessThan(0.1);

    await checkPage(page, label, evaluated);
    for (const viewport of [PHONE, DESKTOP]) await expectVisibleFocus(page, `${label} at ${viewport.width}px`, viewport);
    if (stop.screenshot && (language === 'nb' || (language === 'en' && role === 'guardian'))) await screenshot(page, `${role}-${stop.name}-${language}`);
    expectNoProblems(session, label);
    visited.add(`${role} ${stop.name} ${language}`);
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    for (const [width, viewport] of [['phone', PHONE], ['desktop', DESKTOP]] as const) {
      await page.setViewportSize(viewport);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-${width}.png`), animations: 'disabled' });
      screenshots++;
    }
    await page.setViewportSize(PHONE);
  }

  /**
   * Tabs through the whole page from the top; every element that gets focus must look different
   * focused than not (an outline or a ring the element does not have otherwise): WCAG 2.4.7.
   */
  async function expectVisibleFocus(page: Page, label: string, viewport: { width: number; height: number }): Promise<void> {
    await page.setViewportSize(viewport);
    await page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    const unseen: string[] = [];
    const stops = new Set<string>();
    let wrapped = false;
    for (let i = 0; i < 400; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate((index) => {
        const element = document.activeElement as HTMLElement | null;
        if (!element || element === document.body) return null;
        element.dataset.tourStop ??= String(index);
        const look = () => {
          const style = getComputedStyle(element);
          return { outline: style.outlineStyle === 'none' ? 'none' : `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`, shadow: style.boxShadow };
        };
        const focusedLook = look();
        // The same element without focus, then focus back where the Tab left it.
        element.blur();
        const restingLook = look();
        element.focus({ preventScroll: true });
        const outline = focusedLook.outline !== 'none' && focusedLook.outline !== restingLook.outline;
        const ring = focusedLook.shadow !== 'none' && focusedLook.shadow !== restingLook.shadow;
        const name = `${element.tagName.toLowerCase()} "${(element.getAttribute('aria-label') ?? element.textContent ?? '').trim().slice(0, 40)}"`;
        return { stop: element.dataset.tourStop, visible: outline || ring, name };
      }, i);
      if (!focused || stops.has(focused.stop)) {
        wrapped = true;
        break;
      }
      stops.add(focused.stop);
      if (!focused.visible) unseen.push(focused.name);
    }
    expect(wrapped, `${label}: Tab went through the page and left it (no keyboard trap, fewer than 400 stops)`).toBe(true);
    expect(stops.size, `${label}: Tab reaches something`).toBeGreaterThan(1);
    expect(unseen, `${label}: focused without a visible focus indicator`).toEqual([]);
    await page.evaluate(() => document.querySelectorAll<HTMLElement>('[data-tour-stop]').forEach((element) => delete element.dataset.tourStop));
    await page.setViewportSize(PHONE);
  }

  /** Opens a dialog from the keyboard, checks the page with it open, closes it with Escape. */
  async function checkDialog(page: Page, opener: Locator, label: string): Promise<void> {
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    await expect.poll(() => page.evaluate(() => Boolean(document.activeElement?.closest('dialog[open]'))), { message: `${label}: focus moves into the dialog` }).toBe(true);
    await checkPage(page, `${label} with its dialog open`, evaluated);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' }).catch(() => dialog.waitFor({ state: 'hidden' }));
    await expect.poll(() => opener.evaluate((element) => element === document.activeElement), { message: `${label}: focus returns to the button` }).toBe(true);
  }

  /** Submits a form empty from the keyboard and checks the page with its errors shown, tied to their fields. */
  async function checkFormErrors(page: Page, submit: Locator, language: Language, label: string): Promise<void> {
    await submit.focus();
    await expect.poll(() => submit.evaluate((element) => element === document.activeElement), { message: `${label}: the submit button has focus` }).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByText(text(language, 'form.errorSummary')).first().waitFor();
    const invalid = page.locator('[aria-invalid="true"]');
    await expect.poll(() => invalid.count(), { message: `${label}: fields marked invalid` }).toBeGreaterThan(0);
    // Each invalid field names, in aria-describedby, an element that says what is wrong, and the
    // summary at the top says the same.
    const summary = await page.locator('main').innerText();
    for (const field of await invalid.all()) {
      const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
      const descriptions = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText().catch(() => '')));
      const messages = descriptions.map((d) => d.trim()).filter((d) => d !== '' && summary.split(d).length > 2);
      expect(messages, `${label}: ${(await field.getAttribute('id')) ?? 'a field'} is described by its error, also in the summary`).not.toEqual([]);
    }
    await checkPage(page, `${label} with its errors shown`, evaluated);
  }

  /** The states worth checking besides the page as it opens: dialogs and form errors. */
  async function checkStates(role: TourRole, stop: Stop, page: Page, language: Language): Promise<void> {
    const label = `${stop.name} as ${role} in ${language}`;
    const button = (key: string) => page.getByRole('button', { name: startsWith(text(language, key)) }).first();
    if (stop.name === 'sign-in') await checkFormErrors(page, page.getByRole('button', { name: text(language, 'auth.login.submit'), exact: true }), language, label);
    if (stop.name === 'new-person') await checkFormErrors(page, button('roster.newPerson.submit'), language, label);
    if (stop.name === 'takedowns' && role === 'leader') {
      await button('publishing.takedowns.markDone').focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.locator('[aria-invalid="true"]').count(), { message: `${label}: evidence is asked for` }).toBeGreaterThan(0);
      await checkPage(page, `${label} with its error shown`, evaluated);
    }
    if (stop.name === 'photo' && role === 'staff') await checkDialog(page, button('publishing.photo.publish'), label);
    if (stop.name === 'child-photos') await checkDialog(page, button('publishing.child.ask'), label);
    if (stop.name === 'group-consents' && role === 'staff') await checkDialog(page, button('consent.overview.record'), label);
  }

  it('has a stop for every route of the app, for every role that may open it', () => {
    const app = readFileSync(path.join(root, 'web/src/app/App.tsx'), 'utf8');
    const groups = new Map<string, string[]>();
    for (const match of app.matchAll(/const (\w+): Role\[\] = \[([^\]]*)\];/g)) {
      groups.set(match[1]!, [...match[2]!.matchAll(/'(\w+)'/g)].map((m) => m[1]!));
    }
    const routes = [...app.matchAll(/<Route path="([^"]+)" element=\{(<RequireSession(?: roles=\{(\w+)\})?>)?/g)].map((match) => ({
      route: match[1]!,
      roles: match[2] ? (match[3] ? groups.get(match[3])! : ROLES.filter((r) => r !== 'anonymous')) : ['anonymous'],
    }));
    expect(routes.length).toBeGreaterThan(25);
    for (const { route, roles } of routes) {
      const toured = new Set(STOPS.filter((stop) => stop.route === route).flatMap((stop) => stop.roles));
      expect([...roles].filter((role) => !toured.has(role as TourRole)), `roles that may open ${route} but are not taken there`).toEqual([]);
    }
    expect(STOPS.filter((stop) => !routes.some((r) => r.route === stop.route)).map((s) => s.route), 'stops for routes the app does not have').toEqual([]);
  });

  for (const language of LANGUAGES) {
    for (const role of ROLES) {
      const stops = STOPS.filter((stop) => stop.roles.includes(role));
      it(`${role} in ${language === 'nb' ? 'bokmål' : language === 'nn' ? 'nynorsk' : 'english'}: ${stops.length} pages`, { timeout: 900_000 }, async () => {
        const session = await sessionOf(role);
        await useLanguage(session, language);
        for (const stop of stops) {
          const page = await inspect(role, stop, language);
          await checkStates(role, stop, page, language);
        }
        expectNoProblems(session, `${role} in ${language}`);
      });
    }
  }

  it('a page behind sign-in that the role may not open says so, in every language', async () => {
    const session = await sessionOf('staff');
    for (const language of LANGUAGES) {
      await useLanguage(session, language);
      await session.page.goto('/admin/personer');
      await ready(session.page);
      await expect.poll(() => session.page.locator('main h1').innerText()).toBe(text(language, 'forbidden.title'));
      await checkPage(session.page, `no access in ${language}`, evaluated);
    }
  });

  it('a page that fails shows the error page, which says what to do, and the next page works again', async () => {
    const session = await openSession(browser, server.url, PHONE);
    await signInAs(session, ACCOUNTS.staff);
    const { page } = session;
    // The staff pages' code cannot be downloaded (a network blip, or a new version deployed since the page was opened).
    await page.route(/staff-pages-[\w-]+\.js$/, (route) => route.abort('failed'));
    await page.goto('/nedtakinger');
    await expect.poll(() => page.locator('main h1').innerText()).toBe(text('nb', 'crash.title'));
    await expect.poll(() => page.locator('main').innerText()).toContain(text('nb', 'crash.saved'));
    expect(await page.getByRole('button', { name: text('nb', 'crash.reload') }).count()).toBe(1);
    await checkPage(page, 'the error page', evaluated);
    // Focus starts at the heading, not lost with the page that failed.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    // The network is back: going on from the error page, without reloading, works.
    await page.unroute(/staff-pages-[\w-]+\.js$/);
    await page.getByRole('link', { name: text('nb', 'crash.home') }).click();
    await ready(page);
    await page.getByRole('navigation').getByRole('link', { name: text('nb', 'nav.takedowns') }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe(text('nb', 'publishing.takedowns.title'));
    // The browser reports the failed download and React the error it caught: expected here.
    await session.context.close();
  });

  it('the accessibility statement says exactly what the tour checked', async () => {
    expect(visited.size, 'the tour ran before this check').toBeGreaterThan(150);
    // WCAG 2.1 has 30 criteria at level A and 20 at AA; the statement lists each once.
    expect(criteria.filter((c) => c.level === 'A')).toHaveLength(30);
    expect(criteria.filter((c) => c.level === 'AA')).toHaveLength(20);
    expect(new Set(criteria.map((c) => c.id)).size).toBe(50);
    // A criterion the statement says axe checks was checked (and passed) somewhere on the tour, and
    // every criterion axe checked is claimed: the page neither overstates nor leaves out.
    const claimed = criteria.filter((c) => c.checks.includes('axe')).map((c) => c.id);
    expect(claimed.filter((id) => !evaluated.has(id)), 'criteria the statement says axe checks, which axe never checked').toEqual([]);
    // (An axe rule run for an A/AA criterion may be tagged with a AAA one too, such as 2.1.3: out of scope.)
    const inScope = new Set(criteria.map((c) => c.id));
    expect([...evaluated].filter((id) => inScope.has(id) && !claimed.includes(id)), 'criteria axe checked that the statement does not say').toEqual([]);
    // The other automatic checks run on every stop above (checkPage: page and reflow; expectVisibleFocus:
    // focus) or in the keyboard suites, which .ci/check-results.mjs requires to pass in full.
    // Nothing that does not apply is said to be tested, and nothing is claimed met without a word on how.
    expect(criteria.filter((c) => c.status === 'notApplicable' && c.checks.length > 0)).toEqual([]);

    // And the page says it: one row per criterion, with its status.
    const session = await sessionOf('anonymous');
    await useLanguage(session, 'nb');
    await session.page.goto('/tilgjengelighet');
    await ready(session.page);
    const rows = session.page.locator('main table tbody tr');
    await expect.poll(() => rows.count()).toBe(50);
    for (const criterion of criteria) {
      const row = await session.page.locator('main table tbody tr', { hasText: `${criterion.id} ${criterion.name.nb}` }).innerText();
      expect(row).toContain(text('nb', `accessibility.statuses.${criterion.status}`));
    }
    const met = criteria.filter((c) => c.status === 'met').length;
    const notApplicable = criteria.filter((c) => c.status === 'notApplicable').length;
    await expect.poll(() => session.page.locator('main').innerText()).toContain(text('nb', 'accessibility.summary', { met, total: 50, notApplicable }));
  });

  it("a guardian's pages download under 200 kB of JavaScript (gzipped), in every language", async () => {
    const sizes: Record<string, number> = {};
    for (const language of LANGUAGES) {
      const session = await openSession(browser, server.url, PHONE);
      await signInAs(session, ACCOUNTS.guardian);
      await session.context.addInitScript((choice) => window.localStorage.setItem('samtykke.language', choice), language);
      const scripts = new Map<string, Promise<number>>();
      session.page.on('response', (response) => {
        if (!/\.m?js(\?|$)/.test(response.url())) return;
        scripts.set(response.url(), response.body().then((body) => gzipSync(body, { level: 9 }).length));
      });
      for (const stop of STOPS.filter((s) => s.roles.includes('guardian' satisfies SignedInRole))) {
        await session.page.goto(stop.path(world));
        await ready(session.page);
      }
      await session.page.waitForLoadState('networkidle');
      sizes[language] = (await Promise.all(scripts.values())).reduce((sum, size) => sum + size, 0);
      expect(scripts.size, `${language}: scripts seen`).toBeGreaterThan(1);
      await session.context.close();
    }
    console.info(`guardian JavaScript, gzipped: ${Object.entries(sizes).map(([l, s]) => `${l} ${(s / 1000).toFixed(1)} kB`).join(', ')}`);
    for (const [language, size] of Object.entries(sizes)) expect(size, `${language}: gzipped JavaScript for a guardian's pages`).toBeLessThan(200_000);
  });
});

export type { SignedInRole };
