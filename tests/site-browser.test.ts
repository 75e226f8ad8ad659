/**
 * The public pages in Debian's chromium: a record page read with JavaScript off (links followed
 * to other records), the project page, a statement and a record page checked with axe-core, and
 * a phone's screen (390 px) that shows the record's title and summary without scrolling. The
 * record page's weight (HTML + CSS) is measured, not asserted, into
 * tests/.artifacts/site-figures.json; screenshots go to tests/.artifacts/screenshots (site-*.png).
 */
import fs from 'fs';
import path from 'path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser, screenshot, watchOutsideRequests } from './helpers/browser';
import { listen, seriousAccessibilityProblems } from './helpers/front-end';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const FORUM = 'forum-regionale-sui-fenomeni-migratori';

let kb: KnowledgeBase;
let browser: Browser;
let base: string;
const outside: string[][] = [];

beforeAll(async () => {
  kb = await startKnowledgeBase({ env: { PUBLIC_URL: 'https://kb.example.org' } });
  base = await listen(kb);
  browser = await launchBrowser();
}, 300000);

afterAll(async () => {
  await browser?.close();
  await kb?.stop();
  for (const list of outside) expect(list).toEqual([]);
});

async function open(address: string, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  outside.push(watchOutsideRequests(page));
  await page.goto(`${base}${address}`);
  return page;
}

test('a record page with JavaScript off: readable, with links to the records it names', async () => {
  const page = await open(`/it/good-practice/${FORUM}`, { javaScriptEnabled: false });
  await page.getByRole('heading', { level: 1, name: 'Forum regionale sui fenomeni migratori' }).waitFor();
  expect(await page.locator('.summary').textContent()).toMatch(/^Un forum regionale per fare rete/);
  expect(JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!)).toMatchObject({ inLanguage: 'it' });
  await screenshot(page, 'site-01-record-no-js');
  // Its theme, then the project from the header, then the English version.
  await page
    .locator('section', { has: page.getByRole('heading', { name: 'Temi' }) })
    .getByRole('link')
    .first()
    .click();
  expect(await page.locator('.kind').textContent()).toBe('Tema');
  await page.getByRole('navigation', { name: 'Navigazione principale' }).getByRole('link', { name: 'Com.In.4.0' }).click();
  await page.getByRole('heading', { level: 2, name: 'I numeri del progetto' }).waitFor();
  await page.getByRole('link', { name: 'English' }).click();
  await page.getByRole('heading', { level: 2, name: 'The project in figures' }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('en');
  await screenshot(page, 'site-02-project-en');
});

test('no serious or critical accessibility problems (axe-core): project page, statements, record pages', async () => {
  const problems: Record<string, unknown> = {};
  // axe-core is injected as a script: the pages' Content-Security-Policy is lifted for that alone.
  const page = await open('/it/project/com-in-4-0', { bypassCSP: true });
  for (const address of [
    '/it/project/com-in-4-0',
    '/en/accessibility',
    '/it/funding',
    '/en/event/final-workshop-potenza',
    `/it/good-practice/${FORUM}`,
  ]) {
    await page.goto(`${base}${address}`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const found = await seriousAccessibilityProblems(page);
    if (found.length) problems[address] = found;
  }
  await screenshot(page, 'site-03-record-en');
  expect(problems).toEqual({});
});

test('on a phone (390 px) the title and summary are on the first screen, and nothing scrolls sideways', async () => {
  const page = await open('/en/event/final-workshop-potenza', { viewport: { width: 390, height: 844 }, isMobile: true });
  const screen = 844;
  for (const locator of [page.getByRole('heading', { level: 1 }), page.locator('.summary')]) {
    const box = (await locator.boundingBox())!;
    expect(box.y).toBeLessThan(screen);
  }
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  fs.mkdirSync(path.resolve(__dirname, '.artifacts/screenshots'), { recursive: true });
  await page.screenshot({ path: path.resolve(__dirname, '.artifacts/screenshots/site-04-phone.png') });
  const statement = await open('/it/accessibility', { viewport: { width: 390, height: 844 }, isMobile: true });
  expect(await statement.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await statement.screenshot({ path: path.resolve(__dirname, '.artifacts/screenshots/site-05-phone-statement.png') });
});

test('the sitemap is read by the browser as XML with every language', async () => {
  const page = await open('/sitemap.xml');
  const locs = await page.evaluate(() => [...document.getElementsByTagName('loc')].map((l) => l.textContent));
  expect(locs).toEqual(
    expect.arrayContaining([`https://kb.example.org/it/good-practice/${FORUM}`, `https://kb.example.org/en/good-practice/${FORUM}`]),
  );
  // The page weight of a record page: its HTML and its style sheets (with the imported tokens), as sent (not compressed).
  const html = await (await fetch(`${base}/en/good-practice/${FORUM}`)).text();
  const sheet = await fetch(`${base}/site/site.css`);
  expect([sheet.status, sheet.headers.get('content-type')]).toEqual([200, expect.stringMatching(/^text\/css/)]);
  const css = (await sheet.text()) + (await (await fetch(`${base}/site/tokens.css`)).text());
  const figures = { recordPageHtmlBytes: Buffer.byteLength(html), styleSheetBytes: Buffer.byteLength(css) };
  fs.mkdirSync(path.resolve(__dirname, '.artifacts'), { recursive: true });
  fs.writeFileSync(path.resolve(__dirname, '.artifacts/site-figures.json'), JSON.stringify(figures, null, 1));
});
