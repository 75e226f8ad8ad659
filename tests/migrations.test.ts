/** Data migrations (database/migrations) run once, at start, before schema sync, on both engines. */
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startKnowledgeBase } from './helpers/strapi';

const MIGRATION = '2026.11.26T00.00.00.license-on-every-record';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

test('a fresh database records the migration as done', async () => {
  const kb = await startKnowledgeBase({ database });
  try {
    const done = await kb.strapi.db.connection('strapi_migrations').select('name');
    expect(done.map((m: { name: string }) => m.name)).toContain(`${MIGRATION}.js`);
  } finally {
    await kb.stop();
  }
});

test('rows without a licence get the default on the next start, and the API shows it', async () => {
  const first = await startKnowledgeBase({ database });
  try {
    // Rows as an older version or a raw import left them.
    await first.strapi.db.connection('good_practices').update({ license: null });
    await first.strapi.db.connection('themes').update({ license: '' });
    await first.strapi.db.connection('strapi_migrations').where('name', `${MIGRATION}.js`).delete();
  } finally {
    await first.stop();
  }

  const second = await startKnowledgeBase({ database });
  try {
    const missing = await second.strapi.db.connection('good_practices').whereNull('license').count({ n: '*' });
    expect(Number(missing[0].n)).toBe(0);
    const res = await second.graphql(`{ goodPractices { license } themes { license } }`);
    const licences = [...res.body.data.goodPractices, ...res.body.data.themes].map((r: any) => r.license);
    expect(new Set(licences)).toEqual(new Set(['CC-BY-4.0']));
    expect(licences).toHaveLength(11);
  } finally {
    await second.stop();
  }
});
