import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, choose, describeInBrowser, DESKTOP, expectNoProblems, launchBrowser, openSession, PHONE, ready, signInAs } from './browser';
import type { Session } from './browser';
import { childCard, dialogOpen, linkMailedTo, openPurpose, purposeCard } from './consent-helpers';

const WEBSITE = 'Barnehagens side på kommunens nettsted';
const WALL = 'Gruppens vegg og intern dokumentasjon';

describeInBrowser('consent: staff and leaders', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
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

  async function openPhotoList(page: Page, group: string): Promise<void> {
    await page.goto('/');
    await ready(page);
    await page.getByRole('link', { name: `Samtykker i ${group}` }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe(`Samtykker i ${group}`);
  }

  const line = (page: Page, child: string, purpose: string) => childCard(page, child).locator('li', { hasText: purpose }).first();
  const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

  it('staff record a paper consent, and the photo list shows it with text and icon', async () => {
    const staff = await signedIn('ansatt@demo.no');
    const { page } = staff;
    await openPhotoList(page, 'Blåklokka');
    await checkPage(page, 'the staff photo list');

    // Every state is a word and a shape, never colour alone.
    const website = line(page, 'Emma Nordmann', WEBSITE);
    expect(await website.innerText()).toBe(`${WEBSITE}: Venter på foresatt.`);
    expect(await website.locator('svg.status-icon--pending').count()).toBe(1);
    expect(await line(page, 'Emma Nordmann', WALL).innerText()).toMatch(/^Gruppens vegg og intern dokumentasjon: Ja\.\s+Fornavn: ikke svart\.$/);
    expect(await line(page, 'Emma Nordmann', WALL).locator('svg.status-icon--yes').count()).toBe(1);

    // The dialog takes focus, and gives it back when it closes.
    const record = childCard(page, 'Emma Nordmann').getByRole('button', { name: 'Registrer svar – Emma Nordmann' });
    await record.click();
    const dialog = page.getByRole('dialog', { name: 'Registrer svar for Emma Nordmann' });
    await dialogOpen(dialog);
    await expect.poll(() => focusedText(page)).toBe('Registrer svar for Emma Nordmann');
    await dialog.getByRole('combobox', { name: 'Formål' }).waitFor();
    await checkPage(page, 'the record-consent dialog');

    await dialog.getByRole('button', { name: 'Registrer svaret' }).click();
    await expect.poll(() => dialog.innerText()).toContain('Beskriv dokumentasjonen.');
    expect(await dialog.innerText()).toContain('Velg hvilket formål svaret gjelder.');
    await checkPage(page, 'the record-consent dialog with its errors');

    await dialog.getByRole('combobox', { name: 'Formål' }).selectOption({ label: WEBSITE });
    expect(await dialog.innerText()).toMatch(/Svaret gjelder tekstversjon 1\./);
    await choose(dialog.getByRole('radio', { name: 'Bilder', exact: true }));
    // Only guardians with parental responsibility can have answered.
    const deciders = await dialog.getByRole('combobox', { name: 'Hvem har svart?' }).locator('option').allInnerTexts();
    expect(deciders).toEqual(['Velg hvem', 'Kari Nordmann (Forelder)', 'Ola Nordmann (Forelder)']);
    await dialog.getByRole('combobox', { name: 'Hvem har svart?' }).selectOption({ label: 'Kari Nordmann (Forelder)' });
    await choose(dialog.getByRole('group', { name: 'Svar' }).getByRole('radio', { name: 'Ja', exact: true }));
    await choose(dialog.getByRole('radio', { name: 'På papir' }));
    await dialog.getByLabel('Dokumentasjon').fill('Underskrevet skjema ligger i permen på kontoret, levert 20. november.');
    await dialog.getByRole('button', { name: 'Registrer svaret' }).click();

    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Svaret er registrert' }).innerText()).toBe(
      `Svaret er registrert: ja til bilder for «${WEBSITE}» for Emma Nordmann.`,
    );
    await expect.poll(() => line(page, 'Emma Nordmann', WEBSITE).innerText()).toMatch(/: Ja\./);
    expect(await line(page, 'Emma Nordmann', WEBSITE).locator('svg.status-icon--yes').count()).toBe(1);
    await expect.poll(() => record.evaluate((button) => button === document.activeElement)).toBe(true);

    // The guardian sees the paper answer as her own, with how it was given.
    const guardian = await signedIn('forelder@demo.no');
    await guardian.page.goto('/samtykke');
    await ready(guardian.page);
    await guardian.page.getByRole('link', { name: 'Emma Nordmann' }).click();
    await ready(guardian.page);
    expect(await purposeCard(guardian.page, WEBSITE).locator('.question-states').innerText()).toMatch(/Bilder: Gyldig til/);
    const history = guardian.page.getByRole('region', { name: 'Historikk' }).getByRole('listitem').first();
    expect(await history.innerText()).toContain(`Du sa ja til bilder for «${WEBSITE}» på papir. Tekstversjon 1.`);
    expect(await history.innerText()).toContain('Dokumentasjon: Underskrevet skjema ligger i permen på kontoret');
    expectNoProblems(guardian, 'guardian after the paper answer');
    await guardian.context.close();

    expectNoProblems(staff, 'staff record a paper consent');
    await staff.context.close();
  });

  it("staff record the child's own view, which blocks whatever the guardians said", async () => {
    const staff = await signedIn('ansatt@demo.no', DESKTOP);
    const { page } = staff;
    await openPhotoList(page, 'Blåklokka');
    const view = childCard(page, 'Emma Nordmann').getByRole('button', { name: 'Barnets mening – Emma Nordmann' });
    await view.click();
    const dialog = page.getByRole('dialog', { name: 'Barnets egen mening: Emma Nordmann' });
    await dialogOpen(dialog);
    await dialog.getByRole('button', { name: 'Lagre barnets mening' }).click();
    await expect.poll(() => dialog.innerText()).toContain('Velg hva barnet sier.');
    await checkPage(page, "the child's view dialog with its error");

    await choose(dialog.getByRole('radio', { name: 'Emma vil ikke være med på bilder' }));
    await dialog.getByLabel('Merknad').fill('Sa fra i samlingsstunden.');
    await dialog.getByRole('button', { name: 'Lagre barnets mening' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => line(page, 'Emma Nordmann', WALL).innerText()).toContain('Barnet vil ikke');
    expect(await line(page, 'Emma Nordmann', WALL).locator('svg.status-icon--no').count()).toBe(1);
    await expect.poll(() => view.evaluate((button) => button === document.activeElement)).toBe(true);

    // Escape closes the dialog without saving, and focus comes back.
    await view.click();
    await dialog.waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => view.evaluate((button) => button === document.activeElement)).toBe(true);

    await view.click();
    await choose(dialog.getByRole('radio', { name: 'Emma har ikke noe imot å være med' }));
    await dialog.getByRole('button', { name: 'Lagre barnets mening' }).click();
    await expect.poll(() => line(page, 'Emma Nordmann', WALL).innerText()).toMatch(/: Ja\./);
    expectNoProblems(staff, "the child's view");
    await staff.context.close();
  });

  it('the photo list filters by purpose and prints without buttons or page chrome', async () => {
    const staff = await signedIn('ansatt@demo.no', DESKTOP);
    const { page } = staff;
    await openPhotoList(page, 'Blåklokka');
    await page.getByLabel('Vis formål').selectOption({ label: WEBSITE });
    const lines = childCard(page, 'Emma Nordmann').locator('.purpose-line');
    await expect.poll(() => lines.count()).toBe(1);

    await page.emulateMedia({ media: 'print' });
    const visible = (selector: string) => page.locator(selector).first().isVisible();
    expect(await visible('header')).toBe(false);
    expect(await visible('.photo-card button')).toBe(false);
    expect(await visible('.photo-card')).toBe(true);
    expect(await visible('.status-legend')).toBe(true);
    await page.emulateMedia({ media: 'screen' });
    expectNoProblems(staff, 'print');
    await staff.context.close();
  });

  it('a leader sees protection, staff only that a child cannot be published, and the flag changes after a confirmation', async () => {
    const staff = await signedIn('ansatt@demo.no');
    await openPhotoList(staff.page, 'Blåklokka');
    expect(await line(staff.page, 'Noah Berg', WEBSITE).innerText()).toContain('Kan ikke brukes');
    expect(await line(staff.page, 'Noah Berg', WEBSITE).innerText()).not.toContain('Skjermet');
    expect(await childCard(staff.page, 'Noah Berg').getByRole('button', { name: /Skjerming/ }).count()).toBe(0);

    const leader = await signedIn('leder@demo.no');
    const { page } = leader;
    await openPhotoList(page, 'Blåklokka');
    expect(await line(page, 'Noah Berg', WEBSITE).innerText()).toContain('Skjermet');
    const protection = childCard(page, 'Noah Berg').getByRole('button', { name: 'Skjerming – Noah Berg' });
    await protection.click();
    const dialog = page.getByRole('dialog', { name: 'Skjerming: Noah Berg' });
    await dialogOpen(dialog);
    await expect.poll(() => dialog.innerText()).toContain('Noah Berg er skjermet.');
    // No reason is asked for or shown.
    expect(await dialog.getByRole('textbox').count()).toBe(0);
    expect(await dialog.innerText()).toContain('Grunnen skal ikke skrives ned noe sted i Samtykke.');
    await checkPage(page, 'the protection dialog');

    await dialog.getByRole('button', { name: 'Avbryt' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await line(page, 'Noah Berg', WEBSITE).innerText()).toContain('Skjermet');

    await protection.click();
    await dialog.getByRole('button', { name: 'Ja, opphev skjermingen' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Skjermingen' }).innerText()).toBe('Skjermingen av Noah Berg er opphevet.');
    await expect.poll(() => line(page, 'Noah Berg', WEBSITE).innerText()).not.toContain('Skjermet');

    await protection.click();
    await expect.poll(() => dialog.innerText()).toContain('Noah Berg er ikke skjermet.');
    await dialog.getByRole('button', { name: 'Ja, skjerm barnet' }).click();
    await expect.poll(() => line(page, 'Noah Berg', WEBSITE).innerText()).toContain('Skjermet');
    expectNoProblems(leader, 'protection');
    expectNoProblems(staff, 'staff and protection');
    await leader.context.close();
    await staff.context.close();
  });

  it('a leader starts a round, guardians follow the e-mailed link to their questions, and the leader sees progress', async () => {
    const leader = await signedIn('leder@demo.no', DESKTOP);
    const { page } = leader;
    await page.goto('/');
    await ready(page);
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Samtykkerunder' }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Samtykkerunder');
    // The heading is there before the list has loaded; wait for the list's answer.
    await expect.poll(() => page.locator('main').innerText()).toContain('Det er ikke startet noen runder ennå.');
    await checkPage(page, 'consent rounds, none yet');

    // Ask about the wall only, so one guardian's answers finish a child.
    const purposes = page.getByRole('group', { name: 'Hva skal de svare på?' });
    for (const box of await purposes.getByRole('checkbox').all()) await choose(box, false);
    await page.getByRole('button', { name: 'Start runden og send e-post' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('Velg minst ett formål.');
    expect(await page.locator('main').innerText()).toContain('Velg hvorfor dere spør.');
    await checkPage(page, 'start a round, with errors');

    await choose(purposes.getByRole('checkbox', { name: WALL }));
    await page.getByLabel('Hvorfor spør dere nå?').selectOption({ label: 'Nytt barnehage- eller skoleår' });
    const before = server.mails.length;
    await page.getByRole('button', { name: 'Start runden og send e-post' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Runden er startet' }).innerText()).toMatch(
      /^Runden er startet\. E-post er sendt til \d+ personer\./,
    );
    expect(server.mails.length).toBeGreaterThan(before);

    const round = page.getByRole('region', { name: /: Nytt barnehage- eller skoleår$/ });
    const progress = () => round.locator('.round-progress__text').innerText();
    const initial = await progress();
    const [, answered, total] = /^(\d+) av (\d+) barn/.exec(initial) ?? [];
    expect(Number(total)).toBeGreaterThan(0);
    expect(await round.getByRole('table', { name: 'Svar per barn' }).getByRole('row', { name: /Jakob Nordmann/ }).innerText()).toMatch(/Venter på 1 svar/);
    await checkPage(page, 'a started round');

    // Kari follows the link in her e-mail straight to her children and answers for Jakob.
    const guardian = await openSession(browser, server.url, PHONE);
    await guardian.page.goto(linkMailedTo(server, 'forelder@demo.no'));
    await expect.poll(() => new URL(guardian.page.url()).pathname).toBe('/samtykke');
    await ready(guardian.page);
    await expect.poll(() => guardian.page.locator('main h1').innerText()).toBe('Mine barn');
    await guardian.page.getByRole('link', { name: 'Jakob Nordmann' }).click();
    await expect.poll(() => guardian.page.locator('main h1').innerText()).toBe('Samtykke for Jakob Nordmann');
    await ready(guardian.page);
    const wall = purposeCard(guardian.page, WALL);
    await openPurpose(wall);
    for (const [question, word] of [
      ['photo', 'bilder'],
      ['first_name', 'fornavn sammen med bilder'],
    ]) {
      const form = wall.locator(`form[data-question="${question}"]`);
      await choose(form.getByRole('radio', { name: 'Ja', exact: true }));
      await form.getByRole('button', { name: /Lagre svaret/ }).click();
      // Each answer's own confirmation, so the next question is not answered while this one saves.
      await expect.poll(() => wall.getByRole('status').innerText()).toContain(`Svaret ditt er lagret: ja til ${word} for`);
    }
    await expect.poll(() => wall.locator('.question-states').innerText()).toMatch(/Fornavn sammen med bilder: Gyldig til/);
    expectNoProblems(guardian, 'guardian from the round e-mail');
    await guardian.context.close();

    await page.reload();
    await ready(page);
    await expect.poll(progress).toMatch(new RegExp(`^${Number(answered) + 1} av ${total} barn`));
    expect(await round.getByRole('row', { name: /Jakob Nordmann/ }).innerText()).toContain('Alle har svart');

    await round.getByRole('button', { name: 'Send påminnelse' }).click();
    await expect.poll(() => round.getByRole('status').innerText()).toMatch(/^Påminnelse sendt til \d+ person(er)?\.$/);
    expectNoProblems(leader, 'consent round');
    await leader.context.close();
  });

  it('an empty group has an empty photo list', async () => {
    const admin = await signedIn('admin@demo.no', DESKTOP);
    const units = (await (await admin.context.request.get('/api/units')).json()) as { units: { id: string; name: string }[] };
    const unit = units.units.find((u) => u.name === 'Solsikken barnehage')!;
    const created = await admin.context.request.post(`/api/units/${unit.id}/groups`, { data: { name: 'Tomgruppa' }, headers: { Origin: server.url } });
    expect(created.status()).toBe(201);
    const group = ((await created.json()) as { group: { id: string } }).group;
    await admin.page.goto(`/enheter/${unit.id}/grupper/${group.id}`);
    await ready(admin.page);
    await admin.page.getByRole('link', { name: 'Samtykker i Tomgruppa' }).click();
    await ready(admin.page);
    await expect.poll(() => admin.page.locator('main').innerText()).toContain('Det er ingen barn i gruppen.');
    await checkPage(admin.page, 'an empty photo list');
    expectNoProblems(admin, 'empty group');
    await admin.context.close();
  });
});
