/**
 * Every record of the knowledge base carries a licence (CC-BY-4.0 unless an editor chose
 * another). Rows written before the licence existed, or by raw SQL imports, get the default.
 * Self-contained on purpose: a migration must keep meaning what it meant when it was written.
 * Runs before Strapi's schema sync, so on a fresh database the tables do not exist yet.
 */
const TABLES = [
  'projects',
  'good_practices',
  'trainings',
  'thematic_tables',
  'outcomes',
  'events',
  'organizations',
  'people',
  'territories',
  'themes',
];
const DEFAULT_LICENSE = 'CC-BY-4.0';

export async function up(knex: any): Promise<void> {
  for (const table of TABLES) {
    if (!(await knex.schema.hasTable(table)) || !(await knex.schema.hasColumn(table, 'license'))) continue;
    await knex(table)
      .update({ license: DEFAULT_LICENSE })
      .where((q: any) => q.whereNull('license').orWhere('license', ''));
  }
}
