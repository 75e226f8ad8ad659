/**
 * Search (src/public-api/search): the vocabulary's tables go. search_terms (how many entries hold
 * each term) and search_term_keys (each term under its deletion keys) served typo lookups; each
 * node's index held in memory now has the same vocabulary, counted from the entries it holds, and
 * finds a word's typos there without a statement. Every write that reindexed a record upserted
 * and counted its terms in them, and a rebuild wrote them whole.
 * Self-contained on purpose: a migration must keep meaning what it meant when it was written.
 */
export async function up(knex: any): Promise<void> {
  await knex.schema.dropTableIfExists('search_term_keys');
  await knex.schema.dropTableIfExists('search_terms');
}
