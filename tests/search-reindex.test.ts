/**
 * The search index is derived data: an empty one is rebuilt at start-up (an upgraded or
 * bulk-loaded database) and `npm run search:reindex` rebuilds a stale one, with progress.
 */
import path from 'path';
import { spawnSync } from 'child_process';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let database: TestDatabase;
let kb: KnowledgeBase | undefined;
beforeAll(async () => {
  database = await createTestDatabase('seeded');
});
afterAll(async () => {
  await kb?.stop();
  await database.drop();
});

const hits = async (query: string) => {
  const res = await kb!.graphql('query($q: String!) { search(query: $q, locale: "it") { total items { type slug } } }', { q: query });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.search.items.map((item: { type: string; slug: string }) => `${item.type} ${item.slug}`);
};
const restart = async () => {
  await kb?.stop();
  // The index is damaged beneath Strapi here, where no write tells the response cache: every search is answered afresh.
  kb = await startKnowledgeBase({ database, env: { RESPONSE_CACHE: 'false' } });
};

test('an emptied index is rebuilt when the knowledge base starts', async () => {
  await restart();
  expect(await hits('minori')).toContain('THEMATIC_TABLE minori-stranieri-e-neomaggiorenni');
  await kb!.strapi.db.connection('search_entries').delete();
  expect(await hits('minori')).toEqual([]);
  await restart();
  expect(await hits('minori')).toContain('THEMATIC_TABLE minori-stranieri-e-neomaggiorenni');
  expect(await hits('neomagiorenni')).toContain('THEMATIC_TABLE minori-stranieri-e-neomaggiorenni');
});

test('npm run search:reindex rebuilds a stale index from the published content', async () => {
  const knex = kb!.strapi.db.connection;
  await knex('search_entries').where('type', 'thematic-table').delete();
  expect(await hits('minori')).not.toContain('THEMATIC_TABLE minori-stranieri-e-neomaggiorenni');
  await kb!.stop();
  kb = undefined;

  const run = spawnSync('npm', ['run', 'search:reindex', '--silent'], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, ...database.env },
    encoding: 'utf8',
    timeout: 180000,
  });
  expect(run.stderr).not.toMatch(/failed/);
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(/\[search\] thematic-table: 8\/8 entries/);
  // People are counted with their consent, the vocabulary rebuilt with the entries.
  expect(run.stdout).toMatch(/\[search\] person: \d+\/\d+ entries/);
  expect(run.stdout).toMatch(/\[search\] index rebuilt: \d+ entries/);

  await restart();
  expect(await hits('minori')).toContain('THEMATIC_TABLE minori-stranieri-e-neomaggiorenni');
  expect(await hits('neomagiorenni')).toContain('THEMATIC_TABLE minori-stranieri-e-neomaggiorenni');
});
