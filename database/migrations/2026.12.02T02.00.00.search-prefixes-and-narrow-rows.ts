/**
 * Search speed at scale (src/public-api/search), for the prefixes that typing sends and the counts
 * of common words.
 * SQLite: the FTS5 table gets prefix indexes for 2, 3 and 4 letters. Without them, the last word
 * typed as a prefix merged the posting lists of every term it starts (at 10,000 practices, "co"
 * took 16 ms to count and 31 ms to rank a block; with them 2 ms each). The table is created again
 * and rebuilt from the entries, which stay as they are.
 * PostgreSQL: each entry's wide columns (texts, terms, the tsvector) are kept out of line, so that
 * the table itself holds a few hundred bytes per entry: counting the matches of a common word
 * visits each match's page, 630 pages instead of 4,400 at 10,000 practices (9 ms to 3 ms). The
 * entries are emptied: the start that runs this migration rebuilds them in the new layout.
 * Self-contained on purpose: a migration must keep meaning what it meant when it was written.
 */
export async function up(knex: any): Promise<void> {
  const client = String(knex.client.config.client);
  if (!(await knex.schema.hasTable('search_entries'))) return;
  if (client === 'sqlite' || client === 'better-sqlite3') {
    const [fts] = await knex('sqlite_master').select('sql').where({ type: 'table', name: 'search_fts' });
    if (!fts || /prefix=/.test(fts.sql)) return;
    const columns = 'title_terms, body_terms, related_terms, filter_terms';
    const values = (row: string) => `${row}.title_terms, ${row}.body_terms, ${row}.related_terms, ${row}.filter_terms`;
    for (const trigger of ['search_entries_ai', 'search_entries_ad', 'search_entries_au'])
      await knex.raw(`DROP TRIGGER IF EXISTS ${trigger}`);
    await knex.raw('DROP TABLE search_fts');
    await knex.raw(`CREATE VIRTUAL TABLE search_fts USING fts5(${columns},
      content='search_entries', content_rowid='id', tokenize="unicode61 remove_diacritics 0 tokenchars '_'", prefix='2 3 4')`);
    await knex.raw(`INSERT INTO search_fts(search_fts) VALUES ('rebuild')`);
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
    return;
  }
  const { rows } = await knex.raw(`SELECT reloptions FROM pg_class WHERE oid = 'search_entries'::regclass`);
  if ((rows[0]?.reloptions ?? []).some((option: string) => option.startsWith('toast_tuple_target='))) return;
  // The smallest target PostgreSQL takes: every column that can go out of line does.
  await knex.raw('ALTER TABLE search_entries SET (toast_tuple_target = 128)');
  // search_facets is gone from 2026.12.04 on: this migration may run again after it (a restored record of migrations).
  for (const table of ['search_term_keys', 'search_terms', 'search_facets', 'search_entries'])
    if (await knex.schema.hasTable(table)) await knex(table).delete();
}
