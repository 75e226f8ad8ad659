/**
 * A rebuild reads the published content in bulk, beneath the Document Service: it must leave
 * exactly the index that the per-document path (the
 * reindexing of every write, through the Document Service) leaves, on the real seed and on
 * synthetic practices, with a locale unpublished, a draft never published and a person who has
 * not consented (named in an event's agenda, through a component).
 */
import path from 'path';
import { Worker } from 'worker_threads';
import { testEngine } from './helpers/database';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { SEARCH_TYPE_NAMES, filterTerm, searchTypeUid } from '../src/public-api/search/core';

const appDir = path.resolve(__dirname, '..');
const search = () => require(path.join(appDir, 'dist/src/public-api/search'));
const synthetic = () => require(path.join(appDir, 'dist/src/publishing/synthetic'));
const PRACTICE = 'api::good-practice.good-practice';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
}, 240000);
afterAll(async () => {
  await kb?.stop();
});

/** The whole index as rows, without row ids. */
async function index() {
  const knex = kb.strapi.db.connection;
  const entries = await knex('search_entries').select('*').orderBy(['type', 'document_id', 'locale']);
  return { entries: entries.map(({ id: _id, filter_tsv: _tsv, ...row }: any) => row) };
}

/** The indexes of the index tables (and on SQLite the triggers that keep FTS5 in step), by name. */
const indexes = async (): Promise<string[]> => {
  const knex = kb.strapi.db.connection;
  const rows =
    testEngine() === 'sqlite'
      ? await knex('sqlite_master').select({ name: 'name' }).whereIn('type', ['index', 'trigger']).where('tbl_name', 'search_entries')
      : await knex('pg_indexes').select({ name: 'indexname' }).where('tablename', 'search_entries');
  return rows.map((row: { name: string }) => row.name).sort();
};

test('a rebuild writes exactly the entries of the per-document path', async () => {
  const { strapi } = kb;
  await synthetic().seedSyntheticContent(strapi, { practices: 40, seed: 5, log: () => undefined });
  // On PostgreSQL the bulk writer leaves the planner the statistics of what it wrote.
  if (testEngine() === 'postgres') {
    const stats = await strapi.db.connection.raw("SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'good_practices_cmps'");
    expect(stats.rows[0].last_analyze).not.toBeNull();
  }
  const practices = strapi.documents(PRACTICE as any);
  const [first, second] = await practices.findMany({ status: 'published', locale: 'it', filters: { slug: { $startsWith: 'synthetic-' } } });
  await practices.unpublish({ documentId: first.documentId, locale: 'en' } as any);
  await practices.create({ locale: 'it', data: { title: second.title, summary: second.summary, slug: 'a-draft-never-published' } } as any);
  const [event] = await strapi.documents('api::event.event').findMany({
    status: 'published',
    locale: 'it',
    populate: { agenda: { populate: { speakers: true } } },
  } as any);
  const speaker = event.agenda.flatMap((item: any) => item.speakers)[0];
  await strapi.db.query('api::person.person').updateMany({ where: { documentId: speaker.documentId }, data: { consentToPublish: false } });

  const indexesBefore = await indexes();
  const lines: string[] = [];
  const { entries } = await search().rebuildSearchIndex(strapi, { log: (line: string) => lines.push(line), batch: 25 });
  const rebuilt = await index();
  // The secondary indexes (and triggers) dropped for the rebuild are all there again.
  expect(await indexes()).toEqual(indexesBefore);
  expect(indexesBefore.length).toBeGreaterThan(testEngine() === 'sqlite' ? 3 : 1);
  // On PostgreSQL the fresh rows are vacuumed after the commit (GIN's pending list merged, visibility known).
  if (testEngine() === 'postgres') {
    const stats = await strapi.db.connection.raw("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = 'search_entries'");
    expect(stats.rows[0].last_vacuum).not.toBeNull();
  }
  expect(rebuilt.entries).toHaveLength(entries);
  // Each type's last progress line counts every public published version (a type with none has no line).
  for (const type of SEARCH_TYPE_NAMES) {
    const last = lines.filter((line) => line.startsWith(`[search] ${type}: `)).pop();
    if (last) expect(last).toMatch(/ (\d+)\/\1 entries/);
  }
  expect(lines.some((line) => line.startsWith('[search] good-practice: '))).toBe(true);
  expect(lines.pop()).toMatch(/^\[search\] index rebuilt: \d+ entries in [\d.]+ s$/);
  const keys = rebuilt.entries.map((entry: any) => `${entry.type} ${entry.slug} ${entry.locale}`);
  expect(keys).toContain(`good-practice ${first.slug} it`);
  expect(keys).not.toContain(`good-practice ${first.slug} en`);
  expect(keys).not.toContain('good-practice a-draft-never-published it');
  expect(rebuilt.entries.filter((entry: any) => entry.document_id === speaker.documentId)).toEqual([]);
  const named = (entry: any) => entry.filter_terms.split(' ');
  expect(rebuilt.entries.some((entry: any) => named(entry).includes(filterTerm('person', speaker.documentId)))).toBe(false);
  expect(
    rebuilt.entries.some((entry: any) => entry.type === 'event' && named(entry).some((word: string) => word.startsWith('_person_'))),
  ).toBe(true);

  // The same index, document by document through the Document Service, as the writes keep it.
  await strapi.db.transaction(async ({ trx }) => {
    await (trx as any)('search_entries').delete();
    for (const type of SEARCH_TYPE_NAMES) {
      const rows = await strapi.db.query(searchTypeUid(type) as any).findMany({ select: ['documentId'] });
      for (const documentId of new Set(rows.map((row: any) => row.documentId as string)))
        await search().reindexDocuments(strapi, trx, type, [documentId]);
    }
  });
  expect(await index()).toEqual(rebuilt);
}, 240000);

test('the records that name a related one (a theme, a speaker) are found through their filter words in the full-text index', async () => {
  const { strapi } = kb;
  await search().rebuildSearchIndex(strapi, { log: () => undefined });
  const knex = strapi.db.connection;
  const { documentsWithFacet } = require(path.join(appDir, 'dist/src/public-api/search/store'));
  const entries = await knex('search_entries').select('type', 'document_id', 'filter_terms');
  const naming = (kind: string, documentId: string) =>
    [
      ...new Set(
        entries
          .filter((e: any) => e.filter_terms.split(' ').includes(filterTerm(kind, documentId)))
          .map((e: any) => `${e.type}#${e.document_id}`),
      ),
    ].sort();
  const found = async (documentId: string) =>
    (await documentsWithFacet(knex, documentId)).map((hit: { type: string; documentId: string }) => `${hit.type}#${hit.documentId}`).sort();
  const themes = await strapi
    .documents('api::theme.theme')
    .findMany({ status: 'published', locale: 'it', populate: ['goodPractices'] } as any);
  const theme = themes.find((one: any) => one.goodPractices.length > 0);
  // The theme's own entry and every record that carries it, the practices linked to it among them.
  const carrying = await found(theme.documentId);
  expect(carrying).toEqual(naming('theme', theme.documentId));
  for (const practice of theme.goodPractices) expect(carrying).toContain(`good-practice#${practice.documentId}`);
  // A speaker, named by an event through its agenda (a component).
  const speakerWord = entries
    .filter((entry: any) => entry.type === 'event')
    .flatMap((entry: any) => entry.filter_terms.split(' '))
    .find((word: string) => word.startsWith('_person_'));
  const speaker = speakerWord.slice('_person_'.length);
  expect(naming('person', speaker).some((hit: string) => hit.startsWith('event#'))).toBe(true);
  expect(await found(speaker)).toEqual(naming('person', speaker));
  expect(await found('nessunrecordhaquestoid')).toEqual([]);
}, 120000);

test('after a rebuild, search answers from the rebuilt index and follows the next publish', async () => {
  const { strapi } = kb;
  await search().rebuildSearchIndex(strapi, { log: () => undefined });
  const find = async (query: string) =>
    (
      await kb.graphql('query($q: String!) { search(query: $q, locale: "it") { items { type slug } } }', { q: query })
    ).body.data.search.items.map((item: { type: string; slug: string }) => `${item.type} ${item.slug}`);
  const themes = strapi.documents('api::theme.theme' as any);
  const [theme] = await themes.findMany({ status: 'published', locale: 'it', sort: 'slug' } as any);
  expect(await find(theme.name)).toContain(`THEME ${theme.slug}`);
  expect(await find('zanzibarica')).toEqual([]);
  await themes.update({ documentId: theme.documentId, locale: 'it', data: { name: `${theme.name} zanzibarica` } } as any);
  await themes.publish({ documentId: theme.documentId, locale: 'it' } as any);
  // The theme, and the records that show it (its name is among their related words).
  expect(await find('zanzibarica')).toContain(`THEME ${theme.slug}`);
}, 120000);

(testEngine() === 'sqlite' ? test : test.skip)(
  'on SQLite, the rebuilt full-text index is whole and merges as usual again',
  async () => {
    const { strapi } = kb;
    await search().rebuildSearchIndex(strapi, { log: () => undefined });
    const knex = strapi.db.connection;
    // FTS5's automerge, off while the rebuild builds its segments, and the size of its in-memory segments, larger
    // meanwhile, are back to their defaults for the writes to come, and the full-text index agrees with the entries.
    expect(await knex('search_fts_config').where('k', 'automerge').first('v')).toEqual({ v: 4 });
    expect(await knex('search_fts_config').where('k', 'hashsize').first('v')).toEqual({ v: 1024 * 1024 });
    await knex.raw(`INSERT INTO search_fts(search_fts) VALUES ('integrity-check')`);
  },
  120000,
);

test('a rebuild that fails part-way leaves the index as it was', async () => {
  const { strapi } = kb;
  await search().rebuildSearchIndex(strapi, { log: () => undefined });
  const before = { index: await index(), indexes: await indexes() };
  const query = strapi.db.query.bind(strapi.db);
  let pages = 0;
  const spy = jest.spyOn(strapi.db, 'query').mockImplementation((uid: any) => {
    const repository = query(uid);
    if (uid !== PRACTICE) return repository;
    return {
      ...repository,
      // The third page of practices cannot be read, after two pages written.
      findMany: (params: any) => (++pages === 3 ? Promise.reject(new Error('the disk is gone')) : repository.findMany(params)),
    } as any;
  });
  try {
    await expect(search().rebuildSearchIndex(strapi, { log: () => undefined, batch: 5 })).rejects.toThrow('the disk is gone');
  } finally {
    spy.mockRestore();
  }
  expect(pages).toBe(3);
  expect({ index: await index(), indexes: await indexes() }).toEqual(before);
}, 120000);

test('a rebuild whose analysis thread stops part-way fails and leaves the index as it was', async () => {
  const { strapi } = kb;
  await search().rebuildSearchIndex(strapi, { log: () => undefined });
  const before = { index: await index(), indexes: await indexes() };
  const post = Worker.prototype.postMessage;
  let pages = 0;
  // The thread that analyses the rebuild's pages stops as it is sent the third page of practices.
  const spy = jest.spyOn(Worker.prototype, 'postMessage').mockImplementation(function (this: Worker, message: any, transfer?: any) {
    if (message?.type === 'good-practice' && ++pages === 3) return void this.terminate();
    return post.call(this, message, transfer);
  });
  try {
    await expect(search().rebuildSearchIndex(strapi, { log: () => undefined, batch: 2 })).rejects.toThrow(
      "the search index's analysis thread stopped",
    );
  } finally {
    spy.mockRestore();
  }
  // Three pages or four: the next page may be read and sent before the third's analysis is awaited.
  expect(pages).toBeGreaterThanOrEqual(3);
  expect({ index: await index(), indexes: await indexes() }).toEqual(before);
}, 120000);
