/**
 * The public pages as a search engine and a reader without JavaScript get them: a page per
 * published record and language at /{locale}/{type}/{slug} with its head (title, description,
 * canonical, hreflang, Open Graph, JSON-LD), the project's page and statements, sitemap.xml and
 * robots.txt. Hidden content (a draft, a language never published, a person without consent) is
 * a 404 identical to an unknown address; a publication shows at once.
 */
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const PUBLIC_URL = 'https://kb.example.org';
const GP = 'api::good-practice.good-practice';
const FORUM = 'forum-regionale-sui-fenomeni-migratori';

let kb: KnowledgeBase;
let draftOnly: string;

beforeAll(async () => {
  kb = await startKnowledgeBase({ env: { PUBLIC_URL } });
  // A draft, a practice published in Italian only with an English draft, a person without consent.
  await kb.strapi.documents(GP).create({
    locale: 'it',
    data: {
      title: 'Bozza riservata',
      slug: 'bozza-riservata',
      summary: 'Bozza.',
      implementationStatus: 'planned',
      source: { title: 'Test' },
    } as any,
  });
  const italianOnly = await kb.strapi.documents(GP).create({
    locale: 'it',
    data: {
      title: 'Solo in italiano',
      slug: 'solo-in-italiano',
      summary: 'Pubblicata in italiano.',
      implementationStatus: 'planned',
      curationStatus: 'validated',
      source: { title: 'Test' },
    } as any,
  });
  await kb.strapi.documents(GP).publish({ documentId: italianOnly.documentId, locale: 'it' });
  await kb.strapi.documents(GP).update({
    documentId: italianOnly.documentId,
    locale: 'en',
    data: { title: 'English draft', summary: 'Never published.', implementationStatus: 'planned', source: { title: 'Test' } } as any,
  });
  await kb.strapi.documents('api::person.person').create({
    locale: 'it',
    data: { fullName: 'Persona Riservata', slug: 'persona-riservata', consentToPublish: false, source: { title: 'Test' } } as any,
  });
  draftOnly = '/it/good-practice/bozza-riservata';
}, 300000);

afterAll(async () => {
  await kb?.stop();
});

const get = (path: string) => kb.http().get(path);
const head = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[1]);

test('a record page: its head names it, its languages and its schema.org description', async () => {
  const res = await get(`/en/good-practice/${FORUM}`).expect(200);
  expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(res.headers['cache-control']).toBe('public, no-cache');
  const html = res.text;
  const { goodPractices } = await kb.data(`{ goodPractices(locale: "en", filters: { slug: { eq: "${FORUM}" } }) { title summary } }`);
  const [practice] = goodPractices;
  expect(html).toContain('<html lang="en">');
  expect(head(html, /<title>([^<]*)<\/title>/g)).toEqual([`${practice.title} – Com.In.4.0 knowledge base`]);
  expect(head(html, /<h1>([^<]*)<\/h1>/g)).toEqual([practice.title]);
  expect(head(html, /<meta name="description" content="([^"]*)"/g)[0]).toMatch(/^\S.{20,159}$/);
  expect(head(html, /<link rel="canonical" href="([^"]*)"/g)).toEqual([`${PUBLIC_URL}/en/good-practice/${FORUM}`]);
  expect(head(html, /<link rel="alternate" hreflang="([^"]*)"/g)).toEqual(['it', 'en', 'x-default']);
  expect(html).toContain(`<link rel="alternate" hreflang="x-default" href="${PUBLIC_URL}/it/good-practice/${FORUM}">`);
  expect(head(html, /<meta property="(og:[a-z_:]+)"/g)).toEqual(
    expect.arrayContaining(['og:type', 'og:title', 'og:description', 'og:url', 'og:locale', 'og:locale:alternate']),
  );
  const [jsonLd] = head(html, /<script type="application\/ld\+json">([^<]*)<\/script>/g).map((j) => JSON.parse(j));
  expect(jsonLd).toMatchObject({ '@context': 'https://schema.org', '@type': 'CreativeWork', name: practice.title, inLanguage: 'en' });
  // Related records link to their pages; the footer to the statements, the API and the open data.
  expect(html).toMatch(/href="\/en\/theme\/[a-z0-9-]+"/);
  for (const path of [
    '/en/about',
    '/en/funding',
    '/en/privacy',
    '/en/accessibility',
    '/en/contact',
    '/en/licence',
    '/graphql',
    '/open-data/catalog.jsonld',
  ])
    expect(html).toContain(`href="${path}"`);
  expect(html).toContain('href="/en/project/com-in-4-0"');
  expect(html).toContain('href="/site/site.css"');
  // Nothing is loaded from another host.
  expect(html).not.toMatch(/src="https?:|<link rel="stylesheet" href="https?:/);
});

test('the revalidation of a page is a 304; a publication changes the page at once', async () => {
  const first = await get('/it/good-practice/solo-in-italiano').expect(200);
  await get('/it/good-practice/solo-in-italiano').set('If-None-Match', first.headers.etag).expect(304);
  const [practice] = await kb.strapi
    .documents(GP)
    .findMany({ status: 'draft', locale: 'it', filters: { slug: 'solo-in-italiano' } } as any);
  await kb.strapi
    .documents(GP)
    .update({ documentId: practice.documentId, locale: 'it', data: { title: 'Solo in italiano, rivista' } as any });
  await kb.strapi.documents(GP).publish({ documentId: practice.documentId, locale: 'it' });
  const after = await get('/it/good-practice/solo-in-italiano').set('If-None-Match', first.headers.etag).expect(200);
  expect(after.text).toContain('<h1>Solo in italiano, rivista</h1>');
});

test('the project page: funding line in full, partners, coordinator, figures, events and practices', async () => {
  const html = (await get('/it/project/com-in-4-0').expect(200)).text;
  for (const text of [
    'Fondo Asilo, Migrazione e Integrazione (FAMI) 2014-2020',
    'Obiettivo Specifico 2. Integrazione / Migrazione legale',
    'Obiettivo nazionale ON 3 – Capacity building',
    'lett. j) Governance dei servizi',
    'Capacity building 2018',
    "Progetto cofinanziato dall'Unione Europea – Fondo Asilo, Migrazione e Integrazione 2014-2020",
  ])
    expect(html).toContain(text.replace(/'/g, '&#39;'));
  // Roles by the field guide's names, not their codes.
  expect(html).toMatch(/<a href="\/it\/organization\/regione-basilicata">Regione Basilicata<\/a> · Partner/);
  expect(html).toContain('<a href="/it/person/elvira-locantore">Elvira Locantore</a>');
  expect(html).toMatch(/<small>almeno<\/small> 110<\/span> <span class="unit">persone<\/span>/);
  expect(html).toContain('href="/it/event/final-workshop-potenza"');
  expect(html).toContain(`href="/it/good-practice/${FORUM}"`);
  // A person's page lists the events they spoke at.
  const person = (await get('/en/person/elvira-locantore').expect(200)).text;
  expect(person).toContain('href="/en/event/final-workshop-potenza"');
  // Dates in words: the Final Workshop on 26 September 2022 at 09:00 in Potenza.
  expect((await get('/en/event/final-workshop-potenza').expect(200)).text).toContain('26 September 2022');
  expect((await get('/it/event/final-workshop-potenza').expect(200)).text).toContain('26 settembre 2022');
});

test('the statements, in both languages', async () => {
  const funding = (await get('/en/funding').expect(200)).text;
  expect(funding).toContain('Project co-funded by the European Union – Asylum, Migration and Integration Fund 2014-2020');
  expect(funding).toContain('<p lang="it">Progetto cofinanziato dall&#39;Unione Europea');
  expect(funding).toContain('Specific Objective 2. Integration / Legal migration');
  expect(funding.match(/<polygon /g)!.length).toBeGreaterThanOrEqual(24);
  const accessibility = (await get('/it/accessibility').expect(200)).text;
  for (const heading of [
    'Stato di conformità',
    'Contenuti non accessibili',
    'Redazione della dichiarazione',
    'Meccanismo di feedback e contatti',
  ])
    expect(accessibility).toContain(`<h2>${heading}</h2>`);
  expect(accessibility).toContain('axe-core');
  const contact = (await get('/en/contact').expect(200)).text;
  expect(contact).toContain('gives no e-mail address');
  expect(contact).toContain('<a href="/en/person/elvira-locantore">Elvira Locantore</a>');
  expect(contact).not.toMatch(/mailto:|@[a-z]+\./);
  for (const path of ['/it/about', '/en/about', '/it/privacy', '/en/privacy', '/it/licence', '/en/good-practice'])
    await get(path).expect(200);
});

test('hidden content is a 404 identical to an unknown address', async () => {
  const unknown = await get('/it/good-practice/non-esiste').expect(404);
  for (const path of [draftOnly, '/it/person/persona-riservata']) {
    const res = await get(path).expect(404);
    expect(res.text).toBe(unknown.text);
    expect(res.headers.etag).toBe(unknown.headers.etag);
  }
  const english = await get('/en/good-practice/solo-in-italiano').expect(404);
  expect(english.text).toBe((await get('/en/good-practice/non-esiste').expect(404)).text);
  // The Italian page offers no English version.
  expect((await get('/it/good-practice/solo-in-italiano')).text).not.toContain('hreflang="en"');
  for (const path of ['/fr/good-practice/x', '/it/nothing', '/it/good-practice/x/y']) await get(path).expect(404);
});

test('sitemap.xml lists every published page with its alternates; robots.txt points to it', async () => {
  const res = await get('/sitemap.xml').expect(200);
  expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
  const locs = head(res.text, /<loc>([^<]*)<\/loc>/g);
  expect(locs).toEqual(
    expect.arrayContaining([
      `${PUBLIC_URL}/it/good-practice/${FORUM}`,
      `${PUBLIC_URL}/en/good-practice/${FORUM}`,
      `${PUBLIC_URL}/en/funding`,
    ]),
  );
  expect(locs).toContain(`${PUBLIC_URL}/it/good-practice/solo-in-italiano`);
  expect(locs.filter((l) => /solo-in-italiano|bozza-riservata|persona-riservata/.test(l))).toEqual([
    `${PUBLIC_URL}/it/good-practice/solo-in-italiano`,
  ]);
  const forum = res.text.split('<url>').find((u) => u.includes(`<loc>${PUBLIC_URL}/en/good-practice/${FORUM}</loc>`))!;
  expect(head(forum, /hreflang="([^"]*)"/g)).toEqual(['it', 'en', 'x-default']);
  // Every person, organisation and record in both languages: the seed has both for every record.
  expect(locs.filter((l) => l.includes('/it/')).length).toBe(locs.filter((l) => l.includes('/en/')).length + 1);
  const robots = await get('/robots.txt').expect(200);
  expect(robots.text).toContain(`Sitemap: ${PUBLIC_URL}/sitemap.xml`);
  expect(robots.text).toContain('Disallow: /admin');
});
