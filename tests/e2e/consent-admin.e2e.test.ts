import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, choose, describeInBrowser, DESKTOP, expectNoProblems, launchBrowser, openSession, PHONE, ready, signInAs } from './browser';
import type { Session } from './browser';
import { childCard, consentPathOf, dialogOpen, openPurpose, purposeCard } from './consent-helpers';

const WALL = 'Gruppens vegg og intern dokumentasjon';

describeInBrowser('consent: admin', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(email: string, viewport: { width: number; height: number } = DESKTOP): Promise<Session> {
    const session = await openSession(browser, server.url, viewport);
    await signInAs(session, email);
    return session;
  }

  async function fromMenu(page: Page, link: string, heading: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: link, exact: true }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe(heading);
  }

  it('admin publishes a material notice version and the guardian is asked again', async () => {
    // Kari has Emma's page open before the text changes.
    const guardian = await signedIn('forelder@demo.no', PHONE);
    await guardian.page.goto('/samtykke');
    await ready(guardian.page);
    await guardian.page.goto(await consentPathOf(guardian.page, 'Emma Nordmann'));
    await ready(guardian.page);
    const wall = purposeCard(guardian.page, WALL);
    expect(await wall.locator('.question-states').innerText()).toMatch(/Bilder: Gyldig til/);
    await openPurpose(wall);

    const admin = await signedIn('admin@demo.no');
    const { page } = admin;
    await page.goto('/');
    await ready(page);
    await fromMenu(page, 'Formål', 'Formål');
    const table = page.getByRole('table', { name: 'Formål' });
    expect(await table.getByRole('row', { name: /Lokalpressen/ }).innerText()).toMatch(/Presse\s+Alle foresatte med foreldreansvar må si ja\s+Ja\s+Ja\s+Ja/);
    await checkPage(page, 'purposes');

    await table.getByRole('link', { name: WALL }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe(WALL);
    const versions = page.getByRole('region', { name: 'Informasjonstekster' });
    expect(await versions.innerText()).toMatch(/Versjon 1, .* – vesentlig endring/);
    await checkPage(page, 'a purpose with one notice version');

    const publish = page.getByRole('region', { name: 'Publiser versjon 2' });
    // The Bokmål fields start as the current text, so the admin edits rather than retypes.
    const what = publish.locator('#notice-nb-what');
    expect(await what.inputValue()).toBe('Bilder fra hverdagen og aktiviteter, der barnet ditt kan være med.');
    await publish.getByRole('button', { name: 'Publiser versjon 2' }).click();
    await expect.poll(() => publish.innerText()).toContain('Velg om endringen er vesentlig eller redaksjonell.');
    await what.fill('');
    await publish.getByRole('button', { name: 'Publiser versjon 2' }).click();
    await expect.poll(() => publish.innerText()).toContain('Fyll ut feltet.');
    await checkPage(page, 'publishing a notice, with errors');

    // The change is shown word by word before it is published.
    await what.fill('Bilder og korte videoer fra hverdagen og aktiviteter, der barnet ditt kan være med.');
    const preview = publish.getByRole('region', { name: 'Endringer på bokmål sammenlignet med versjon 1' });
    await expect.poll(() => preview.locator('ins').allTextContents()).toEqual(['[lagt til: og korte videoer ]']);
    expect(await preview.innerText()).toContain('Uendret.');
    await choose(publish.getByRole('radio', { name: 'Vesentlig endring: alle må svare på nytt' }));
    expect(await publish.innerText()).toContain('Alle tidligere ja slutter å gjelde');
    await checkPage(page, 'publishing a material change');
    await publish.getByRole('button', { name: 'Publiser versjon 2' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Versjon 2 er publisert' }).innerText()).toBe(
      'Versjon 2 er publisert. Alle som har sagt ja, blir bedt om å svare på nytt.',
    );
    await expect.poll(() => versions.innerText()).toMatch(/Versjon 2, .* – vesentlig endring/);
    expect(await versions.locator('details[open] ins').first().innerText()).toContain('og korte videoer');
    await checkPage(page, 'a purpose with two notice versions');

    // Kari answers from the page she opened before: the server refuses the old text, and she sees the new one.
    const firstName = wall.locator('form[data-question="first_name"]');
    await choose(firstName.getByRole('radio', { name: 'Ja', exact: true }));
    await firstName.getByRole('button', { name: /Lagre svaret/ }).click();
    await expect.poll(() => wall.getByRole('alert').innerText()).toContain('Teksten er endret siden du åpnet siden, så svaret ble ikke lagret.');
    await expect.poll(() => wall.locator('.notice-text').innerText()).toContain('Bilder og korte videoer fra hverdagen');
    // Ola's yes was to the old text.
    expect(await wall.locator('.question-states').innerText()).toContain('Bilder: Må bekreftes på nytt fordi teksten er endret.');
    await checkPage(guardian.page, 'a guardian whose text changed while answering');

    const photo = wall.locator('form[data-question="photo"]');
    await choose(photo.getByRole('radio', { name: 'Ja', exact: true }));
    await photo.getByRole('button', { name: /Lagre svaret/ }).click();
    await expect.poll(() => wall.locator('.question-states').innerText()).toMatch(/Bilder: Gyldig til/);
    const history = guardian.page.getByRole('region', { name: 'Historikk' }).getByRole('listitem').first();
    expect(await history.innerText()).toContain(`Du sa ja til bilder for «${WALL}» i Samtykke. Tekstversjon 2.`);

    // Staff see who has to be asked again.
    const staff = await signedIn('ansatt@demo.no');
    await staff.page.goto('/');
    await ready(staff.page);
    await staff.page.getByRole('link', { name: 'Samtykker i Blåklokka' }).click();
    await ready(staff.page);
    expect(await childCard(staff.page, 'Ella Andersen').locator('li', { hasText: WALL }).innerText()).toContain('Ny tekst, ikke bekreftet');
    expect(await childCard(staff.page, 'Emma Nordmann').locator('li', { hasText: WALL }).innerText()).toMatch(/: Ja\./);

    // An editorial change leaves the answers standing.
    const next = page.getByRole('region', { name: 'Publiser versjon 3' });
    await choose(next.getByRole('radio', { name: 'Redaksjonell endring: svarene gjelder fortsatt' }));
    await next.locator('#notice-nb-contact').fill('Styreren i barnehagen, eller personvernombudet i Demo kommune: personvernombud@demo.no.');
    await next.getByRole('button', { name: 'Publiser versjon 3' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Versjon 3 er publisert' }).innerText()).toContain('Svarene som er gitt, gjelder fortsatt.');
    await guardian.page.reload();
    await ready(guardian.page);
    expect(await purposeCard(guardian.page, WALL).locator('.question-states').innerText()).toMatch(/Bilder: Gyldig til/);

    for (const [label, session] of Object.entries({ admin, guardian, staff })) expectNoProblems(session, label);
    await Promise.all([admin, guardian, staff].map((session) => session.context.close()));
  });

  it('admin creates a purpose and publishes its first text', async () => {
    const admin = await signedIn('admin@demo.no', PHONE);
    const { page } = admin;
    await page.goto('/admin/formal');
    await ready(page);
    const form = page.getByRole('region', { name: 'Nytt formål' });
    await form.getByRole('button', { name: 'Opprett formål' }).click();
    await expect.poll(() => form.innerText()).toContain('Velg målgruppe.');
    await checkPage(page, 'new purpose with errors');

    await form.getByLabel('Kode').fill('sommerfest');
    await form.getByLabel('Navn på bokmål').fill('Sommerfesten');
    await form.getByLabel('Navn på nynorsk').fill('Sommarfesten');
    await form.getByLabel('Navn på engelsk').fill('The summer party');
    await form.getByRole('combobox', { name: 'Målgruppe' }).selectOption('closed');
    await form.getByRole('button', { name: 'Opprett formål' }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Sommerfesten');
    expect(await page.locator('main').innerText()).toContain('Formålet er opprettet. Publiser en informasjonstekst før noen kan svare på det.');
    await expect.poll(() => page.getByRole('region', { name: 'Informasjonstekster' }).innerText()).toContain('Ingen versjoner er publisert ennå.');
    await checkPage(page, 'a new purpose with no text');

    const publish = page.getByRole('region', { name: 'Publiser versjon 1' });
    // The first version is always material: there is nothing to choose.
    expect(await publish.getByRole('radio').count()).toBe(0);
    const texts = {
      what: 'Bilder fra sommerfesten.',
      wherePublished: 'I foreldregalleriet.',
      whoCanSee: 'Foreldrene i barnehagen.',
      retention: 'Til slutten av barnehageåret.',
      withdrawal: 'Trekk samtykket i Samtykke når som helst.',
      contact: 'Styreren.',
    };
    for (const [field, text] of Object.entries(texts)) await publish.locator(`#notice-nb-${field}`).fill(text);
    // A language is all or nothing.
    await publish.locator('#notice-en-what').fill('Photos from the summer party.');
    await publish.getByRole('button', { name: 'Publiser versjon 1' }).click();
    await expect.poll(() => publish.innerText()).toContain('Fyll ut alle seks feltene på English, eller la alle stå tomme.');
    await publish.locator('#notice-en-what').fill('');
    await publish.getByRole('button', { name: 'Publiser versjon 1' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Versjon 1 er publisert' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('region', { name: 'Informasjonstekster' }).innerText()).toContain('Bilder fra sommerfesten.');

    await page.getByRole('link', { name: 'Tilbake til alle formål' }).click();
    await ready(page);
    await expect.poll(() => page.getByRole('table', { name: 'Formål' }).innerText()).toContain('Sommerfesten');
    expectNoProblems(admin, 'new purpose');
    await admin.context.close();
  });

  it('admin creates, edits and deactivates a channel', async () => {
    const admin = await signedIn('admin@demo.no');
    const { page } = admin;
    await page.goto('/');
    await ready(page);
    await fromMenu(page, 'Kanaler', 'Kanaler');
    const table = page.getByRole('table', { name: 'Kanaler' });
    expect(await table.getByRole('row', { name: /Kommunens Facebook-side/ }).innerText()).toMatch(/Hele kommunen\s+kommunens-facebook\s+Eksternt\s+1280 px\s+Ja/);
    await checkPage(page, 'channels');

    const form = page.getByRole('region', { name: 'Ny kanal' });
    await form.getByLabel('Adresse').fill('Ikke Gyldig');
    await form.getByRole('button', { name: 'Opprett kanal' }).click();
    await expect.poll(() => form.innerText()).toContain('Bruk små bokstaver (a–z), tall og bindestrek, minst to tegn.');
    expect(await form.innerText()).toContain('Velg type.');
    await checkPage(page, 'new channel with errors');

    await form.getByRole('combobox', { name: 'Formål' }).selectOption({ label: 'Trykksaker og årbok' });
    await form.getByRole('combobox', { name: 'Enhet' }).selectOption({ label: 'Solsikken barnehage' });
    await form.getByLabel('Navn', { exact: true }).fill('Julekalenderen');
    await form.getByLabel('Adresse').fill('solsikken-julekalender');
    await choose(form.getByRole('radio', { name: 'Eksternt' }));
    await form.getByRole('button', { name: 'Opprett kanal' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Julekalenderen' }).innerText()).toBe('Kanalen Julekalenderen er opprettet.');
    const row = table.getByRole('row', { name: /Julekalenderen/ });
    // Public purposes get the smaller default size.
    expect(await row.innerText()).toMatch(/Trykksaker og årbok\s+Solsikken barnehage\s+solsikken-julekalender\s+Eksternt\s+1280 px\s+Ja/);

    await row.getByRole('button', { name: 'Endre – Julekalenderen' }).click();
    const dialog = page.getByRole('dialog', { name: 'Endre Julekalenderen' });
    await dialogOpen(dialog);
    await checkPage(page, 'edit channel dialog');
    await dialog.getByLabel('Største lengde på bildets lengste side').fill('900');
    await choose(dialog.getByRole('checkbox', { name: 'Kanalen er i bruk' }), false);
    await dialog.getByRole('button', { name: 'Lagre' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => row.innerText()).toMatch(/900 px\s+Nei/);
    expectNoProblems(admin, 'channels');
    await admin.context.close();
  });

  it('admin changes a setting and sets it back to the default', async () => {
    const admin = await signedIn('admin@demo.no', PHONE);
    const { page } = admin;
    await page.goto('/admin/innstillinger');
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Innstillinger');
    const end = page.getByLabel('Siste dag samtykker gjelder hvert år');
    expect(await end.inputValue()).toBe('31.07');
    await checkPage(page, 'settings');

    await end.fill('31.02');
    await page.getByLabel('Alder for å bestemme selv').fill('30');
    await page.getByRole('button', { name: 'Lagre innstillingene' }).click();
    await expect.poll(() => page.locator('main').innerText()).toContain('Skriv et helt tall fra 12 til 18.');
    expect(await page.locator('main').innerText()).toContain('Skriv en dag i året som dd.mm, for eksempel 31.07.');
    await checkPage(page, 'settings with errors');

    await page.getByLabel('Alder for å bestemme selv').fill('15');
    await end.fill('30.06');
    await page.getByRole('button', { name: 'Lagre innstillingene' }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toBe('Innstillingene er lagret.');
    expect(await page.locator('main').innerText()).toContain('(Endret fra standardverdien.)');
    await page.getByRole('button', { name: 'Bruk standardverdien – Siste dag samtykker gjelder hvert år' }).click();
    await expect.poll(() => end.inputValue()).toBe('31.07');
    expect(await page.getByRole('status').innerText()).toBe('Siste dag samtykker gjelder hvert år følger nå standardverdien.');
    expectNoProblems(admin, 'settings');
    await admin.context.close();
  });
});
