/**
 * Every GraphQL example of the README and of docs/partners.md works as printed, anonymously, and
 * returns knowledge: the documentation cannot rot. A ```json block right after a query holds its
 * variables.
 */
import fs from 'fs';
import path from 'path';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const { documentedQueries } = require('../scripts/lib/documented-queries');

const root = path.resolve(__dirname, '..');
const examples: { file: string; query: string; variables?: Record<string, unknown> }[] = ['README.md', 'docs/partners.md'].flatMap((file) =>
  documentedQueries(fs.readFileSync(path.join(root, file), 'utf8')).map((example: object) => ({ file, ...example })),
);

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
});
afterAll(async () => {
  await kb.stop();
});

/** True when the answer holds at least one record (a non-empty list or object anywhere). */
const holdsKnowledge = (value: unknown): boolean =>
  Array.isArray(value)
    ? value.length > 0 && value.some(holdsKnowledge)
    : value !== null && typeof value === 'object'
      ? Object.values(value).some(holdsKnowledge)
      : value !== null && value !== undefined && value !== 0;

test('the README has five partner queries and the partner guide documents every custom query', () => {
  expect(examples.filter((e) => e.file === 'README.md')).toHaveLength(5);
  const guide = examples
    .filter((e) => e.file === 'docs/partners.md')
    .map((e) => e.query)
    .join('\n');
  for (const field of ['search(', 'jsonLd', 'within:', 'outcomeFigures', 'themeCounts', '_connection', 'changes('])
    expect(guide).toContain(field);
});

test.each(examples.map((e, i) => [`${e.file} #${i + 1}`, e]))('%s answers with data', async (_name, example) => {
  const { query, variables } = example as (typeof examples)[number];
  const res = await kb.graphql(
    query,
    variables ?? (query.includes('$slug') ? { slug: 'rete-di-governance-pubblico-privata', locale: 'en' } : undefined),
  );
  expect(res.body.errors).toBeUndefined();
  expect(res.status).toBe(200);
  for (const answer of Object.values(res.body.data)) expect(holdsKnowledge(answer)).toBe(true);
});
