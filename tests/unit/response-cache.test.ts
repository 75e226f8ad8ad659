import Koa from 'koa';
import { buildSchema } from 'graphql';
import {
  MemoryStore,
  cacheKey,
  canonicalJson,
  etagOf,
  graphqlMediaType,
  graphqlRead,
  isKeepable,
  isNotModified,
  isQueryHash,
  queryHash,
  representationEtag,
  responseSize,
} from '../../src/edge/response-cache/core';
import { EVERYTHING, readKeys, type ReadModel } from '../../src/edge/response-cache/reads';

describe('response cache core', () => {
  test('reads a GraphQL request from a POST body or a GET query string, and nothing else', () => {
    expect(graphqlRead({ query: '{ a }', variables: { x: 1 } }, false)).toEqual({
      query: '{ a }',
      variables: { x: 1 },
      operationName: undefined,
      persistedHash: undefined,
      persistedVersion: undefined,
    });
    expect(graphqlRead({ query: '{ a }', variables: '{"x":1}', operationName: 'Q' }, true)).toMatchObject({
      variables: { x: 1 },
      operationName: 'Q',
    });
    expect(graphqlRead({ extensions: '{"persistedQuery":{"version":1,"sha256Hash":"abc"}}' }, true)).toMatchObject({
      query: undefined,
      persistedHash: 'abc',
      persistedVersion: 1,
    });
    for (const bad of [undefined, [], { query: 3 }, { variables: '{}' }, { query: '{ a }', operationName: 5 }])
      expect(graphqlRead(bad as any, false)).toBeUndefined();
    expect(graphqlRead({ query: '{ a }', variables: '{broken' }, true)).toBeUndefined();
  });

  test('one key whatever the formatting, comments or variable order; another for other variables or operation', () => {
    const key = cacheKey({ query: 'query Q($a: Int, $b: Int) { x(a: $a, b: $b) { y } }', variables: { a: 1, b: 2 } });
    expect(cacheKey({ query: '# hello\nquery Q($a: Int, $b: Int) {\n  x(a: $a, b: $b) {\n    y\n  }\n}', variables: { b: 2, a: 1 } })).toBe(
      key,
    );
    expect(cacheKey({ query: 'query Q($a: Int, $b: Int) { x(a: $a, b: $b) { y } }', variables: { a: 1, b: 3 } })).not.toBe(key);
    expect(
      cacheKey({ query: 'query Q($a: Int, $b: Int) { x(a: $a, b: $b) { y } }', variables: { a: 1, b: 2 }, operationName: 'Q' }),
    ).not.toBe(key);
    expect(cacheKey({ query: '{ x(s: "a  b") { y } }' })).not.toBe(cacheKey({ query: '{ x(s: "a b") { y } }' }));
    // A hash alone has no key: the cache looks its text up first, and the text gives the key.
    expect(cacheKey({ persistedHash: 'abc' })).toBeUndefined();
    expect(cacheKey({ query: '{ x { y } }', persistedHash: 'abc' })).toBe(cacheKey({ query: '{x{y}}' }));
    expect(cacheKey({ query: '{ "unterminated' })).toBeUndefined();
  });

  test("persisted-query hashes are Apollo's: hex SHA-256 of the exact text", () => {
    expect(queryHash('{__typename}')).toBe('ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38');
    expect(isQueryHash(queryHash('{ a }'))).toBe(true);
    for (const bad of ['abc', queryHash('{ a }').toUpperCase(), `${queryHash('{ a }')}0`]) expect(isQueryHash(bad)).toBe(false);
  });

  test('canonical JSON sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 0 }], a: null })).toBe('{"a":null,"b":[2,{"c":0,"d":1}]}');
  });

  test('entity tags: stable, quoted, one per media type, matched by If-None-Match lists, weak forms and *', () => {
    const etag = etagOf('{"data":{}}');
    expect(etag).toBe(etagOf('{"data":{}}'));
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(representationEtag(etag, 'application/json')).toBe(etag);
    expect(representationEtag(etag, 'application/graphql-response+json')).not.toBe(etag);
    const notModified = (ifNoneMatch: string | undefined) => isNotModified({ ifNoneMatch }, { etag });
    expect(notModified(`"other", ${etag}`)).toBe(true);
    expect(notModified(`W/${etag}`)).toBe(true);
    expect(notModified('*')).toBe(true);
    expect(notModified('"other"')).toBe(false);
    expect(notModified(undefined)).toBe(false);
    // A weak tag of ours matches its strong spelling too (If-None-Match compares weakly).
    expect(isNotModified({ ifNoneMatch: '"x"' }, { etag: 'W/"x"' })).toBe(true);
  });

  test('If-Modified-Since: 304 when nothing changed since, If-None-Match decides when both are sent', () => {
    const lastModified = new Date('2024-05-01T10:00:00.250Z');
    const answer = { etag: '"x"', lastModified };
    expect(isNotModified({ ifModifiedSince: lastModified.toUTCString() }, answer)).toBe(true);
    expect(isNotModified({ ifModifiedSince: 'Wed, 01 May 2024 09:59:59 GMT' }, answer)).toBe(false);
    expect(isNotModified({ ifModifiedSince: 'not a date' }, answer)).toBe(false);
    expect(isNotModified({ ifModifiedSince: lastModified.toUTCString() }, { etag: '"x"', lastModified: null })).toBe(false);
    expect(isNotModified({ ifNoneMatch: '"y"', ifModifiedSince: lastModified.toUTCString() }, answer)).toBe(false);
  });

  test("the media type is negotiated as Apollo does: JSON unless GraphQL-over-HTTP's is preferred", () => {
    const negotiate = (accept: string | undefined) =>
      graphqlMediaType((types) =>
        new Koa().createContext({ headers: accept ? { accept } : {}, socket: {} } as any, {} as any).accepts(types),
      );
    expect(negotiate(undefined)).toBe('application/json');
    expect(negotiate('*/*')).toBe('application/json');
    expect(negotiate('application/graphql-response+json')).toBe('application/graphql-response+json');
    expect(negotiate('application/graphql-response+json, application/json;q=0.9')).toBe('application/graphql-response+json');
    expect(negotiate('application/json, application/graphql-response+json')).toBe('application/json');
    expect(negotiate('text/html')).toBe(false);
  });

  test('only complete 200 answers within the size limit are kept', () => {
    expect(isKeepable(200, '{"data":{"a":1}}', 100)).toBe(true);
    expect(isKeepable(200, '{"errors":[{"message":"x"}],"data":null}', 100)).toBe(false);
    expect(isKeepable(400, '{"data":null}', 100)).toBe(false);
    expect(isKeepable(200, `{"data":"${'x'.repeat(200)}"}`, 100)).toBe(false);
  });

  test('the memory store forgets the least recently used entries beyond its size', () => {
    const entry = (body: string) => ({ generations: { '*': 1 }, etag: '"e"', body });
    const store = new MemoryStore(1000, responseSize);
    store.set('a', entry('x'.repeat(150)));
    store.set('b', entry('x'.repeat(150)));
    store.get('a');
    store.set('c', entry('x'.repeat(150)));
    expect(store.get('b')).toBeUndefined();
    expect(store.get('a')?.body).toHaveLength(150);
    expect(store.get('c')?.body).toHaveLength(150);
    expect(store.size.bytes).toBeLessThanOrEqual(1000);
    store.set('big', entry('x'.repeat(400)));
    expect([...['a', 'c', 'big']].map((k) => Boolean(store.get(k)))).toEqual([false, false, true]);
    store.set('huge', entry('x'.repeat(600)));
    expect(store.size.entries).toBe(0);
  });
});

describe('what a query can read', () => {
  const schema = buildSchema(`
    type Query { trainings(filters: TrainingFiltersInput, sort: [String]): [Training] themes(filters: ThemeFiltersInput): [Theme] search(q: String): [Hit] }
    type Training { title: String themes(filters: ThemeFiltersInput): [Theme] source: Source jsonLd: String }
    type Theme { name: String trainings: [Training] }
    type Source { title: String }
    type Hit { title: String }
    input TrainingFiltersInput { title: StringFilterInput themes: ThemeFiltersInput }
    input ThemeFiltersInput { name: StringFilterInput trainings: TrainingFiltersInput }
    input StringFilterInput { eq: String }
  `);
  const model: ReadModel = new Map([
    ['Query', { keys: [], fields: new Set(['trainings', 'themes']) }],
    ['Training', { keys: ['training'], fields: new Set(['title', 'themes', 'source']) }],
    ['Theme', { keys: ['theme'], fields: new Set(['name', 'trainings']) }],
    ['Source', { keys: [], fields: new Set(['title']) }],
    ['TrainingFiltersInput', { keys: ['training'] }],
    ['ThemeFiltersInput', { keys: ['theme'] }],
    ['StringFilterInput', { keys: [] }],
  ]);
  const reads = (query: string, variables?: unknown) => readKeys(schema, model, query, variables);

  test('the types it selects, through fragments too, and the types it filters by, in literals or variables', () => {
    expect(reads('{ themes { name } }')).toEqual([EVERYTHING, 'theme']);
    expect(reads('{ trainings { title source { title } ...T } } fragment T on Training { themes { name } }')).toEqual([
      EVERYTHING,
      'theme',
      'training',
    ]);
    expect(reads('{ themes(filters: { trainings: { title: { eq: "x" } } }) { name } }')).toEqual([EVERYTHING, 'theme', 'training']);
    const byVariable = 'query($f: ThemeFiltersInput) { themes(filters: $f) { name } }';
    expect(reads(byVariable, { f: { name: { eq: 'x' } } })).toEqual([EVERYTHING, 'theme']);
    expect(reads(byVariable, { f: { trainings: { themes: { name: { eq: 'x' } } } } })).toEqual([EVERYTHING, 'theme', 'training']);
  });

  test('anything it does not know reads everything: custom fields and types, sorts through relations, invalid reads', () => {
    for (const query of [
      '{ search(q: "x") { title } }',
      '{ trainings { jsonLd } }',
      '{ trainings(sort: ["themes.name"]) { title } }',
      '{ trainings { nope } }',
      'mutation { trainings { title } }',
      '{ trainings {',
    ]) {
      expect(reads(query)).toBeUndefined();
    }
    expect(reads('query($f: ThemeFiltersInput) { themes(filters: $f) { name } }', { f: { name: 3 } })).toBeUndefined();
    expect(reads('{ trainings(sort: ["title:asc"]) { title } }')).toEqual([EVERYTHING, 'training']);
  });
});
