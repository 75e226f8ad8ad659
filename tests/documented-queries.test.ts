/** The partner queries in the README work as printed, anonymously, and return knowledge. */
import fs from 'fs';
import path from 'path';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const readme = fs.readFileSync(path.resolve(__dirname, '../README.md'), 'utf8');
const queries = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
});
afterAll(async () => {
  await kb.stop();
});

test('the README has five partner queries', () => {
  expect(queries).toHaveLength(5);
});

test.each(queries.map((q, i) => [i + 1, q]))('README query %i answers with data', async (_n, query) => {
  const variables = { slug: 'rete-di-governance-pubblico-privata', locale: 'en' };
  const res = await kb.graphql(query as string, (query as string).includes('$slug') ? variables : undefined);
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  const [list] = Object.values(res.body.data) as any[];
  const items = Array.isArray(list) ? list : list.nodes;
  expect(items.length).toBeGreaterThan(0);
});
