/** Data migrations (database/migrations) run once, at start, before schema sync, on both engines. */
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startKnowledgeBase } from './helpers/strapi';

const MIGRATION = '2026.11.26T00.00.00.license-on-every-record';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

/**
 * A published theme that practices carry, renamed with a new word, then searched for by that word:
 * the records that name the theme are found through the index's filter words and indexed again.
 */
async function renameThemeAndSearch(kb: Awaited<ReturnType<typeof startKnowledgeBase>>) {
  const themes = kb.strapi.documents('api::theme.theme' as any);
  const theme = (await themes.findMany({ status: 'published', locale: 'it', populate: ['goodPractices'] } as any)).find(
    (one: any) => one.goodPractices.length > 0,
  );
  await themes.update({ documentId: theme.documentId, locale: 'it', data: { name: `${theme.name} zanzibarica` } } as any);
  await themes.publish({ documentId: theme.documentId, locale: 'it' } as any);
  const res = await kb.graphql('{ search(query: "zanzibarica", locale: "it", pagination: { pageSize: 50 }) { items { type slug } } }');
  const found: string[] = res.body.data.search.items.map((item: { type: string; slug: string }) => `${item.type} ${item.slug}`);
  return { theme, found };
}

test('a fresh database records the migration as done', async () => {
  const kb = await startKnowledgeBase({ database });
  try {
    const done = await kb.strapi.db.connection('strapi_migrations').select('name');
    expect(done.map((m: { name: string }) => m.name)).toContain(`${MIGRATION}.js`);
  } finally {
    await kb.stop();
  }
});

test('rows without a licence get the default on the next start, and the API shows it', async () => {
  const first = await startKnowledgeBase({ database });
  try {
    // Rows as an older version or a raw import left them.
    await first.strapi.db.connection('good_practices').update({ license: null });
    await first.strapi.db.connection('themes').update({ license: '' });
    await first.strapi.db.connection('strapi_migrations').where('name', `${MIGRATION}.js`).delete();
  } finally {
    await first.stop();
  }

  const second = await startKnowledgeBase({ database });
  try {
    const missing = await second.strapi.db.connection('good_practices').whereNull('license').count({ n: '*' });
    expect(Number(missing[0].n)).toBe(0);
    const res = await second.graphql(`{ goodPractices { license } themes { license } }`);
    const licences = [...res.body.data.goodPractices, ...res.body.data.themes].map((r: any) => r.license);
    expect(new Set(licences)).toEqual(new Set(['CC-BY-4.0']));
    expect(licences).toHaveLength(11);
  } finally {
    await second.stop();
  }
});

test('a search index laid out before prefix indexes and narrow rows is converted on the next start, and finds the same', async () => {
  const SEARCH_MIGRATION = '2026.12.02T02.00.00.search-prefixes-and-narrow-rows';
  const search = async (kb: Awaited<ReturnType<typeof startKnowledgeBase>>, query: string) =>
    (await kb.graphql(`{ search(query: "${query}", locale: "it", pagination: { pageSize: 50 }) { total items { slug } } }`)).body.data
      .search;
  const sqlite = database.env.DATABASE_CLIENT === 'sqlite';
  const layout = async (kb: Awaited<ReturnType<typeof startKnowledgeBase>>): Promise<string> => {
    const knex = kb.strapi.db.connection;
    if (sqlite) return (await knex('sqlite_master').where('name', 'search_fts').first('sql')).sql;
    return String((await knex.raw(`SELECT reloptions FROM pg_class WHERE oid = 'search_entries'::regclass`)).rows[0].reloptions);
  };
  const first = await startKnowledgeBase({ database });
  let before: Record<string, unknown>;
  try {
    before = { co: await search(first, 'co'), integr: await search(first, 'integrazione') };
    expect((before.co as { total: number }).total).toBeGreaterThan(0);
    // The layout as the migration found it: FTS5 without prefix indexes (SQLite), the default row layout (PostgreSQL).
    const knex = first.strapi.db.connection;
    if (sqlite) {
      const { sql } = await knex('sqlite_master').where('name', 'search_fts').first('sql');
      await knex.raw('DROP TABLE search_fts');
      await knex.raw(sql.replace(/, prefix='[^']*'/, ''));
      await knex.raw(`INSERT INTO search_fts(search_fts) VALUES ('rebuild')`);
    } else await knex.raw('ALTER TABLE search_entries RESET (toast_tuple_target)');
    expect(await layout(first)).not.toMatch(/prefix=|toast_tuple_target/);
    await knex('strapi_migrations').where('name', `${SEARCH_MIGRATION}.js`).delete();
  } finally {
    await first.stop();
  }

  const second = await startKnowledgeBase({ database });
  try {
    expect(await layout(second)).toMatch(sqlite ? /prefix='2 3 4'/ : /toast_tuple_target=128/);
    expect({ co: await search(second, 'co'), integr: await search(second, 'integrazione') }).toEqual(before);
  } finally {
    await second.stop();
  }
});

test('a search index with the facets table of before is left without it on the next start, and renaming a theme still reaches the records that carry it', async () => {
  const FACETS_MIGRATION = '2026.12.04T00.00.00.search-facets-in-filter-words';
  const hasFacets = async (kb: Awaited<ReturnType<typeof startKnowledgeBase>>) => kb.strapi.db.connection.schema.hasTable('search_facets');
  const first = await startKnowledgeBase({ database });
  try {
    expect(await hasFacets(first)).toBe(false);
    // The table as the migration found it, with rows.
    const knex = first.strapi.db.connection;
    await knex.schema.createTable('search_facets', (table: any) => {
      table.integer('entry_id').notNullable().references('id').inTable('search_entries').onDelete('CASCADE');
      table.string('kind', 32).notNullable();
      table.string('value', 255).notNullable();
    });
    const [entry] = await knex('search_entries').select('id').limit(1);
    await knex('search_facets').insert({ entry_id: entry.id, kind: 'theme', value: 'x' });
    await knex('strapi_migrations').where('name', `${FACETS_MIGRATION}.js`).delete();
  } finally {
    await first.stop();
  }

  const second = await startKnowledgeBase({ database });
  try {
    expect(await hasFacets(second)).toBe(false);
    const { theme, found } = await renameThemeAndSearch(second);
    expect(found).toContain(`THEME ${theme.slug}`);
    for (const practice of theme.goodPractices) expect(found).toContain(`GOOD_PRACTICE ${practice.slug}`);
  } finally {
    await second.stop();
  }
});

test('a full-text index over every term is narrowed to the filter words on the next start: searches find the same, and a renamed theme still reaches the records that carry it', async () => {
  const NARROW_MIGRATION = '2026.12.07T00.00.00.search-full-text-for-facets-only';
  const sqlite = database.env.DATABASE_CLIENT === 'sqlite';
  const queries = ['co', 'integrazione', 'rete territoriale', 'formazzione'];
  const searches = async (kb: Awaited<ReturnType<typeof startKnowledgeBase>>) =>
    Promise.all(
      queries.map(
        async (query) =>
          (await kb.graphql(`{ search(query: "${query}", locale: "it", pagination: { pageSize: 50 }) { total items { slug score } } }`))
            .body.data.search,
      ),
    );
  /** What the engine's full-text structure is made of. */
  const layout = async (kb: Awaited<ReturnType<typeof startKnowledgeBase>>) => {
    const knex = kb.strapi.db.connection;
    if (sqlite) return (await knex('sqlite_master').where('name', 'search_fts').first('sql')).sql.replace(/\s+/g, ' ');
    const columns = (await knex('information_schema.columns').where('table_name', 'search_entries').pluck('column_name')).filter(
      (name: string) => name.endsWith('tsv'),
    );
    const { rows } = await knex.raw(`SELECT reloptions FROM pg_class WHERE oid = 'search_entries'::regclass`);
    return `${columns.join(',')} ${rows[0].reloptions ?? 'defaults'}`;
  };
  const first = await startKnowledgeBase({ database });
  let before: unknown;
  try {
    before = await searches(first);
    // The layout as the migration finds it (2026.12.02T01 and T02): every term indexed, narrow rows on PostgreSQL.
    const knex = first.strapi.db.connection;
    if (sqlite) {
      for (const trigger of ['search_entries_ai', 'search_entries_ad', 'search_entries_au'])
        await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
      await knex.raw('DROP TABLE IF EXISTS search_fts');
      await knex.raw(`CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, related_terms, filter_terms,
        content='search_entries', content_rowid='id', tokenize="unicode61 remove_diacritics 0 tokenchars '_'", prefix='2 3 4')`);
      await knex.raw(`INSERT INTO search_fts(search_fts) VALUES ('rebuild')`);
    } else {
      await knex.raw('ALTER TABLE search_entries DROP COLUMN IF EXISTS filter_tsv, DROP COLUMN IF EXISTS tsv');
      await knex.raw(`ALTER TABLE search_entries ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple', body_terms), 'B')) STORED`);
      await knex.raw('ALTER TABLE search_entries SET (toast_tuple_target = 128)');
    }
    expect(await layout(first)).toMatch(sqlite ? /prefix='2 3 4'/ : /^tsv toast_tuple_target=128$/);
    await knex('strapi_migrations').where('name', `${NARROW_MIGRATION}.js`).delete();
  } finally {
    await first.stop();
  }

  const second = await startKnowledgeBase({ database });
  try {
    expect(await layout(second)).toMatch(sqlite ? /fts5\(filter_terms, content='search_entries'/ : /^filter_tsv defaults$/);
    expect(await searches(second)).toEqual(before);
    const knex = second.strapi.db.connection;
    if (sqlite) await knex.raw(`INSERT INTO search_fts(search_fts) VALUES ('integrity-check')`);
    // The records that name a theme are found through its filter word, in the narrowed structure.
    const { theme, found } = await renameThemeAndSearch(second);
    for (const practice of theme.goodPractices) expect(found).toContain(`GOOD_PRACTICE ${practice.slug}`);
  } finally {
    await second.stop();
  }
});
