/**
 * The change feed as a partner reads it (GraphQL `changes`, REST `GET /api/changes`): from zero it
 * covers everything published; each editorial action gives its event, a draft save none; a
 * person whose consent is withdrawn leaves, and the event naming them as a speaker is UPDATED;
 * filters and pages; clear refusals of bad, foreign and expired cursors; GraphQL and REST agree.
 */
import type { Knex } from 'knex';
import { PUBLIC_TYPES } from '../src/content/model/core';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
}, 180000);
afterAll(async () => {
  await kb?.stop();
});

interface Change {
  cursor: string;
  type: string;
  documentId: string;
  slug: string;
  locale: string;
  action: string;
  at: string;
}
interface Page {
  items: Change[];
  nextCursor: string;
  hasMore: boolean;
}

const CHANGES = `query Changes($since: String, $types: [ChangeType!], $locale: I18NLocaleCode, $first: Int) {
  changes(since: $since, types: $types, locale: $locale, first: $first) { items { cursor type documentId slug locale action at } nextCursor hasMore } }`;

const changes = async (variables: Record<string, unknown> = {}): Promise<Page> => (await kb.data(CHANGES, variables)).changes;

/** Every change after `since`, page by page. */
async function all(variables: Record<string, unknown> = {}, first = 1000): Promise<{ items: Change[]; nextCursor: string }> {
  const items: Change[] = [];
  let since = variables.since as string | undefined;
  for (;;) {
    const page = await changes({ ...variables, since, first });
    items.push(...page.items);
    since = page.nextCursor;
    if (!page.hasMore) return { items, nextCursor: since };
  }
}

const head = async () => (await all()).nextCursor;
const knex = () => kb.strapi.db.connection as unknown as Knex;
const themes = () => kb.strapi.documents('api::theme.theme');
const theme = (slug: string, name: string) => ({ slug, name, source: { title: 'Test' } });
const summary = (items: Change[]) => items.map(({ type, slug, locale, action }) => `${type} ${slug} ${locale} ${action}`);

test('from zero, the feed holds every published record and locale once, in cursor order', async () => {
  const { items } = await all({}, 7);
  const published: string[] = [];
  for (const type of PUBLIC_TYPES) {
    const rows = await kb.strapi.db
      .query(`api::${type}.${type}` as any)
      .findMany({ where: { publishedAt: { $notNull: true } }, select: ['documentId', 'locale'] });
    published.push(...rows.map((row: any) => `${type.toUpperCase().replace(/-/g, '_')} ${row.documentId} ${row.locale}`));
  }
  expect(items.map((c) => `${c.type} ${c.documentId} ${c.locale}`).sort()).toEqual(published.sort());
  expect(new Set(items.map((c) => c.cursor)).size).toBe(items.length);
  expect(items.every((c) => ['PUBLISHED', 'UPDATED'].includes(c.action))).toBe(true);
  // Seven to a page gave the same as one page of a thousand.
  expect((await changes({ first: 1000 })).items).toEqual(items);
});

test('publish, re-publish, a new locale, unpublish, delete: one event each; a draft save and a discarded draft none', async () => {
  let cursor = await head();
  /** The changes an editor's action made, as `TYPE slug locale ACTION`. */
  const after = async (action: () => Promise<unknown>) => {
    await action();
    const page = await changes({ since: cursor });
    expect(page.hasMore).toBe(false);
    expect(page.nextCursor).toBe(page.items.at(-1)?.cursor ?? cursor);
    cursor = page.nextCursor;
    return summary(page.items);
  };
  let documentId = '';
  expect(
    await after(async () => {
      documentId = (await themes().create({ locale: 'it', data: theme('tema-del-feed', 'Tema del feed') } as any)).documentId;
    }),
  ).toEqual([]);
  expect(await after(() => themes().publish({ documentId, locale: 'it' } as any))).toEqual(['THEME tema-del-feed it PUBLISHED']);
  expect(await after(() => themes().update({ documentId, locale: 'it', data: { name: 'Tema, bozza' } } as any))).toEqual([]);
  expect(await after(() => themes().discardDraft({ documentId, locale: 'it' } as any))).toEqual([]);
  expect(
    await after(() => themes().update({ documentId, locale: 'it', data: { name: 'Tema rivisto' }, status: 'published' } as any)),
  ).toEqual(['THEME tema-del-feed it UPDATED']);
  expect(await after(() => themes().update({ documentId, locale: 'en', data: theme('tema-del-feed', 'Feed theme') } as any))).toEqual([]);
  expect(await after(() => themes().publish({ documentId, locale: 'en' } as any))).toEqual(['THEME tema-del-feed en PUBLISHED']);
  expect(await after(() => themes().unpublish({ documentId, locale: 'it' } as any))).toEqual(['THEME tema-del-feed it UNPUBLISHED']);
  expect(await after(() => themes().delete({ documentId, locale: '*' } as any))).toEqual(['THEME tema-del-feed en DELETED']);

  // The feed keeps the latest event of each record and locale: read from zero, the theme is two tombstones.
  const fromZero = (await all()).items.filter((c) => c.documentId === documentId);
  expect(summary(fromZero)).toEqual(['THEME tema-del-feed it UNPUBLISHED', 'THEME tema-del-feed en DELETED']);
  expect(fromZero.every((c) => !Number.isNaN(Date.parse(c.at)))).toBe(true);
});

test('withdrawing consent unpublishes the person in every locale, and the event where they speak is UPDATED', async () => {
  const [event] = await kb.strapi.documents('api::event.event').findMany({
    status: 'published',
    locale: 'it',
    filters: { agenda: { speakers: { documentId: { $notNull: true } } } },
    populate: { agenda: { populate: { speakers: { fields: ['documentId'] } } } },
  } as any);
  const speaker = (event as any).agenda.find((item: any) => item.speakers.length).speakers[0];
  const locales = (
    await kb.strapi.db.query('api::person.person').findMany({
      where: { documentId: speaker.documentId, publishedAt: { $notNull: true } },
      select: ['locale'],
    })
  ).map((row: any) => row.locale);
  const start = await head();

  await kb.strapi.documents('api::person.person').update({
    documentId: speaker.documentId,
    locale: 'it',
    data: { consentToPublish: false },
  } as any);

  const { items } = await changes({ since: start });
  const person = items.filter((c) => c.documentId === speaker.documentId);
  expect(person.map((c) => `${c.type} ${c.locale} ${c.action}`).sort()).toEqual(
    locales.map((l: string) => `PERSON ${l} UNPUBLISHED`).sort(),
  );
  expect(items).toContainEqual(expect.objectContaining({ type: 'EVENT', documentId: event.documentId, locale: 'it', action: 'UPDATED' }));
  // Events only for what the public API shows: every UPDATED record is published.
  for (const c of items.filter((i) => i.action === 'UPDATED')) {
    const uid = `api::${c.type.toLowerCase().replace(/_/g, '-')}.${c.type.toLowerCase().replace(/_/g, '-')}`;
    expect(
      await kb.strapi.db
        .query(uid as any)
        .count({ where: { documentId: c.documentId, locale: c.locale, publishedAt: { $notNull: true } } }),
    ).toBe(1);
  }
});

test('types and locale filters, and pages that follow each other', async () => {
  const everything = (await all()).items;
  const onlyThemes = (await all({ types: ['THEME', 'TERRITORY'], locale: 'en' })).items;
  expect(onlyThemes).toEqual(everything.filter((c) => ['THEME', 'TERRITORY'].includes(c.type) && c.locale === 'en'));
  expect(onlyThemes.length).toBeGreaterThan(0);

  const first = await changes({ first: 2 });
  expect(first.hasMore).toBe(true);
  expect(first.items).toEqual(everything.slice(0, 2));
  const second = await changes({ first: 3, since: first.nextCursor });
  expect(second.items).toEqual(everything.slice(2, 5));
});

test('REST gives the same pages as GraphQL', async () => {
  const gql = await changes({ first: 5, types: ['GOOD_PRACTICE', 'EVENT'] });
  const rest = await kb.http().get('/api/changes').query({ first: 5, types: 'GOOD_PRACTICE,EVENT' });
  expect(rest.status).toBe(200);
  expect(rest.body).toEqual(gql);
  const next = await kb.http().get('/api/changes').query({ since: gql.nextCursor, first: 5, types: 'GOOD_PRACTICE,EVENT' });
  expect(next.body).toEqual(await changes({ since: gql.nextCursor, first: 5, types: ['GOOD_PRACTICE', 'EVENT'] }));
});

test('bad input is a 400 naming what is wrong, on GraphQL and REST alike', async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ since: 'not-a-cursor' }, /not a cursor of this feed/],
    [{ since: Buffer.from('feed:99999999').toString('base64url') }, /ahead of this feed/],
    [{ first: 0 }, /"first" must be an integer from 1 to 1000/],
    [{ first: 1001 }, /"first" must be an integer from 1 to 1000/],
    [{ locale: 'fr' }, /Unknown locale "fr"/],
  ];
  for (const [variables, message] of cases) {
    const res = await kb.graphql(CHANGES, variables);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } });
    const rest = await kb.http().get('/api/changes').query(variables);
    expect(rest.status).toBe(400);
    expect(rest.body.error.message).toBe(res.body.errors[0].message);
  }
  const rest = await kb.http().get('/api/changes?types=NOPE&first=abc');
  expect(rest.status).toBe(400);
  expect(rest.body.error.message).toMatch(/"first" must be an integer from 1 to 1000 \(got "abc"\)/);
  expect((await kb.http().get('/api/changes?types=NOPE')).body.error.message).toMatch(/Unknown type "NOPE"/);
});

test('a cursor from before a removed tombstone expires (410, resync); from zero still works', async () => {
  const start = await head();
  const created = await themes().create({ locale: 'it', data: theme('tema-che-scade', 'Tema che scade') } as any);
  await themes().publish({ documentId: created.documentId, locale: 'it' } as any);
  await themes().unpublish({ documentId: created.documentId, locale: 'it' } as any);
  // Three years pass for the tombstone; the next publication removes it (retention: two years).
  await knex()('change_feed').where({ document_id: created.documentId }).update({ at: '2020-01-01T00:00:00.000Z' });
  const other = await themes().create({ locale: 'it', data: theme('tema-dopo', 'Tema dopo') } as any);
  await themes().publish({ documentId: other.documentId, locale: 'it' } as any);

  const res = await kb.graphql(CHANGES, { since: start });
  expect(res.status).toBe(410);
  expect(res.body.errors[0]).toMatchObject({
    extensions: { code: 'CURSOR_EXPIRED' },
    message: expect.stringMatching(/Sync again from the beginning/),
  });
  const rest = await kb.http().get('/api/changes').query({ since: start });
  expect(rest.status).toBe(410);
  expect(rest.body.error.message).toBe(res.body.errors[0].message);

  const fromZero = await all();
  expect(fromZero.items.some((c) => c.documentId === created.documentId)).toBe(false);
  expect(fromZero.items).toContainEqual(expect.objectContaining({ slug: 'tema-dopo', action: 'PUBLISHED' }));
  // The cursor of the sync from zero is good.
  expect((await changes({ since: fromZero.nextCursor })).items).toEqual([]);
});

test('a database from before the feed gets it at start: everything published, once', async () => {
  const before = (await all()).items.map((c) => `${c.type} ${c.documentId} ${c.locale} ${c.action}`);
  const live = before.filter((line) => !/UNPUBLISHED|DELETED$/.test(line));
  await knex()('change_feed').delete();
  const { reconcileChangeFeed } = require('../dist/src/public-api/change-feed');
  expect(await reconcileChangeFeed(kb.strapi)).toBe(live.length);
  expect(await reconcileChangeFeed(kb.strapi)).toBe(0);
  const after = (await all()).items.map((c) => `${c.type} ${c.documentId} ${c.locale} PUBLISHED`);
  expect(after.sort()).toEqual(live.map((line) => line.replace(/UPDATED$/, 'PUBLISHED')).sort());
});

test('the records that show many documents are those that show them through the relation, batch by batch', async () => {
  // Many changed documents (an import, a first start after a bulk seed) are matched against every
  // showing record read once; a few, through the relation. Both ways must find the same records.
  const { feedPaths, showing } = require('../dist/src/public-api/change-feed');
  let found = 0;
  for (const [target, paths] of feedPaths(kb.strapi) as Map<string, unknown[]>) {
    const all = await kb.strapi.db.query(target as any).findMany({ select: ['documentId'] });
    const documentIds = [...new Set(all.map((row: any) => row.documentId as string))];
    for (const some of [documentIds, documentIds.filter((_, i) => i % 2 === 0)]) {
      const records = async (readAll: boolean) =>
        [...new Set((await showing(kb.strapi, paths, some, readAll)).map((e: any) => `${e.type} ${e.documentId} ${e.locale}`))].sort();
      const batched = await records(false);
      expect({ target, records: await records(true) }).toEqual({ target, records: batched });
      found += batched.length;
    }
  }
  expect(found).toBeGreaterThan(20);
});
