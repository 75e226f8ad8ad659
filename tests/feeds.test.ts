/**
 * The Atom feeds as a feed reader gets them, read with an independent parser
 * (@rowanmanning/feed-parser, not the library that writes them): everything new in a language,
 * per type, per theme and per territory (a region takes in its provinces). A publication is a new
 * entry on top, an edit of a published record moves it up with its new title, an unpublication
 * removes it; a draft edit changes nothing; a person without consent never appears. Unknown
 * addresses are clear 404s; a poll with the validators is a 304; the explorer and the pages link
 * the feeds.
 */
import { parseFeed } from '@rowanmanning/feed-parser';
import { PUBLIC_TYPES } from '../src/content/model/core';
import { escapeHtml } from '../src/publishing/site/html';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const PUBLIC_URL = 'https://kb.example.org';
const GP = 'api::good-practice.good-practice';
const PERSON = 'api::person.person';
const ATOM = 'application/atom+xml; charset=utf-8';

let kb: KnowledgeBase;
beforeAll(async () => {
  // Rate limits on (far above what the suite sends), so that their headers show on every answer.
  kb = await startKnowledgeBase({ env: { PUBLIC_URL, RATE_LIMIT_ANONYMOUS: '1000000' } });
  await kb.strapi.documents(PERSON).create({
    locale: 'it',
    data: { fullName: 'Persona Senzaconsenso', slug: 'persona-senza-consenso', consentToPublish: false, source: { title: 'Test' } } as any,
  });
}, 300000);
afterAll(async () => {
  await kb?.stop();
});

const get = (path: string) => kb.http().get(path);
/** A parsed date (the parser's JSON gives them as text) in milliseconds. */
const time = (date: unknown) => new Date(date as string).getTime();

/** A feed as a reader parses it, after checking the answer is an Atom feed. */
async function feed(path: string) {
  const res = await get(path);
  expect(`${path} ${res.status}`).toBe(`${path} 200`);
  expect(res.headers['content-type']).toBe(ATOM);
  return { ...parseFeed(res.text).toJSON(), xml: res.text, res };
}

const documentIdOf = async (uid: string, slug: string) =>
  (await kb.strapi.documents(uid as any).findFirst({ filters: { slug }, locale: 'it' } as any))!.documentId;

/** A validated practice, published in Italian, about a theme and a place. */
async function publishPractice(slug: string, title: string, relations: { themes?: string[]; territories?: string[] } = {}) {
  const created = await kb.strapi.documents(GP).create({
    locale: 'it',
    data: {
      title,
      slug,
      summary: `${title}: sintesi.`,
      implementationStatus: 'ongoing',
      curationStatus: 'validated',
      source: { title: 'Test' },
      ...relations,
    } as any,
  });
  await kb.strapi.documents(GP).publish({ documentId: created.documentId, locale: 'it' });
  return created.documentId;
}

test('every kind of feed parses, in both languages: entries link their pages, name their records by IRI, and are newest first', async () => {
  for (const locale of ['it', 'en']) {
    const all = await feed(`/feeds/${locale}.atom`);
    expect(all.language).toBe(locale);
    expect(all.self).toBe(`${PUBLIC_URL}/feeds/${locale}.atom`);
    expect(all.url).toBe(`${PUBLIC_URL}/?lang=${locale}`);
    expect(all.title).toMatch(/Com\.In\.4\.0/);
    expect(all.authors[0].name).toMatch(/Com\.In\.4\.0/);
    let published = 0;
    for (const type of PUBLIC_TYPES)
      published += await kb.strapi.db.query(`api::${type}.${type}` as any).count({ where: { publishedAt: { $notNull: true }, locale } });
    expect(all.items.length).toBe(Math.min(50, published));
    for (const type of PUBLIC_TYPES) {
      const { items, title, url } = await feed(`/feeds/${locale}/${type}.atom`);
      expect(url).toBe(`${PUBLIC_URL}/${locale}/${type}`);
      expect(title).toMatch(/ – /);
      const published = await kb.strapi.db
        .query(`api::${type}.${type}` as any)
        .count({ where: { publishedAt: { $notNull: true }, locale } });
      expect(`${type} ${items.length}`).toBe(`${type} ${Math.min(50, published)}`);
      for (const item of items) {
        expect(item.url).toMatch(new RegExp(`^${PUBLIC_URL}/${locale}/${type}/[a-z0-9-]+$`));
        expect(item.id).toMatch(new RegExp(`^${PUBLIC_URL}/api/[a-z-]+/\\w+\\?locale=${locale}$`));
        expect(item.title).toBeTruthy();
        expect(item.categories.map((c) => c.term)).toContain(type);
      }
      const times = items.map((item) => time(item.updated));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
  }
  // An entry's page is the server-rendered page, and says what the entry says.
  const { items } = await feed('/feeds/en/good-practice.atom');
  const page = await get(new URL(items[0].url!).pathname).expect(200);
  expect(page.text).toContain(`<h1>${escapeHtml(items[0].title)}</h1>`);
  expect(items[0].description).toBeTruthy();
  expect(page.text).toContain(`<p class="summary">${escapeHtml(items[0].description)}</p>`);
  // Licences come from the records.
  expect((await get('/feeds/en/good-practice.atom')).text).toMatch(
    /<rights>CC-BY-4\.0 https:\/\/creativecommons\.org\/licenses\/by\/4\.0\/<\/rights>/,
  );
});

test("a theme's feed lists the records about it; a territory's those in it and in the places below it", async () => {
  const potenza = await documentIdOf('api::territory.territory', 'potenza');
  const theme = await documentIdOf('api::theme.theme', 'integrazione-sociale');
  await publishPractice('pratica-in-provincia', 'Pratica in provincia', { themes: [theme], territories: [potenza] });

  const themed = await feed('/feeds/it/themes/integrazione-sociale.atom');
  expect(themed.title).toMatch(/Integrazione sociale/i);
  expect(themed.url).toBe(`${PUBLIC_URL}/it/theme/integrazione-sociale`);
  expect(themed.items[0].title).toBe('Pratica in provincia');
  for (const item of themed.items) expect(item.categories.map((c) => c.term)).toContain('integrazione-sociale');
  const { themeRecords } = await kb.data(
    `{ themeRecords: goodPractices(locale: "it", filters: { themes: { slug: { eq: "integrazione-sociale" } } }, pagination: { pageSize: 100 }) { slug } }`,
  );
  expect(themed.items.filter((i) => i.url!.includes('/good-practice/')).length).toBe(themeRecords.length);

  // The region's feed takes in the province's practice; a municipality's does not.
  const region = await feed('/feeds/it/territories/basilicata.atom');
  expect(region.items.map((i) => i.title)).toContain('Pratica in provincia');
  const province = await feed('/feeds/it/territories/potenza.atom');
  expect(province.items[0].title).toBe('Pratica in provincia');
  const town = await feed('/feeds/it/territories/comune-di-potenza.atom');
  expect(town.items.map((i) => i.title)).not.toContain('Pratica in provincia');
});

test('a publication is a new entry on top, an edit moves it up with its new title, an unpublication removes it; a draft edit changes nothing', async () => {
  const documentId = await publishPractice('pratica-del-feed', 'Pratica del feed');
  for (const path of ['/feeds/it.atom', '/feeds/it/good-practice.atom']) {
    const { items } = await feed(path);
    expect(items[0].title).toBe('Pratica del feed');
    expect(items[0].url).toBe(`${PUBLIC_URL}/it/good-practice/pratica-del-feed`);
    expect(items[0].id).toBe(`${PUBLIC_URL}/api/good-practices/${documentId}?locale=it`);
  }
  // Not in English: it was never published there.
  expect((await feed('/feeds/en/good-practice.atom')).items.map((i) => i.url)).not.toContain(
    `${PUBLIC_URL}/en/good-practice/pratica-del-feed`,
  );

  // Another publication goes on top; an edit of the first brings it back up, with its new title and time.
  await publishPractice('altra-pratica', 'Altra pratica');
  const before = await feed('/feeds/it/good-practice.atom');
  expect(before.items.map((i) => i.title).slice(0, 2)).toEqual(['Altra pratica', 'Pratica del feed']);
  await kb.strapi
    .documents(GP)
    .update({ documentId, locale: 'it', data: { title: 'Pratica del feed, rivista' }, status: 'published' } as any);
  const edited = await feed('/feeds/it/good-practice.atom');
  expect(edited.items[0]).toMatchObject({ id: before.items[1].id, title: 'Pratica del feed, rivista' });
  expect(time(edited.items[0].updated)).toBeGreaterThanOrEqual(time(before.items[1].updated));
  expect(edited.items.filter((i) => i.id === before.items[1].id)).toHaveLength(1);
  expect(time(edited.updated)).toBeGreaterThanOrEqual(time(edited.items[0].updated));

  // A draft edit: the same feed, byte for byte.
  await kb.strapi.documents(GP).update({ documentId, locale: 'it', data: { title: 'Bozza non pubblicata' } } as any);
  const afterDraft = await feed('/feeds/it/good-practice.atom');
  expect(afterDraft.xml).toBe(edited.xml);
  expect(afterDraft.xml).not.toContain('Bozza non pubblicata');

  // Unpublished: gone from every feed that listed it, and the feed's time moves on.
  await kb.strapi.documents(GP).unpublish({ documentId, locale: 'it' });
  for (const path of ['/feeds/it.atom', '/feeds/it/good-practice.atom']) {
    const { items, updated } = await feed(path);
    expect(items.map((i) => i.id)).not.toContain(before.items[1].id);
    expect(time(updated)).toBeGreaterThanOrEqual(time(edited.updated));
  }
});

test('a person without consent never appears; one whose consent is withdrawn leaves', async () => {
  const people = await feed('/feeds/it/person.atom');
  expect(people.items.length).toBeGreaterThan(0);
  for (const path of ['/feeds/it.atom', '/feeds/it/person.atom', '/feeds/en/person.atom']) {
    expect((await get(path)).text).not.toContain('Senzaconsenso');
  }
  const [first] = people.items;
  const documentId = new URL(first.id!).pathname.split('/').pop()!;
  await kb.strapi.documents(PERSON).update({ documentId, locale: 'it', data: { consentToPublish: false } } as any);
  const after = await feed('/feeds/it/person.atom');
  expect(after.items.map((i) => i.id)).not.toContain(first.id);
  expect(after.xml).not.toContain(first.title!);
});

test('unknown or unpublished addresses are 404s that say what is wrong', async () => {
  const draftTheme = await kb.strapi.documents('api::theme.theme').create({
    locale: 'it',
    data: { name: 'Tema in bozza', slug: 'tema-in-bozza', source: { title: 'Test' } } as any,
  });
  expect(draftTheme.documentId).toBeTruthy();
  const cases: [string, RegExp][] = [
    ['/feeds/fr.atom', /Unknown locale "fr"/],
    ['/feeds/fr/good-practice.atom', /Unknown locale "fr"/],
    ['/feeds/it/practice.atom', /Unknown type "practice"/],
    ['/feeds/it/places/basilicata.atom', /Unknown feed folder "places"/],
    ['/feeds/it/themes/nessun-tema.atom', /No theme "nessun-tema" is published in the locale "it"/],
    ['/feeds/it/themes/tema-in-bozza.atom', /No theme "tema-in-bozza" is published/],
    ['/feeds/it/territories/nessun-luogo.atom', /No territory "nessun-luogo" is published/],
    ['/feeds/it/good-practice.rss', /No feed at this address/],
    ['/feeds/it/themes/%E0%A4%A.atom', /percent-encoding/],
  ];
  for (const [path, message] of cases) {
    const res = await get(path);
    expect(`${path} ${res.status}`).toBe(`${path} 404`);
    expect(res.body.error.message).toMatch(message);
    // An address of no feed names the ones there are.
    if (!/published/.test(message.source)) expect(res.body.error.message).toMatch(/\/feeds\/\{locale\}\.atom/);
  }
  // A draft theme and an unknown one answer alike.
  const draft = await get('/feeds/it/themes/tema-in-bozza.atom');
  const unknown = await get('/feeds/it/themes/tema-in-bozzb.atom');
  expect(draft.body.error.message.replace('bozza', 'bozzb')).toBe(unknown.body.error.message);
});

test("a reader's next poll is a 304 until something changes; the feeds are public reads (any origin, rate-limited, however spelled)", async () => {
  const path = '/feeds/it/good-practice.atom';
  const first = await get(path).expect(200);
  const { etag, 'last-modified': lastModified } = first.headers;
  expect(etag).toMatch(/^W\/"/);
  expect(first.headers['cache-control']).toBe('public, no-cache');
  expect(new Date(lastModified).getTime()).toBe(Math.floor(parseFeed(first.text).updated!.getTime() / 1000) * 1000);
  await get(path).set('if-none-match', etag).expect(304);
  await get(path).set('if-modified-since', lastModified).expect(304);
  // A revalidation that says `no-cache` is a revalidation all the same.
  await get(path).set('if-none-match', etag).set('cache-control', 'no-cache').expect(304);

  // HTTP dates count whole seconds: a change within the second of the last one is told by the ETag
  // only. The next change is made once the clock has left the second Last-Modified names.
  const nextSecond = new Date(lastModified).getTime() + 1000;
  while (Date.now() < nextSecond) await new Promise((resolve) => setTimeout(resolve, nextSecond - Date.now()));
  await publishPractice('pratica-nuova-per-il-lettore', 'Pratica nuova per il lettore');
  const changed = await get(path).set('if-none-match', etag).expect(200);
  expect(changed.headers.etag).not.toBe(etag);
  await get(path).set('if-modified-since', lastModified).expect(200);

  const partner = await get(path).set('origin', 'https://partner.example.org').expect(200);
  expect(partner.headers['access-control-allow-origin']).toBe('https://partner.example.org');
  expect(partner.headers['ratelimit-limit']).toBe('1000000');
  const spelt = await get('/FEEDS/IT/Good-Practice.ATOM/').expect(200);
  expect(spelt.text).toBe(changed.text);
  expect(spelt.headers['ratelimit-limit']).toBe('1000000');
});

/** The Atom feeds a page's head links: [title, href]. */
const alternates = (html: string) =>
  [...html.matchAll(/<link rel="alternate" type="application\/atom\+xml"[^>]*title="([^"]*)"[^>]*href="([^"]*)"/g)].map((m) => [
    m[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&'),
    m[2],
  ]);

test('the explorer and the pages link their feeds, the most specific first, and every link is a feed', async () => {
  const explorer = alternates((await get('/').expect(200)).text);
  expect(explorer.map(([, href]) => href)).toEqual(['/feeds/it.atom', '/feeds/en.atom']);

  const record = alternates((await get('/en/good-practice/forum-regionale-sui-fenomeni-migratori').expect(200)).text);
  expect(record).toEqual([
    ['Com.In.4.0 knowledge base – Good practices', '/feeds/en/good-practice.atom'],
    ["Com.In.4.0 knowledge base – What's new", '/feeds/en.atom'],
  ]);
  const theme = alternates((await get('/it/theme/integrazione-sociale').expect(200)).text).map(([, href]) => href);
  expect(theme).toEqual(['/feeds/it/themes/integrazione-sociale.atom', '/feeds/it/theme.atom', '/feeds/it.atom']);
  const territory = alternates((await get('/it/territory/basilicata').expect(200)).text).map(([, href]) => href);
  expect(territory[0]).toBe('/feeds/it/territories/basilicata.atom');
  expect(alternates((await get('/it/good-practice').expect(200)).text).map(([, href]) => href)).toEqual([
    '/feeds/it/good-practice.atom',
    '/feeds/it.atom',
  ]);
  expect(alternates((await get('/it/about').expect(200)).text).map(([, href]) => href)).toEqual(['/feeds/it.atom']);

  for (const [title, href] of [...explorer, ...record, ...theme.map((href) => ['', href]), ...territory.map((href) => ['', href])]) {
    const parsed = await feed(href);
    if (title) expect(parsed.title).toBe(title);
  }
});
