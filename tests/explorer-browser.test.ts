/**
 * The partner front ends in a real browser (Debian's chromium): the explorer at `/` and the
 * embeddable widget on a partner page served from another origin, both using only the public
 * GraphQL API. Accessibility is checked with axe-core; no request may leave this machine.
 * Screenshots go to tests/.artifacts/screenshots (explorer-*.png), and also to EXPLORER_SHOTS
 * when set (a directory, for looking at the design); page weight and time to first
 * result are measured (not asserted) into tests/.artifacts/explorer-figures.json.
 */
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { launchBrowser, screenshot, watchOutsideRequests } from './helpers/browser';
import { closeServer, listen, partnerSite, seriousAccessibilityProblems } from './helpers/front-end';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { FIELD_GUIDE, fieldTexts } from '../src/content/labels/core';

let kb: KnowledgeBase;
let base: string;
let browser: Browser;
let partner: Awaited<ReturnType<typeof partnerSite>>;
const outside: string[][] = [];
const TRAININGS = 12;

const published = async (uid: string, slug: string) =>
  (await kb.strapi.documents(uid as any).findFirst({ status: 'published', filters: { slug } } as any))!.documentId;

/** The article details none of the training meetings: a dozen made up here, enough for two pages. */
async function addTrainings() {
  const relations = {
    territory: await published('api::territory.territory', 'potenza'),
    themes: [await published('api::theme.theme', 'formazione-e-competenze-dei-migranti')],
    organizers: [await published('api::organization.organization', 'consorzio-nova')],
  };
  for (let n = 1; n <= TRAININGS; n += 1) {
    const data = {
      ...relations,
      slug: `incontro-formativo-${n}`,
      startDate: `2021-${String(n).padStart(2, '0')}-15`,
      mode: 'in_person',
      venue: { name: 'Sala consiliare', city: 'Potenza' },
      license: 'CC-BY-4.0',
    };
    const { documentId } = await kb.strapi.documents('api::training.training').create({
      locale: 'it',
      status: 'published',
      data: {
        ...data,
        title: `Incontro formativo ${n} a Potenza`,
        description: 'Incontro per operatori pubblici.',
        source: { title: 'Registro di prova' },
      },
    } as any);
    await kb.strapi.documents('api::training.training').update({
      documentId,
      locale: 'en',
      status: 'published',
      data: {
        ...data,
        title: `Training meeting ${n} in Potenza`,
        description: 'A meeting for public operators.',
        source: { title: 'Test register' },
      },
    } as any);
    // Published here within milliseconds of each other: each gets a day of its own (before any
    // read is cached), so that "latest first" is an order, not a race.
    await kb.strapi.db.query('api::training.training').updateMany({
      where: { documentId, publishedAt: { $notNull: true } },
      data: { publishedAt: new Date(`${data.startDate}T12:00:00Z`) },
    });
  }
}

// The seed has no trainings: the first tests see the explorer without them, then they are added (once).
let trainingsAdded: Promise<void> | undefined;
const withTrainings = () => (trainingsAdded ??= addTrainings());

beforeAll(async () => {
  kb = await startKnowledgeBase();
  base = await listen(kb);
  browser = await launchBrowser();
}, 300000);

afterAll(async () => {
  await browser?.close();
  if (partner) await closeServer(partner.server);
  if (!kb) return;
  await closeServer(kb.strapi.server.httpServer);
  await kb.stop();
});

interface Opened {
  page: Page;
  /** Errors the page reported (scripts, CSP refusals, failed loads). */
  errors: string[];
}

/** A fresh browser window at `url`; `bypassCSP` only where axe-core has to be injected. */
async function open(url: string, options: BrowserContextOptions = {}): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  outside.push(watchOutsideRequests(page));
  const errors: string[] = [];
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url);
  return { page, errors };
}

const h1 = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name, exact: true });
const resultTitles = (page: Page) => page.locator('#content .result :is(h2, h3)').allInnerTexts();
const jsonLd = async (page: Page) => JSON.parse((await page.locator('head script[type="application/ld+json"]').textContent())!);
const shot = async (page: Page, name: string, { fullPage = true } = {}) => {
  await screenshot(page, `explorer-${name}`);
  if (process.env.EXPLORER_SHOTS) {
    fs.mkdirSync(process.env.EXPLORER_SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(process.env.EXPLORER_SHOTS, `${name}.png`), fullPage });
  }
};
/** Where a link leads, as a path: the record pages are `/{locale}/{type}/{slug}`. */
const pathOf = async (link: ReturnType<Page['getByRole']>) => new URL((await link.getAttribute('href'))!, base).pathname;
const hashOf = (page: Page) => decodeURIComponent(new URL(page.url()).hash);

describe('before any training is published', () => {
  test('a type with no records says why; an empty search keeps the "fewer words" hint', async () => {
    const { page, errors } = await open(`${base}/?lang=en#/?type=trainings`);
    await h1(page, '0 records').waitFor();
    await page.getByText('No trainings have been published yet.').waitFor();
    expect(await page.getByText('Try fewer words').count()).toBe(0);
    // With a filter, the filter is the reason.
    await page.getByLabel('Theme').selectOption({ label: 'Governance of services' });
    await page.getByText('No records match these filters. Try removing one.').waitFor();
    // The home page names what is not published yet.
    await page.goto(`${base}/?lang=en#/`);
    await page.getByText('Not published yet: Trainings.').waitFor();
    await page.goto(`${base}/?lang=en#/?q=zanzibar`);
    await h1(page, '0 results for “zanzibar”').waitFor();
    await page.getByText('No results. Try fewer words or fewer filters.').waitFor();
    expect(errors).toEqual([]);
  });
});

describe('the explorer', () => {
  beforeAll(withTrainings, 300000);
  test('is what / serves, to anyone, beside widget.js', async () => {
    const home = await kb.http().get('/');
    expect(home.status).toBe(200);
    expect(home.headers['content-type']).toMatch(/^text\/html/);
    expect(home.text).toContain('<script type="module" src="/explorer/app.js"></script>');
    expect((await kb.http().head('/')).status).toBe(200);
    const widget = await kb.http().get('/widget.js');
    expect(widget.status).toBe(200);
    expect(widget.headers['content-type']).toMatch(/javascript/);
  });

  test('Italian: results follow typing, filters narrow them, and the address can be shared', async () => {
    const { page, errors } = await open(`${base}/?lang=it`);
    await h1(page, 'Esplora la banca dati').waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('it');
    await page.getByRole('searchbox', { name: 'Cerca nella banca dati' }).pressSequentially('rete', { delay: 40 });
    await h1(page, '8 risultati per «rete»').waitFor();
    expect(await resultTitles(page)).toContain('Rete di governance pubblico/privata');
    // Screen readers hear the count: the status region says what the heading says.
    expect(await page.getByRole('status').textContent()).toBe('8 risultati per «rete»');

    await page.getByLabel('Tipo').selectOption({ label: 'Buone pratiche' });
    await h1(page, '2 risultati per «rete»').waitFor();
    expect((await resultTitles(page)).sort()).toEqual(['Forum regionale sui fenomeni migratori', 'Rete di governance pubblico/privata']);
    expect(await page.locator('#content .result .meta').allInnerTexts()).toEqual(['Buona pratica', 'Buona pratica']);
    // Matching words are marked in the snippets.
    expect(await page.locator('#content .result mark').count()).toBeGreaterThan(0);

    await page.getByLabel('Tema').selectOption({ label: 'Governance dei servizi' });
    await h1(page, '1 risultato per «rete»').waitFor();
    expect(await resultTitles(page)).toEqual(['Rete di governance pubblico/privata']);
    expect(new URL(page.url()).search).toBe('?lang=it');
    expect(hashOf(page)).toBe('#/?q=rete&type=good-practices&theme=governance-dei-servizi');
    await shot(page, 'it-search');

    // The same address in another window shows the same results and the same choices.
    const shared = await open(page.url());
    await h1(shared.page, '1 risultato per «rete»').waitFor();
    expect(await shared.page.getByRole('searchbox', { name: 'Cerca nella banca dati' }).inputValue()).toBe('rete');
    expect(await shared.page.getByLabel('Tipo').inputValue()).toBe('good-practices');
    expect(await shared.page.getByLabel('Tema').inputValue()).toBe('governance-dei-servizi');
    // Back goes to the previous choice.
    await page.goBack();
    await h1(page, '2 risultati per «rete»').waitFor();
    expect([...errors, ...shared.errors]).toEqual([]);
  });

  test('a search with more matches than it counts says "more than"', async () => {
    kb.strapi.config.set('performance.searchExactTotalUpTo', 3);
    try {
      const { page, errors } = await open(`${base}/?lang=it#/?q=reti`);
      await h1(page, 'Più di 3 risultati per «reti»').waitFor();
      expect(await resultTitles(page)).toHaveLength(8);
      expect(errors).toEqual([]);
    } finally {
      kb.strapi.config.set('performance.searchExactTotalUpTo', 1000);
    }
  });

  test('English: territory (with what lies inside it) and theme filters, lists with pages, target groups only for practices', async () => {
    const { page, errors } = await open(`${base}/?lang=en#/?q=network`);
    await h1(page, '8 results for “network”').waitFor();
    // The Final Workshop took place in the city of Potenza, and its thematic tables with it.
    await page.getByLabel('Territory').selectOption({ label: 'Potenza' });
    await h1(page, '2 results for “network”').waitFor();
    // (Neither title matches: the engines may rank the two either way.)
    expect((await resultTitles(page)).sort()).toEqual(['Regional Final Workshop of the Com.In.4.0 project', 'Regional forum on migration']);
    // The workshop's year is inferred: search results state no date.
    expect((await page.locator('#content .result .meta').allInnerTexts()).sort()).toEqual(['Event', 'Thematic table']);
    await page.getByLabel('Target group').selectOption({ label: 'Public-service staff' });
    await h1(page, '0 results for “network”').waitFor();
    await page.getByText('No results. Try fewer words or fewer filters.').waitFor();

    // Without words: the published records of one type, ten to a page.
    await page.getByRole('button', { name: 'Clear' }).click();
    await h1(page, 'Explore the knowledge base').waitFor();
    await page.getByLabel('Type').selectOption({ label: 'Trainings' });
    await h1(page, `${TRAININGS} records`).waitFor();
    expect(await resultTitles(page)).toHaveLength(10);
    expect((await resultTitles(page))[0]).toBe('Training meeting 12 in Potenza');
    await page.getByRole('navigation', { name: 'Pages' }).getByText('Page 1 of 2').waitFor();
    await page.getByRole('link', { name: 'Next' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).getByText('Page 2 of 2').waitFor();
    expect(await resultTitles(page)).toEqual(['Training meeting 2 in Potenza', 'Training meeting 1 in Potenza']);
    expect(hashOf(page)).toBe('#/?type=trainings&page=2');
    await shot(page, 'en-trainings-page-2');

    // Basilicata takes in Potenza, where the trainings are.
    await page.getByLabel('Territory').selectOption({ label: 'Basilicata' });
    await h1(page, `${TRAININGS} records`).waitFor();
    await page.getByLabel('Target group').selectOption({ label: 'Public-service staff' });
    await h1(page, '0 records').waitFor();
    await page.getByText('Target groups apply to good practices only.').waitFor();

    await page.getByLabel('Type').selectOption({ label: 'Good practices' });
    await page.getByLabel('Target group').selectOption({ label: 'All' });
    await page.getByLabel('Theme').selectOption({ label: 'Governance of services' });
    await h1(page, '1 record').waitFor();
    expect(await resultTitles(page)).toEqual(['Public/private governance network']);
    expect(errors).toEqual([]);
  });

  test('a good practice: its page, its outcome chart, its JSON-LD in the head; the language switch keeps the record', async () => {
    const { page, errors } = await open(`${base}/?lang=en#/?q=network`);
    // A result links to the record's own page; the explorer's view of it stays at its old address.
    const result = page.getByRole('link', { name: 'Public/private governance network' });
    expect(await pathOf(result)).toBe('/en/good-practice/rete-di-governance-pubblico-privata');
    await page.evaluate(() => (location.hash = '#/good-practices/rete-di-governance-pubblico-privata'));
    await h1(page, 'Public/private governance network').waitFor();
    expect(hashOf(page)).toBe('#/good-practices/rete-di-governance-pubblico-privata');
    expect(await page.title()).toBe('Public/private governance network · Com.In.4.0 knowledge base');
    // After a navigation the page's heading has the focus, so a screen reader starts there.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    // Field labels are the admin's (data/admin/fields.json), in the page's language.
    const label = (field: string) => fieldTexts(FIELD_GUIDE, 'api::good-practice.good-practice', field)!.label;
    await page.getByRole('heading', { level: 2, name: label('results').en, exact: true }).waitFor();
    await page.locator('dt').getByText(label('implementationStatus').en, { exact: true }).waitFor();
    // The implementation status is the editors' inference: marked, with their reason beside it.
    const status = page.locator('dd .inferred');
    await status.waitFor();
    expect(await status.innerText()).toMatch(/^Ongoing/);
    expect(await status.locator('.inferred-mark').innerText()).toBe('inferred');
    expect(await status.locator('.inferred-basis').innerText()).toMatch(/^The article does not say whether the network is still active/);
    expect(await page.getByRole('img', { name: /Outcomes/ }).getAttribute('aria-labelledby')).toBeTruthy();
    expect(await page.locator('.chart desc').textContent()).toBe(
      'Institutions, associations and bodies in the governance network: 55 institutions, associations and bodies',
    );
    expect(await jsonLd(page)).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'CreativeWork',
      name: 'Public/private governance network',
      inLanguage: 'en',
    });
    await shot(page, 'en-good-practice');

    await page.getByRole('link', { name: 'Italiano' }).click();
    await h1(page, 'Rete di governance pubblico/privata').waitFor();
    expect(new URL(page.url()).search).toBe('?lang=it');
    expect(hashOf(page)).toBe('#/good-practices/rete-di-governance-pubblico-privata');
    expect(await page.locator('html').getAttribute('lang')).toBe('it');
    await page.getByRole('heading', { level: 2, name: label('results').it, exact: true }).waitFor();
    expect(await jsonLd(page)).toMatchObject({ '@type': 'CreativeWork', name: 'Rete di governance pubblico/privata', inLanguage: 'it' });
    // One JSON-LD block at a time.
    expect(await page.locator('script[type="application/ld+json"]').count()).toBe(1);
    await page.goBack();
    await h1(page, 'Public/private governance network').waitFor();
    // Leaving the record takes its JSON-LD away.
    await page.getByRole('link', { name: /Back to search/ }).click();
    await h1(page, '8 results for “network”').waitFor();
    expect(await page.locator('script[type="application/ld+json"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });

  test('an event with its agenda, a thematic table, an organisation, a training and an outcome each have a page and JSON-LD', async () => {
    const { page, errors } = await open(`${base}/?lang=en#/events/final-workshop-potenza`);
    await h1(page, 'Regional Final Workshop of the Com.In.4.0 project').waitFor();
    // British English dates; the year is the editors' inference, marked as such with their reason.
    const date = page.locator('dd .inferred');
    await date.waitFor();
    expect(await date.innerText()).toMatch(/^26 September 2022/);
    expect(await date.locator('.inferred-basis').innerText()).toMatch(/The editors recorded 2022/);
    const agenda = page.getByRole('region', { name: 'Agenda' });
    await agenda.getByText('09:00').waitFor();
    await agenda.getByText('Registration of participants').waitFor();
    // Speakers and their organisations link to their pages.
    expect(await pathOf(agenda.getByRole('link', { name: 'Gianpietro Losapio' }))).toBe('/en/person/gianpietro-losapio');
    expect(await pathOf(agenda.getByRole('link', { name: 'Elvira Locantore' }))).toBe('/en/person/elvira-locantore');
    expect(await pathOf(page.getByRole('link', { name: /^Com\.In\.4\.0 – / }).first())).toMatch(/^\/en\/project\/[\w-]+$/);
    await page.getByText('GoDesk, Via della Tecnica 18, Potenza').waitFor();
    // The four tables are in the morning session, which the agenda shows in place of a time.
    expect(await agenda.getByText('Morning', { exact: true }).count()).toBe(4);
    expect(await jsonLd(page)).toMatchObject({ '@type': 'Event', name: 'Regional Final Workshop of the Com.In.4.0 project' });
    await shot(page, 'en-event');

    expect(await pathOf(agenda.getByRole('link', { name: 'Living in local areas' }))).toBe('/en/thematic-table/abitare-i-territori');
    await page.evaluate(() => (location.hash = '#/thematic-tables/abitare-i-territori'));
    await h1(page, 'Living in local areas').waitFor();
    expect(hashOf(page)).toBe('#/thematic-tables/abitare-i-territori');
    expect(await pathOf(page.getByRole('link', { name: 'Regional Final Workshop of the Com.In.4.0 project' }))).toBe(
      '/en/event/final-workshop-potenza',
    );
    expect(await jsonLd(page)).toMatchObject({ '@type': 'Event', name: 'Living in local areas' });

    const pages: [string, string, string][] = [
      ['#/organizations/consorzio-nova', 'Consorzio NOVA', 'Consortium'],
      ['#/trainings/incontro-formativo-3', 'Training meeting 3 in Potenza', 'EducationEvent'],
      ['#/outcomes/persone-coinvolte', 'People involved', 'Observation'],
    ];
    for (const [hash, title, type] of pages) {
      await page.goto(`${base}/?lang=en${hash}`);
      await h1(page, title).waitFor();
      expect(await jsonLd(page)).toMatchObject({ '@type': type, name: title });
    }
    await page.getByText('at least 110 people').waitFor();
    await page.goto(`${base}/?lang=it#/trainings/incontro-formativo-3`);
    await h1(page, 'Incontro formativo 3 a Potenza').waitFor();
    await page.getByText('Sala consiliare, Potenza').waitFor();
    await page.getByText('15 marzo 2021').waitFor();
    expect(errors).toEqual([]);
  });

  test('the home page charts the outcome figures, with the same figures in a data table', async () => {
    const { page, errors } = await open(`${base}/?lang=en`);
    const chart = page.getByRole('img', { name: /Key figures/ });
    await chart.waitFor();
    expect(await chart.locator('rect').count()).toBe(4);
    expect(await chart.locator('desc').textContent()).toContain('People involved: at least 110 people');
    await page.getByText('Data table').click();
    const rows = await page
      .locator('.chart table tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((cell) => (cell as HTMLElement).innerText)));
    expect(rows).toContainEqual(['People involved', 'at least 110', 'people']);
    expect(rows).toContainEqual(['Training meetings in local areas', '14', 'training meetings']);
    expect(rows).toHaveLength(4);
    await shot(page, 'en-home');
    expect(errors).toEqual([]);
  });

  test('a record that does not exist and a search the API refuses are told plainly', async () => {
    const { page } = await open(`${base}/?lang=en#/good-practices/no-such-practice`);
    await h1(page, 'Page not found').waitFor();
    await page.goto(`${base}/?lang=en#/?q=the`);
    await page
      .getByRole('alert')
      .getByText(/The knowledge base did not answer: The search query has no searchable words/)
      .waitFor();
    await page.goto(`${base}/?lang=en#/no/such/page`);
    await h1(page, 'Page not found').waitFor();
  });

  test('keyboard only: skip link, visible focus, search and reach a record', async () => {
    const { page } = await open(`${base}/?lang=en`);
    await h1(page, 'Explore the knowledge base').waitFor();
    const focused = () =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return {
          tag: el.tagName,
          text: el.textContent?.trim(),
          id: el.id,
          outline: style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth),
        };
      });
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'A', text: 'Skip to content' });
    expect((await focused()).outline).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Enter');
    expect(await focused()).toMatchObject({ tag: 'MAIN' });
    await page.keyboard.press('Tab');
    expect(await focused()).toMatchObject({ tag: 'INPUT', id: 'q' });
    expect((await focused()).outline).toBeGreaterThanOrEqual(2);
    await page.keyboard.type('forum');
    await h1(page, /^\d+ results for “forum”$/).waitFor();
    for (let i = 0; i < 10 && (await focused()).tag !== 'A'; i += 1) await page.keyboard.press('Tab');
    const link = await focused();
    expect(link.outline).toBeGreaterThanOrEqual(2);
    // The focused result leads to its record's page.
    expect(await page.evaluate(() => new URL((document.activeElement as HTMLAnchorElement).href).pathname)).toMatch(
      /^\/en\/(good-practice|thematic-table|event|organization|project)\/[\w-]+$/,
    );
  });

  test('fits a phone screen', async () => {
    const { page } = await open(`${base}/?lang=it#/events/final-workshop-potenza`, {
      viewport: { width: 360, height: 740 },
      isMobile: true,
    });
    await h1(page, 'Final Workshop regionale del progetto Com.In.4.0').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await shot(page, 'it-event-phone');
  });

  test('addresses: odd ones are read safely, and search states write short ones', async () => {
    const { page } = await open(`${base}/?lang=en`);
    await h1(page, 'Explore the knowledge base').waitFor();
    // The browser's own module, as the explorer uses it.
    const read = await page.evaluate(`import('/explorer/route.js').then((r) => ({
      search: r.parseHash('#/?q=%20rete%20&type=aliens&page=-3&theme=abitare-i-territori'),
      record: r.parseHash('#/good-practices/rete%2Fdi'),
      unknown: [r.parseHash('#/people/someone'), r.parseHash('#/good-practices')],
      hash: r.searchHash({ q: 'rete di', type: 'events', theme: '', territory: 'potenza', group: '', page: 2 }),
      home: r.searchHash({ q: '', page: 1 }),
      langs: [r.pickLang('?lang=en', ['it-IT']), r.pickLang('?lang=fr', ['en-GB', 'it']), r.pickLang('', ['de-DE'])],
    }))`);
    expect(read).toEqual({
      search: { view: 'search', q: 'rete', type: '', theme: 'abitare-i-territori', territory: '', group: '', page: 1 },
      record: { view: 'record', type: 'good-practices', slug: 'rete/di' },
      unknown: [{ view: 'not-found' }, { view: 'not-found' }],
      hash: '#/?q=rete+di&type=events&territory=potenza&page=2',
      home: '#/',
      langs: ['en', 'en', 'it'],
    });
  });

  test('search finds what people type: an organisation, a speaker by surname, the project by its fund', async () => {
    const { page, errors } = await open(`${base}/?lang=it`);
    const box = page.getByRole('searchbox', { name: 'Cerca nella banca dati' });
    await box.fill('Consorzio NOVA');
    await h1(page, /risultat[oi] per «Consorzio NOVA»/).waitFor();
    const first = page.locator('#content .result').first();
    expect(await first.locator('.meta').innerText()).toBe('Organizzazione');
    expect(await pathOf(first.getByRole('link', { name: 'Consorzio NOVA' }))).toBe('/it/organization/consorzio-nova');
    await shot(page, 'it-search-organisation');

    await box.fill('Locantore');
    await h1(page, /risultat[oi] per «Locantore»/).waitFor();
    expect((await resultTitles(page))[0]).toBe('Elvira Locantore');
    expect(await page.locator('#content .result .meta').first().innerText()).toBe('Persona');
    expect(await pathOf(page.getByRole('link', { name: 'Elvira Locantore' }))).toBe('/it/person/elvira-locantore');
    // The workshop where she spoke is found by her name.
    expect(await resultTitles(page)).toContain('Final Workshop regionale del progetto Com.In.4.0');
    // One typo is forgiven.
    await box.fill('Locantre');
    await h1(page, /risultat[oi] per «Locantre»/).waitFor();
    expect((await resultTitles(page))[0]).toBe('Elvira Locantore');

    await box.fill('FAMI');
    await h1(page, /risultat[oi] per «FAMI»/).waitFor();
    expect(await page.locator('#content .result .meta').first().innerText()).toBe('Progetto');
    expect(errors).toEqual([]);
  });

  test('the home page: the project in the header and first, its figures following the filters, practices as cards', async () => {
    const { page, errors } = await open(`${base}/?lang=en`);
    await h1(page, 'Explore the knowledge base').waitFor();
    const project = page.getByRole('banner').getByRole('link', { name: /^Com\.In\.4\.0 – / });
    expect(await pathOf(project)).toMatch(/^\/en\/project\/[\w-]+$/);
    const cards = page.locator('.cards .card');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(4);
    // Each practice card shows its themes and territories.
    const governance = cards.filter({ hasText: 'Public/private governance network' });
    expect(await governance.locator('.tag').allInnerTexts()).toEqual(expect.arrayContaining(['Governance of services', 'Basilicata']));
    // Footer: the project's statements, the licence, the API, the open data and the language's feed.
    const footer = page.getByRole('contentinfo');
    for (const [name, target] of [
      ['The project', '/en/about'],
      ['Funding', '/en/funding'],
      ['Privacy', '/en/privacy'],
      ['Accessibility', '/en/accessibility'],
      ['Contact', '/en/contact'],
      ['Licence CC-BY-4.0', '/en/licence'],
      ['GraphQL API', '/graphql'],
      ['Open data', '/open-data/catalog.jsonld'],
      ['Atom feed', '/feeds/en.atom'],
    ])
      expect(await pathOf(footer.getByRole('link', { name, exact: true }))).toBe(target);

    // The key figures follow the theme filter: one of the four outcomes (the governance network) is on the governance of services.
    const bars = page.getByRole('img', { name: /Key figures/ }).locator('rect');
    expect(await bars.count()).toBe(4);
    await shot(page, 'en-home-desktop');
    await page.getByLabel('Theme').selectOption({ label: 'Governance of services' });
    await page.waitForFunction(() => document.querySelectorAll('.chart-svg rect').length === 1);
    const { outcomes } = await kb.data(
      `{ outcomes(locale: "en", filters: { themes: { slug: { eq: "governance-dei-servizi" } } }) { slug } }`,
    );
    expect(await bars.count()).toBe(outcomes.length);
    // A territory no outcome is in: no chart at all rather than an empty one.
    await page.getByLabel('Theme').selectOption({ label: 'All' });
    await page.getByLabel('Territory').selectOption({ label: 'Potenza' });
    await h1(page, 'Explore the knowledge base').waitFor();
    await page.waitForFunction(() => !document.querySelector('.chart-svg'));
    expect(errors).toEqual([]);
  });

  test('a phone (390×844) shows records on the first screen, and nothing overflows', async () => {
    const { page, errors } = await open(`${base}/?lang=it`, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await h1(page, 'Esplora la banca dati').waitFor();
    await page.locator('.cards .card').first().waitFor();
    const top = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((el) => el.getBoundingClientRect().top);
    // The heading, the project and at least the start of the first practice fit above the fold.
    expect(await top('.overview h1')).toBeLessThan(844);
    expect(await top('.intro')).toBeLessThan(844);
    expect(await top('#content .chart, #content .card')).toBeLessThan(844);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'it-home-phone-first-screen', { fullPage: false });
    await shot(page, 'it-home-phone');
    await page.getByRole('searchbox', { name: 'Cerca nella banca dati' }).fill('Consorzio NOVA');
    await h1(page, /risultat[oi] per «Consorzio NOVA»/).waitFor();
    expect(await top('#content .result')).toBeLessThan(844);
    await shot(page, 'it-search-phone');
    expect(errors).toEqual([]);
  });

  test('no serious or critical accessibility problems (axe-core), in both languages', async () => {
    const pages: [string, string | RegExp][] = [
      ['?lang=it#/', 'Esplora la banca dati'],
      ['?lang=en#/?q=network&territory=basilicata', /^\d+ results for “network”$/],
      ['?lang=en#/?type=trainings&page=2', `${TRAININGS} records`],
      ['?lang=en#/good-practices/rete-di-governance-pubblico-privata', 'Public/private governance network'],
      ['?lang=it#/events/final-workshop-potenza', 'Final Workshop regionale del progetto Com.In.4.0'],
      ['?lang=it#/outcomes/persone-coinvolte', 'Persone coinvolte'],
      ['?lang=en#/good-practices/no-such-practice', 'Page not found'],
      ['?lang=it#/?q=Consorzio%20NOVA', /^\d+ risultati per «Consorzio NOVA»$/],
    ];
    const problems: Record<string, unknown> = {};
    // axe-core is injected as a script: the explorer's Content-Security-Policy is lifted for that alone.
    const { page } = await open('about:blank', { bypassCSP: true });
    for (const [address, heading] of pages) {
      await page.goto(`${base}/${address}`);
      await h1(page, heading).waitFor();
      const found = await seriousAccessibilityProblems(page);
      if (found.length) problems[address] = found;
    }
    // The home page on a phone too.
    const phone = await open('about:blank', { bypassCSP: true, viewport: { width: 390, height: 844 }, isMobile: true });
    await phone.page.goto(`${base}/?lang=en#/`);
    await h1(phone.page, 'Explore the knowledge base').waitFor();
    await phone.page.locator('.cards .card').first().waitFor();
    const found = await seriousAccessibilityProblems(phone.page);
    if (found.length) problems.phone = found;
    expect(problems).toEqual({});
  });
});

describe('the widget on a partner page from another origin', () => {
  const tag = (attributes: string, src = `${base}/widget.js`) => `<script src="${src}" ${attributes} async></script>`;
  const page = (body: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title><link rel="icon" href="data:,"></head><body><main><h1>A partner's page</h1>${body}</main></body></html>`;

  /** The snippet a partner copies from the README (and the partner guide), pointed at this knowledge base. */
  const documentedSnippet = () => {
    const [readme, guide] = ['../README.md', '../docs/partners.md'].map((file) => fs.readFileSync(path.resolve(__dirname, file), 'utf8'));
    const snippet = readme.match(/```html\n(<script src="https:\/\/kb\.example\.org\/widget\.js".*)\n```/)![1];
    expect(guide).toContain(snippet);
    return snippet.replace('https://kb.example.org', base);
  };

  beforeAll(async () => {
    await withTrainings();
    partner = await partnerSite({
      '/': page(
        `<p id="before">Latest practices on governance:</p>${documentedSnippet()}` +
          `<p>Trainings in Basilicata:</p>${tag('data-type="trainings" data-territory="basilicata" data-locale="it" data-limit="3"')}`,
      ),
      '/states': page(
        `${tag('data-type="events" data-theme="no-such-theme" data-locale="en"')}${tag('data-type="practices" data-locale="en"')}` +
          `${tag('data-type="good-practices" data-locale="en" data-limit="0"')}`,
      ),
      '/offline': page(tag('data-type="good-practices" data-locale="en"')),
    });
  });

  test('one script tag (the README snippet) shows the records where it stands, in a shadow DOM, linking back to the explorer', async () => {
    const { page: partnerPage, errors } = await open('about:blank');
    const graphqlCalls: Promise<{ origin?: string; status: number }>[] = [];
    partnerPage.on('response', (response) => {
      if (response.url() === `${base}/graphql` && response.request().method() === 'POST') {
        graphqlCalls.push(
          response
            .request()
            .allHeaders()
            .then((headers) => ({ origin: headers.origin, status: response.status() })),
        );
      }
    });
    await partnerPage.goto(partner.origin);
    const [practices, trainings] = [partnerPage.locator('.comin40-kb-widget').nth(0), partnerPage.locator('.comin40-kb-widget').nth(1)];
    await practices.getByRole('heading', { name: 'Good practices' }).waitFor();
    await practices.getByRole('listitem').first().waitFor();

    const { goodPractices } = await kb.data(
      `{ goodPractices(locale: "en", filters: { themes: { slug: { eq: "governance-dei-servizi" } } }, sort: "publishedAt:desc") { slug title } }`,
    );
    expect(goodPractices).toHaveLength(1);
    const links = await practices.getByRole('link').evaluateAll((as) => as.map((a) => [a.textContent, (a as HTMLAnchorElement).href]));
    expect(links).toEqual([
      ...goodPractices.map((p: any) => [p.title, `${base}/?lang=en#/good-practices/${p.slug}`]),
      ['All records in the knowledge base', `${base}/?lang=en#/?type=good-practices&theme=governance-dei-servizi`],
    ]);
    await trainings.getByRole('listitem').nth(2).waitFor();
    expect(await trainings.locator('li a').allInnerTexts()).toEqual([
      'Incontro formativo 12 a Potenza',
      'Incontro formativo 11 a Potenza',
      'Incontro formativo 10 a Potenza',
    ]);
    // Each with its date, day month year in the widget's language (none of them inferred).
    expect(await trainings.locator('li .when').allInnerTexts()).toEqual(['15 dicembre 2021', '15 novembre 2021', '15 ottobre 2021']);
    expect(await trainings.locator('.inferred').count()).toBe(0);
    // Where the tag is, isolated from the page's styles, and a real cross-origin read of the API.
    expect(await practices.evaluate((el) => [el.previousElementSibling?.id, el.nextElementSibling?.tagName, !!el.shadowRoot])).toEqual([
      'before',
      'SCRIPT',
      true,
    ]);
    expect(await Promise.all(graphqlCalls)).toEqual([
      { origin: partner.origin, status: 200 },
      { origin: partner.origin, status: 200 },
    ]);
    await shot(partnerPage, 'widget-partner-page');

    await practices.getByRole('link', { name: goodPractices[0].title }).click();
    await h1(partnerPage, goodPractices[0].title).waitFor();
    expect(partnerPage.url()).toBe(`${base}/?lang=en#/good-practices/${goodPractices[0].slug}`);
    expect(errors).toEqual([]);
  });

  test('nothing published, wrong settings and an unreachable knowledge base are said inside the widget', async () => {
    const states = await open(`${partner.origin}/states`);
    const widgets = states.page.locator('.comin40-kb-widget');
    await widgets.nth(0).getByText('No published records here yet.').waitFor();
    await widgets
      .nth(1)
      .getByRole('alert')
      .getByText('Com.In.4.0 widget: data-type must be one of good-practices, trainings, thematic-tables, events (got "practices").')
      .waitFor();
    await widgets
      .nth(2)
      .getByRole('alert')
      .getByText('data-limit must be a whole number from 1 to 20 (got "0").', { exact: false })
      .waitFor();

    const offline = await open('about:blank');
    await offline.page.route(`${base}/graphql`, (route) => route.abort('connectionrefused'));
    await offline.page.goto(`${partner.origin}/offline`);
    await offline.page.getByText('The Com.In.4.0 knowledge base cannot be reached at the moment.').waitFor();
    await shot(offline.page, 'widget-offline');
  });

  test('the partner page with widgets has no serious or critical accessibility problems (axe-core)', async () => {
    const { page: partnerPage } = await open(partner.origin);
    await partnerPage.locator('.comin40-kb-widget li').first().waitFor();
    await partnerPage.locator('.comin40-kb-widget').nth(1).locator('li').first().waitFor();
    expect(await seriousAccessibilityProblems(partnerPage)).toEqual([]);
  });
});

test('page weight and time to first result, measured for the record (not asserted)', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  outside.push(watchOutsideRequests(page));
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const urls = new Map<string, string>();
  const loaded: { path: string; bytes: number }[] = [];
  cdp.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url));
  cdp.on('Network.loadingFinished', (event) =>
    loaded.push({ path: new URL(urls.get(event.requestId)!).pathname, bytes: event.encodedDataLength }),
  );
  await page.goto(`${base}/?lang=en`, { waitUntil: 'networkidle' });
  await h1(page, 'Explore the knowledge base').waitFor();

  // Bytes on the wire (headers included; the server does not compress), and what gzip would make of the files.
  const publicDir = path.resolve(__dirname, '../public');
  const bytes = (p: string) => fs.readFileSync(path.join(publicDir, p === '/' ? 'index.html' : p));
  // Data, not files: the GraphQL reads and the field guide's labels (served from the model).
  const data = ['/graphql', '/explorer/labels.json', '/favicon.ico'];
  const files = loaded.filter((r) => !data.includes(r.path)).map((r) => r.path);
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  const firstView = {
    requests: loaded.length,
    transferredBytes: sum(loaded.map((r) => r.bytes)),
    graphqlRequests: loaded.filter((r) => r.path === '/graphql').length,
    graphqlBytes: sum(loaded.filter((r) => r.path === '/graphql').map((r) => r.bytes)),
    labelsRequests: loaded.filter((r) => r.path === '/explorer/labels.json').length,
    staticFiles: files.length,
    staticBytes: sum(files.map((p) => bytes(p).length)),
    staticGzipBytes: sum(files.map((p) => zlib.gzipSync(bytes(p), { level: 9 }).length)),
  };
  const widget = bytes('/widget.js');

  // Time to first result: from the last keystroke to the first result on screen (the typing pause included).
  const times: number[] = [];
  for (const words of ['network', 'training', 'forum', 'migrants', 'workshop']) {
    await page.getByRole('searchbox', { name: 'Search the knowledge base' }).fill('');
    await h1(page, 'Explore the knowledge base').waitFor();
    times.push(
      await page.evaluate(
        (q) =>
          new Promise<number>((resolve) => {
            const input = document.getElementById('q') as HTMLInputElement;
            const started = performance.now();
            const seen = new MutationObserver(() => {
              if (document.querySelector('#content .results .result')) {
                seen.disconnect();
                resolve(performance.now() - started);
              }
            });
            seen.observe(document.getElementById('content')!, { childList: true, subtree: true });
            input.value = q;
            input.dispatchEvent(new Event('input', { bubbles: true }));
          }),
        words,
      ),
    );
  }
  const sorted = [...times].sort((a, b) => a - b);
  const figures = {
    firstView,
    widget: { bytes: widget.length, gzipBytes: zlib.gzipSync(widget, { level: 9 }).length },
    timeToFirstResultMs: {
      median: Math.round(sorted[2]),
      min: Math.round(sorted[0]),
      max: Math.round(sorted[4]),
      typingPauseMs: 200,
      runs: times.map(Math.round),
    },
  };
  fs.mkdirSync(path.resolve(__dirname, '.artifacts'), { recursive: true });
  fs.writeFileSync(path.resolve(__dirname, '.artifacts/explorer-figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
  console.log(`[explorer] ${JSON.stringify(figures)}`);
  // The labels of the filters are read once, from the server's field guide.
  expect(figures.firstView.labelsRequests).toBe(1);
  // The first view is the page, its style sheets (its own and the shared design tokens) and its
  // modules, all at once (nothing else, nothing twice).
  expect(files.sort()).toEqual([
    '/',
    '/explorer/api.js',
    '/explorer/app.js',
    '/explorer/chart.js',
    '/explorer/dom.js',
    '/explorer/explorer.css',
    '/explorer/i18n.js',
    '/explorer/route.js',
    '/explorer/views.js',
    '/site/tokens.css',
  ]);
});

test('no request left this machine', () => {
  expect(outside.flat()).toEqual([]);
});
