import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, describeInBrowser, expectNoProblems, launchBrowser, openSession, ready, signInAs } from './browser';

describeInBrowser('language', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('switching to nynorsk and english changes the texts and <html lang>, and the choice is kept', async () => {
    const session = await openSession(browser, server.url);
    const { page } = session;
    const lang = () => page.evaluate(() => document.documentElement.lang);
    const main = () => page.locator('main').innerText();

    await page.goto('/logg-inn');
    await ready(page);
    expect(await lang()).toBe('nb');
    expect(await main()).toContain('Få en innloggingslenke på e-post');
    expect(await page.title()).toBe('Logg inn – Samtykke');

    await page.getByLabel('Språk').selectOption('nn');
    await expect.poll(lang).toBe('nn');
    await expect.poll(main).toContain('Få ei innloggingslenkje på e-post');
    expect(await main()).toContain('For tilsette, leiarar og administratorar.');
    await checkPage(page, 'sign-in in nynorsk');

    await page.getByLabel('Språk').selectOption('en');
    await expect.poll(lang).toBe('en');
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Sign in');
    await expect.poll(() => page.title()).toBe('Sign in – Samtykke');
    expect(await main()).toContain('Get a sign-in link by email');
    expect(await page.getByRole('link', { name: 'Skip to main content' }).count()).toBe(1);
    await checkPage(page, 'sign-in in english');

    await page.reload();
    await ready(page);
    expect(await lang()).toBe('en');
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Sign in');

    // Dates follow the language: dd.mm.yyyy in Norwegian, spelled out in English.
    await signInAs(session, 'forelder@demo.no');
    await page.goto('/');
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('My children');
    await expect.poll(main).toMatch(/Born \d{1,2} [A-Z][a-z]+ \d{4}/);
    await page.getByLabel('Language').selectOption('nb');
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Mine barn');
    await expect.poll(main).toMatch(/Født \d{2}\.\d{2}\.\d{4}/);
    expect(await lang()).toBe('nb');

    expectNoProblems(session, 'language');
  });
});
