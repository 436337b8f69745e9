import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, FileChooser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { describeInBrowser, expectNoProblems, launchBrowser, openSession, ready, signInAs } from './browser';
import type { Session } from './browser';
import { dialogOpen, tabTo } from './consent-helpers';
import { directory, expectText, makeJpeg, post, requestPublication, tagPhoto, uploadPhoto } from './photo-helpers';
import type { Api } from './photo-helpers';

const FACEBOOK = 'Kommunens Facebook-side';

/** The element that has focus now, by its role's accessible name as a person would hear it. */
const focusedText = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText ?? '');
const isFocused = (page: Page, selector: Parameters<Page['locator']>[0]) => page.locator(selector).evaluate((element) => element === document.activeElement);

/**
 * Tabs to a file input and presses Space, which opens the file chooser as it does for a person.
 * Chromium now and then lets a Space go by without opening it (focus moved by a re-render at
 * that moment), so it tabs back and presses again, at most three times.
 */
async function openChooserWithSpace(page: Page, input: Locator): Promise<FileChooser> {
  for (let attempt = 1; ; attempt++) {
    await tabTo(page, input);
    try {
      const [chooser] = await Promise.all([page.waitForEvent('filechooser', { timeout: 5_000 }), page.keyboard.press('Space')]);
      return chooser;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

describeInBrowser('publishing with the keyboard alone (Tab, Shift+Tab, Enter, Space and typing)', () => {
  let server: TestServer;
  let browser: Browser;
  let files: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
    files = mkdtempSync(path.join(tmpdir(), 'samtykke-e2e-keyboard-'));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(email: string): Promise<Session> {
    const session = await openSession(browser, server.url);
    await signInAs(session, email);
    return session;
  }

  const apiOf = (session: Session): Api => ({ request: session.context.request, origin: server.url });

  it('staff upload through the file input, tag a child and ask to publish', async () => {
    const staff = await signedIn('ansatt@demo.no');
    const { page } = staff;
    const photo = path.join(files, 'maling.jpg');
    writeFileSync(photo, await makeJpeg({ hue: 140 }));

    await page.goto('/bilder/last-opp');
    await ready(page);
    // Space on the file input opens the file chooser, as it does for a person.
    const chooser = await openChooserWithSpace(page, page.getByLabel('Velg bilder'));
    expect(chooser.isMultiple()).toBe(true);
    await chooser.setFiles(photo);
    const uploads = page.getByRole('region', { name: 'Opplastinger' });
    await expectText(uploads, 'Lagret.');
    await tabTo(page, uploads.getByRole('link', { name: /Merk hvem som er med/ }));
    await page.keyboard.press('Enter');
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toMatch(/^Bilde lastet opp/);

    const emma = page.getByRole('checkbox', { name: 'Emma Nordmann' });
    await tabTo(page, emma);
    await page.keyboard.press('Space');
    expect(await emma.isChecked()).toBe(true);
    await tabTo(page, page.getByRole('button', { name: 'Lagre merkingen' }));
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('region', { name: 'Hvem er med på bildet?' }).getByRole('status'), 'Merkingen er lagret: 1 person er merket.');

    const opener = page.getByRole('button', { name: 'Be om publisering' });
    await tabTo(page, opener);
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Be om publisering' });
    await dialogOpen(dialog);
    await expect.poll(() => focusedText(page)).toBe('Be om publisering');

    // Into the channels: the first one (the group's wall) takes the focus; Space chooses it.
    const wall = dialog.getByRole('radio', { name: 'Veggen på Solsikken' });
    await tabTo(page, wall);
    await page.keyboard.press('Space');
    expect(await wall.isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    expect(await isFocused(page, '#publish-caption')).toBe(true);
    await page.keyboard.type('Vi maler med vannfarger');
    await page.keyboard.press('Tab');
    expect(await isFocused(page, '#publish-altText')).toBe(true);
    await page.keyboard.type('Barn som maler ved et langbord');
    await expectText(dialog.getByRole('region', { name: 'Sjekk mot samtykkene' }), 'Kan publiseres nå.');
    await tabTo(page, dialog.getByRole('button', { name: 'Publiser', exact: true }));
    await page.keyboard.press('Enter');
    await expectText(dialog, 'Bildet er publisert i «Veggen på Solsikken».');
    // The result takes the focus, and Escape closes the dialog back to where it was opened.
    await expect.poll(() => focusedText(page)).toBe('Publisert');
    await page.keyboard.press('Escape');
    await expect.poll(() => opener.evaluate((button) => button === document.activeElement)).toBe(true);
    await expectText(page.getByRole('region', { name: 'Publisering' }), 'Veggen på Solsikken: Publisert');
    expectNoProblems(staff, 'staff, keyboard only');
    await staff.context.close();
  });

  it('keys that arrive faster than the page renders (a fast typist on a slow phone) neither stop the page nor leave the check behind', async () => {
    const staff = await signedIn('ansatt@demo.no');
    const ids = await directory(apiOf(staff));
    const emma = await ids.child('Blåklokka', 'Emma Nordmann');
    const photoId = await uploadPhoto(apiOf(staff), ids.group('Blåklokka').id, await makeJpeg({ hue: 80 }));
    await tagPhoto(apiOf(staff), photoId, [{ personId: emma.id, recognisable: true }]);

    const { page } = staff;
    await page.goto(`/bilder/${photoId}`);
    await ready(page);
    await tabTo(page, page.getByRole('button', { name: 'Be om publisering' }));
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Be om publisering' });
    await dialogOpen(dialog);
    const wall = dialog.getByRole('radio', { name: 'Veggen på Solsikken' });
    await tabTo(page, wall);
    await page.keyboard.press('Space');
    expect(await wall.isChecked()).toBe(true);

    // Each key of both texts handled one after the other in one go, as a browser hands over
    // keys that queued while it was busy: far more than the 50 updates in a row that React
    // takes for an endless loop when each key leaves another update waiting.
    const caption = 'Vi maler med vannfarger og pensler i mange farger ute i det fine været';
    const altText = 'Barn som maler ved et langbord med glass fulle av vann og mange farger';
    await page.evaluate(
      ([texts]) => {
        const setValue = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
        const setInputValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
        for (const [selector, text] of texts) {
          const field = document.querySelector<HTMLInputElement | HTMLTextAreaElement>(selector)!;
          field.focus();
          for (const letter of text) {
            (field instanceof HTMLTextAreaElement ? setValue : setInputValue).call(field, field.value + letter);
            field.dispatchEvent(new Event('input', { bubbles: true }));
          }
        }
      },
      [
        [
          ['#publish-caption', caption],
          ['#publish-altText', altText],
        ],
      ] as const,
    );
    await expectText(dialog.getByRole('region', { name: 'Sjekk mot samtykkene' }), 'Kan publiseres nå.');
    expect(await dialog.locator('#publish-caption').inputValue()).toBe(caption);
    expect(await dialog.locator('#publish-altText').inputValue()).toBe(altText);
    expectNoProblems(staff, 'staff, keys faster than rendering');
    await staff.context.close();
  });

  it('a leader approves a publication and records a takedown', async () => {
    const staff = await signedIn('ansatt@demo.no');
    const leader = await signedIn('leder@demo.no');
    const ids = await directory(apiOf(staff));
    const frida = await ids.child('Blåklokka', 'Frida Johnsen');
    const facebook = ids.channel('kommunens-facebook').id;

    // An earlier Facebook post of Frida, approved and later taken down by hand: a task remains.
    const earlier = await uploadPhoto(apiOf(staff), ids.group('Blåklokka').id, await makeJpeg({ hue: 20 }));
    await tagPhoto(apiOf(staff), earlier, [{ personId: frida.id, recognisable: true }]);
    const old = await requestPublication(apiOf(staff), { photoId: earlier, channelId: facebook, caption: 'Karneval', altText: 'Barn i kostymer' });
    await post(apiOf(leader), `/api/publications/${old.id}/review`, { approve: true, harmAssessment: true });
    await post(apiOf(leader), `/api/publications/${old.id}/unpublish`);

    // A new one waiting for review.
    const photoId = await uploadPhoto(apiOf(staff), ids.group('Blåklokka').id, await makeJpeg({ hue: 250 }));
    await tagPhoto(apiOf(staff), photoId, [{ personId: frida.id, recognisable: true }]);
    await requestPublication(apiOf(staff), { photoId, channelId: facebook, caption: 'Høsttur', altText: 'Barn som plukker epler' });

    const { page } = leader;
    await page.goto('/');
    await ready(page);
    const nav = page.getByRole('navigation', { name: 'Hovedmeny' });
    await tabTo(page, nav.getByRole('link', { name: 'Godkjenning' }));
    await page.keyboard.press('Enter');
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Godkjenning');
    const item = page.getByRole('region', { name: `Til «${FACEBOOK}»` });
    await expectText(item, 'Kan publiseres når du har godkjent.');

    const harm = item.getByRole('checkbox', { name: 'Publiseringen kan ikke skade noen som vises' });
    await tabTo(page, harm);
    await page.keyboard.press('Space');
    expect(await harm.isChecked()).toBe(true);
    await tabTo(page, item.getByRole('button', { name: 'Godkjenn og publiser' }));
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('status').filter({ hasText: 'Godkjent' }), 'Godkjent: bildet er publisert i «Kommunens Facebook-side».');
    // The queue is empty: focus goes back to the top of the page, not lost.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');

    await tabTo(page, nav.getByRole('link', { name: 'Nedtakinger' }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Nedtakinger');
    const task = page.getByRole('region', { name: `Ta ned fra «${FACEBOOK}»` });
    await tabTo(page, task.getByLabel('Hva ble gjort?'));
    await page.keyboard.type('Innlegget er slettet.');
    await page.keyboard.press('Tab');
    expect(await task.getByRole('button', { name: 'Registrer som tatt ned' }).evaluate((button) => button === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    await expectText(page.getByRole('status').filter({ hasText: 'Registrert' }), 'Registrert: bildet er tatt ned.');
    await expectText(page.locator('main'), 'Ingen bilder må tas ned nå.');
    // Focus is not lost when the task's panel goes: it is on the list's heading.
    await expect.poll(() => focusedText(page)).toBe('Å gjøre (0)');

    for (const [label, session] of Object.entries({ staff, leader })) {
      expectNoProblems(session, label);
      await session.context.close();
    }
  });
});
