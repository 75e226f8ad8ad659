/**
 * A record's page and REST's `filters[slug][$eq]` find it through an index on every public type
 * (src/content/lookup-indexes), not a scan of its table: the index is there from a new database's
 * first start, after a restart, and on a database from before it, after its next start. So are the
 * index a list sorted by title reads its page from, and the change feed's index for pages of some types.
 */
import { PUBLIC_UIDS } from '../src/content/model/core';
import { createTestDatabase, testEngine, type TestDatabase } from './helpers/database';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const COLUMNS = ['slug', 'locale', 'published_at'];
// The inspector lists an index's columns in no set order on PostgreSQL: the plan below shows the index serves the lookup.
const SORTED_COLUMNS = [...COLUMNS].sort();

const tables = (kb: KnowledgeBase) => PUBLIC_UIDS.map((uid) => (kb.strapi.contentTypes as any)[uid].collectionName as string);
const indexName = (table: string) => `${table}_slug_lookup_idx`;

/** Each public table's slug-lookup index, as the database reports it: its columns (sorted), or undefined. */
async function lookupIndexes(kb: KnowledgeBase): Promise<Record<string, string[] | undefined>> {
  const inspector = (kb.strapi.db as any).dialect.schemaInspector;
  const found: Record<string, string[] | undefined> = {};
  for (const table of tables(kb)) {
    const indexes: { name: string; columns: string[] }[] = await inspector.getIndexes(table);
    found[table] = indexes.find((index) => index.name === indexName(table))?.columns.sort();
  }
  return found;
}

const everyTableIndexed = (kb: KnowledgeBase) => Object.fromEntries(tables(kb).map((table) => [table, SORTED_COLUMNS]));

/** The public tables without their title-order index. */
async function withoutTitleOrder(kb: KnowledgeBase): Promise<string[]> {
  const inspector = (kb.strapi.db as any).dialect.schemaInspector;
  const missing: string[] = [];
  for (const table of tables(kb)) {
    const indexes: { name: string }[] = await inspector.getIndexes(table);
    if (!indexes.some((index) => index.name === `${table}_title_order_idx`)) missing.push(table);
  }
  return missing;
}

/** The plan of a page of practices sorted by title (what `sort: "title"` runs), PostgreSQL told to avoid scans. */
async function planOfTitlePage(kb: KnowledgeBase): Promise<string> {
  const knex = kb.strapi.db.connection;
  const page = knex('good_practices')
    .select('id')
    .where({ locale: 'it' })
    .whereNotNull('published_at')
    .orderBy(['title', 'id'])
    .limit(25)
    .toSQL();
  if (testEngine() === 'sqlite') {
    const rows = await knex.raw(`EXPLAIN QUERY PLAN ${page.sql}`, page.bindings as any[]);
    return rows.map((row: { detail: string }) => row.detail).join('\n');
  }
  return knex.transaction(async (trx) => {
    await trx.raw('SET LOCAL enable_seqscan = off');
    await trx.raw('SET LOCAL enable_sort = off');
    const result = await trx.raw(`EXPLAIN ${page.sql}`, page.bindings as any[]);
    return result.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
  });
}

/** The columns of the change feed's index for pages of some types (database/migrations), in order, as its definition gives them. */
async function feedTypeOrderIndex(kb: KnowledgeBase): Promise<string | undefined> {
  const knex = kb.strapi.db.connection;
  const row =
    testEngine() === 'sqlite'
      ? await knex('sqlite_master').where({ type: 'index', name: 'change_feed_type_order' }).first('sql as definition')
      : await knex('pg_indexes').where({ indexname: 'change_feed_type_order' }).first('indexdef as definition');
  return row?.definition.match(/\(([^)]*)\)\s*$/)?.[1];
}

/** The database's plan for the statement a by-slug read runs; PostgreSQL told to avoid scans, as it would at scale. */
async function planOfSlugLookup(kb: KnowledgeBase, slug: string): Promise<string> {
  const knex = kb.strapi.db.connection;
  const lookup = knex('good_practices')
    .select('id')
    .where({ slug, locale: 'it' })
    .whereNotNull('published_at')
    .orderBy('id')
    .limit(1)
    .toSQL();
  if (testEngine() === 'sqlite') {
    const rows = await knex.raw(`EXPLAIN QUERY PLAN ${lookup.sql}`, lookup.bindings as any[]);
    return rows.map((row: { detail: string }) => row.detail).join('\n');
  }
  // On a table of a few rows any index on locale costs the planner the same as the slug index: the
  // title-order index is set aside for this plan only (DDL in a transaction that is rolled back).
  let plan = '';
  await knex
    .transaction(async (trx) => {
      await trx.raw('SET LOCAL enable_seqscan = off');
      await trx.raw('DROP INDEX good_practices_title_order_idx');
      const result = await trx.raw(`EXPLAIN ${lookup.sql}`, lookup.bindings as any[]);
      plan = result.rows.map((row: Record<string, string>) => row['QUERY PLAN']).join('\n');
      throw new Error('rolled back');
    })
    .catch((error: Error) => {
      if (error.message !== 'rolled back') throw error;
    });
  return plan;
}

/** Runs `check` on a knowledge base booted on `database`, which is then dropped. */
async function onDatabase(database: TestDatabase, check: (kb: KnowledgeBase) => Promise<void>): Promise<void> {
  try {
    const kb = await startKnowledgeBase({ database });
    try {
      await check(kb);
    } finally {
      await kb.stop();
    }
  } finally {
    await database.drop();
  }
}

test("a new database's first start indexes every public type by slug, locale and publication, and a page's read uses it", async () => {
  await onDatabase(await createTestDatabase(), async (kb) => {
    expect(await lookupIndexes(kb)).toEqual(everyTableIndexed(kb));
    expect(await feedTypeOrderIndex(kb)).toBe('type, id');
    const { goodPractices } = await kb.data(`{ goodPractices(locale: "it", pagination: { pageSize: 1 }, sort: "slug") { slug title } }`);
    const [practice] = goodPractices;
    expect(await planOfSlugLookup(kb, practice.slug)).toContain(indexName('good_practices'));
    expect(await withoutTitleOrder(kb)).toEqual([]);
    const titlePage = await planOfTitlePage(kb);
    expect(titlePage).toContain('good_practices_title_order_idx');
    expect(titlePage).not.toMatch(/TEMP B-TREE|Sort/);

    const byGraphql = await kb.data(`query($slug: String!) { goodPractices(locale: "it", filters: { slug: { eq: $slug } }) { title } }`, {
      slug: practice.slug,
    });
    expect(byGraphql.goodPractices).toEqual([{ title: practice.title }]);
    const byRest = await kb.http().get('/api/good-practices').query({ locale: 'it', 'filters[slug][$eq]': practice.slug, populate: '*' });
    expect(byRest.status).toBe(200);
    expect(byRest.body.data.map((record: { title: string }) => record.title)).toEqual([practice.title]);
  });
  // A first start: schema sync and the whole seed, on a loaded machine longer than a test's usual limit.
}, 360000);

// A template's copy is a database that has had its first start: booting on it is a restart.
test('the indexes survive a restart', async () => {
  await onDatabase(await createTestDatabase('seeded'), async (kb) => {
    expect(await lookupIndexes(kb)).toEqual(everyTableIndexed(kb));
    expect(await withoutTitleOrder(kb)).toEqual([]);
    expect(await feedTypeOrderIndex(kb)).toBe('type, id');
  });
});

test('a database from before the indexes gets them at its next start', async () => {
  const database = await createTestDatabase('seeded');
  const old = await startKnowledgeBase({ database });
  try {
    // The database as the version before these indexes left it: none on its tables, an older schema recorded.
    for (const table of tables(old)) {
      await old.strapi.db.connection.schema.alterTable(table, (builder) => builder.dropIndex(COLUMNS, indexName(table)));
      await old.strapi.db.connection.schema.alterTable(table, (builder) => builder.dropIndex([], `${table}_title_order_idx`));
    }
    await old.strapi.db.connection('strapi_database_schema').update({ hash: 'a schema without the lookup indexes' });
    await old.strapi.db.connection.schema.alterTable('change_feed', (builder) =>
      builder.dropIndex(['type', 'id'], 'change_feed_type_order'),
    );
    await old.strapi.db.connection('strapi_migrations').where('name', 'like', '%change-feed-type-order%').delete();
  } finally {
    await old.stop();
  }
  await onDatabase(database, async (kb) => {
    expect(await lookupIndexes(kb)).toEqual(everyTableIndexed(kb));
    expect(await withoutTitleOrder(kb)).toEqual([]);
    expect(await feedTypeOrderIndex(kb)).toBe('type, id');
  });
});
