/**
 * Search (src/public-api/search): the engines' full-text structures hold the entries' filter words
 * only. Searches are answered by the index each node holds in memory; what the database still
 * looks up by word is which records name a related one (a theme, a territory...) when it changes,
 * by their filter words (`_theme_<documentId>`...). The terms of titles, bodies and related names
 * were indexed for nothing, at every write and in every rebuild.
 * SQLite: the FTS5 table over `filter_terms` alone, without prefix indexes.
 * PostgreSQL: `filter_tsv`, the filter words alone, in place of `tsv`; and rows laid out as
 * PostgreSQL does by default. Narrow rows (`toast_tuple_target` 128, from 2026.12.02T02) made
 * counts in SQL visit fewer pages; now a search's page read its entries' texts out of line and
 * compressed. The entries are emptied there: the start that runs this migration rebuilds them.
 * Self-contained on purpose: a migration must keep meaning what it meant when it was written.
 */
export async function up(knex: any): Promise<void> {
  const client = String(knex.client.config.client);
  if (!(await knex.schema.hasTable('search_entries'))) return;
  if (client === 'sqlite' || client === 'better-sqlite3') {
    const [fts] = await knex('sqlite_master').select('sql').where({ type: 'table', name: 'search_fts' });
    if (fts && /fts5\(\s*filter_terms\s*,/.test(fts.sql)) return;
    for (const trigger of ['search_entries_ai', 'search_entries_ad', 'search_entries_au'])
      await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
    await knex.raw('DROP TABLE IF EXISTS search_fts');
    await knex.raw(`CREATE VIRTUAL TABLE search_fts USING fts5(filter_terms,
      content='search_entries', content_rowid='id', tokenize="unicode61 remove_diacritics 0 tokenchars '_'")`);
    await knex.raw(`INSERT INTO search_fts(search_fts) VALUES ('rebuild')`);
    await knex.raw(`CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
      INSERT INTO search_fts(rowid, filter_terms) VALUES (new.id, new.filter_terms);
    END`);
    await knex.raw(`CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
      INSERT INTO search_fts(search_fts, rowid, filter_terms) VALUES ('delete', old.id, old.filter_terms);
    END`);
    await knex.raw(`CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN
      INSERT INTO search_fts(search_fts, rowid, filter_terms) VALUES ('delete', old.id, old.filter_terms);
      INSERT INTO search_fts(rowid, filter_terms) VALUES (new.id, new.filter_terms);
    END`);
    return;
  }
  if (await knex.schema.hasColumn('search_entries', 'filter_tsv')) return;
  // Emptied first: the columns below then change on an empty table, not by rewriting every row.
  await knex('search_entries').delete();
  await knex.raw('ALTER TABLE search_entries DROP COLUMN IF EXISTS tsv');
  await knex.raw(`ALTER TABLE search_entries ADD COLUMN filter_tsv tsvector
    GENERATED ALWAYS AS (array_to_tsvector(array_remove(string_to_array(filter_terms, ' '), ''))) STORED`);
  await knex.raw('CREATE INDEX search_entries_filter_tsv ON search_entries USING GIN (filter_tsv)');
  await knex.raw('ALTER TABLE search_entries RESET (toast_tuple_target)');
}
