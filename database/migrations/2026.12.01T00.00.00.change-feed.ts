/**
 * The change feed (src/public-api/change-feed): one row per record and locale, its latest
 * publication event (an older event of the same record and locale is replaced, so a sync from
 * zero reads the present, not all history); the row id is the cursor. The horizon holds the
 * newest cursor of a tombstone removed after the retention time: a client behind it may have
 * missed a deletion and must sync again from zero.
 * Self-contained on purpose: a migration must keep meaning what it meant when it was written.
 */
export async function up(knex: any): Promise<void> {
  if (!(await knex.schema.hasTable('change_feed'))) {
    await knex.schema.createTable('change_feed', (table: any) => {
      table.increments('id');
      table.string('type', 32).notNullable();
      table.string('document_id', 255).notNullable();
      table.string('locale', 16).notNullable();
      table.string('slug', 255).notNullable();
      table.string('action', 16).notNullable();
      table.string('at', 24).notNullable();
      table.unique(['type', 'document_id', 'locale']);
      table.index(['action', 'at'], 'change_feed_tombstones');
    });
  }
  if (!(await knex.schema.hasTable('change_feed_horizon'))) {
    await knex.schema.createTable('change_feed_horizon', (table: any) => {
      table.integer('id').primary();
      table.bigInteger('pruned_through').notNullable();
    });
    await knex('change_feed_horizon').insert({ id: 1, pruned_through: 0 });
  }
}
