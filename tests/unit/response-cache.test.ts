import { MemoryStore, cacheKey, canonicalJson, etagOf, graphqlRead, isKeepable, matchesEtag } from '../../src/edge/response-cache/core';

describe('response cache core', () => {
  test('reads a GraphQL request from a POST body or a GET query string, and nothing else', () => {
    expect(graphqlRead({ query: '{ a }', variables: { x: 1 } }, false)).toEqual({
      query: '{ a }',
      variables: { x: 1 },
      operationName: undefined,
      persistedHash: undefined,
    });
    expect(graphqlRead({ query: '{ a }', variables: '{"x":1}', operationName: 'Q' }, true)).toMatchObject({
      variables: { x: 1 },
      operationName: 'Q',
    });
    expect(graphqlRead({ extensions: '{"persistedQuery":{"version":1,"sha256Hash":"abc"}}' }, true)).toMatchObject({
      query: undefined,
      persistedHash: 'abc',
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
    expect(cacheKey({ persistedHash: 'abc' })).not.toBe(cacheKey({ persistedHash: 'abd' }));
    expect(cacheKey({ query: '{ "unterminated' })).toBeUndefined();
  });

  test('canonical JSON sorts keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: [2, { d: 1, c: 0 }], a: null })).toBe('{"a":null,"b":[2,{"c":0,"d":1}]}');
  });

  test('entity tags: stable, quoted, matched by If-None-Match lists, weak forms and *', () => {
    const etag = etagOf('{"data":{}}');
    expect(etag).toBe(etagOf('{"data":{}}'));
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(matchesEtag(`"other", ${etag}`, etag)).toBe(true);
    expect(matchesEtag(`W/${etag}`, etag)).toBe(true);
    expect(matchesEtag('*', etag)).toBe(true);
    expect(matchesEtag('"other"', etag)).toBe(false);
    expect(matchesEtag(undefined, etag)).toBe(false);
  });

  test('only complete 200 answers within the size limit are kept', () => {
    expect(isKeepable(200, '{"data":{"a":1}}', 100)).toBe(true);
    expect(isKeepable(200, '{"errors":[{"message":"x"}],"data":null}', 100)).toBe(false);
    expect(isKeepable(400, '{"data":null}', 100)).toBe(false);
    expect(isKeepable(200, `{"data":"${'x'.repeat(200)}"}`, 100)).toBe(false);
  });

  test('the memory store forgets the least recently used entries beyond its size', () => {
    const entry = (body: string) => ({ generation: 1, etag: '"e"', type: 'application/json', body });
    const store = new MemoryStore(1000);
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
