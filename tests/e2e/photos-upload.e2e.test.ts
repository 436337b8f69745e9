import { writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, DESKTOP, describeInBrowser, expectNoProblems, launchBrowser, openSession, PHONE, ready, signInAs } from './browser';
import type { Session } from './browser';
import { expectText, makeJpeg, makePdf } from './photo-helpers';

describeInBrowser('photos: upload, library and guidelines', () => {
  let server: TestServer;
  let browser: Browser;
  let files: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
    files = mkdtempSync(path.join(tmpdir(), 'samtykke-e2e-photos-'));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(email: string, viewport: { width: number; height: number } = PHONE): Promise<Session> {
    const session = await openSession(browser, server.url, viewport);
    await signInAs(session, email);
    return session;
  }

  async function file(name: string, bytes: Buffer): Promise<string> {
    const full = path.join(files, name);
    writeFileSync(full, bytes);
    return full;
  }

  it('staff upload three photos, one of them a PDF renamed .jpg, and see two photos and one clear refusal', async () => {
    const staff = await signedIn('ansatt@demo.no');
    const { page } = staff;
    const chosen = [
      await file('tur-i-skogen.jpg', await makeJpeg({ hue: 30, capturedAt: '2026:11:12 10:15:00' })),
      await file('skanning.jpg', makePdf()),
      await file('lek-ute.jpg', await makeJpeg({ hue: 200 })),
    ];

    await page.goto('/');
    await ready(page);
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Last opp' }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Last opp bilder');
    expect(await page.getByLabel('Gruppe bildene hører til').inputValue()).not.toBe('');
    // Several files at once, from the library or the camera: not forced to the camera.
    const input = page.getByLabel('Velg bilder');
    expect(await input.getAttribute('multiple')).not.toBeNull();
    expect(await input.getAttribute('accept')).toContain('image/*');
    expect(await input.getAttribute('capture')).toBeNull();
    await checkPage(page, 'upload page, empty');

    await input.setInputFiles(chosen);
    const uploads = page.getByRole('region', { name: 'Opplastinger' });
    await expectText(page.getByRole('status').filter({ hasText: 'Ferdig' }), 'Ferdig: 2 bilder lagret, 1 fil ikke lagret. Se hvorfor i listen.');
    const items = uploads.getByRole('listitem');
    await expect.poll(() => items.count()).toBe(3);
    const pdf = items.filter({ hasText: 'skanning.jpg' });
    expect(await pdf.innerText()).toContain('Ikke lagret. Dette er ikke et bilde vi kan ta imot. Bruk JPEG, PNG, WebP, AVIF eller HEIC (bilder fra iPhone).');
    for (const name of ['tur-i-skogen.jpg', 'lek-ute.jpg']) {
      const item = items.filter({ hasText: name });
      expect(await item.innerText()).toContain('Lagret.');
      // The thumbnail is the server's cleaned copy, sized in the HTML so nothing jumps.
      const thumb = item.locator('img');
      expect(await thumb.getAttribute('src')).toMatch(/^\/api\/photos\/[\w-]+\/image\?size=thumb$/);
      expect(Number(await thumb.getAttribute('width'))).toBeGreaterThan(0);
      expect(Number(await thumb.getAttribute('height'))).toBeGreaterThan(0);
      await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    }
    expect(await uploads.getByRole('link', { name: /Merk hvem som er med/ }).count()).toBe(2);
    await checkPage(page, 'upload page with two photos and one refusal');

    // The group's library shows the two photos: when taken, not tagged yet, not published.
    await uploads.getByRole('link', { name: 'Gå til bildearkivet' }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Bilder');
    const cards = page.getByRole('region', { name: 'Bilder i Blåklokka' }).getByRole('listitem').filter({ has: page.locator('img') });
    await expect.poll(() => cards.count()).toBe(2);
    const taken = cards.filter({ hasText: 'Tatt 12.11.2026 kl. 10:15' });
    expect(await taken.count()).toBe(1);
    expect(await taken.innerText()).toMatch(/Ikke merket ennå\s+Ikke publisert/);
    expect(await cards.filter({ hasText: /Lastet opp \d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}/ }).count()).toBe(1);
    for (const img of await cards.locator('img').all()) {
      expect(await img.getAttribute('width')).toBe('320');
      expect(await img.getAttribute('height')).toBe('240');
    }
    // Hosted galleries can be opened from the list of channels.
    expect(await page.getByRole('link', { name: 'Åpne Foreldregalleriet på Solsikken' }).getAttribute('href')).toBe('/feed/solsikken-galleri');
    await checkPage(page, 'photo library');
    expectNoProblems(staff, 'upload');
    await staff.context.close();
  });

  it('photos dropped on the page from a computer are uploaded, and the drop area says when they can be let go', async () => {
    const staff = await signedIn('ansatt@demo.no', DESKTOP);
    const { page } = staff;
    await page.goto('/bilder/last-opp');
    await ready(page);
    const bytes = [...(await makeJpeg({ width: 400, height: 300, hue: 300 }))];
    const dataTransfer = await page.evaluateHandle((data) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(data)], 'sluppet.jpg', { type: 'image/jpeg' }));
      return transfer;
    }, bytes);
    const zone = page.locator('.drop-zone');
    await zone.dispatchEvent('dragenter', { dataTransfer });
    await zone.dispatchEvent('dragover', { dataTransfer });
    // Not by colour alone: the border turns solid and thicker, and the text changes.
    await expectText(zone, 'Slipp bildene for å laste dem opp.');
    await checkPage(page, 'upload page while files are dragged over it');
    await zone.dispatchEvent('drop', { dataTransfer });
    const item = page.getByRole('region', { name: 'Opplastinger' }).getByRole('listitem');
    await expectText(item, 'sluppet.jpg');
    await expectText(item, 'Lagret.');
    await expectText(zone, 'Eller dra bildene hit og slipp dem.');
    expectNoProblems(staff, 'drop');
    await staff.context.close();
  });

  it('a busy server refuses one file with "try again shortly", and trying again saves it', async () => {
    const staff = await signedIn('ansatt@demo.no');
    const { page } = staff;
    let refused = false;
    await page.route('**/api/photos?groupId=*', async (route) => {
      if (route.request().method() !== 'POST' || refused) return route.continue();
      refused = true;
      await route.fulfill({
        status: 503,
        headers: { 'Retry-After': '2' },
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'BUSY', message: 'Samtykke is busy processing other photos. Try again in a moment.' } }),
      });
    });
    await page.goto('/bilder/last-opp');
    await ready(page);
    await page.getByLabel('Velg bilder').setInputFiles(await file('travelt.jpg', await makeJpeg({ hue: 90 })));
    const item = page.getByRole('region', { name: 'Opplastinger' }).getByRole('listitem');
    await expectText(item, 'Samtykke behandler mange bilder akkurat nå. Prøv igjen om litt.');
    await checkPage(page, 'upload refused as busy');
    await item.getByRole('button', { name: /Prøv igjen/ }).click();
    await expectText(item, 'Lagret.');
    // The 503 was staged by this test; nothing else may go wrong.
    expect(staff.problems.filter((problem) => !/503/.test(problem))).toEqual([]);
    await staff.context.close();
  });

  it('a new version of the guidelines stops uploads until it is confirmed as read and understood; the leader sees who has', async () => {
    const admin = await signedIn('admin@demo.no');
    await admin.page.goto('/retningslinjer');
    await ready(admin.page);
    await expect.poll(() => admin.page.locator('main h1').innerText()).toBe('Retningslinjer for bilder og sosiale medier i Demo kommune');
    await checkPage(admin.page, 'guidelines as the admin sees them');
    const form = admin.page.getByRole('region', { name: 'Publiser en ny versjon' });
    const body = form.locator('#guidelines-nb-body');
    await body.fill(`${await body.inputValue()}\n\n8. Bilder fra turer deles først når alle er hjemme igjen.`);
    await form.getByRole('button', { name: 'Publiser ny versjon' }).click();
    await expectText(admin.page.getByRole('status').filter({ hasText: 'Versjon 2' }), 'Versjon 2 er publisert. Alle må bekrefte den på nytt.');
    await expectText(admin.page.locator('main'), '8. Bilder fra turer deles først når alle er hjemme igjen.');

    // Staff are sent to read it before they can upload.
    const staff = await signedIn('ansatt@demo.no');
    await staff.page.goto('/bilder/last-opp');
    await ready(staff.page);
    await expectText(staff.page.locator('main'), 'Bekreft retningslinjene først');
    expect(await staff.page.getByLabel('Velg bilder').count()).toBe(0);
    await checkPage(staff.page, 'upload page before the guidelines are confirmed');
    await staff.page.getByRole('main').getByRole('link', { name: 'Les retningslinjene' }).click();
    await ready(staff.page);
    await expectText(staff.page.locator('main'), 'Versjon 2');
    await checkPage(staff.page, 'guidelines not yet confirmed');

    // The leader sees that staff have not confirmed version 2.
    const leader = await signedIn('leder@demo.no');
    await leader.page.goto('/retningslinjer');
    await ready(leader.page);
    const who = leader.page.getByRole('region', { name: 'Hvem har bekreftet' });
    await expectText(who, '2 har ikke bekreftet versjon 2 ennå.');
    expect(await who.getByRole('row', { name: /ansatt@demo\.no/ }).innerText()).toContain('Ikke bekreftet');
    await checkPage(leader.page, 'who has confirmed, as the leader sees it');

    await staff.page.getByRole('button', { name: 'Lest og forstått' }).click();
    await expectText(staff.page.getByRole('status').filter({ hasText: 'Takk' }), 'Takk! Du har bekreftet versjon 2 av retningslinjene.');
    await expectText(staff.page.getByRole('region', { name: 'Lest og forstått' }), /Du bekreftet versjon 2 \d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}\./);
    await checkPage(staff.page, 'guidelines confirmed');

    await leader.page.reload();
    await ready(leader.page);
    await expectText(who, '1 har ikke bekreftet versjon 2 ennå.');
    expect(await who.getByRole('row', { name: /ansatt@demo\.no/ }).innerText()).toMatch(/\d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}/);

    await staff.page.goto('/bilder/last-opp');
    await ready(staff.page);
    expect(await staff.page.getByLabel('Velg bilder').count()).toBe(1);
    for (const [label, session] of Object.entries({ admin, staff, leader })) {
      expectNoProblems(session, label);
      await session.context.close();
    }
  });
});
