import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, describeInBrowser, expectNoProblems, launchBrowser, openSession, ready } from './browser';

const header =
  'unit,group,child_id,child_first_name,child_last_name,child_birth_date,start_date,guardian_first_name,guardian_last_name,guardian_email,guardian_phone,guardian_role,parental_responsibility';

const rows = [
  'Solsikken barnehage,Blåklokka,E2E-2001,Tuva,Fjellheim,2021-03-14,2024-08-15,Randi,Fjellheim,randi.fjellheim@example.no,+4790000001,parent,ja',
  'Solsikken barnehage,Blåklokka,E2E-2001,Tuva,Fjellheim,2021-03-14,2024-08-15,Per,Fjellheim,per.fjellheim@example.no,,forelder,ja',
  'Solsikken barnehage,Blåklokka,E2E-2002,Brage,Fjellheim,14.09.2022,15.08.2024,Randi,Fjellheim,randi.fjellheim@example.no,+4790000001,parent,ja',
];
const goodCsv = [header, ...rows].join('\r\n') + '\r\n';
// The same file with a date nobody was born on, in row 3 (the header is row 1).
const badCsv = [header, rows[0], rows[1]!.replace('2021-03-14', '2021-02-30'), rows[2]].join('\r\n');

describeInBrowser('roster import', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an admin signs in, imports a roster CSV after its dry run, and finds the children', async () => {
    const session = await openSession(browser, server.url);
    const { page } = session;

    await page.goto('/');
    await ready(page);
    expect(new URL(page.url()).pathname).toBe('/logg-inn');
    const passwordForm = page.getByRole('region', { name: 'Logg inn med passord' });
    await passwordForm.getByLabel('E-postadresse').fill('admin@demo.no');
    await passwordForm.getByLabel('Passord', { exact: true }).fill('demo1234');
    await passwordForm.getByRole('button', { name: 'Logg inn', exact: true }).click();
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Forside');

    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Importer' }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Importer liste');

    // A file with an error: the check lists it by row and column, and nothing can be imported.
    await page.getByLabel('Velg CSV-fil').setInputFiles({ name: 'barneliste.csv', mimeType: 'text/csv', buffer: Buffer.from(badCsv, 'utf8') });
    await expect.poll(() => page.getByLabel('Eller lim inn innholdet i filen').inputValue()).toContain('Tuva');
    await page.getByRole('button', { name: 'Kontroller filen' }).click();
    const errors = page.getByRole('table', { name: 'Feil i filen' });
    await errors.waitFor();
    const errorRow = errors.getByRole('row').filter({ hasText: 'child_birth_date' });
    await expect.poll(() => errorRow.innerText()).toMatch(/^3\s+child_birth_date\s+Datoen er ikke gyldig/);
    await expect.poll(() => page.getByText('Kontrollen fant 1 feil.', { exact: false }).count()).toBe(1);
    const importButton = page.getByRole('button', { name: 'Importer', exact: true });
    expect(await importButton.isDisabled()).toBe(true);
    await checkPage(page, 'import with errors');

    // The corrected file, saved by a spreadsheet as Windows-1252: å must survive.
    await page.getByLabel('Velg CSV-fil').setInputFiles({ name: 'barneliste.csv', mimeType: 'text/csv', buffer: Buffer.from(goodCsv, 'latin1') });
    await expect.poll(() => page.getByLabel('Eller lim inn innholdet i filen').inputValue()).toContain('Blåklokka');
    await page.getByText('Innholdet er endret etter kontrollen.', { exact: false }).waitFor();
    expect(await importButton.isDisabled()).toBe(true);

    await page.getByRole('button', { name: 'Kontroller filen' }).click();
    await page.getByText('Kontrollen fant ingen feil. Du kan importere filen.').waitFor();
    const summary = page.getByRole('table', { name: 'Hva importen gjør' });
    await expect.poll(() => summary.getByRole('row').filter({ hasText: 'Nye barn' }).innerText()).toMatch(/Nye barn\s+2$/);
    await expect.poll(() => summary.getByRole('row').filter({ hasText: 'Nye foresatte' }).innerText()).toMatch(/Nye foresatte\s+2$/);
    await expect.poll(() => summary.getByRole('row').filter({ hasText: 'Rader i filen' }).innerText()).toMatch(/Rader i filen\s+3$/);
    expect(await importButton.isEnabled()).toBe(true);
    await checkPage(page, 'import after a clean dry run');

    await importButton.click();
    await page.getByText('Importen er fullført.').waitFor();
    await expect
      .poll(() => page.getByRole('table', { name: 'Hva importen gjorde' }).getByRole('row').filter({ hasText: 'Nye barn' }).innerText())
      .toMatch(/Nye barn\s+2$/);
    await checkPage(page, 'import result');

    await page.getByRole('link', { name: 'Gå til personlisten' }).click();
    await ready(page);
    await page.getByLabel('Søk etter navn').fill('Fjellheim');
    await page.getByRole('button', { name: 'Søk', exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('Fjellheim');
    const people = page.getByRole('table', { name: 'Personer' });
    await expect.poll(() => people.getByRole('row').filter({ hasText: 'Barn' }).allInnerTexts()).toEqual([
      expect.stringMatching(/^Brage Fjellheim\s+14\.09\.2022\s+Barn\s+Blåklokka$/),
      expect.stringMatching(/^Tuva Fjellheim\s+14\.03\.2021\s+Barn\s+Blåklokka$/),
    ]);

    await people.getByRole('link', { name: 'Tuva Fjellheim' }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Tuva Fjellheim');
    const guardians = page.getByRole('table', { name: 'Foresatte til Tuva Fjellheim' });
    await expect.poll(() => guardians.innerText()).toContain('Randi Fjellheim');
    await expect.poll(() => guardians.innerText()).toContain('Per Fjellheim');

    expectNoProblems(session, 'roster import');
  });
});
