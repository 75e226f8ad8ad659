/**
 * Open data as a harvester gets it: the DCAT-AP_IT catalogue (valid against the official DCAT-AP
 * SHACL shapes), a JSON-LD and a CSV file per public type and the whole knowledge base in one
 * file, over HTTP, anonymously. Published content only, in both locales, with licence and source
 * on every record; drafts, private fields and people without consent never in them.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import jsonld from 'jsonld';
import { parse } from 'csv-parse/sync';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { documentLoader } from './helpers/linked-data';
import { PAGE_SIZE } from '../src/publishing/open-data';
import { seedSyntheticContent } from '../src/publishing/synthetic';

const PUBLIC_URL = 'https://kb.example.org';
const GP = 'api::good-practice.good-practice';
const PERSON = 'api::person.person';
const TYPES = [
  ['project', 'projects'],
  ['good-practice', 'good-practices'],
  ['training', 'trainings'],
  ['thematic-table', 'thematic-tables'],
  ['outcome', 'outcomes'],
  ['event', 'events'],
  ['organization', 'organizations'],
  ['person', 'people'],
  ['territory', 'territories'],
  ['theme', 'themes'],
] as const;
/** The official shapes, beside the repository in the project workspace (see its README). */
// The official shapes live in the project workspace beside the repository (../shared/standards),
// not in it; a clone elsewhere on this machine finds them at /work/shared, or DCAT_AP_SHAPES_DIR.
const SHAPES_DIR = [process.env.DCAT_AP_SHAPES_DIR, path.resolve(__dirname, '../../shared/standards'), '/work/shared/standards'].find(
  (dir) => dir && fs.existsSync(path.join(dir, 'dcat-ap-3.0.1-SHACL.ttl')),
);
if (!SHAPES_DIR) throw new Error('The DCAT-AP 3.0.1 SHACL shapes were not found: set DCAT_AP_SHAPES_DIR to the folder that holds them.');
const SHAPES = ['dcat-ap-3.0.1-SHACL.ttl', 'dcat-ap-3.0.1-SHACL-ranges.ttl'].map((file) => path.join(SHAPES_DIR, file));
/** The Italian profile's rules on top of DCAT-AP (ours: the official DCAT-AP_IT shapes are not at hand). */
const ITALIAN_RULES = path.join(__dirname, 'helpers/dcat-ap-it-rules.ttl');
const CONTACT = 'dati-aperti@kb.example.org';
/** More synthetic practices than one page holds, so that every file is read in several pages. */
const SYNTHETIC = PAGE_SIZE + 50;
const TRICKY = 'Virgole, "virgolette"\ne a capo; tutto in una cella';

let kb: KnowledgeBase;
const get = (file: string) =>
  kb
    .http()
    .get(`/open-data/${file}`)
    .buffer(true)
    .parse((res, done) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done(null, body));
    });
const published = (uid: string, locale: string) => kb.strapi.documents(uid as any).count({ status: 'published', locale } as any);
const csv = (text: string): Record<string, string>[] => parse(text, { columns: true, bom: true, relax_column_count: false });

beforeAll(async () => {
  kb = await startKnowledgeBase({ env: { PUBLIC_URL, OPEN_DATA_CONTACT_EMAIL: CONTACT } });
  await seedSyntheticContent(kb.strapi, { practices: SYNTHETIC, log: () => undefined });
  // A draft, a private note, an unpublished edit, a person without consent, a private e-mail.
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
  const practice = await kb.strapi
    .documents(GP)
    .findFirst({ status: 'published', locale: 'it', filters: { slug: 'forum-regionale-sui-fenomeni-migratori' } });
  await kb.strapi.documents(GP).update({
    documentId: practice!.documentId,
    locale: 'it',
    status: 'published',
    data: { reviewerNote: 'NOTA-RISERVATA', lessonsLearned: TRICKY } as any,
  });
  await kb.strapi.documents(GP).update({ documentId: practice!.documentId, locale: 'it', data: { title: 'Titolo in lavorazione' } as any });
  await kb.strapi.documents(PERSON).create({
    locale: 'it',
    data: { fullName: 'Persona Riservata', slug: 'persona-riservata', consentToPublish: false, source: { title: 'Test' } } as any,
  });
  await kb.strapi.documents(PERSON).create({
    locale: 'it',
    status: 'published',
    data: {
      fullName: 'Persona Consenziente',
      slug: 'persona-consenziente',
      consentToPublish: true,
      email: 'riservato@example.org',
      source: { title: 'Test' },
    } as any,
  });
}, 300000);
afterAll(async () => {
  await kb.stop();
});

describe('the DCAT-AP_IT catalogue', () => {
  let catalogue: any;
  const graph = () => catalogue['@graph'] as any[];
  const node = (id: string) => graph().find((n) => n['@id'] === id);

  beforeAll(async () => {
    const res = await get('catalog.jsonld');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    catalogue = JSON.parse(res.body);
  });

  /** The catalogue as RDF, through jsonld with nothing loaded from the network. */
  const nquads = async (document: object) =>
    (await jsonld.toRDF(document as any, { format: 'application/n-quads', documentLoader } as any)) as unknown as string;
  const validate = async (document: object, shapes = SHAPES) =>
    JSON.parse(
      execFileSync(process.execPath, [path.join(__dirname, 'helpers/shacl-validate.mjs'), ...shapes], {
        input: await nquads(document),
      }).toString(),
    );
  const violations = (report: any) => report.results.filter((r: any) => r.severity.endsWith('#Violation'));

  test('validates against the DCAT-AP 3.0.1 SHACL shapes with no violations', async () => {
    const report = await validate(catalogue);
    expect(violations(report)).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  test("meets DCAT-AP_IT's rules as dati.gov.it harvests it", async () => {
    const report = await validate(catalogue, [ITALIAN_RULES]);
    expect(violations(report)).toEqual([]);
    expect(report.conforms).toBe(true);
  });

  test('the Italian rules do catch an own theme in dcat:theme, a dataset without dct:modified, a contact without e-mail', async () => {
    const broken = JSON.parse(JSON.stringify(catalogue));
    const [catalog] = broken['@graph'];
    const practices = catalog['dcat:dataset'][1];
    practices['dcat:theme'].push(practices['dct:subject'][0]);
    delete catalog['dcat:dataset'][2]['dct:modified'];
    delete broken['@graph'].find((n: any) => n['@id'].endsWith('#contact'))['vcard:hasEmail'];
    const report = await validate(broken, [ITALIAN_RULES]);
    expect(
      violations(report)
        .map((r: any) => `${r.focusNode} ${r.path}`)
        .sort(),
    ).toEqual([
      `${PUBLIC_URL}/open-data/catalog.jsonld#contact http://www.w3.org/2006/vcard/ns#hasEmail`,
      `${PUBLIC_URL}/open-data/good-practices http://www.w3.org/ns/dcat#theme`,
      `${PUBLIC_URL}/open-data/trainings http://purl.org/dc/terms/modified`,
    ]);
  });

  test('the validation does catch a catalogue without publisher or a distribution without access URL', async () => {
    const broken = JSON.parse(JSON.stringify(catalogue));
    const [catalog] = broken['@graph'];
    delete catalog['dct:publisher'];
    delete catalog['dcat:dataset'][0]['dcat:distribution'][0]['dcat:accessURL'];
    const report = await validate(broken);
    expect(report.conforms).toBe(false);
    expect(report.results.map((r: any) => r.path).sort()).toEqual([
      'http://purl.org/dc/terms/publisher',
      'http://www.w3.org/ns/dcat#accessURL',
    ]);
  });

  test('describes one dataset per public type and one with everything, each with its distributions', async () => {
    const [catalog] = graph();
    expect(catalog['@type']).toEqual(['dcat:Catalog', 'dcatapit:Catalog']);
    const datasets = catalog['dcat:dataset'];
    expect(datasets.map((d: any) => d['@id'])).toEqual([
      ...TYPES.map(([, plural]) => `${PUBLIC_URL}/open-data/${plural}`),
      `${PUBLIC_URL}/open-data/knowledge-base`,
    ]);
    const practices = datasets[1];
    expect(practices).toMatchObject({
      '@type': ['dcat:Dataset', 'dcatapit:Dataset'],
      'dct:identifier': 'com-in-4-0:good-practices',
      'dct:title': [
        { '@value': 'Buone pratiche', '@language': 'it' },
        { '@value': 'Good practices', '@language': 'en' },
      ],
      'dct:rightsHolder': { '@id': `${PUBLIC_URL}/open-data/catalog.jsonld#publisher` },
      'dct:accrualPeriodicity': { '@id': 'http://publications.europa.eu/resource/authority/frequency/IRREG' },
    });
    expect(
      practices['dcat:distribution'].map((d: any) => [d['dcat:downloadURL']['@id'], d['dct:format']['@id'], d['dcat:mediaType']['@id']]),
    ).toEqual([
      [
        `${PUBLIC_URL}/open-data/good-practices.jsonld`,
        'http://publications.europa.eu/resource/authority/file-type/JSON_LD',
        'https://www.iana.org/assignments/media-types/application/ld+json',
      ],
      [
        `${PUBLIC_URL}/open-data/good-practices.csv`,
        'http://publications.europa.eu/resource/authority/file-type/CSV',
        'https://www.iana.org/assignments/media-types/text/csv',
      ],
    ]);
    // Synthetic practices are CC0, the project's are CC BY: the file is offered under CC BY.
    expect(practices['dcat:distribution'][0]['dct:license']).toMatchObject({
      '@id': 'https://creativecommons.org/licenses/by/4.0/',
      'foaf:name': 'CC-BY-4.0',
    });
    // Themes: the EU data themes; the knowledge base's own themes are subjects (good practices have them).
    expect(practices['dcat:theme']).toEqual([{ '@id': 'http://publications.europa.eu/resource/authority/data-theme/SOCI' }]);
    const own = node(practices['dct:subject'][0]['@id']);
    expect(own).toMatchObject({ '@type': 'skos:Concept', 'skos:inScheme': { '@id': `${PUBLIC_URL}/api/themes` } });
    expect(own['skos:prefLabel'].map((l: any) => l['@language'])).toEqual(['it', 'en']);
    expect(practices['dct:subject']).toHaveLength(
      await kb.strapi.documents('api::theme.theme').count({ status: 'published', locale: 'it' } as any),
    );
    // Territories have no themes of their own.
    expect(datasets[8]['dcat:theme']).toEqual([{ '@id': 'http://publications.europa.eu/resource/authority/data-theme/REGI' }]);
    expect(datasets[8]['dct:subject']).toBeUndefined();
    // Keywords in both languages; each distribution described, with its planned availability.
    expect(practices['dcat:keyword']).toEqual(
      expect.arrayContaining([
        { '@value': 'buone pratiche', '@language': 'it' },
        { '@value': 'good practices', '@language': 'en' },
        { '@value': 'Basilicata', '@language': 'it' },
      ]),
    );
    for (const distribution of practices['dcat:distribution']) {
      expect(distribution['dct:description'].map((d: any) => d['@language'])).toEqual(['it', 'en']);
      expect(distribution['dcatap:availability']).toEqual({
        '@id': 'http://publications.europa.eu/resource/authority/planned-availability/AVAILABLE',
      });
    }
    expect(practices['dcat:distribution'][1]['dct:description'][1]['@value']).toMatch(/^One row per published record of "Good practices"/);
  });

  test("every dataset has its last change; one with no published record, the catalogue's", async () => {
    const [catalog] = graph();
    const modified = catalog['dct:modified']['@value'];
    expect(catalog['dct:issued']['@value'] <= modified).toBe(true);
    for (const dataset of catalog['dcat:dataset']) expect(dataset['dct:modified']['@value']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const trainings = catalog['dcat:dataset'][2];
    expect(await published('api::training.training', 'it')).toBe(0);
    expect(trainings['dct:modified']['@value']).toBe(modified);
    expect(trainings['dct:issued']).toBeUndefined();
    const practices = catalog['dcat:dataset'][1];
    const latest = await kb.strapi.db
      .query(GP)
      .findOne({ where: { publishedAt: { $notNull: true } }, orderBy: { updatedAt: 'desc' }, select: ['updatedAt'] });
    expect(practices['dct:modified']['@value']).toBe(new Date(latest.updatedAt).toISOString().slice(0, 10));
  });

  test('the contact point names the e-mail the deployment set', async () => {
    expect(node(`${PUBLIC_URL}/open-data/catalog.jsonld#contact`)).toMatchObject({
      '@type': ['vcard:Kind', 'vcard:Organization', 'dcatapit:Organization'],
      'vcard:hasEmail': { '@id': `mailto:${CONTACT}` },
    });
  });

  test('publisher, spatial and temporal coverage come from the settings and the published records', async () => {
    expect(node(`${PUBLIC_URL}/open-data/catalog.jsonld#publisher`)).toMatchObject({
      '@type': ['foaf:Agent', 'dcatapit:Agent'],
      'dct:identifier': 'com-in-4-0',
    });
    const [catalog] = graph();
    // Basilicata, not Potenza inside it (the synthetic regions are top-level too).
    const spatial = catalog['dct:spatial'].map((s: any) => s['@id']);
    expect(spatial).toContain('http://data.europa.eu/nuts/code/ITF5');
    expect(spatial).not.toContain('http://data.europa.eu/nuts/code/ITF51');
    expect(node('http://data.europa.eu/nuts/code/ITF5')).toMatchObject({
      '@type': 'dct:Location',
      'dcatapit:geographicalIdentifier': 'ITF5',
    });
    const events = catalog['dcat:dataset'][5];
    // The one event's year is the editors' inference: the catalogue states no period it is not sure of.
    expect(events['dct:temporal']).toEqual([]);
    expect(catalog['dct:modified']['@value']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe.each(TYPES)('%s files', (type, plural) => {
  const uid = `api::${type}.${type}`;

  test('JSON-LD: every published record in both locales, with its licence and source', async () => {
    const res = await get(`${plural}.jsonld`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/ld+json; charset=utf-8');
    // Streamed: no length known in advance.
    expect(res.headers['transfer-encoding']).toBe('chunked');
    const file = JSON.parse(res.body);
    expect(file['@context']).toBe('https://schema.org');
    const languages = (n: any) => n.inLanguage ?? n.mainEntityOfPage?.inLanguage;
    for (const locale of ['it', 'en']) {
      const nodes = file['@graph'].filter((n: any) => languages(n) === locale);
      expect(nodes.length).toBe(await published(uid, locale));
      // The article details none of the training meetings, so the seed has none.
      if (type !== 'training') expect(nodes.length).toBeGreaterThan(0);
    }
    expect(file['@graph'].length).toBe((await published(uid, 'it')) + (await published(uid, 'en')));
    for (const n of file['@graph']) {
      const facts = n.license ? n : n.mainEntityOfPage;
      expect(facts.license).toMatch(/^https:\/\/creativecommons\.org\//);
      expect(facts.isBasedOn?.name).toBeTruthy();
    }
  });

  test('CSV: one row per published record and locale, licence and source on every row', async () => {
    const res = await get(`${plural}.csv`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    const rows = csv(res.body);
    for (const locale of ['it', 'en']) expect(rows.filter((r) => r.locale === locale).length).toBe(await published(uid, locale));
    for (const row of rows) {
      expect(row.license).toMatch(/^CC/);
      expect(row['source.title']).toBeTruthy();
      expect(row.url).toBe(`${PUBLIC_URL}/api/${plural}/${row.documentId}?locale=${row.locale}`);
    }
  });
});

describe('CSV columns', () => {
  test('follow the content model: relations as slugs, components as fields, nothing private', async () => {
    const text = (await get('good-practices.csv')).body;
    expect(text.startsWith('\uFEFFdocumentId,locale,url,title,slug,summary,context,')).toBe(true);
    const rows = csv(text);
    const header = Object.keys(rows[0]);
    expect(header).toEqual(
      expect.arrayContaining([
        'targetGroups.group',
        'attachments',
        'project',
        'themes',
        'territories',
        'source.title',
        'source.note',
        'license',
      ]),
    );
    for (const hidden of ['curationStatus', 'reviewerNote']) expect(header).not.toContain(hidden);
    const forum = rows.find((r) => r.slug === 'forum-regionale-sui-fenomeni-migratori' && r.locale === 'it')!;
    expect(forum.lessonsLearned).toBe(TRICKY);
    expect(forum.project).toBe('com-in-4-0');
    expect(forum.territories).toBe('basilicata');
    const gql = await kb.data(`{ goodPractices(filters: { slug: { eq: "forum-regionale-sui-fenomeni-migratori" } }) { themes { slug } } }`);
    expect(forum.themes.split(';')).toEqual(gql.goodPractices[0].themes.map((t: any) => t.slug));
    expect(rows.filter((r) => r.license === 'CC0-1.0').length).toBe(SYNTHETIC * 2);
  });

  test("the final workshop's agenda: the n-th entry of every agenda column is the n-th item", async () => {
    const [row] = csv((await get('events.csv')).body).filter((r) => r.slug === 'final-workshop-potenza' && r.locale === 'it');
    const gql = await kb.data(`{ events(filters: { slug: { eq: "final-workshop-potenza" } }, locale: "it") {
      agenda { time title kind speakers { slug } thematicTable { slug } } } }`);
    const agenda: any[] = gql.events[0].agenda;
    expect(agenda.some((item) => !item.thematicTable)).toBe(true); // items without a value keep their place
    const entries = (column: string) => row[`agenda.${column}`].split(/(?<!\\);/).map((v) => v.replace(/\\(.)/g, '$1'));
    expect(entries('title')).toEqual(agenda.map((item) => item.title));
    expect(entries('kind')).toEqual(agenda.map((item) => item.kind));
    expect(entries('time')).toEqual(agenda.map((item) => item.time?.slice(0, 8) ?? '')); // HH:MM:SS on both engines
    expect(entries('speakers')).toEqual(agenda.map((item) => item.speakers.map((s: any) => s.slug).join('|')));
    expect(entries('thematicTable')).toEqual(agenda.map((item) => item.thematicTable?.slug ?? ''));
  });

  test('the same record in every file: a person with consent, without their e-mail', async () => {
    const [row] = csv((await get('people.csv')).body).filter((r) => r.slug === 'persona-consenziente');
    expect(row.fullName).toBe('Persona Consenziente');
    expect(Object.keys(row)).not.toContain('email');
    expect(Object.keys(row)).not.toContain('consentToPublish');
  });
});

test('drafts, private fields, unpublished edits and people without consent are in no file', async () => {
  let all = '';
  for (const file of ['knowledge-base.jsonld', 'catalog.jsonld', ...TYPES.map(([, plural]) => `${plural}.csv`)])
    all += (await get(file)).body;
  expect(all).toContain('Persona Consenziente');
  for (const secret of [
    'bozza-mai-pubblicata',
    'NOTA-RISERVATA',
    'Titolo in lavorazione',
    'Persona Riservata',
    'riservato@example.org',
    'consentToPublish',
    'curationStatus',
    'reviewerNote',
  ]) {
    expect(all).not.toContain(secret);
  }
});

test('knowledge-base.jsonld holds every type in both locales', async () => {
  const file = JSON.parse((await get('knowledge-base.jsonld')).body);
  let total = 0;
  for (const [type] of TYPES) total += (await published(`api::${type}.${type}`, 'it')) + (await published(`api::${type}.${type}`, 'en'));
  expect(file['@graph'].length).toBe(total);
  const ids = new Set(file['@graph'].map((n: any) => n['@id']));
  expect(ids.size).toBe(total);
});

describe('HTTP', () => {
  test('HEAD answers the headers without a body', async () => {
    const res = await kb.http().head('/open-data/good-practices.csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.text ?? '').toBe('');
  });

  test('conditional GET: 304 until something is published', async () => {
    const first = await get('themes.jsonld');
    const { etag } = first.headers;
    expect(first.headers['last-modified']).toBeTruthy();
    expect((await kb.http().get('/open-data/themes.jsonld').set('If-None-Match', etag)).status).toBe(304);
    // As fetch() revalidates when told not to use its cache: the same 304.
    for (const [header, value] of [
      ['If-None-Match', etag],
      ['If-Modified-Since', first.headers['last-modified']],
    ]) {
      const revalidated = await kb
        .http()
        .get('/open-data/themes.jsonld')
        .set(header, value)
        .set('Cache-Control', 'no-cache')
        .set('Pragma', 'no-cache');
      expect(`${header} ${revalidated.status}`).toBe(`${header} 304`);
      expect(revalidated.headers.etag).toBe(etag);
    }
    const theme = await kb.strapi.documents('api::theme.theme').findFirst({ status: 'published', locale: 'en' });
    await kb.strapi
      .documents('api::theme.theme')
      .update({ documentId: theme!.documentId, locale: 'en', status: 'published', data: { description: 'Changed.' } as any });
    const after = await kb.http().get('/open-data/themes.jsonld').set('If-None-Match', etag);
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);
  });

  test('an unknown file is a 404 with a JSON error that lists the files', async () => {
    const res = await kb.http().get('/open-data/secrets.csv');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error.message).toMatch(/No such open-data file\. Available: catalog\.jsonld, projects\.jsonld, projects\.csv/);
  });
});
