/**
 * Search index writes (src/public-api/search): an entry's facets (the related records it names,
 * its target groups and status) were kept twice, as rows of search_facets and as the entry's
 * filter words (`_theme_<documentId>`…, since 2026.12.02T01), which the full-text index holds.
 * The records that name a related one are now found through those words, so search_facets goes:
 * a rebuild at 10,000 practices spent 3.2 s of PostgreSQL's 17 s writing its 200,000 rows (two
 * indexes and a foreign key each). The entries are untouched.
 * Self-contained on purpose: a migration must keep meaning what it meant when it was written.
 */
export async function up(knex: any): Promise<void> {
  await knex.schema.dropTableIfExists('search_facets');
}
