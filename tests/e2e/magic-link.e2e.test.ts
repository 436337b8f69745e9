import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, describeInBrowser, expectNoProblems, launchBrowser, openSession, ready } from './browser';

const neutralConfirmation = 'Hvis adressen er registrert hos oss, har vi sendt en innloggingslenke til den. Sjekk e-posten din.';

describeInBrowser('sign-in by e-mailed link', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a guardian signs in with an e-mailed link and sees their children', async () => {
    const session = await openSession(browser, server.url);
    const { page } = session;
    await page.goto('/logg-inn');
    await ready(page);

    const linkForm = page.getByRole('region', { name: 'Få en innloggingslenke på e-post' });
    await linkForm.getByLabel('E-postadresse').fill('forelder@demo.no');
    await linkForm.getByRole('button', { name: 'Send lenke' }).click();
    await expect.poll(() => linkForm.getByRole('status').innerText()).toBe(neutralConfirmation);
    await checkPage(page, 'sign-in after asking for a link');

    const mail = [...server.mails].reverse().find((m) => m.to === 'forelder@demo.no');
    expect(mail, 'a sign-in mail to forelder@demo.no').toBeDefined();
    const link = /https?:\/\/\S+\/logg-inn\/lenke\/[\w-]+/.exec(mail!.text)?.[0];
    expect(link, `a sign-in link in:\n${mail!.text}`).toBeDefined();

    await page.goto(link!);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Mine barn');
    await ready(page);
    expect(new URL(page.url()).pathname, 'the one-time token leaves the address bar').toBe('/');
    const children = page.getByRole('list', { name: 'Mine barn' }).getByRole('listitem');
    await expect.poll(() => children.allInnerTexts()).toEqual([
      expect.stringMatching(/^Emma Nordmann\s+Født \d{2}\.\d{2}\.\d{4}\s+Samtykke for Emma\s+Bilder av Emma$/),
      expect.stringMatching(/^Jakob Nordmann\s+Født \d{2}\.\d{2}\.\d{4}\s+Samtykke for Jakob\s+Bilder av Jakob$/),
    ]);
    await checkPage(page, 'guardian home after link sign-in');

    // The header offers sign-out, and afterwards the link cannot be used again.
    await page.getByRole('button', { name: 'Logg ut' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/logg-inn');
    await page.goto(link!);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Lenken virker ikke');
    await expect.poll(() => page.locator('main').innerText()).toContain('Denne lenken er utløpt eller allerede brukt.');
    await page.getByRole('link', { name: 'Be om en ny lenke' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/logg-inn');

    expectNoProblems(session, 'magic link');
  });

  it('an unknown address gets the same answer and no mail', async () => {
    const session = await openSession(browser, server.url);
    const { page } = session;
    const before = server.mails.length;
    await page.goto('/logg-inn');
    await ready(page);
    const linkForm = page.getByRole('region', { name: 'Få en innloggingslenke på e-post' });
    await linkForm.getByLabel('E-postadresse').fill('ukjent@example.no');
    await linkForm.getByRole('button', { name: 'Send lenke' }).click();
    await expect.poll(() => linkForm.getByRole('status').innerText()).toBe(neutralConfirmation);
    expect(server.mails.length).toBe(before);
    expectNoProblems(session, 'unknown address');
  });
});
