/** The cost model of src/edge/query-limits/analysis, on the committed public schema (pure, no server). */
import fs from 'fs';
import path from 'path';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { analyzeOperation } from '../../src/edge/query-limits/analysis';
import { QUERY_LIMIT_DEFAULTS } from '../../src/edge/query-limits/core';

const { documentedQueries } = require('../../scripts/lib/documented-queries');

const root = path.resolve(__dirname, '../..');
const schema = buildSchema(fs.readFileSync(path.join(root, 'schema.graphql'), 'utf8'));
// As the server derives it from the content model: documentId and the uid field of every collection type.
const uniqueFilterFields = new Map(
  Object.values(schema.getTypeMap())
    .filter((type) => type.name.endsWith('FiltersInput') && 'getFields' in type && 'slug' in (type as any).getFields())
    .map((type) => [type.name, new Set(['documentId', 'slug'])]),
);
const options = { defaultPageSize: 25, shortListSize: 10, uniqueFilterFields, localeCount: 2 };
const analyze = (query: string, variables: Record<string, unknown> = {}) => {
  const document = parse(query);
  const operation = document.definitions.find((d) => d.kind === 'OperationDefinition') as OperationDefinitionNode;
  return analyzeOperation(schema, document, operation, variables, options);
};

test('the heaviest documented partner query (README, docs/partners.md) uses at most half the cost budget', () => {
  const examples = ['README.md', 'docs/partners.md'].flatMap((file) => documentedQueries(fs.readFileSync(path.join(root, file), 'utf8')));
  const costs = examples.map(({ query, variables }: any) => analyze(query, variables ?? { slug: 'x', locale: 'en' }).cost);
  expect(costs.length).toBeGreaterThan(5);
  expect(Math.max(...costs)).toBeLessThanOrEqual(QUERY_LIMIT_DEFAULTS.maxCost / 2);
});

test('a list multiplies what it selects by its page size (25 when none is asked)', () => {
  expect(analyze('{ projects { acronym } }').cost).toBe(1 + 25 * 1);
  expect(analyze('{ projects(pagination: { pageSize: 2 }) { acronym title } }').cost).toBe(1 + 2 * 2);
  expect(analyze('query($p: PaginationArg) { projects(pagination: $p) { acronym } }', { p: { limit: 4 } }).cost).toBe(1 + 4);
  expect(analyze('{ goodPractices(pagination: { pageSize: 10 }) { themes(pagination: { pageSize: 5 }) { name } } }').cost).toBe(
    1 + 10 * (1 + 5 * 1),
  );
  // A repeatable component is a short editorial list: 10 items unless a page size is asked.
  expect(analyze('{ events(pagination: { pageSize: 1 }) { agenda { title } } }').cost).toBe(1 + 1 * (1 + 10 * 1));
  expect(analyze('{ events(pagination: { pageSize: 1 }) { agenda(pagination: { pageSize: 40 }) { title } } }').cost).toBe(
    1 + 1 * (1 + 40 * 1),
  );
});

test('a list inside a paginated object takes its page size', () => {
  expect(analyze('{ goodPractices_connection(pagination: { pageSize: 40 }) { nodes { title } } }').cost).toBe(1 + (1 + 40 * 1));
  expect(analyze('{ goodPractices_connection { nodes { title } } }').cost).toBe(1 + (1 + 25 * 1));
});

test('a filter pinning a unique field counts one record per value and locale', () => {
  const agenda = '{ agenda { title } }';
  const one = 1 + 1 * (1 + 10 * 1);
  expect(analyze(`{ events(filters: { slug: { eq: "x" } }) ${agenda} }`).cost).toBe(one);
  expect(analyze(`{ events(filters: { documentId: { eq: "x" } }, locale: "*") ${agenda} }`).cost).toBe(1 + 2 * (1 + 10 * 1));
  expect(analyze(`{ events(filters: { slug: { in: ["a", "b", "c"] } }) ${agenda} }`).cost).toBe(1 + 3 * (1 + 10 * 1));
  expect(analyze(`{ events(filters: { and: [{ slug: { eq: "x" } }, { title: { contains: "y" } }] }) ${agenda} }`).cost).toBe(one);
  expect(analyze(`{ events(filters: { slug: { in: ["a", "b", "c"] } }, pagination: { pageSize: 2 }) ${agenda} }`).cost).toBe(
    1 + 2 * (1 + 10 * 1),
  );
  expect(analyze(`query($s: String) { events_connection(filters: { slug: { eq: $s } }) { nodes { title } } }`, { s: 'x' }).cost).toBe(
    1 + (1 + 1 * 1),
  );
  // Not pinned: an `or`, a `not`, a non-unique field or a null value may match many.
  const many = 1 + 25 * (1 + 10 * 1);
  expect(analyze(`{ events(filters: { or: [{ slug: { eq: "x" } }] }) ${agenda} }`).cost).toBe(many);
  expect(analyze(`{ events(filters: { not: { slug: { eq: "x" } } }) ${agenda} }`).cost).toBe(many);
  expect(analyze(`{ events(filters: { title: { eq: "x" } }) ${agenda} }`).cost).toBe(many);
  expect(analyze(`query($s: String) { events(filters: { slug: { eq: $s } }) ${agenda} }`).cost).toBe(many);
});

test('fragments are costed where they are spread; introspection is free', () => {
  const withFragment = analyze('{ projects(pagination: { pageSize: 3 }) { ...P } } fragment P on Project { acronym title }');
  expect(withFragment.cost).toBe(1 + 3 * 2);
  expect(analyze('{ __schema { types { name fields { name } } } }').cost).toBe(0);
});

test('aliases, directives and paginations are counted, through fragments too', () => {
  const a = analyze(
    '{ a: projects(pagination: { page: 2 }) { ...F } b: themes { name @skip(if: false) } } fragment F on Project { x: acronym @include(if: true) }',
  );
  expect(a.aliases).toBe(3);
  expect(a.directives).toBe(2);
  expect(a.paginations).toEqual([{ page: 2 }]);
});
