/**
 * Input that reached a 5xx: a filter value of ~50,000 characters (SQLite refuses a LIKE pattern
 * that long: "LIKE or GLOB pattern too complex") and GraphQL variables nested ~3,000 deep (the
 * response cache overflowed the stack canonicalising them). Both are the client's error: a clear
 * 400 naming the documented limit, on GraphQL and REST alike.
 */
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
});
afterAll(async () => {
  await kb.stop();
});

const LONG = 'a'.repeat(50_000);
const noInternals = (body: unknown) => expect(JSON.stringify(body)).not.toMatch(/node_modules|SQLITE|LIKE or GLOB|stack|Maximum call/i);

describe('filter values have a maximum length', () => {
  test('GraphQL: a 50,000-character containsi is a 400 naming the limit, in variables or inline', async () => {
    const byVariable = await kb.graphql('query($q: String) { themes(filters: { name: { containsi: $q } }) { slug } }', { q: LONG });
    expect(byVariable.status).toBe(400);
    expect(byVariable.body.errors[0].message).toMatch(/filters\.name\.containsi.*1000 characters/);
    noInternals(byVariable.body);
    // Nested inside and/or and a relation, and in the search's own filters.
    const nested = await kb.graphql('query($q: String) { goodPractices(filters: { or: [{ themes: { name: { eq: $q } } }] }) { slug } }', {
      q: LONG,
    });
    expect(nested.status).toBe(400);
    expect(nested.body.errors[0].message).toMatch(/filters\.or\.0\.themes\.name\.eq/);
    const inline = await kb.graphql(`{ themes(filters: { slug: { in: ["x", "${'b'.repeat(20_000)}"] } }) { slug } }`);
    expect(inline.status).toBe(400);
    noInternals(inline.body);
  });

  test('GraphQL: a filter value within the limit is served', async () => {
    const res = await kb.graphql('query($q: String) { themes(filters: { name: { containsi: $q } }) { slug } }', { q: 'a'.repeat(1000) });
    expect(res.status).toBe(200);
    expect(res.body.data.themes).toEqual([]);
  });

  test('REST: the same limit', async () => {
    const res = await kb
      .http()
      .get('/api/themes')
      .query({ 'filters[name][$containsi]': 'a'.repeat(5000) });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/filters\.name\.\$containsi.*1000 characters/);
    noInternals(res.body);
    expect(
      (
        await kb
          .http()
          .get('/api/themes')
          .query({ 'filters[name][$containsi]': 'a'.repeat(1000) })
      ).status,
    ).toBe(200);
  });
});

describe('GraphQL variables have a maximum nesting depth', () => {
  const nestedOr = (depth: number): Record<string, unknown> => {
    let filter: Record<string, unknown> = { slug: { eq: 'x' } };
    for (let i = 0; i < depth; i += 1) filter = { or: [filter] };
    return filter;
  };

  test('variables nested 3,000 levels deep are a 400, anonymous or with a token, and the node serves on', async () => {
    const query = 'query($f: ThemeFiltersInput) { themes(filters: $f) { slug } }';
    // Written out by hand: JSON.stringify itself overflows the stack on input this deep.
    const deep = `{"query":${JSON.stringify(query)},"variables":{"f":${'{"or":['.repeat(1500)}{"slug":{"eq":"x"}}${']}'.repeat(1500)}}}`;
    for (const headers of [{}, { authorization: `Bearer ${await kb.apiToken()}` }]) {
      const res = await kb.http().post('/graphql').set('content-type', 'application/json').set(headers).send(deep);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].message).toMatch(/nested deeper than 32/);
      noInternals(res.body);
    }
    // Over GET too (where the response cache reads the variables from the query string).
    const get = await kb
      .http()
      .get('/graphql')
      .query({ query, variables: JSON.stringify({ f: nestedOr(600) }) });
    expect(get.status).toBe(400);
    // Reasonable nesting is served.
    const fine = await kb.graphql(query, { f: nestedOr(5) });
    expect(fine.status).toBe(200);
    expect(fine.body.data.themes).toEqual([]);
  });
});
