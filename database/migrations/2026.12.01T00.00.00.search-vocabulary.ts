/**
 * The search index's vocabulary (src/public-api/search): every distinct term of the index per
 * locale with how many entries hold it, and each term under its deletion keys (the term with one
 * letter left out), so that a mistyped word finds its neighbours with an index lookup.
 * The index also covers more types (projects, organisations, people, territories, themes) and
 * names (speakers, trainers, facilitators): its entries are emptied here, and the start that runs
 * this migration rebuilds them, vocabulary included, from the published content.
 * Self-contained on purpose: a migration must keep meaning what it meant when it was written.
 */
export async function up(knex: any): Promise<void> {
  if (await knex.schema.hasTable('search_terms')) return;
  await knex.schema.createTable('search_terms', (table: any) => {
    table.string('locale', 16).notNullable();
    table.string('term', 255).notNullable();
    table.integer('entries').notNullable();
    table.primary(['locale', 'term']);
  });
  await knex.schema.createTable('search_term_keys', (table: any) => {
    table.string('locale', 16).notNullable();
    table.string('key', 255).notNullable();
    table.string('term', 255).notNullable();
    table.primary(['locale', 'key', 'term']);
    table.index(['locale', 'term']);
  });
  await knex('search_facets').delete();
  await knex('search_entries').delete();
}
