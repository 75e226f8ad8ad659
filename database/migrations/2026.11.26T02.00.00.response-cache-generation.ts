/**
 * The response cache's generation (src/edge/response-cache) when nodes share no Redis: one row whose
 * number every write to published content raises, read by every node before it answers from
 * its cache, so that an edit on one node is never answered stale by another.
 * Self-contained on purpose: a migration must keep meaning what it meant when it was written.
 */
export async function up(knex: any): Promise<void> {
  if (await knex.schema.hasTable('response_cache_generation')) return;
  await knex.schema.createTable('response_cache_generation', (table: any) => {
    table.integer('id').primary();
    table.bigInteger('generation').notNullable();
  });
  await knex('response_cache_generation').insert({ id: 1, generation: 1 });
}
