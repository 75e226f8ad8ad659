/**
 * Search at scale (src/public-api/search): filters are matched by the full-text index itself and
 * title hits found without reading every match. Each entry gets `filter_terms` (its locale, type
 * and facets as words, `_kind_value`); SQLite's FTS5 table indexes them in a column of its own
 * (`_` is a letter of its tokenizer); PostgreSQL's tsvector holds them as they are, and the title's
 * terms once more marked (`^term`), so that a title hit, a filter and the words are one GIN lookup.
 * The entries are emptied: the start that runs this migration rebuilds them, filter terms included.
 * Self-contained on purpose: a migration must keep meaning what it meant when it was written.
 */
export async function up(knex: any): Promise<void> {
  const client = String(knex.client.config.client);
  if (!(await knex.schema.hasTable('search_entries')) || (await knex.schema.hasColumn('search_entries', 'filter_terms'))) return;
  const sqlite = client === 'sqlite' || client === 'better-sqlite3';
  if (sqlite) {
    // Without the triggers, emptying the entries leaves the old FTS table alone: it is dropped whole.
    for (const trigger of ['search_entries_ai', 'search_entries_ad', 'search_entries_au'])
      await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
    await knex.raw('DROP TABLE IF EXISTS search_fts');
  }
  // search_facets is gone from 2026.12.04 on: this migration may run again after it (a restored record of migrations).
  for (const table of ['search_term_keys', 'search_terms', 'search_facets', 'search_entries'])
    if (await knex.schema.hasTable(table)) await knex(table).delete();
  await knex.schema.alterTable('search_entries', (table: any) => {
    table.text('filter_terms').notNullable().defaultTo('');
  });

  if (sqlite) {
    const columns = 'title_terms, body_terms, related_terms, filter_terms';
    const values = (row: string) => `${row}.title_terms, ${row}.body_terms, ${row}.related_terms, ${row}.filter_terms`;
    await knex.raw(`CREATE VIRTUAL TABLE search_fts USING fts5(${columns},
      content='search_entries', content_rowid='id', tokenize="unicode61 remove_diacritics 0 tokenchars '_'")`);
    await knex.raw(`CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
      INSERT INTO search_fts(rowid, ${columns}) VALUES (new.id, ${values('new')});
    END`);
    await knex.raw(`CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
      INSERT INTO search_fts(search_fts, rowid, ${columns}) VALUES ('delete', old.id, ${values('old')});
    END`);
    await knex.raw(`CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN
      INSERT INTO search_fts(search_fts, rowid, ${columns}) VALUES ('delete', old.id, ${values('old')});
      INSERT INTO search_fts(rowid, ${columns}) VALUES (new.id, ${values('new')});
    END`);
  } else {
    // Weights rank title (A) over body (B) over related names (C); marked title terms and filters (D) are never ranked.
    await knex.raw('ALTER TABLE search_entries DROP COLUMN tsv');
    await knex.raw(`ALTER TABLE search_entries ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple', title_terms), 'A') ||
      setweight(to_tsvector('simple', body_terms), 'B') ||
      setweight(to_tsvector('simple', related_terms), 'C') ||
      setweight(array_to_tsvector(string_to_array(trim('^' || replace(title_terms, ' ', ' ^') || ' ' || filter_terms), ' ')), 'D')) STORED`);
    await knex.raw('CREATE INDEX search_entries_tsv ON search_entries USING GIN (tsv)');
  }
}
