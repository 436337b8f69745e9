// Finding things on the consent pages the way a person does: by headings, names and labels.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestServer } from '../support/server';
import { ready, settle } from './browser';

/** A purpose on a guardian's or pupil's consent page: a region named by the purpose. */
export function purposeCard(page: Page, name: string): Locator {
  return page.getByRole('region', { name, exact: true });
}

/** Opens the purpose's text (and its questions) if it is closed. */
export async function openPurpose(card: Locator): Promise<void> {
  const details = card.locator('details').first();
  const isOpen = () => details.evaluate((element) => (element as HTMLDetailsElement).open);
  if (!(await isOpen())) await card.locator('summary').first().click();
  await expect.poll(isOpen).toBe(true);
  // The element is open before its text is laid out (the opening animates): wait until it shows,
  // and until the opening has finished, so that a click lands where the button has come to rest.
  await details.locator(':scope > summary + div').waitFor({ state: 'visible' });
  await settle(card.page());
}

/** A child's card in the staff photo list. */
export function childCard(page: Page, name: string): Locator {
  return page.locator('.photo-card').filter({ has: page.getByRole('heading', { name, exact: true }) });
}

/** The path of a child's consent page, from the guardian's list of children. */
export async function consentPathOf(page: Page, child: string): Promise<string> {
  const href = await page.getByRole('list', { name: 'Mine barn' }).getByRole('link', { name: child }).getAttribute('href');
  expect(href, `a link to ${child}'s consent page`).toMatch(/^\/samtykke\/[\w-]+$/);
  return href!;
}

/** The newest e-mailed sign-in link sent to the address. */
export function linkMailedTo(server: TestServer, email: string): string {
  const mail = [...server.mails].reverse().find((m) => m.to === email);
  expect(mail, `a mail to ${email}`).toBeDefined();
  const link = /https?:\/\/\S+\/logg-inn\/lenke\/[\w-]+/.exec(mail!.text)?.[0];
  expect(link, `a sign-in link in:\n${mail!.text}`).toBeDefined();
  return link!;
}

/** Signs in as a guardian the way guardians do: a link by e-mail. */
export async function signInByMail(page: Page, server: TestServer, email: string): Promise<void> {
  const response = await page.request.post('/api/auth/magic-link', { data: { email } });
  expect(response.status(), `asking for a sign-in link for ${email}`).toBe(202);
  await page.goto(linkMailedTo(server, email));
  await expect.poll(() => new URL(page.url()).pathname).not.toMatch(/^\/logg-inn/);
  await ready(page);
}

/** Presses Tab (or Shift+Tab) until the element has focus, as a keyboard user would. */
export async function tabTo(page: Page, target: Locator, key: 'Tab' | 'Shift+Tab' = 'Tab', limit = 150): Promise<void> {
  const handle = await target.elementHandle();
  expect(handle, 'the element to tab to').not.toBeNull();
  for (let presses = 0; presses < limit; presses++) {
    if (await handle!.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`${limit} presses of ${key} did not reach the element`);
}

/** Waits until a dialog is open and its opening animation (a fade-in) has finished. */
export async function dialogOpen(dialog: Locator): Promise<void> {
  await dialog.waitFor();
  await dialog.evaluate((element) => Promise.all(element.getAnimations({ subtree: true }).map((animation) => animation.finished)));
}
