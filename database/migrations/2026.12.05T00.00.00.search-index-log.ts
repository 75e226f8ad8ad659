/**
 * The log of changes to the search index (src/public-api/search/held-sync.ts): each write that
 * replaces a document's entries adds a row (its type and documentId), a rebuild empties the log
 * and adds one row of type '*'. Each node holds the index in memory and, before a search, reads
 * the rows past the last it applied: an edit made on any node is searchable on every node at its
 * next search. On PostgreSQL the writers take turns (an advisory lock) until they commit, so that
 * the rows become visible in the order of their numbers.
 * Self-contained on purpose: a migration must keep meaning what it meant when it was written.
 */
export async function up(knex: any): Promise<void> {
  if (await knex.schema.hasTable('search_index_log')) return;
  await knex.schema.createTable('search_index_log', (table: any) => {
    table.increments('seq').primary();
    table.string('type', 64).notNullable();
    table.string('document_id', 255).notNullable();
  });
}
