/**
 * The static snapshot as a reader gets it: written from a booted knowledge base, then opened
 * from disk (file://) in Debian's chromium with no server running for it. Search, links in both
 * languages, the JSON-LD of a record page, no request leaving the machine, no broken link, and
 * nothing private in any file.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { pathToFileURL } from 'url';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, watchOutsideRequests } from './helpers/browser';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { writeSnapshot } from '../src/publishing/snapshot';

const PUBLIC_URL = 'https://kb.example.org';
const GP = 'api::good-practice.good-practice';

let kb: KnowledgeBase;
let browser: Browser;
let page: Page;
let outside: string[];
let dir: string;
const lines: string[] = [];

beforeAll(async () => {
  kb = await startKnowledgeBase({ env: { PUBLIC_URL } });
  await kb.strapi.documents(GP).create({
    locale: 'it',
    data: {
      title: 'Bozza mai pubblicata',
      slug: 'bozza-mai-pubblicata',
      summary: 'Bozza.',
      implementationStatus: 'planned',
      source: { title: 'Test' },
    } as any,
  });
  const forum = await kb.strapi
    .documents(GP)
    .findFirst({ status: 'published', locale: 'it', filters: { slug: 'forum-regionale-sui-fenomeni-migratori' } });
  await kb.strapi
    .documents(GP)
    .update({ documentId: forum!.documentId, locale: 'it', status: 'published', data: { reviewerNote: 'NOTA-RISERVATA' } as any });
  await kb.strapi.documents('api::person.person').create({
    locale: 'it',
    data: { fullName: 'Persona Riservata', slug: 'persona-riservata', consentToPublish: false, source: { title: 'Test' } } as any,
  });
  dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kb-snapshot-')), 'site');
  await writeSnapshot(kb.strapi, dir, { log: (line) => lines.push(line) });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1024, height: 800 } })).newPage();
  outside = watchOutsideRequests(page);
}, 300000);

afterAll(async () => {
  await browser?.close();
  await kb?.stop();
  if (dir) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

const open = (relative: string) => page.goto(pathToFileURL(path.join(dir, relative)).href);
const files = (sub = '') =>
  fs
    .readdirSync(path.join(dir, sub), { withFileTypes: true })
    .flatMap((entry): string[] => (entry.isDirectory() ? files(path.join(sub, entry.name)) : [path.join(sub, entry.name)]));

test('the command reports its progress and writes pages, search index, licence page and open data', () => {
  expect(lines).toContain('[snapshot] good-practice (it): 4 pages');
  expect(lines).toContain('[snapshot] good-practice (en): 4 pages');
  const all = files();
  for (const expected of [
    'index.html',
    'it/index.html',
    'en/licence/index.html',
    'it/funding/index.html',
    'site/site.css',
    'assets/search-index.js',
    'open-data/catalog.jsonld',
    'open-data/good-practices.csv',
    'open-data/knowledge-base.jsonld',
  ]) {
    expect(all).toContain(expected);
  }
  // The server's pages, at the same paths: /it/good-practice/<slug> is it/good-practice/<slug>/index.html.
  expect(all).toContain('it/good-practice/forum-regionale-sui-fenomeni-migratori/index.html');
  expect(all).toContain('en/good-practice/forum-regionale-sui-fenomeni-migratori/index.html');
  expect(all.filter((f) => f.endsWith('.partial'))).toEqual([]);
});

test('every link is relative and leads to a file of the snapshot; nothing is loaded from elsewhere', () => {
  for (const file of files().filter((f) => f.endsWith('.html'))) {
    // The canonical address and the languages' addresses name the pages on the knowledge base's server.
    const html = fs.readFileSync(path.join(dir, file), 'utf8').replace(/<link rel="(canonical|alternate)" [^>]*>/g, '');
    for (const [, attribute, target] of html.matchAll(/\s(href|src)="([^"#]+)"/g)) {
      if (attribute === 'href' && /^https:\/\/(creativecommons\.org|www\.agid\.gov\.it)\//.test(target)) continue;
      expect([file, target]).toEqual([file, expect.not.stringMatching(/^[a-z]+:|^\//)]);
      expect([file, fs.existsSync(path.resolve(path.dirname(path.join(dir, file)), decodeURIComponent(target)))]).toEqual([file, true]);
    }
  }
});

test('drafts, private fields and people without consent are in no file', () => {
  const text = files()
    .map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  expect(text).toContain('Forum regionale sui fenomeni migratori');
  for (const secret of [
    'bozza-mai-pubblicata',
    'NOTA-RISERVATA',
    'Persona Riservata',
    'persona-riservata',
    'consentToPublish',
    'reviewerNote',
  ])
    expect(text).not.toContain(secret);
});

test('opened from disk: search in Italian, a record page with its JSON-LD, then English', async () => {
  await open('index.html');
  await page.getByRole('link', { name: 'Italiano' }).click();
  await page.getByLabel('Cerca nella base di conoscenza').fill('forum migratori');
  // The practice, the thematic table and the theme of the regional forum: three records.
  await page.getByRole('status').filter({ hasText: '3 risultati' }).waitFor();
  await screenshot(page, 'snapshot-01-search');
  await page
    .locator('#search-results li')
    .filter({ hasText: 'Buona pratica' })
    .getByRole('link', { name: 'Forum regionale sui fenomeni migratori' })
    .click();
  await page.getByRole('heading', { level: 1, name: 'Forum regionale sui fenomeni migratori' }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe('it');
  const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!);
  expect(jsonLd).toMatchObject({
    '@context': 'https://schema.org',
    '@type': 'CreativeWork',
    name: 'Forum regionale sui fenomeni migratori',
    inLanguage: 'it',
    license: 'https://creativecommons.org/licenses/by/4.0/',
  });
  expect(await page.locator('.licence').textContent()).toBe('Licenza: CC-BY-4.0');
  await screenshot(page, 'snapshot-02-record-it');

  await page.getByRole('link', { name: 'English' }).click();
  await page.locator('html[lang="en"]').waitFor();
  const english = await kb.data(
    `{ goodPractices(locale: "en", filters: { slug: { eq: "forum-regionale-sui-fenomeni-migratori" } }) { title themes { name } } }`,
  );
  const [practice] = english.goodPractices;
  expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(practice.title);

  // A theme of the practice: its page lists the good practices on it.
  const theme = practice.themes[0].name;
  await page.getByRole('link', { name: theme, exact: true }).first().click();
  await page.getByRole('heading', { level: 1, name: theme }).waitFor();
  const practices = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Good practices' }) });
  expect(await practices.getByRole('link', { name: practice.title }).count()).toBe(1);
  await screenshot(page, 'snapshot-03-theme-en');

  // English search, then the list of every good practice.
  await page.getByRole('link', { name: 'Com.In.4.0 knowledge base' }).first().click();
  await page.getByLabel('Search the knowledge base').fill('Forum');
  await page.locator('#search-results li').filter({ hasText: '– Good practice' }).getByRole('link', { name: practice.title }).waitFor();
  await page.getByRole('link', { name: /^Good practices \(4\)$/ }).click();
  expect(await page.locator('main li a').count()).toBe(4);
  // The project page, from the header, and the EU funding statement from the footer.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Com.In.4.0' }).click();
  await page.getByRole('heading', { level: 2, name: 'The project in figures' }).waitFor();
  await page.getByRole('navigation', { name: 'About this site' }).getByRole('link', { name: 'EU funding' }).click();
  await page.getByText('Project co-funded by the European Union', { exact: false }).first().waitFor();
  expect(outside).toEqual([]);
});

test('the entrance searches both languages, and a search for nothing says so', async () => {
  await open('index.html');
  await page.getByRole('searchbox').fill('Potenza');
  await page.locator('#search-results li').first().waitFor();
  const found = await page.locator('#search-results li').evaluateAll((items) => items.map((li) => li.getAttribute('lang')));
  expect(new Set(found)).toEqual(new Set(['it', 'en']));
  await page.getByRole('searchbox').fill('parolachenonesiste');
  await page.getByRole('status').filter({ hasText: '0 risultati' }).waitFor();
  expect(outside).toEqual([]);
});

test('the licence page says what CC-BY-4.0 and CC0 allow, in both languages', async () => {
  await open('en/licence/index.html');
  await page.getByRole('heading', { level: 2, name: "CC-BY-4.0 – the project's content" }).waitFor();
  await page.getByRole('heading', { level: 2, name: 'CC0-1.0 – synthetic data' }).waitFor();
  await page.getByRole('link', { name: 'Italiano' }).click();
  await page.getByRole('heading', { level: 1, name: 'Licenza e riuso' }).waitFor();
  expect(await page.locator('strong', { hasText: 'citare la fonte' }).count()).toBe(1);
});
