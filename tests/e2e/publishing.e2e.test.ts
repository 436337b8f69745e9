import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer } from '../support/server';
import type { TestServer } from '../support/server';
import { checkPage, choose, DESKTOP, describeInBrowser, expectNoAxeViolations, expectNoProblems, launchBrowser, openSession, PHONE, ready, signInAs } from './browser';
import type { Session } from './browser';
import { dialogOpen, purposeCard, signInByMail } from './consent-helpers';
import { directory, expectText, makeJpeg, pathOf, post, requestPublication, tagPhoto, uploadPhoto } from './photo-helpers';
import type { Api } from './photo-helpers';

const GALLERY = 'Foreldregalleriet på Solsikken';
const FACEBOOK = 'Kommunens Facebook-side';

describeInBrowser('publishing: tagging, the gate, review, hosted feeds, withdrawal and takedowns', () => {
  let server: TestServer;
  let browser: Browser;
  let files: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer({ demo: true }), launchBrowser()]);
    files = mkdtempSync(path.join(tmpdir(), 'samtykke-e2e-publishing-'));
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

  const apiOf = (session: Session): Api => ({ request: session.context.request, origin: server.url });

  /** The hosted gallery as a browser shows it: server-rendered, outside the app. */
  async function feedImages(page: Page, slug: string): Promise<string[]> {
    await page.goto(`/feed/${slug}`);
    await page.locator('h1').waitFor();
    return page.locator('main img').evaluateAll((images) => images.map((img) => img.getAttribute('alt') ?? ''));
  }

  async function checkFeed(page: Page, label: string): Promise<void> {
    for (const viewport of [PHONE, DESKTOP]) {
      await page.setViewportSize(viewport);
      await expectNoAxeViolations(page, `${label} at ${viewport.width}px`);
    }
  }

  it('staff upload and tag a photo, the gate refuses a full name in plain words, the fixed caption is published, and a withdrawal takes it off the gallery', async () => {
    const staff = await signedIn('ansatt@demo.no');
    const { page } = staff;
    const photo = path.join(files, 'skogstur.jpg');
    writeFileSync(photo, await makeJpeg({ hue: 60 }));

    // Upload, then on to tagging from the uploaded photo.
    await page.goto('/bilder/last-opp');
    await ready(page);
    await page.getByLabel('Gruppe bildene hører til').selectOption({ label: 'Blåklokka' });
    await page.getByLabel('Velg bilder').setInputFiles(photo);
    const uploads = page.getByRole('region', { name: 'Opplastinger' });
    await expectText(uploads, 'Lagret.');
    await uploads.getByRole('link', { name: /Merk hvem som er med/ }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toMatch(/^Bilde lastet opp \d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}$/);
    const photoPath = pathOf(page);
    const image = page.locator('main figure img');
    expect(Number(await image.getAttribute('width'))).toBe(1200);
    expect(Number(await image.getAttribute('height'))).toBe(900);
    await checkPage(page, 'photo page, nobody tagged');

    // Tag Emma from the group's list; nothing is saved until the server says so.
    const tagging = page.getByRole('region', { name: 'Hvem er med på bildet?' });
    await tagging.getByLabel('Søk etter navn').fill('emm');
    await choose(tagging.getByRole('checkbox', { name: 'Emma Nordmann' }));
    const tagged = tagging.getByRole('group', { name: 'Emma Nordmann' });
    expect(await tagged.getByRole('checkbox', { name: 'Kan kjennes igjen' }).isChecked()).toBe(true);
    await expectText(tagging, 'Du har endringer som ikke er lagret.');
    await tagging.getByRole('button', { name: 'Lagre merkingen' }).click();
    await expectText(tagging.getByRole('status'), 'Merkingen er lagret: 1 person er merket.');
    expect(await tagging.innerText()).not.toContain('Du har endringer som ikke er lagret.');
    await checkPage(page, 'photo page, Emma tagged');

    // The publish dialog: the gate answers as the caption is typed.
    const opener = page.getByRole('button', { name: 'Be om publisering' });
    await opener.click();
    const dialog = page.getByRole('dialog', { name: 'Be om publisering' });
    await dialogOpen(dialog);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Be om publisering');
    const gate = dialog.getByRole('region', { name: 'Sjekk mot samtykkene' });
    await expectText(gate, 'Velg hvor bildet skal publiseres');
    await choose(dialog.getByRole('radio', { name: GALLERY }));
    await dialog.getByLabel('Bildetekst').fill('Emma Nordmann på tur i skogen');
    await expectText(gate, 'Bildeteksten inneholder det fulle navnet til Emma Nordmann. Fjern etternavnet fra bildeteksten.');
    expect(await gate.innerText()).toContain('Kan ikke publiseres ennå. Én ting må rettes:');
    await checkPage(page, 'publish dialog, the gate refuses a full name');

    // Asking anyway: the alt text is required, and then the server refuses; nothing is shown as published.
    await dialog.getByRole('button', { name: 'Publiser' }).click();
    await expectText(dialog, 'Skriv en alternativ tekst som beskriver bildet.');
    await checkPage(page, 'publish dialog with a missing alt text');
    await dialog.getByLabel('Alternativ tekst').fill('Barn som går tur i skogen');
    await dialog.getByRole('button', { name: 'Publiser' }).click();
    await expectText(dialog.getByRole('alert').filter({ hasText: 'kan ikke publiseres' }), 'Bildet kan ikke publiseres ennå.');
    expect(await dialog.innerText()).not.toContain('Bildet er publisert');

    // A first name needs its own consent, which Emma's father did not give.
    await dialog.getByLabel('Bildetekst').fill('Emma på tur i skogen');
    await expectText(gate, 'Det er ikke samtykke til å bruke navnet til Emma i «Foreldregalleriet på Solsikken». Fjern navnet fra bildeteksten.');

    // Fixed: no name at all.
    await dialog.getByLabel('Bildetekst').fill('Tur i skogen');
    await expectText(gate, 'Kan publiseres nå.');
    await dialog.getByRole('button', { name: 'Publiser' }).click();
    await expectText(dialog, 'Bildet er publisert i «Foreldregalleriet på Solsikken».');
    await checkPage(page, 'publish dialog, published');
    await dialog.getByRole('button', { name: 'Lukk', exact: true }).first().click();
    await expect.poll(() => opener.evaluate((button) => button === document.activeElement)).toBe(true);
    const publishing = page.getByRole('region', { name: 'Publisering' });
    await expectText(publishing, `${GALLERY}: Publisert`);

    // Emma's mother opens the closed gallery and sees the photo.
    const guardian = await signedIn('forelder@demo.no');
    expect(await feedImages(guardian.page, 'solsikken-galleri')).toEqual(['Barn som går tur i skogen']);
    await checkFeed(guardian.page, 'the closed gallery with the photo');

    // Her page of Emma's photos says where and since when.
    await guardian.page.goto('/samtykke');
    await ready(guardian.page);
    await guardian.page.getByRole('link', { name: 'Bilder av Emma' }).click();
    await ready(guardian.page);
    await expect.poll(() => guardian.page.locator('main h1').innerText()).toBe('Bilder av Emma');
    const card = guardian.page.getByRole('listitem').filter({ has: guardian.page.getByRole('heading', { name: GALLERY }) });
    await expectText(card, /Vises siden \d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}\./);
    await expect.poll(() => card.getByRole('img', { name: 'Barn som går tur i skogen' }).evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await checkPage(guardian.page, "a guardian's page of her child's photos");

    // She withdraws the gallery consent on the consent page: one button.
    await guardian.page.getByRole('link', { name: 'Tilbake til samtykkene for Emma' }).click();
    await ready(guardian.page);
    const purpose = purposeCard(guardian.page, 'Foreldreappen og bildegalleriet');
    await purpose.getByRole('button', { name: /Trekk tilbake/ }).click();
    await expectText(purpose.getByRole('status'), 'Samtykket til «Foreldreappen og bildegalleriet» er trukket tilbake.');

    // The very next request for the gallery no longer shows it.
    expect(await feedImages(guardian.page, 'solsikken-galleri')).toEqual([]);
    expect(await guardian.page.locator('main').innerText()).toContain('Det er ingen bilder her nå.');
    await checkFeed(guardian.page, 'the closed gallery after the withdrawal');

    await guardian.page.goto('/samtykke');
    await ready(guardian.page);
    await guardian.page.getByRole('link', { name: 'Bilder av Emma' }).click();
    await ready(guardian.page);
    await expectText(card, /Tatt ned \d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}\. Vises ikke lenger\./);
    expect(await card.getByRole('button').count()).toBe(0);
    await checkPage(guardian.page, "a guardian's page after the withdrawal");

    // Staff see it taken down, and why, in the publication's story.
    await page.goto(photoPath);
    await ready(page);
    await expectText(publishing, `${GALLERY}: Tatt ned`);
    await publishing.getByRole('link', { name: /Se hele historien/ }).click();
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe(`Publisering i «${GALLERY}»`);
    const history = page.getByRole('region', { name: 'Historikk' });
    await expectText(history, 'Sjekken stoppet bildet: fullt navn i teksten.');
    await expectText(history, 'Tatt ned: et samtykke ble trukket tilbake.');
    await checkPage(page, 'the story of a withdrawn publication');

    for (const [label, session] of Object.entries({ staff, guardian })) {
      expectNoProblems(session, label);
      await session.context.close();
    }
  });

  it('tagging: nobody tagged, a recognisable visitor, a portrait and "no people", each with the gate\'s answer in words', async () => {
    const staff = await signedIn('ansatt@demo.no');
    const ids = await directory(apiOf(staff));
    const photoId = await uploadPhoto(apiOf(staff), ids.group('Blåklokka').id, await makeJpeg({ hue: 200 }));
    const { page } = staff;
    await page.goto(`/bilder/${photoId}`);
    await ready(page);
    const tagging = page.getByRole('region', { name: 'Hvem er med på bildet?' });
    const save = tagging.getByRole('button', { name: 'Lagre merkingen' });

    /** Opens the publish dialog, picks the channel, and returns what the gate says. */
    async function gateFor(channel: string, expected: string): Promise<void> {
      await page.getByRole('button', { name: 'Be om publisering' }).click();
      const dialog = page.getByRole('dialog', { name: 'Be om publisering' });
      await dialogOpen(dialog);
      await choose(dialog.getByRole('radio', { name: channel }));
      await expectText(dialog.getByRole('region', { name: 'Sjekk mot samtykkene' }), expected);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
    }

    await gateFor('Veggen på Solsikken', 'Ingen er merket på bildet. Merk hvem som er med, eller kryss av for at bildet ikke viser noen personer, og lagre.');

    // A visitor who can be recognised: only internal use.
    await tagging.getByRole('button', { name: 'Legg til en ukjent person' }).click();
    const visitor = tagging.getByRole('group', { name: 'Ukjent person 1' });
    expect(await visitor.getByRole('checkbox', { name: 'Kan kjennes igjen' }).isChecked()).toBe(true);
    await save.click();
    await expectText(tagging.getByRole('status').filter({ hasText: 'lagret' }), 'Merkingen er lagret: 1 person er merket.');
    await checkPage(page, 'photo page with an unknown person tagged');
    await gateFor(GALLERY, 'Bildet viser en ukjent person som kan kjennes igjen. Bilder med ukjente personer kan bare brukes internt.');
    await gateFor('Veggen på Solsikken', 'Kan publiseres nå.');

    // Seen from behind, but a portrait: refused for a public channel.
    await choose(visitor.getByRole('checkbox', { name: 'Kan kjennes igjen' }), false);
    await choose(tagging.getByRole('radio', { name: 'Portrett' }));
    await save.click();
    await expectText(tagging.getByRole('status').filter({ hasText: 'lagret' }), 'Merkingen er lagret: 1 person er merket.');
    await gateFor('Solsikken barnehage på kommunens nettsted', 'Et bilde av én person (portrett) kan ikke publiseres offentlig. Bruk et situasjonsbilde, eller velg en kanal som ikke er offentlig.');

    // No people at all: the tags go when it is saved, and the server keeps it so.
    await choose(tagging.getByRole('checkbox', { name: 'Bildet viser ingen personer' }));
    await expectText(tagging, 'Merkingen av 1 person fjernes når du lagrer.');
    await checkPage(page, 'photo page, "no people" not yet saved');
    await save.click();
    await expectText(tagging.getByRole('status').filter({ hasText: 'Lagret' }), 'Lagret: bildet viser ingen personer.');
    await page.reload();
    await ready(page);
    expect(await tagging.getByRole('checkbox', { name: 'Bildet viser ingen personer' }).isChecked()).toBe(true);
    expect(await tagging.getByRole('radio', { name: 'Portrett' }).isChecked()).toBe(true);
    await gateFor(GALLERY, 'Kan publiseres nå.');

    // The press is asked per occasion: the dialog asks which one (and an activity photo it is).
    await choose(tagging.getByRole('radio', { name: 'Situasjonsbilde' }));
    expect(await tagging.getByRole('status').filter({ hasText: 'Lagret' }).count()).toBe(0);
    await save.click();
    await expectText(tagging.getByRole('status').filter({ hasText: 'Lagret' }), 'Lagret: bildet viser ingen personer.');
    await page.getByRole('button', { name: 'Be om publisering' }).click();
    const dialog = page.getByRole('dialog', { name: 'Be om publisering' });
    await dialogOpen(dialog);
    expect(await dialog.getByLabel('Anledning').count()).toBe(0);
    await choose(dialog.getByRole('radio', { name: 'Lokalavisa' }));
    await dialog.getByLabel('Alternativ tekst').fill('Pepperkakehus på et bord');
    await dialog.getByRole('button', { name: 'Send til godkjenning' }).click();
    await expectText(dialog, 'Skriv hvilken anledning det gjelder.');
    await checkPage(page, 'publish dialog for the press, occasion missing');
    await dialog.getByLabel('Anledning').fill('Juleverkstedet 2026');
    await dialog.getByRole('button', { name: 'Send til godkjenning' }).click();
    await expectText(dialog, 'En leder må godkjenne bildet før det publiseres i «Lokalavisa».');
    expectNoProblems(staff, 'tagging');
    await staff.context.close();
  });

  it('a leader approves a public publication after the harm assessment, and records the takedown when consent is withdrawn', async () => {
    const staff = await signedIn('ansatt@demo.no');
    const ids = await directory(apiOf(staff));
    const frida = await ids.child('Blåklokka', 'Frida Johnsen');
    const photoId = await uploadPhoto(apiOf(staff), ids.group('Blåklokka').id, await makeJpeg({ hue: 10 }));
    await tagPhoto(apiOf(staff), photoId, [{ personId: frida.id, recognisable: true }]);

    // Staff ask to publish on Facebook: public, so a leader must look first.
    const { page } = staff;
    await page.goto(`/bilder/${photoId}`);
    await ready(page);
    await page.getByRole('button', { name: 'Be om publisering' }).click();
    const dialog = page.getByRole('dialog', { name: 'Be om publisering' });
    await dialogOpen(dialog);
    await choose(dialog.getByRole('radio', { name: FACEBOOK }));
    await dialog.getByLabel('Bildetekst').fill('Høsttur med epleplukking');
    await dialog.getByLabel('Alternativ tekst').fill('Barn som plukker epler i en hage');
    const gate = dialog.getByRole('region', { name: 'Sjekk mot samtykkene' });
    await expectText(gate, 'Kan publiseres når en leder har godkjent.');
    await expectText(gate, 'En leder må godkjenne før publisering.');
    await dialog.getByRole('button', { name: 'Send til godkjenning' }).click();
    await expectText(dialog, 'En leder må godkjenne bildet før det publiseres i «Kommunens Facebook-side».');
    await checkPage(page, 'publish dialog, sent for review');

    // The leader's queue: the photo, the texts and the gate's answer as it is now.
    const leader = await signedIn('leder@demo.no');
    await leader.page.goto('/');
    await ready(leader.page);
    await leader.page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Godkjenning' }).click();
    await ready(leader.page);
    await expect.poll(() => leader.page.locator('main h1').innerText()).toBe('Godkjenning');
    const item = leader.page.getByRole('region', { name: `Til «${FACEBOOK}»` });
    await expectText(item, 'Kan publiseres når du har godkjent.');
    const text = await item.innerText();
    expect(text).toContain('Frida Johnsen (kan kjennes igjen)');
    expect(text).toContain('Høsttur med epleplukking');
    expect(text).toContain('Barn som plukker epler i en hage');
    expect(text).toContain('ansatt@demo.no');
    expect(await item.getByRole('img', { name: 'Barn som plukker epler i en hage' }).getAttribute('width')).toBe('1200');
    await checkPage(leader.page, 'the review queue');

    // Approving needs the harm assessment.
    await item.getByRole('button', { name: 'Godkjenn og publiser' }).click();
    await expectText(item, 'Bekreft vurderingen før du godkjenner, eller avvis bildet.');
    await checkPage(leader.page, 'the review queue, harm assessment missing');
    await choose(item.getByRole('checkbox', { name: 'Publiseringen kan ikke skade noen som vises' }));
    await item.getByRole('button', { name: 'Godkjenn og publiser' }).click();
    await expectText(leader.page.getByRole('status').filter({ hasText: 'Godkjent' }), 'Godkjent: bildet er publisert i «Kommunens Facebook-side».');
    await expect.poll(() => item.count()).toBe(0);

    // Whatever else waits (the press photo the tagging test sent) is turned down, one by one,
    // with a note; then the queue says in words that it is empty.
    const waiting = leader.page.locator('main .review-item');
    for (let left = await waiting.count(); left > 0; left = await waiting.count()) {
      const next = waiting.first();
      const channel = (await next.locator('h2').innerText()).replace(/^Til «(.*)»$/, '$1');
      await next.getByLabel(/^Merknad/).fill('Ikke dette bildet.');
      await next.getByRole('button', { name: 'Avvis' }).click();
      await expectText(leader.page.getByRole('status').filter({ hasText: 'Avvist' }), `Avvist: bildet blir ikke publisert i «${channel}».`);
      await expect.poll(() => waiting.count()).toBe(left - 1);
    }
    await expectText(leader.page.locator('main'), 'Ingen bilder venter på godkjenning.');
    await checkPage(leader.page, 'the review queue, empty');

    // Staff download the Facebook-sized copy and record where it was posted.
    await page.goto(`/bilder/${photoId}`);
    await ready(page);
    const publishing = page.getByRole('region', { name: 'Publisering' });
    await expectText(publishing, `${FACEBOOK}: Publisert`);
    expect(await publishing.getByRole('link', { name: 'Last ned bildet' }).getAttribute('href')).toMatch(/^\/api\/publications\/[\w-]+\/image$/);
    await publishing.getByLabel('Adressen der bildet ble lagt ut').fill('https://www.facebook.com/demokommune/posts/4711');
    await publishing.getByRole('button', { name: 'Lagre adressen' }).click();
    await expectText(publishing.getByRole('status'), 'Adressen er lagret.');
    await checkPage(page, 'photo page with an external publication');

    // Frida's mother withdraws the social-media consent: the Facebook copy becomes a task.
    const mother = await openSession(browser, server.url, PHONE);
    await signInByMail(mother.page, server, 'heidi.johnsen@example.no');
    await post({ request: mother.page.request, origin: server.url }, `/api/people/${frida.id}/consents/${ids.purpose('social_media').id}/withdraw`, {
      question: 'photo',
      lang: 'nb',
    });

    await leader.page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Nedtakinger' }).click();
    await ready(leader.page);
    await expect.poll(() => leader.page.locator('main h1').innerText()).toBe('Nedtakinger');
    const task = leader.page.getByRole('region', { name: `Ta ned fra «${FACEBOOK}»` });
    await expectText(task, /Frist: \d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}/);
    expect(await task.innerText()).toContain('Hvorfor: et samtykke ble trukket tilbake.');
    expect(await task.getByRole('link', { name: /facebook\.com\/demokommune\/posts\/4711/ }).count()).toBe(1);
    expect(await task.locator('.takedown__due svg.status-icon--pending').count()).toBe(1);
    await checkPage(leader.page, 'an open takedown task');

    await task.getByRole('button', { name: 'Registrer som tatt ned' }).click();
    await expectText(task, 'Skriv hva som ble gjort.');
    await task.getByLabel('Hva ble gjort?').fill('Innlegget er slettet fra Facebook-siden.');
    await task.getByRole('button', { name: 'Registrer som tatt ned' }).click();
    await expectText(leader.page.getByRole('status').filter({ hasText: 'Registrert' }), 'Registrert: bildet er tatt ned.');
    await expectText(leader.page.locator('main'), 'Ingen bilder må tas ned nå.');
    await leader.page.locator('summary', { hasText: 'Fullført (1)' }).click();
    await expectText(leader.page.locator('main'), 'Merknad: Innlegget er slettet fra Facebook-siden.');
    await checkPage(leader.page, 'takedowns with one done');

    // The log, filtered to what was taken down from Facebook, with the same filter as CSV.
    await leader.page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Publiseringer' }).click();
    await ready(leader.page);
    await leader.page.getByLabel('Kanal').selectOption({ label: FACEBOOK });
    await leader.page.getByLabel('Status').selectOption({ label: 'Tatt ned' });
    await leader.page.getByRole('button', { name: 'Vis', exact: true }).click();
    await expectText(leader.page.locator('main'), '1 publisering.');
    const csv = await leader.page.getByRole('link', { name: 'Last ned som CSV (regneark)' }).getAttribute('href');
    expect(csv).toBe(`/api/publications.csv?channelId=${ids.channel('kommunens-facebook').id}&status=unpublished`);
    const download = await leader.context.request.get(csv!);
    expect(download.status()).toBe(200);
    expect((await download.text()).split('\r\n').filter(Boolean)).toHaveLength(2);
    await checkPage(leader.page, 'the publications log, filtered');

    // The publication's whole story, in order.
    await leader.page.getByRole('table').getByRole('link').first().click();
    await ready(leader.page);
    await expect.poll(() => leader.page.locator('main h1').innerText()).toBe(`Publisering i «${FACEBOOK}»`);
    const story = await leader.page.locator('main').innerText();
    const order = [
      'Bildet ble lastet opp.',
      'Merkingen ble lagret: 1 person.',
      'Det ble bedt om publisering. Venter på godkjenning.',
      'Godkjent av leder, som bekreftet at publiseringen ikke kan skade noen som vises. Publisert.',
      'Adressen der bildet ble lagt ut, ble registrert.',
      'Tatt ned: et samtykke ble trukket tilbake.',
      'Oppgave laget: kopien utenfor Samtykke må tas ned.',
      'Kopien utenfor Samtykke er registrert som tatt ned.',
    ];
    const positions = order.map((line) => story.indexOf(line));
    expect(positions.every((p) => p >= 0), `every step is in the story:\n${story}`).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(story).toMatch(/Tatt ned \d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2} av leder@demo\.no: Innlegget er slettet fra Facebook-siden\./);
    await checkPage(leader.page, 'the story of a publication taken down');

    for (const [label, session] of Object.entries({ staff, leader, mother })) {
      expectNoProblems(session, label);
      await session.context.close();
    }
  });

  it('a leader unpublishes by hand, and a task past its deadline is shown as overdue in words and by its icon', async () => {
    const staff = await signedIn('ansatt@demo.no');
    const leader = await signedIn('leder@demo.no', DESKTOP);
    const ids = await directory(apiOf(staff));
    const william = await ids.child('Blåklokka', 'William Kristiansen');
    const photoId = await uploadPhoto(apiOf(staff), ids.group('Blåklokka').id, await makeJpeg({ hue: 170 }));
    await tagPhoto(apiOf(staff), photoId, [{ personId: william.id, recognisable: false }]);
    const publication = await requestPublication(apiOf(staff), {
      photoId,
      channelId: ids.channel('solsikken-arbok').id,
      caption: 'Vinterleker',
      altText: 'Barn som lager snølykter',
    });
    expect(publication.status).toBe('pending_review');
    await post(apiOf(leader), `/api/publications/${publication.id}/review`, { approve: true, harmAssessment: true });

    const { page } = leader;
    await page.goto(`/publiseringer/${publication.id}`);
    await ready(page);
    await expect.poll(() => page.locator('main h1').innerText()).toBe('Publisering i «Årboka for Solsikken»');
    await page.getByRole('button', { name: 'Ta ned bildet' }).click();
    const dialog = page.getByRole('dialog', { name: 'Ta ned bildet fra «Årboka for Solsikken»?' });
    await dialogOpen(dialog);
    await checkPage(page, 'the unpublish confirmation');
    await dialog.getByRole('button', { name: 'Ja, ta ned bildet' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'markert' }), 'Bildet er markert som tatt ned.');
    await expectText(page.getByRole('region', { name: 'Nedtaking utenfor Samtykke' }), /Frist: \d{2}\.\d{2}\.\d{4}/);

    // The deadline passes (the answer is changed on its way to the browser: the server's clock is real).
    await page.route('**/api/takedowns?status=open', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { takedowns: { dueAt: string; overdue: boolean }[] };
      for (const task of body.takedowns) Object.assign(task, { overdue: true, dueAt: '2026-01-05T08:00:00.000Z' });
      await route.fulfill({ response, json: body });
    });
    await page.goto('/nedtakinger');
    await ready(page);
    const task = page.getByRole('region', { name: 'Ta ned fra «Årboka for Solsikken»' });
    await expectText(task, 'Forfalt: fristen var 05.01.2026 kl. 09:00');
    expect(await task.locator('.takedown__due svg.status-icon--no').count()).toBe(1);
    expect(await task.innerText()).toContain('Hvorfor: tatt ned av en ansatt.');
    await checkPage(page, 'an overdue takedown task');

    for (const [label, session] of Object.entries({ staff, leader })) {
      expectNoProblems(session, label);
      await session.context.close();
    }
  });

  it('a guardian asks for one photo to be removed, and confirms it in a dialog', async () => {
    const staff = await signedIn('ansatt@demo.no');
    const ids = await directory(apiOf(staff));
    const emma = await ids.child('Blåklokka', 'Emma Nordmann');
    const photoId = await uploadPhoto(apiOf(staff), ids.group('Blåklokka').id, await makeJpeg({ hue: 230 }));
    await tagPhoto(apiOf(staff), photoId, [{ personId: emma.id, recognisable: true }]);
    const published = await requestPublication(apiOf(staff), {
      photoId,
      channelId: ids.channel('solsikken-vegg').id,
      caption: 'Formingsaktivitet',
      altText: 'Barn som maler med vannfarger',
    });
    expect(published.status).toBe('published');

    const guardian = await signedIn('forelder@demo.no');
    const { page } = guardian;
    await page.goto(`/samtykke/${emma.id}`);
    await ready(page);
    await page.getByRole('link', { name: 'Se bildene av Emma som er publisert, og be om at et bilde fjernes' }).click();
    await ready(page);
    const card = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Veggen på Solsikken' }) });
    await expectText(card, 'Beskrivelse av bildet: Barn som maler med vannfarger');
    // The wall is for staff only: no image and no link that would not open.
    expect(await card.getByRole('img').count()).toBe(0);
    expect(await card.getByRole('link').count()).toBe(0);

    const ask = card.getByRole('button', { name: 'Be om at bildet fjernes – Veggen på Solsikken' });
    await ask.click();
    const dialog = page.getByRole('dialog', { name: 'Be om at bildet fjernes?' });
    await dialogOpen(dialog);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Be om at bildet fjernes?');
    expect(await dialog.innerText()).toContain('Bildet blir tatt ned fra «Veggen på Solsikken» med en gang.');
    await checkPage(page, 'the removal dialog');
    // Cancelling changes nothing and puts focus back on the button.
    await dialog.getByRole('button', { name: 'Avbryt' }).click();
    await expect.poll(() => ask.evaluate((button) => button === document.activeElement)).toBe(true);
    await expectText(card, /Vises siden/);

    await ask.click();
    await dialogOpen(dialog);
    await dialog.getByRole('button', { name: 'Ja, fjern bildet' }).click();
    await expectText(page.getByRole('status').filter({ hasText: 'tatt ned' }), 'Bildet er tatt ned fra «Veggen på Solsikken».');
    await expectText(card, /Tatt ned \d{2}\.\d{2}\.\d{4} kl\. \d{2}:\d{2}\. Vises ikke lenger\./);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Veggen på Solsikken');
    await checkPage(page, 'after asking for a removal');

    // Staff see it taken down at the guardian's request.
    await staff.page.goto(`/publiseringer/${published.id}`);
    await ready(staff.page);
    await expectText(staff.page.locator('main'), 'Tatt ned: en foresatt ba om det.');
    for (const [label, session] of Object.entries({ staff, guardian })) {
      expectNoProblems(session, label);
      await session.context.close();
    }
  });
});
