// Optimistic but honest: a guardian's answer is shown as saved only once the server has said so,
// and a save that fails says so and leaves the answer as it was, on a phone.
import type { Browser, Route } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, choose, describeInBrowser, launchBrowser, openSession, PHONE, ready, signInAs } from './browser';
import { consentPathOf, openPurpose, purposeCard } from './consent-helpers';

describeInBrowser('honest states', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an answer is shown as saved only when the server has said so, and a failed save says so and changes nothing', async () => {
    const session = await openSession(browser, server.url, PHONE);
    await signInAs(session, 'forelder@demo.no');
    const { page } = session;
    await page.goto('/samtykke');
    await ready(page);
    await page.goto(await consentPathOf(page, 'Emma Nordmann'));
    await ready(page);
    const card = purposeCard(page, 'Trykksaker og årbok');
    await openPurpose(card);
    const form = card.locator('form[data-question="photo"]');
    const save = form.getByRole('button', { name: /Lagre svaret|Lagrer/ });
    const status = card.getByRole('status');
    const states = card.locator('.question-states');
    const before = await states.innerText();

    // The server is slow to answer: the button says it is saving, nothing says "saved".
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const consents = /\/api\/people\/[\w-]+\/consents$/;
    await page.route(consents, async (route: Route) => {
      if (route.request().method() === 'POST') await held;
      await route.continue();
    });
    await choose(form.getByRole('radio', { name: 'Ja', exact: true }));
    await save.click();
    await expect.poll(() => save.innerText()).toContain('Lagrer');
    for (let i = 0; i < 5; i++) {
      expect(await status.innerText()).not.toContain('lagret');
      expect(await states.innerText()).toBe(before);
      await page.waitForTimeout(100);
    }
    release();
    await expect.poll(() => status.innerText()).toContain('Svaret ditt er lagret: ja til bilder');
    const saved = await states.innerText();
    expect(saved).not.toBe(before);
    await page.unroute(consents);

    // The next save fails on the server's side: the page says so in words, keeps what was saved,
    // and the choice stays in the form so the person can try again.
    await page.route(consents, (route: Route) =>
      route.request().method() === 'POST'
        ? route.fulfill({ status: 503, contentType: 'application/json', headers: { 'Retry-After': '5' }, body: JSON.stringify({ error: { code: 'UNAVAILABLE', message: 'busy' } }) })
        : route.continue(),
    );
    await choose(form.getByRole('radio', { name: 'Nei', exact: true }));
    await save.click();
    const alert = card.getByRole('alert');
    await expect.poll(() => alert.innerText()).toMatch(/\S/);
    expect(await alert.innerText()).not.toContain('busy');
    expect(await status.innerText()).not.toContain('nei til bilder');
    expect(await states.innerText()).toBe(saved);
    expect(await form.getByRole('radio', { name: 'Nei', exact: true }).isChecked()).toBe(true);
    await checkPage(page, 'a failed save');
    await session.context.close();
  });
});
