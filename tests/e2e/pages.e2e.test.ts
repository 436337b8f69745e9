import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, describeInBrowser, expectNoProblems, launchBrowser, openSession, ready, signInAs } from './browser';
import type { Session } from './browser';

describeInBrowser('every page, as the role that uses it, meets WCAG 2.1 AA', () => {
  let server: TestServer;
  let browser: Browser;
  const sessions = new Map<string, Session>();

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** One browser context per account, signed in once. */
  async function as(email: string | null): Promise<Session> {
    const key = email ?? 'anonymous';
    let session = sessions.get(key);
    if (!session) {
      session = await openSession(browser, server.url);
      if (email) await signInAs(session, email);
      sessions.set(key, session);
    }
    return session;
  }

  async function visit(email: string | null, path: string, heading: string | RegExp): Promise<Session> {
    const session = await as(email);
    await session.page.goto(path);
    await ready(session.page);
    await expect.poll(() => session.page.locator('main h1').innerText()).toMatch(heading);
    return session;
  }

  it('the sign-in page, empty and with its errors shown', async () => {
    const session = await visit(null, '/logg-inn', 'Logg inn');
    await checkPage(session.page, 'sign-in');

    const { page } = session;
    await page.getByRole('button', { name: 'Logg inn', exact: true }).click();
    await page.getByText('For å gå videre må du rette opp dette:').first().waitFor();
    const email = page.locator('#login-email');
    await expect.poll(() => email.getAttribute('aria-invalid')).toBe('true');
    // The message under the field is tied to it, so a screen reader reads it with the field.
    const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
    const descriptions = await Promise.all(describedBy.split(/\s+/).filter(Boolean).map((id) => page.locator(`#${id}`).innerText()));
    expect(descriptions).toContain('Skriv inn e-postadressen din.');
    await checkPage(page, 'sign-in with errors');

    await page.locator('#login-email').fill('admin@demo.no');
    await page.locator('#login-password').fill('feil-passord');
    await page.getByRole('button', { name: 'Logg inn', exact: true }).click();
    await page.getByText('E-postadressen eller passordet er feil.').waitFor();
    await checkPage(page, 'sign-in with wrong password');
    expectNoProblems(session, 'sign-in');
  });

  it('the skip link is the first stop and is visible when focused', async () => {
    const { page } = await visit(null, '/logg-inn', 'Logg inn');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Hopp til hovedinnhold' });
    await expect.poll(() => skip.evaluate((element) => element === document.activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(10);
    const outline = await skip.evaluate((element) => getComputedStyle(element).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('main');
  });

  it('a sign-in link that does not work says what to do', async () => {
    const session = await visit(null, `/logg-inn/lenke/${'x'.repeat(43)}`, 'Lenken virker ikke');
    await expect.poll(() => session.page.getByText('Be om en ny lenke').count()).toBeGreaterThan(0);
    await checkPage(session.page, 'expired sign-in link');
  });

  it('an unknown address gets a page that says what to do', async () => {
    const session = await visit(null, '/finnes-ikke', 'Fant ikke siden');
    await checkPage(session.page, '404');
    expectNoProblems(session, '404');
  });

  it('a page behind sign-in sends an anonymous visitor to sign in, and back after', async () => {
    const session = await openSession(browser, server.url);
    const { page } = session;
    await page.goto('/admin/personer?q=Nordmann');
    await ready(page);
    expect(new URL(page.url()).pathname).toBe('/logg-inn');
    const form = page.getByRole('region', { name: 'Logg inn med passord' });
    await form.getByLabel('E-postadresse').fill('admin@demo.no');
    await form.getByLabel('Passord', { exact: true }).fill('demo1234');
    await form.getByRole('button', { name: 'Logg inn', exact: true }).click();
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Personer');
    expect(new URL(page.url()).search).toBe('?q=Nordmann');
    // Focus follows the navigation to the new page's heading.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

    // When the session ends elsewhere, the next request sends the person to sign in again.
    await session.context.clearCookies();
    await page.getByRole('link', { name: 'Enheter' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/logg-inn');
    expectNoProblems(session, 'sign-in round trip');
    await session.context.close();
  });

  it('home for each role', async () => {
    const admin = await visit('admin@demo.no', '/', 'Forside');
    await checkPage(admin.page, 'admin home');

    const leader = await visit('leder@demo.no', '/', 'Solsikken barnehage');
    await checkPage(leader.page, 'leader home');

    const staff = await visit('ansatt@demo.no', '/', /.+/);
    await checkPage(staff.page, 'staff home');

    const guardian = await visit('forelder@demo.no', '/', 'Mine barn');
    await expect.poll(() => guardian.page.locator('main').innerText()).toContain('Emma Nordmann');
    await checkPage(guardian.page, 'guardian home');

    const pupil = await visit('elev@demo.no', '/', 'Forside');
    await expect.poll(() => pupil.page.locator('main').innerText()).toMatch(/Du er logget inn som \S+/);
    await checkPage(pupil.page, 'pupil home');

    for (const [label, session] of Object.entries({ admin, leader, staff, guardian, pupil })) expectNoProblems(session, `${label} home`);
  });

  it("a leader's group page", async () => {
    const session = await visit('leder@demo.no', '/', 'Solsikken barnehage');
    await session.page.getByRole('link', { name: 'Blåklokka', exact: true }).click();
    await ready(session.page);
    await expect.poll(() => session.page.locator('main h1').innerText()).toBe('Blåklokka');
    await expect.poll(() => session.page.locator('main table').innerText()).toContain('Emma Nordmann');
    await checkPage(session.page, 'group page');
    expectNoProblems(session, 'group page');
  });

  it('staff are told when a page is not for them', async () => {
    const session = await visit('ansatt@demo.no', '/admin/personer', 'Ingen tilgang');
    await checkPage(session.page, 'no access');
  });

  it('the admin roster pages', async () => {
    const units = await visit('admin@demo.no', '/admin/enheter', 'Enheter og grupper');
    await expect.poll(() => units.page.locator('main').innerText()).toContain('Solsikken barnehage');
    await checkPage(units.page, 'units');

    const people = await visit('admin@demo.no', '/admin/personer', 'Personer');
    await expect.poll(() => people.page.locator('main table').innerText()).toContain('Emma Nordmann');
    await checkPage(people.page, 'people');

    await people.page.getByRole('link', { name: 'Emma Nordmann' }).click();
    await ready(people.page);
    await expect.poll(() => people.page.locator('main h1').innerText()).toBe('Emma Nordmann');
    await expect.poll(() => people.page.locator('main').innerText()).toContain('Kari Nordmann');
    await checkPage(people.page, 'person');

    const newPerson = await visit('admin@demo.no', '/admin/personer/ny', 'Ny person');
    await checkPage(newPerson.page, 'new person');
    await newPerson.page.getByRole('button', { name: 'Opprett person' }).click();
    await newPerson.page.getByText('Skriv inn fornavnet.').first().waitFor();
    await checkPage(newPerson.page, 'new person with errors');

    const importPage = await visit('admin@demo.no', '/admin/import', 'Importer liste');
    await checkPage(importPage.page, 'import');

    expectNoProblems(units, 'admin pages');
  });
});
