/**
 * The admin as editors meet it, in Debian's chromium on a 1366×768 laptop screen: Italian from the
 * first visit (English a choice away), the project's name and logo, no guided tour, banner,
 * marketplace or link out of the server, names instead of codes, list views that fit the screen,
 * and only the types and roles the knowledge base uses. Screenshots: tests/.artifacts/screenshots
 * (admin-*.png).
 */
import fs from 'fs';
import path from 'path';
import type { Browser, Page } from 'playwright-core';
import { FIELD_GUIDE } from '../src/content/labels/core';
import { launchBrowser, screenshot, watchOutsideRequests } from './helpers/browser';
import { GP, PASSWORD, ensureAdminBuild } from './helpers/editors';
import { closeServer, listen } from './helpers/front-end';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
let base: string;
let browser: Browser;
let page: Page;
const outside: string[][] = [];
const LAPTOP = { width: 1366, height: 768 };

beforeAll(async () => {
  ensureAdminBuild();
  kb = await startKnowledgeBase();
  base = await listen(kb);
  browser = await launchBrowser();
  page = await newWindow();
}, 600000);

afterAll(async () => {
  await browser?.close();
  if (!kb) return;
  await closeServer(kb.strapi.server.httpServer);
  await kb.stop();
});

/** A fresh browser window: nothing stored from an earlier visit. */
async function newWindow(): Promise<Page> {
  const window = await (await browser.newContext({ viewport: LAPTOP })).newPage();
  outside.push(watchOutsideRequests(window));
  return window;
}

const shot = (name: string, on = page) => screenshot(on, `admin-${name}`);
const listUrl = (uid: string) => `${base}/admin/content-manager/collection-types/${uid}?page=1&pageSize=10&plugins[i18n][locale]=it`;
/** Every code of every coded field, as the field guide lists them. */
const codes = Object.values(FIELD_GUIDE.models).flatMap(({ fields = {} }) =>
  Object.values(fields).flatMap((f) => Object.keys(f.values ?? {})),
);

/** The list view's cells, once its rows are in (none for a type with no records). */
async function cells(): Promise<string[]> {
  const count = page.getByText(/^(Nessuna voce|\d+ voc[ei])$/);
  await count.waitFor();
  if ((await count.innerText()) === 'Nessuna voce') return [];
  await page.locator('tbody tr').first().waitFor();
  return (await page.locator('tbody td').allInnerTexts()).map((text) => text.trim());
}

test('a first visit opens the Italian registration page, with the project name and logo', async () => {
  await page.goto(`${base}/admin`);
  await page.getByRole('heading', { name: 'Benvenuti in Com.In.4.0' }).waitFor();
  expect(page.url()).toMatch(/\/admin\/auth\/register-admin/);
  expect(await page.locator('html').getAttribute('lang')).toBe('it');
  await expect(page.getByRole('button', { name: 'Inizia adesso' }).isVisible()).resolves.toBe(true);
  // The logo is the project's own drawing (src/admin/extensions/logo.svg), built into the admin.
  const logo = fs.readFileSync(path.join(__dirname, '../src/admin/extensions/logo.svg')).toString('base64');
  await expect(page.locator(`img[src="data:image/svg+xml;base64,${logo}"]`).count()).resolves.toBe(1);
  await shot('01-registration');

  await page.locator('input[name="firstname"]').fill('Maria');
  await page.locator('input[name="lastname"]').fill('Rossi');
  await page.locator('input[name="email"]').fill('maria.rossi@example.org');
  await page.locator('input[name="password"]').fill(PASSWORD);
  await page.locator('input[name="confirmPassword"]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Inizia adesso' }).click();
  await page.getByRole('heading', { name: /Ciao Maria/ }).waitFor();
});

test('after login: no guided tour, no banner, no marketplace, no link out of the server', async () => {
  // The guided tour has no switch but the state it keeps in the browser: skipped from the start.
  expect(await page.evaluate(() => JSON.parse(localStorage.getItem('STRAPI_GUIDED_TOUR') ?? '{}').enabled)).toBe(false);
  await page.getByRole('link', { name: 'Content Manager' }).waitFor();
  await expect(page.getByText(/Media Library|Guided tour|Tour guidato/i).count()).resolves.toBe(0);
  await expect(page.getByRole('link', { name: /Marketplace/ }).count()).resolves.toBe(0);
  await shot('02-home');
  // The super admin holds every permission Strapi knows, except the marketplace's.
  await page.goto(`${base}/admin/marketplace`);
  await page.getByText('Pagina non trovata').first().waitFor();
  for (const path of ['/admin', `/admin/content-manager/collection-types/${GP}`, '/admin/settings/roles']) {
    await page.goto(`${base}${path}`);
    await page.getByRole('link', { name: 'Content Manager' }).waitFor();
    await page.locator('main h1').first().waitFor();
    const links = await page.locator('a[href]').evaluateAll((anchors) => anchors.map((a) => (a as HTMLAnchorElement).href));
    expect(links.filter((href) => !href.startsWith(base) && !href.startsWith('mailto:'))).toEqual([]);
  }
});

test('the Content Manager lists our types only, with names instead of codes, fitting a laptop screen', async () => {
  await page.goto(`${base}/admin/content-manager`);
  const types = page.getByRole('navigation').filter({ hasText: 'Buona pratica' });
  await types.waitFor();
  const names = await types.getByRole('link').allInnerTexts();
  expect(names).toEqual(expect.arrayContaining(['Buona pratica', 'Evento', 'Persona', 'Territorio']));
  expect(names).not.toContain('User');

  await page.goto(listUrl(GP));
  await page
    .getByRole('row')
    .filter({ hasText: 'Rete di governance pubblico/privata' })
    .filter({ hasText: 'Dalla fonte' })
    .filter({ hasText: 'italiano, inglese' })
    .waitFor();
  expect((await cells()).filter((text) => codes.includes(text))).toEqual([]);
  await shot('03-good-practices');

  // Every list view fits 1366 pixels: no horizontal scrolling, in the page or in the table.
  for (const uid of Object.keys(FIELD_GUIDE.models).filter((model) => model.startsWith('api::'))) {
    await page.goto(listUrl(uid));
    const shown = await cells();
    if (!shown.length) continue;
    expect(shown.filter((text) => codes.includes(text))).toEqual([]);
    // Nor does any cell's text run over its neighbours (Strapi's check boxes stick out a little, by design).
    const overflow = await page.evaluate(() =>
      [document.scrollingElement!, document.querySelector('table')!.parentElement!, ...document.querySelectorAll('td')]
        .filter((box) => box.scrollWidth > box.clientWidth && (box.tagName !== 'TD' || (box as HTMLElement).innerText.trim()))
        .map((box) => `${box.tagName} ${(box as HTMLElement).innerText.slice(0, 40)}: ${box.scrollWidth} > ${box.clientWidth}`),
    );
    expect([uid, overflow]).toEqual([uid, []]);
  }
  await shot('04-territories');
});

test('a coded field offers its values by name in the edit view', async () => {
  await page.goto(listUrl(GP));
  await page.getByRole('row').filter({ hasText: 'Rete di governance pubblico/privata' }).getByRole('link').first().click();
  const status = page.getByRole('combobox', { name: /^Stato di attuazione/ });
  await status.click();
  const options = await page.getByRole('option').allInnerTexts();
  expect(options.map((o) => o.trim())).toEqual(['Seleziona', 'Prevista', 'In corso', 'Conclusa']);
  await shot('05-drop-down');
  await page.keyboard.press('Escape');
});

test('roles: Super Admin and the two editorial roles, no Author', async () => {
  await page.goto(`${base}/admin/settings/roles`);
  await page.getByRole('row').filter({ hasText: 'Reviewer' }).waitFor();
  const roles = (await page.locator('tbody tr td:nth-child(1)').allInnerTexts()).map((name) => name.trim());
  expect(roles.sort()).toEqual(['Editor', 'Reviewer', 'Super Admin']);
  await shot('06-roles');
  expect(await kb.strapi.db.query('admin::role').count({ where: { code: 'strapi-author' } })).toBe(0);
});

test('English is a choice away, on the login page', async () => {
  const english = await newWindow();
  await english.goto(`${base}/admin`);
  await english.getByRole('heading', { name: 'Benvenuti in Com.In.4.0' }).waitFor();
  await english.getByRole('combobox').click();
  await english.getByRole('option', { name: 'English' }).click();
  await english.getByRole('heading', { name: 'Welcome to Com.In.4.0' }).waitFor();
  await english.locator('input[name="email"]').fill('maria.rossi@example.org');
  await english.locator('input[name="password"]').fill(PASSWORD);
  await english.getByRole('button', { name: 'Login' }).click();
  await english.getByRole('heading', { name: /Hello Maria/ }).waitFor();
  await english.goto(listUrl(GP));
  await english
    .getByRole('row')
    .filter({ hasText: 'Rete di governance pubblico/privata' })
    .filter({ hasText: 'From source' })
    .filter({ hasText: 'Italian, English' })
    .waitFor();
  await shot('07-english', english);
  expect(outside.flat()).toEqual([]);
});
