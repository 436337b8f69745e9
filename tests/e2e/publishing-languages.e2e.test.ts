import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, choose, describeInBrowser, expectNoProblems, launchBrowser, openSession, PHONE, ready, signInAs } from './browser';
import type { Session } from './browser';
import { directory, makeJpeg, post, requestPublication, tagPhoto, uploadPhoto } from './photo-helpers';
import type { Api } from './photo-helpers';

// The photo and publishing pages in Nynorsk and English: longer words must still fit a phone,
// and every page must still pass axe.
describeInBrowser('photo and publishing pages in nynorsk and english', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(email: string, language: 'nn' | 'en'): Promise<Session> {
    const session = await openSession(browser, server.url, PHONE);
    await signInAs(session, email);
    await session.context.addInitScript((choice) => window.localStorage.setItem('samtykke.language', choice), language);
    return session;
  }

  const apiOf = (session: Session): Api => ({ request: session.context.request, origin: server.url });

  for (const [language, headings] of [
    ['nn', { upload: 'Last opp bilete', library: 'Bilete', review: 'Godkjenning', takedowns: 'Nedtakingar', log: 'Publiseringar', child: 'Bilete av Emma' }],
    ['en', { upload: 'Upload photos', library: 'Photos', review: 'Review', takedowns: 'Takedowns', log: 'Publications', child: 'Photos of Emma' }],
  ] as const) {
    it(`in ${language === 'nn' ? 'nynorsk' : 'english'}`, async () => {
      const staff = await signedIn('ansatt@demo.no', language);
      const leader = await signedIn('leder@demo.no', language);
      const guardian = await signedIn('forelder@demo.no', language);
      const ids = await directory(apiOf(staff));
      const emma = await ids.child('Blåklokka', 'Emma Nordmann');
      const frida = await ids.child('Blåklokka', 'Frida Johnsen');
      const photoId = await uploadPhoto(apiOf(staff), ids.group('Blåklokka').id, await makeJpeg({ hue: 80, capturedAt: '2026:10:01 09:30:00' }));
      await tagPhoto(apiOf(staff), photoId, [
        { personId: frida.id, recognisable: true },
        { personId: emma.id, recognisable: false },
      ]);
      const text = { caption: 'Maling', altText: 'Barn som malar' };
      await requestPublication(apiOf(staff), { photoId, channelId: ids.channel('solsikken-vegg').id, ...text });
      // One waits in the queue; one was approved and then taken down by hand, so a takedown task waits.
      const pending = await requestPublication(apiOf(staff), { photoId, channelId: ids.channel('solsikken-nettside').id, ...text });
      expect(pending.status).toBe('pending_review');
      const old = await requestPublication(apiOf(staff), { photoId, channelId: ids.channel('kommunens-facebook').id, ...text });
      await post(apiOf(leader), `/api/publications/${old.id}/review`, { approve: true, harmAssessment: true });
      await post(apiOf(leader), `/api/publications/${old.id}/unpublish`);

      const visit = async (session: Session, path: string, heading: string | RegExp) => {
        await session.page.goto(path);
        await ready(session.page);
        await expect.poll(() => session.page.locator('main h1').innerText()).toMatch(heading);
        await checkPage(session.page, `${path} in ${language}`);
      };

      await visit(staff, '/bilder/last-opp', headings.upload);
      await visit(staff, '/bilder', headings.library);
      await visit(staff, `/bilder/${photoId}`, language === 'nn' ? 'Bilete teke 01.10.2026 kl. 09:30' : 'Photo taken 1 October 2026, 09:30');
      await staff.page.getByRole('button', { name: language === 'nn' ? 'Be om publisering' : 'Ask to publish' }).click();
      const dialog = staff.page.getByRole('dialog');
      await dialog.waitFor();
      await choose(dialog.getByRole('radio', { name: 'Foreldregalleriet på Solsikken' }));
      await dialog.getByLabel(language === 'nn' ? 'Bilettekst' : 'Caption').fill('Emma Nordmann malar');
      await expect
        .poll(() => dialog.innerText(), { timeout: 15_000 })
        .toContain(language === 'nn' ? 'Fjern etternamnet frå biletteksten.' : 'Remove the surname from the caption.');
      await checkPage(staff.page, `publish dialog in ${language}`);
      await visit(staff, '/retningslinjer', /.+/);
      await visit(leader, '/godkjenning', headings.review);
      await visit(leader, '/nedtakinger', headings.takedowns);
      await visit(leader, '/publiseringer', headings.log);
      await visit(guardian, `/samtykke/${emma.id}/bilder`, headings.child);

      for (const [label, session] of Object.entries({ staff, leader, guardian })) {
        expectNoProblems(session, `${label} in ${language}`);
        await session.context.close();
      }
    });
  }
});
