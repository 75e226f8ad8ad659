/**
 * The editorial workflow in a real browser: Debian's chromium on the built admin panel, as an
 * Italian editor, a reviewer and an English-speaking editor use it. Screenshots of each step go to
 * tests/.artifacts/screenshots (editors-*.png); docs/editors.md shows a selection of them.
 */
import type { AddressInfo } from 'net';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, watchOutsideRequests } from './helpers/browser';
import { GP, adminUser, ensureAdminBuild, type Person } from './helpers/editors';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
let base: string;
let browser: Browser;
const outside: string[][] = [];
const sessions = new Map<string, Page>();
let anna: Person;
let bruno: Person;
let rita: Person;

beforeAll(async () => {
  ensureAdminBuild();
  kb = await startKnowledgeBase();
  [anna, bruno, rita] = [
    await adminUser(kb, 'strapi-editor', 'Anna'),
    await adminUser(kb, 'strapi-editor', 'Bruno'),
    await adminUser(kb, 'reviewer', 'Rita'),
  ];
  const server = kb.strapi.server.httpServer.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 600000);

afterAll(async () => {
  await browser?.close();
  if (!kb) return;
  await new Promise((resolve) => kb.strapi.server.httpServer.close(resolve));
  await kb.stop();
});

const shot = (page: Page, name: string) => screenshot(page, `editors-${name}`);

/** A person's own browser window, logged in, with the admin in their language. */
async function session(person: Person, language: 'it' | 'en'): Promise<Page> {
  if (sessions.has(person.email)) return sessions.get(person.email)!;
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  outside.push(watchOutsideRequests(page));
  await page.goto(`${base}/admin`);
  // The language menu of the login page, as a person picks it.
  await page.getByRole('combobox').click();
  await page.getByRole('option', { name: language === 'it' ? 'Italiano' : 'English' }).click();
  if (language === 'it' && person === anna) await shot(page, '01-login');
  await page.locator('input[name="email"]').fill(person.email);
  await page.locator('input[name="password"]').fill(person.password);
  await page.getByRole('button', { name: language === 'it' ? 'Accedi' : 'Login' }).click();
  await page.getByRole('heading', { name: new RegExp(`${language === 'it' ? 'Ciao' : 'Hello'} ${person.firstname}`) }).waitFor();
  sessions.set(person.email, page);
  return page;
}

const practiceUrl = (documentId: string, locale: string) =>
  `${base}/admin/content-manager/collection-types/${GP}/${documentId}?plugins[i18n][locale]=${locale}`;
const message = (page: Page, text: RegExp) => page.getByText(text).first();

/** Clicks a button that writes (Salva, Pubblica...) and returns the server's answer. */
async function write(page: Page, button: string) {
  // Earlier messages are closed first, so that each screenshot shows the one it is about.
  for (const close of await page.locator('[data-sonner-toast] button').all()) await close.click().catch(() => undefined);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/content-manager/collection-types/') && r.request().method() !== 'GET'),
    page.getByRole('button', { name: button, exact: true }).click(),
  ]);
  return response;
}
const drafts = () =>
  kb.strapi.db.query(GP).findMany({ where: { slug: 'sportello-di-mediazione-nei-comuni', publishedAt: null }, orderBy: { locale: 'asc' } });
let documentId: string;

test('an editor logs in in Italian and finds the good practices with title, curation, languages and status', async () => {
  const page = await session(anna, 'it');
  await page.getByRole('link', { name: 'Content Manager' }).click();
  await page.getByRole('link', { name: 'Buona pratica' }).click();
  await page.getByRole('row').filter({ hasText: 'Rete di governance pubblico/privata' }).filter({ hasText: 'Dalla fonte' }).waitFor();
  // Columns come in as the list loads (languages and status last): wait for all of them.
  const columns = () =>
    page
      .locator('thead th')
      .allInnerTexts()
      .then((names) => names.map((h) => h.trim().toLowerCase()).filter(Boolean));
  const expected = ['titolo', 'stato della revisione', 'lingue', 'stato'];
  for (let i = 0; i < 50 && JSON.stringify(await columns()) !== JSON.stringify(expected); i += 1) await page.waitForTimeout(100);
  expect(await columns()).toEqual(expected);
  await shot(page, '02-list');
});

test('saving with a required field empty shows which fields to fill, and nothing is saved', async () => {
  const page = await session(anna, 'it');
  const before = await kb.strapi.db.query(GP).count();
  await page.getByRole('link', { name: 'Crea una nuova voce' }).first().click();
  await page.locator('input[name="title"]').waitFor();
  expect((await write(page, 'Salva')).status()).toBe(400);
  await message(page, /Non salvato: compila i campi obbligatori \(Titolo, Sintesi, Fonte › Titolo della fonte\)/).waitFor();
  await expect(page.getByText('Obbligatorio — Required').count()).resolves.toBe(3);
  await shot(page, '03-required-fields');
  expect(await kb.strapi.db.query(GP).count()).toBe(before);
});

test('the editor writes the practice in Italian, then its English version', async () => {
  const page = await session(anna, 'it');
  await page.locator('input[name="title"]').fill('Sportello di mediazione nei comuni');
  await page.getByRole('button', { name: 'rigenera' }).click();
  await page.waitForFunction(
    () => document.querySelector<HTMLInputElement>('input[name="slug"]')?.value === 'sportello-di-mediazione-nei-comuni',
  );
  await page
    .locator('textarea[name="summary"]')
    .fill('Uno sportello settimanale nei comuni, dove operatori e mediatori accompagnano le persone straniere ai servizi.');
  await page.locator('textarea[name="results"]').fill('120 persone accompagnate ai servizi nel 2023, secondo il registro dello sportello.');
  await page
    .locator('textarea[name="transferability"]')
    .fill('Serve un comune disposto a ospitarlo e un mediatore formato; il resto si adatta.');
  await page.locator('input[name="source.title"]').fill('Intervista alla coordinatrice del progetto');
  await page.locator('input[name="territories"]').click();
  // The city, not the province ("Provincia di Potenza"); an option's name also carries its publication state.
  await page.getByRole('option', { name: /^Potenza/ }).click();
  expect((await write(page, 'Salva')).status()).toBe(201);
  await message(page, /^Salvato$/).waitFor();
  await shot(page, '04-saved-in-italian');
  documentId = page.url().match(/good-practice\/(\w+)\?/)![1];

  // The English version: from the record's language menu, filled in from the Italian one (texts,
  // territory and source alike), then translated.
  await page.getByRole('combobox', { name: 'Locales' }).click();
  await page.getByRole('option', { name: /English \(en\)/ }).click();
  await page.waitForURL(/locale\]=en/);
  await page.getByRole('button', { name: "Riempi da un'altra lingua" }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.getByRole('combobox').click();
  await page.getByRole('option', { name: /Italian \(it\)/ }).click();
  await dialog.getByRole('button', { name: 'Sì, riempi' }).click();
  await page.waitForFunction(
    () => document.querySelector<HTMLInputElement>('input[name="title"]')?.value === 'Sportello di mediazione nei comuni',
  );
  await page.locator('input[name="title"]').fill('Mediation desk in the municipalities');
  await page
    .locator('textarea[name="summary"]')
    .fill('A weekly desk in the municipalities, where operators and mediators accompany foreign residents to public services.');
  await page.locator('textarea[name="results"]').fill('120 people accompanied to services in 2023, according to the desk register.');
  await page
    .locator('textarea[name="transferability"]')
    .fill('It needs a municipality willing to host it and a trained mediator; the rest can be adapted.');
  await page.locator('input[name="source.title"]').fill('Interview with the project coordinator');
  expect((await write(page, 'Salva')).status()).toBe(200);
  await message(page, /^Salvato$/).waitFor();
  await shot(page, '05-saved-in-english');

  // One record, two languages, one slug; waiting for review.
  expect((await drafts()).map((row: any) => [row.locale, row.slug, row.curationStatus])).toEqual([
    ['en', 'sportello-di-mediazione-nei-comuni', 'submitted'],
    ['it', 'sportello-di-mediazione-nei-comuni', 'submitted'],
  ]);
});

test('the editor cannot publish it nor validate it', async () => {
  const page = await session(anna, 'it');
  await page.goto(practiceUrl(documentId, 'it'));
  await page.locator('input[name="title"]').waitFor();
  await expect(page.getByRole('button', { name: 'Pubblica' }).isDisabled()).resolves.toBe(true);
  expect(await page.getByRole('combobox', { name: /^Stato della revisione/ }).getAttribute('aria-disabled')).toBe('true');
  await shot(page, '06-editor-cannot-publish');
});

test('a reviewer: publishing before validation is refused with a message; after review, both languages are published', async () => {
  const page = await session(rita, 'it');
  await page.goto(practiceUrl(documentId, 'it'));
  await page.locator('input[name="title"]').waitFor();
  expect((await write(page, 'Pubblica')).status()).toBe(400);
  await message(page, /non si può ancora pubblicare: la revisione non è conclusa/).waitFor();
  await shot(page, '07-publish-refused');

  const curation = page.getByRole('combobox', { name: /^Stato della revisione/ });
  for (const [step, note] of [
    ['In revisione', 'Presa in carico: verifico i numeri con il registro.'],
    ['Validata', 'Numeri verificati sul registro dello sportello.'],
  ]) {
    await curation.click();
    await page.getByRole('option', { name: step }).click();
    await page.locator('textarea[name="reviewerNote"]').fill(note);
    expect((await write(page, 'Salva')).status()).toBe(200);
  }
  await curation.scrollIntoViewIfNeeded();
  await shot(page, '08-validated');
  expect((await write(page, 'Pubblica')).status()).toBe(200);

  await page.goto(practiceUrl(documentId, 'en'));
  await page.locator('input[name="title"]').waitFor();
  expect((await write(page, 'Pubblica')).status()).toBe(200);
  await message(page, /^Pubblicato$/).waitFor();
  await shot(page, '09-published');
});

test('anonymous GraphQL returns it in both languages, without the review', async () => {
  const query = `query($locale: I18NLocaleCode) { goodPractices(filters: { slug: { eq: "sportello-di-mediazione-nei-comuni" } }, locale: $locale) { title territories { name } } }`;
  const it = await kb.graphql(query, { locale: 'it' });
  const en = await kb.graphql(query, { locale: 'en' });
  expect(it.body.data.goodPractices).toEqual([{ title: 'Sportello di mediazione nei comuni', territories: [{ name: 'Potenza' }] }]);
  expect(en.body.data.goodPractices).toEqual([{ title: 'Mediation desk in the municipalities', territories: [{ name: 'Potenza' }] }]);
  expect(JSON.stringify([it.body, en.body])).not.toMatch(/Numeri verificati|validated/);
});

test('the preview opens the record as a partner site gets it', async () => {
  const page = await session(rita, 'it');
  await page.goto(practiceUrl(documentId, 'it'));
  await page
    .getByRole('link', { name: "Apri l'anteprima" })
    .or(page.getByRole('button', { name: "Apri l'anteprima" }))
    .first()
    .click();
  const preview = page.frameLocator('iframe').first();
  await preview.getByText('"title": "Sportello di mediazione nei comuni"').waitFor();
  await expect(preview.locator('body').innerText()).resolves.not.toMatch(/reviewerNote|curationStatus/);
  await shot(page, '10-preview');
});

test('two editors change the same field: the second is told who saved, sees both versions, and combines them', async () => {
  const [annaPage, brunoPage] = [await session(anna, 'it'), await session(bruno, 'en')];
  for (const page of [annaPage, brunoPage]) {
    await page.goto(practiceUrl(documentId, 'it'));
    await page.locator('textarea[name="summary"]').waitFor();
  }
  const annas = 'Uno sportello settimanale in quattro comuni della provincia di Potenza.';
  await annaPage.locator('textarea[name="summary"]').fill(annas);
  expect((await write(annaPage, 'Salva')).status()).toBe(200);

  const brunos = 'Uno sportello settimanale nei comuni, aperto anche il sabato.';
  await brunoPage.locator('textarea[name="summary"]').fill(brunos);
  expect((await write(brunoPage, 'Save')).status()).toBe(400);
  await message(brunoPage, /Not saved: Anna Test saved this record .* after you opened it and also changed Summary/).waitFor();
  // Strapi reloads the record after a refused save: Bruno now sees Anna's text, his own just under it.
  await brunoPage.getByText(`your version, not saved: «${brunos}»`).waitFor();
  await brunoPage.waitForFunction((text) => document.querySelector<HTMLTextAreaElement>('textarea[name="summary"]')?.value === text, annas);
  await shot(brunoPage, '11-edit-conflict');
  expect((await drafts()).find((row: any) => row.locale === 'it').summary).toBe(annas);

  const combined = 'Uno sportello settimanale in quattro comuni della provincia di Potenza, aperto anche il sabato.';
  await brunoPage.locator('textarea[name="summary"]').fill(combined);
  expect((await write(brunoPage, 'Save')).status()).toBe(200);
  expect((await drafts()).find((row: any) => row.locale === 'it').summary).toBe(combined);
});

test('in English, the admin shows the field guide in English', async () => {
  const page = await session(bruno, 'en');
  await page.goto(practiceUrl(documentId, 'it'));
  await page.getByText('Transferability', { exact: true }).waitFor();
  await page.getByText(/^Whether and how the practice can be taken up elsewhere/).waitFor();
  await page.getByText('Transferability', { exact: true }).scrollIntoViewIfNeeded();
  await shot(page, '12-english');
  expect(outside.flat()).toEqual([]);
});
