/**
 * Anonymous GraphQL reads come from the response cache, and an edit is in the very next read:
 * over POST and GET (ETag, 304), with persisted queries, never for authenticated callers or
 * errors; with Redis, nodes share answers and invalidation.
 */
import { createHash } from 'crypto';
import { createTestDatabase, testEngine, type TestDatabase } from './helpers/database';
import { editorToken, startNode, type StrapiNode } from './helpers/nodes';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const PRACTICE = 'api::good-practice.good-practice';
const LIST = `{ goodPractices(locale: "it", sort: "slug") { documentId slug title themes { slug } } }`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('response cache', () => {
  let kb: KnowledgeBase;

  beforeAll(async () => {
    kb = await startKnowledgeBase();
  });
  afterAll(async () => {
    await kb.stop();
  });

  const post = (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) =>
    kb.http().post('/graphql').set(headers).send({ query, variables });
  const get = (params: Record<string, unknown>, headers: Record<string, string> = {}) =>
    kb.http().get('/graphql').query(params).set(headers);
  const firstPractice = async () => (await kb.data(LIST)).goodPractices[0];

  test('a repeated read is answered from the cache, whatever its formatting or the order of its variables', async () => {
    const query = 'query Q($l: I18NLocaleCode, $p: Int) { themes(locale: $l, pagination: { pageSize: $p }) { slug name } }';
    const first = await post(query, { l: 'en', p: 5 });
    expect(first.status).toBe(200);
    expect(first.headers['x-cache']).toBe('MISS');
    const again = await post(`# a comment\n${query.replace(/ \{/g, '\n  {')}`, { p: 5, l: 'en' });
    expect(again.headers['x-cache']).toBe('HIT');
    expect(again.body).toEqual(first.body);
    expect(again.headers['content-type']).toMatch(/application\/json/);
    const other = await post(query, { l: 'it', p: 5 });
    expect(other.headers['x-cache']).toBe('MISS');
    expect(other.body).not.toEqual(first.body);
  });

  test('an edit published by an editor over GraphQL is in the very next anonymous read', async () => {
    const practice = await firstPractice();
    expect((await post(LIST)).headers['x-cache']).toBe('HIT');
    const token = await kb.apiToken();
    const title = `${practice.title} (rivista)`;
    const mutation = `mutation($id: ID!, $title: String) { updateGoodPractice(documentId: $id, locale: "it", status: PUBLISHED, data: { title: $title }) { title } }`;
    const edited = await post(mutation, { id: practice.documentId, title }, { authorization: `Bearer ${token}` });
    expect(edited.body.errors).toBeUndefined();
    const next = await post(LIST);
    expect(next.headers['x-cache']).toBe('MISS');
    expect(next.body.data.goodPractices[0].title).toBe(title);
  });

  test.each([
    [
      'update of the draft only',
      false,
      (s: any, id: string) => s.documents(PRACTICE).update({ documentId: id, locale: 'it', data: { summary: 'Solo bozza.' } }),
    ],
    ['unpublish', true, (s: any, id: string) => s.documents(PRACTICE).unpublish({ documentId: id, locale: 'it' })],
    [
      'publish of an edited draft',
      true,
      async (s: any, id: string) => {
        await s.documents(PRACTICE).update({ documentId: id, locale: 'it', data: { title: 'Bozza poi pubblicata' } });
        await s.documents(PRACTICE).publish({ documentId: id, locale: 'it' });
      },
    ],
    ['delete', true, (s: any, id: string) => s.documents(PRACTICE).delete({ documentId: id, locale: 'it' })],
  ])('after a %s the next read answers afresh', async (_name, changesList, write) => {
    const before = await post(LIST);
    const id = before.body.data.goodPractices[0].documentId;
    expect((await post(LIST)).headers['x-cache']).toBe('HIT');
    await write(kb.strapi, id);
    const after = await post(LIST);
    expect(after.headers['x-cache']).toBe('MISS');
    expect(after.body).toEqual(changesList ? expect.not.objectContaining(before.body) : before.body);
  });

  test('authenticated reads and errors are never kept nor served from the cache', async () => {
    const token = await kb.apiToken();
    const drafts = `{ goodPractices(locale: "it", status: DRAFT) { slug title } }`;
    for (let i = 0; i < 2; i += 1) {
      const res = await post(drafts, undefined, { authorization: `Bearer ${token}` });
      expect(res.status).toBe(200);
      expect(res.headers['x-cache']).toBeUndefined();
    }
    await post(LIST);
    expect((await post(LIST, undefined, { authorization: `Bearer ${token}` })).headers['x-cache']).toBeUndefined();

    const anonymousDrafts = [await post(drafts), await post(drafts)];
    for (const res of anonymousDrafts) {
      expect(res.body.errors).toBeDefined();
      expect(res.headers['x-cache']).not.toBe('HIT');
    }
    const unknownField = [await post('{ goodPractices { nope } }'), await post('{ goodPractices { nope } }')];
    for (const res of unknownField) expect(res.headers['x-cache']).not.toBe('HIT');
  });

  test('GET answers carry an ETag and Cache-Control; If-None-Match gets a 304 until the content changes', async () => {
    const params = { query: LIST };
    const first = await get(params);
    expect(first.status).toBe(200);
    expect(first.body.data.goodPractices.length).toBeGreaterThan(0);
    expect(first.headers['cache-control']).toBe('public, max-age=0, must-revalidate');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[\w-]+"$/);

    const revalidated = await get(params, { 'if-none-match': etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.etag).toBe(etag);

    const id = first.body.data.goodPractices[0].documentId;
    await kb.strapi
      .documents(PRACTICE)
      .update({ documentId: id, locale: 'it', status: 'published', data: { title: 'Titolo cambiato' } } as any);
    const changed = await get(params, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(changed.body.data.goodPractices.find((p: any) => p.documentId === id).title).toBe('Titolo cambiato');
  });

  test('GET takes variables and operation names, refuses mutations, and refuses over-long queries with a 414', async () => {
    const query = 'query One($slug: String) { themes(locale: "it", filters: { slug: { eq: $slug } }) { name } }';
    const res = await get({ query, variables: JSON.stringify({ slug: 'abitare-i-territori' }), operationName: 'One' });
    expect(res.status).toBe(200);
    expect(res.body.data.themes).toHaveLength(1);

    const mutation = await get({ query: 'mutation { deleteTheme(documentId: "x") { documentId } }' });
    expect(mutation.status).toBeGreaterThanOrEqual(400);
    expect(mutation.status).toBeLessThan(500);

    const long = await get({ query: `{ themes { slug } } #${'a'.repeat(8300)}` });
    expect(long.status).toBe(414);
    expect(long.body.errors[0].message).toMatch(/longer than 8192 characters.*POST or as a persisted query/);

    const badVariables = await get({ query, variables: '{not json' });
    expect(badVariables.status).toBe(400);
  });

  test('automatic persisted queries: the hash alone works once the query is known, over POST and GET', async () => {
    const query = '{ territories(locale: "it", sort: "slug") { slug name } }';
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const unknown = await kb.http().post('/graphql').send({ extensions });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

    const registered = await kb.http().post('/graphql').send({ query, extensions });
    expect(registered.body.errors).toBeUndefined();
    const byHash = await kb.http().post('/graphql').send({ extensions });
    expect(byHash.body).toEqual(registered.body);

    const params = { extensions: JSON.stringify(extensions) };
    const viaGet = await get(params);
    expect(viaGet.status).toBe(200);
    expect(viaGet.body).toEqual(registered.body);
    expect((await get(params)).headers['x-cache']).toBe('HIT');
  });
});

const onPostgres = testEngine() === 'postgres' ? describe : describe.skip;

onPostgres('two nodes sharing Redis', () => {
  let database: TestDatabase;
  let a: StrapiNode;
  let b: StrapiNode;

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { ...database.env, REDIS_URL: 'redis://127.0.0.1:6379' };
    a = await startNode(env);
    b = await startNode(env);
  }, 240000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  const read = async (node: StrapiNode, query: string) => {
    const res = await fetch(`${node.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    expect(res.status).toBe(200);
    return { cache: res.headers.get('x-cache'), data: (await res.json()).data };
  };

  test('an answer computed on node A is served by node B, and an edit on A is in the next read on B', async () => {
    const query = `{ themes(locale: "en", filters: { slug: { eq: "abitare-i-territori" } }) { documentId name } }`;
    const onA = await read(a, query);
    expect(onA.cache).toBe('MISS');
    const onB = await read(b, query);
    expect(onB).toEqual({ ...onA, cache: 'HIT' });

    const token = await editorToken(a);
    const name = 'Living in local areas (edited on A)';
    const put = await fetch(`${a.url}/api/themes/${onA.data.themes[0].documentId}?locale=en`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ data: { name } }),
    });
    expect(put.status).toBe(200);
    const after = await read(b, query);
    expect(after.cache).toBe('MISS');
    expect(after.data.themes[0].name).toBe(name);
  });
});
