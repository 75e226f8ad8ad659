/**
 * The full-text search index (src/public-api/search): one row per published document and locale, its
 * facets, and the engine's own full-text structure: an FTS5 table kept in step by triggers on
 * SQLite, a weighted tsvector with a GIN index on PostgreSQL. Derived data: it is filled at
 * start-up when empty and rebuilt by `npm run search:reindex`.
 * Self-contained on purpose: a migration must keep meaning what it meant when it was written.
 */
export async function up(knex: any): Promise<void> {
  const client = String(knex.client.config.client);
  if (await knex.schema.hasTable('search_entries')) return;

  await knex.schema.createTable('search_entries', (table: any) => {
    table.increments('id');
    table.string('type', 32).notNullable();
    table.string('document_id', 255).notNullable();
    table.string('locale', 16).notNullable();
    table.string('slug', 255).notNullable();
    table.text('title').notNullable();
    table.text('texts').notNullable();
    table.text('title_terms').notNullable();
    table.text('body_terms').notNullable();
    table.text('related_terms').notNullable();
    table.string('start_date', 10);
    table.string('end_date', 10);
    table.unique(['type', 'document_id', 'locale']);
    // Covers what matching, filtering and ranking read of every match, so that the wide
    // columns (texts) are read only for the page shown.
    table.index(['id', 'locale', 'type', 'slug', 'start_date', 'end_date'], 'search_entries_filter');
  });
  await knex.schema.createTable('search_facets', (table: any) => {
    table.integer('entry_id').notNullable().references('id').inTable('search_entries').onDelete('CASCADE');
    table.string('kind', 32).notNullable();
    table.string('value', 255).notNullable();
    table.index(['kind', 'value', 'entry_id']);
    table.index(['entry_id']);
  });

  if (client === 'sqlite' || client === 'better-sqlite3') {
    // Terms are analysed in JavaScript (stemmed, folded); FTS5 only splits them on spaces.
    await knex.raw(`CREATE VIRTUAL TABLE search_fts USING fts5(
      title_terms, body_terms, related_terms,
      content='search_entries', content_rowid='id', tokenize='unicode61 remove_diacritics 0')`);
    await knex.raw(`CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN
      INSERT INTO search_fts(rowid, title_terms, body_terms, related_terms) VALUES (new.id, new.title_terms, new.body_terms, new.related_terms);
    END`);
    await knex.raw(`CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN
      INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms, related_terms) VALUES ('delete', old.id, old.title_terms, old.body_terms, old.related_terms);
    END`);
    await knex.raw(`CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN
      INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms, related_terms) VALUES ('delete', old.id, old.title_terms, old.body_terms, old.related_terms);
      INSERT INTO search_fts(rowid, title_terms, body_terms, related_terms) VALUES (new.id, new.title_terms, new.body_terms, new.related_terms);
    END`);
  } else if (client === 'postgres' || client === 'pg') {
    // 'simple': the terms are already stemmed; weights rank title (A) over body (B) over related names (C).
    await knex.raw(`ALTER TABLE search_entries ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
      setweight(to_tsvector('simple', title_terms), 'A') ||
      setweight(to_tsvector('simple', body_terms), 'B') ||
      setweight(to_tsvector('simple', related_terms), 'C')) STORED`);
    await knex.raw('CREATE INDEX search_entries_tsv ON search_entries USING GIN (tsv)');
  } else {
    throw new Error(`Full-text search supports SQLite and PostgreSQL, not ${client}.`);
  }
}
