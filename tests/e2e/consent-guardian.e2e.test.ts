import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, choose, describeInBrowser, expectNoProblems, launchBrowser, openSession, PHONE, ready, signInAs } from './browser';
import type { Session } from './browser';
import { childCard, consentPathOf, openPurpose, purposeCard, signInByMail, tabTo } from './consent-helpers';

const WALL = 'Gruppens vegg og intern dokumentasjon';
const GALLERY = 'Foreldreappen og bildegalleriet';

describeInBrowser('consent: guardians and pupils', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(email: string, viewport = PHONE): Promise<Session> {
    const session = await openSession(browser, server.url, viewport);
    await signInAs(session, email);
    return session;
  }

  /** The staff photo list of Jakob's group (Prestekragen), as staff see it now. */
  async function staffLineFor(staff: Page, child: string, purpose: string): Promise<string> {
    await staff.reload();
    await ready(staff);
    return childCard(staff, child).locator('li', { hasText: purpose }).first().innerText();
  }

  it('a guardian gives consent for two purposes and withdraws one; the staff overview shows the change at once', async () => {
    const guardian = await signedIn('forelder@demo.no');
    const staff = await signedIn('ansatt@demo.no');
    const { page } = guardian;

    // The guardian's list of children leads to each child's page.
    await page.goto('/samtykke');
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Mine barn');
    const children = page.getByRole('list', { name: 'Mine barn' }).getByRole('listitem');
    await expect.poll(() => children.count()).toBe(2);
    await expect.poll(() => children.filter({ hasText: 'Jakob Nordmann' }).innerText()).toMatch(/spørsmål venter på svaret ditt/);
    await checkPage(page, 'my children');
    await page.getByRole('link', { name: 'Jakob Nordmann' }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Samtykke for Jakob Nordmann');
    await checkPage(page, 'a child with nothing answered');

    // Staff open the photo list of Jakob's group from their front page.
    await staff.page.goto('/');
    await ready(staff.page);
    await staff.page.getByRole('link', { name: 'Samtykker i Prestekragen' }).click();
    await ready(staff.page);
    await expect.poll(() => staff.page.locator('main h1').innerText()).toBe('Samtykker i Prestekragen');
    expect(await staffLineFor(staff.page, 'Jakob Nordmann', WALL)).toMatch(/Ikke svart/);

    // The notice comes before the answer: the question is inside the text it belongs to.
    const wall = purposeCard(page, WALL);
    expect(await wall.innerText()).toContain('Bilder: Ingen har svart ennå.');
    await openPurpose(wall);
    const noticeFirst = await wall.evaluate((card) => {
      const notice = card.querySelector('.notice-text');
      const form = card.querySelector('form');
      return !!notice && !!form && (notice.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0;
    });
    expect(noticeFirst, 'the notice text is before the answer form').toBe(true);
    await expect.poll(() => wall.innerText()).toContain('Hvem som kan se det');
    // Two equal answers, neither chosen in advance.
    const photoForm = wall.locator('form[data-question="photo"]');
    const yes = photoForm.getByRole('radio', { name: 'Ja', exact: true });
    const no = photoForm.getByRole('radio', { name: 'Nei', exact: true });
    expect(await yes.isChecked()).toBe(false);
    expect(await no.isChecked()).toBe(false);
    const [yesClass, noClass] = await Promise.all([yes.getAttribute('class'), no.getAttribute('class')]);
    expect(yesClass).toBe(noClass);

    // Saving without a choice says what is missing and saves nothing (from the keyboard, as
    // this suite's guardian does: a click here once went unanswered on a busy CI machine).
    await photoForm.getByRole('button', { name: /Lagre svaret/ }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => photoForm.innerText()).toContain('Velg ja eller nei.');
    await checkPage(page, 'an answer form with its error shown');

    await choose(yes);
    await photoForm.getByRole('button', { name: /Lagre svaret/ }).click();
    await expect.poll(() => wall.getByRole('status').innerText()).toBe('Svaret ditt er lagret: ja til bilder for «Gruppens vegg og intern dokumentasjon».');
    await expect.poll(() => wall.locator('.question-states').innerText()).toMatch(/Bilder: Gyldig til \d+\. juli \d{4}\./);
    await checkPage(page, 'a child with one purpose answered');

    const gallery = purposeCard(page, GALLERY);
    await openPurpose(gallery);
    await choose(gallery.locator('form[data-question="photo"]').getByRole('radio', { name: 'Ja', exact: true }));
    await gallery.locator('form[data-question="photo"]').getByRole('button', { name: /Lagre svaret/ }).click();
    await expect.poll(() => gallery.getByRole('status').innerText()).toContain('Svaret ditt er lagret: ja til bilder');

    // Staff see both yeses as soon as they look again.
    expect(await staffLineFor(staff.page, 'Jakob Nordmann', WALL)).toMatch(/Ja\./);
    expect(await staffLineFor(staff.page, 'Jakob Nordmann', GALLERY)).toMatch(/Ja\./);

    // One button withdraws; the page says so only after the server has.
    await gallery.getByRole('button', { name: /Trekk tilbake/ }).click();
    await expect.poll(() => gallery.getByRole('status').innerText()).toBe('Samtykket til «Foreldreappen og bildegalleriet» er trukket tilbake.');
    await expect.poll(() => gallery.locator('.question-states').innerText()).toContain('Bilder: Du har trukket samtykket tilbake.');
    expect(await gallery.getByRole('button', { name: /Trekk tilbake/ }).count()).toBe(0);
    await expect.poll(() => wall.locator('.question-states').innerText()).toMatch(/Gyldig til/);

    expect(await staffLineFor(staff.page, 'Jakob Nordmann', GALLERY)).toMatch(/Trukket tilbake/);
    expect(await staffLineFor(staff.page, 'Jakob Nordmann', WALL)).toMatch(/Ja\./);
    await checkPage(staff.page, 'the staff photo list after the change');

    // The history says who answered what, when and how.
    const history = page.getByRole('region', { name: 'Historikk' });
    await expect.poll(() => history.getByRole('listitem').count()).toBe(3);
    expect(await history.getByRole('listitem').first().innerText()).toMatch(
      /^\d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}\s+Du trakk tilbake samtykket til bilder for «Foreldreappen og bildegalleriet» i Samtykke\. Tekstversjon 1\.$/,
    );
    // The consent record is there to download in both standard formats.
    const downloads = page.getByRole('region', { name: 'Last ned samtykkene' }).getByRole('link');
    expect(await downloads.evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual([
      expect.stringMatching(/^\/api\/people\/[\w-]+\/consent-record\?format=iso27560&lang=nb$/),
      expect.stringMatching(/^\/api\/people\/[\w-]+\/consent-record\?format=kantara&lang=nb$/),
    ]);
    await checkPage(page, 'a child after giving and withdrawing');

    expectNoProblems(guardian, 'guardian consent');
    expectNoProblems(staff, 'staff photo list');
    await guardian.context.close();
    await staff.context.close();
  });

  it("the keyboard alone is enough for the guardian's give and withdraw", async () => {
    const guardian = await signedIn('forelder@demo.no');
    const { page } = guardian;
    await page.goto('/samtykke');
    await ready(page);
    const emmaPath = await consentPathOf(page, 'Emma Nordmann');
    await page.goto(emmaPath);
    await ready(page);
    const card = purposeCard(page, 'Trykksaker og årbok');

    // Tab to the purpose's text, open it, and answer: Tab, Enter, Space, Enter.
    const summary = card.locator('summary');
    await tabTo(page, summary);
    await page.keyboard.press('Enter');
    await expect.poll(() => card.locator('details').evaluate((details) => (details as HTMLDetailsElement).open)).toBe(true);
    const yes = card.locator('form[data-question="photo"]').getByRole('radio', { name: 'Ja', exact: true });
    await tabTo(page, yes);
    await page.keyboard.press('Space');
    expect(await yes.isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    const save = card.locator('form[data-question="photo"]').getByRole('button', { name: /Lagre svaret/ });
    expect(await save.evaluate((button) => button === document.activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    // Print needs both guardians: Kari's yes waits for Ola.
    await expect.poll(() => card.locator('.question-states').innerText()).toContain('Venter på den andre foresatte (Ola Nordmann).');
    await expect.poll(() => card.getByRole('status').innerText()).toContain('Svaret ditt er lagret: ja til bilder');

    // Withdrawing is one key press on one button, reached by Shift+Tab.
    const withdraw = card.getByRole('button', { name: /Trekk tilbake/ });
    await tabTo(page, withdraw, 'Shift+Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => card.getByRole('status').innerText()).toBe('Samtykket til «Trykksaker og årbok» er trukket tilbake.');
    await expect.poll(() => card.locator('.question-states').innerText()).toContain('Du har trukket samtykket tilbake.');
    expectNoProblems(guardian, 'keyboard only');
    await guardian.context.close();
  });

  it('a guardian is told, not asked, when the other guardian has said yes and the rule needs both', async () => {
    const guardian = await signedIn('forelder@demo.no');
    const { page } = guardian;
    await page.goto('/samtykke');
    await ready(page);
    await page.goto(await consentPathOf(page, 'Emma Nordmann'));
    await ready(page);
    // Emma's father has said yes to the website; the website needs both guardians.
    const website = purposeCard(page, 'Barnehagens side på kommunens nettsted');
    const states = await website.locator('.question-states').innerText();
    expect(states).toContain('Bilder: Venter på svaret ditt.');
    expect(states).toMatch(/Ola Nordmann: ja, til \d+\. juli \d{4}\./);
    // Declining is a plain choice with no consequences spelled out for the child.
    expect(await page.locator('main').innerText()).toContain('Et nei får ingen følger for Emma i hverdagen.');
    // Press consent is asked for each occasion, so there is nothing to answer here yet.
    const press = purposeCard(page, 'Lokalpressen');
    expect(await press.innerText()).toContain('Dette spør vi om for hver anledning.');
    expect(await press.locator('form').count()).toBe(0);
    await openPurpose(press);
    await checkPage(page, 'a child with answers from the other guardian');
    expectNoProblems(guardian, 'both guardians');
    await guardian.context.close();
  });

  it('a pupil of 15 answers for herself, and her guardian sees that she decides', async () => {
    const pupil = await signedIn('elev@demo.no');
    const { page } = pupil;
    await page.goto('/');
    await ready(page);
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Mine samtykker' }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Mine samtykker');
    // The heading comes before the data: wait for the text rather than reading it once.
    await expect.poll(() => page.locator('main').innerText()).toContain('Du har fylt 15 år og bestemmer selv');
    await checkPage(page, "a pupil's own consents");

    const wall = purposeCard(page, WALL);
    await openPurpose(wall);
    const form = wall.locator('form[data-question="photo"]');
    expect(await form.getByRole('group').innerText()).toContain('Samtykker du til at bilder av deg brukes til dette?');
    await choose(form.getByRole('radio', { name: 'Nei', exact: true }));
    await form.getByRole('button', { name: /Lagre svaret/ }).click();
    await expect.poll(() => wall.locator('.question-states').innerText()).toContain('Bilder: Du har sagt nei.');
    await choose(form.getByRole('radio', { name: 'Ja', exact: true }));
    await form.getByRole('button', { name: /Lagre svaret/ }).click();
    await expect.poll(() => wall.locator('.question-states').innerText()).toMatch(/Bilder: Gyldig til/);
    expect(await form.getByRole('group').innerText()).toContain('Svaret ditt nå: Ja.');
    await checkPage(page, "a pupil's consents after answering");
    expectNoProblems(pupil, 'pupil');

    // Her father signs in by e-mailed link: he learns that Mia decides, not what she said.
    const father = await openSession(browser, server.url, PHONE);
    await signInByMail(father.page, server, 'geir.lie@example.no');
    await father.page.goto('/samtykke');
    await ready(father.page);
    const card = father.page.getByRole('list', { name: 'Mine barn' }).getByRole('listitem').filter({ hasText: 'Mia Lie' });
    await expect.poll(() => card.innerText()).toContain('Mia har fylt 15 år og bestemmer selv.');
    await card.getByRole('link', { name: 'Mia Lie' }).click();
    await ready(father.page);
    await expect.poll(() => father.page.locator('main').innerText()).toContain('Mia har fylt 15 år og bestemmer selv om bilder kan brukes.');
    const main = await father.page.locator('main').innerText();
    expect(main).not.toContain('Gyldig til');
    expect(await father.page.getByRole('radio').count()).toBe(0);
    await checkPage(father.page, "a pupil's page as her guardian sees it");
    expectNoProblems(father, 'guardian of a pupil');
    await pupil.context.close();
    await father.context.close();
  });
});
