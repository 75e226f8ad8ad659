/**
 * Anonymous GraphQL reads come from the response cache, and an edit is in the very next read:
 * over POST and GET (ETag, 304), with persisted queries, never for authenticated callers or
 * errors; with Redis, nodes share answers and invalidation. A write empties only the answers
 * that can show what it wrote: a seeded random mix of editor writes and reads (on two nodes on
 * PostgreSQL) compares every cached answer with one computed afresh.
 */
import { createHash } from 'crypto';
import { createTestDatabase, testEngine, type TestDatabase } from './helpers/database';
import { editorToken, startNode, type StrapiNode } from './helpers/nodes';
import { adminSession, startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { responseCache } from '../src/edge/response-cache';

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

  test('a publish of a training empties the answers that can show trainings, and no other', async () => {
    const untouched = [
      '{ territories(locale: "en", sort: "slug", pagination: { pageSize: 100 }) { slug name } }',
      // Themes show good practices, which show trainings: not asked for here.
      '{ themes(locale: "en", sort: "slug") { slug goodPractices(sort: "slug") { slug } } }',
    ];
    const showing = [
      '{ trainings(locale: "en", sort: "slug") { documentId title } }',
      '{ goodPractices(locale: "en", sort: "slug") { slug trainings(sort: "slug") { title } } }',
      '{ trainings_connection(locale: "en") { pageInfo { total } } }',
      '{ themes(locale: "en", sort: "slug", filters: { goodPractices: { trainings: { title: { contains: "(republished)" } } } }) { slug } }',
    ];
    const practice = (await kb.data('{ goodPractices(locale: "en", sort: "slug") { documentId } }')).goodPractices[0];
    const trainings = kb.strapi.documents('api::training.training');
    const created = await trainings.create({
      locale: 'en',
      status: 'published',
      data: {
        title: 'Cache scope workshop',
        slug: 'cache-scope-workshop',
        startDate: '2026-03-01',
        source: { title: 'Test' },
        goodPractices: [practice.documentId],
      },
    } as any);
    const before = new Map<string, any>();
    for (const query of [...untouched, ...showing]) {
      before.set(query, (await post(query)).body);
      expect((await post(query)).headers['x-cache']).toBe('HIT');
    }
    const title = 'Cache scope workshop (republished)';
    await trainings.update({ documentId: created.documentId, locale: 'en', data: { title } } as any);
    await trainings.publish({ documentId: created.documentId, locale: 'en' });

    for (const query of untouched) {
      const res = await post(query);
      expect({ query, cache: res.headers['x-cache'], body: res.body }).toEqual({ query, cache: 'HIT', body: before.get(query) });
    }
    for (const query of showing) expect({ query, cache: (await post(query)).headers['x-cache'] }).toEqual({ query, cache: 'MISS' });
    expect((await post(showing[0])).body.data.trainings.map((t: any) => t.title)).toContain(title);
    expect((await post(showing[3])).body.data.themes.length).toBeGreaterThan(0);
  });

  test('seeded random editor writes and cached reads: every cached answer is the uncached one', async () => {
    const call: Call = async (method, path, body, headers = {}) => {
      const res = await kb
        .http()
        [method === 'GET' ? 'get' : method === 'PUT' ? 'put' : 'post'](path)
        .set(headers)
        .send(body as object);
      return { status: res.status, cache: res.headers['x-cache'] ?? null, body: res.body };
    };
    const { hits, reads } = await interleave([call], await adminSession(kb), 1, 150);
    expect(hits).toBeGreaterThan(reads / 5);
  }, 120000);

  test("the content manager's publish and unpublish answer only after the cache knows, however slow the invalidation", async () => {
    // Strapi runs commit callbacks without awaiting them, and the content manager commits its
    // publish and unpublish after the Document Service has returned: the raise is slowed here so
    // that an answer sent before it is done would show in the order below.
    const cache = responseCache(kb.strapi) as any;
    const raise = cache.raise;
    const order: string[] = [];
    cache.raise = async (keys: string[]) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      await raise.call(cache, keys);
      order.push(`raised ${keys.join(',')}`);
    };
    try {
      const jwt = await adminSession(kb);
      const THEMES = '{ themes(locale: "en", sort: "slug") { slug } }';
      const theme = (await kb.data('{ themes(locale: "en", sort: "slug") { documentId slug } }')).themes[0];
      for (const action of ['unpublish', 'publish']) {
        await post(THEMES);
        expect((await post(THEMES)).headers['x-cache']).toBe('HIT');
        order.length = 0;
        const res = await kb
          .http()
          .post(`/content-manager/collection-types/api::theme.theme/${theme.documentId}/actions/${action}?locale=en`)
          .set({ authorization: `Bearer ${jwt}` })
          .send({ locale: 'en' });
        expect(res.status).toBe(200);
        order.push('answered');
        expect({ action, order }).toEqual({ action, order: ['raised api::theme.theme', 'answered'] });
        const after = await post(THEMES);
        expect(after.headers['x-cache']).toBe('MISS');
        expect(after.body.data.themes.some((t: any) => t.slug === theme.slug)).toBe(action === 'publish');
      }
    } finally {
      cache.raise = raise;
    }
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

  describe('automatic persisted queries as Apollo Client sends them, the cache already warm', () => {
    // Apollo Client's flow: the hash alone; told PERSISTED_QUERY_NOT_FOUND, the hash with the query.
    const query = 'query Themes($n: Int) { themes(locale: "en", sort: "slug", pagination: { pageSize: $n }) { slug name } }';
    const persisted = (hash = sha256(query), version = 1) => JSON.stringify({ persistedQuery: { version, sha256Hash: hash } });
    const variables = JSON.stringify({ n: 5 });
    let plain: any;

    beforeAll(async () => {
      plain = await get({ query, variables });
      expect(plain.status).toBe(200);
      expect((await get({ query, variables })).headers['x-cache']).toBe('HIT');
    });

    test('the hash alone is unknown, the hash with its query registers it from the cache, then the hash alone works', async () => {
      const unknown = await get({ extensions: persisted(), variables });
      expect(unknown.status).toBe(200);
      expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');

      const registration = await get({ query, extensions: persisted(), variables });
      expect(registration.headers['x-cache']).toBe('HIT');
      expect(registration.body).toEqual(plain.body);

      const byHash = await get({ extensions: persisted(), variables });
      expect(byHash.status).toBe(200);
      expect(byHash.headers['x-cache']).toBe('HIT');
      expect(byHash.body).toEqual(plain.body);
      // One entry for the query however it is asked: the same entity tag, revalidated with a 304.
      expect(byHash.headers.etag).toBe(plain.headers.etag);
      expect((await get({ extensions: persisted(), variables }, { 'if-none-match': plain.headers.etag })).status).toBe(304);
      const overPost = await kb
        .http()
        .post('/graphql')
        .send({ extensions: JSON.parse(persisted()), variables: { n: 5 } });
      expect(overPost.body).toEqual(plain.body);

      // After an edit the entry is gone; the hash alone still works (Apollo finds the text).
      const theme = await kb.strapi.documents('api::theme.theme').findFirst({ locale: 'en', status: 'published', sort: 'slug' } as any);
      await kb.strapi
        .documents('api::theme.theme')
        .update({ documentId: theme!.documentId, locale: 'en', status: 'published', data: { name: 'Renamed for APQ' } } as any);
      const fresh = await get({ extensions: persisted(), variables });
      expect(fresh.headers['x-cache']).toBe('MISS');
      expect(fresh.body.data.themes.map((t: any) => t.name)).toContain('Renamed for APQ');
    });

    test('the limits and the allow-list apply to a persisted query as to the plain query', async () => {
      // Per request: the registered text with a page size over the limit is refused like the plain query.
      await get({ query, extensions: persisted(), variables });
      const tooLarge = JSON.stringify({ n: 101 });
      const plainRefusal = await get({ query, variables: tooLarge });
      const persistedRefusal = await get({ extensions: persisted(), variables: tooLarge });
      expect(plainRefusal.status).toBe(400);
      expect(persistedRefusal.status).toBe(400);
      expect(persistedRefusal.body.errors[0].message).toBe(plainRefusal.body.errors[0].message);

      // A document refused by validation or a limit is never registered: its hash alone stays
      // unknown. One refused as it runs (the allow-list) is refused by its hash alone just the same.
      const refusedBeforeRunning = [
        '{ people { fullName consentToPublish } }',
        `{ themes { ${'goodPractices { themes { '.repeat(5)}slug${' } }'.repeat(5)} } }`,
      ];
      for (const text of refusedBeforeRunning) {
        const registration = await kb
          .http()
          .post('/graphql')
          .send({ query: text, extensions: JSON.parse(persisted(sha256(text))) });
        expect(registration.status).toBe(400);
        expect((await get({ extensions: persisted(sha256(text)) })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      }
      const internalRelation = '{ themes { localizations { slug } } }';
      const plainAnswer = await post(internalRelation);
      expect(plainAnswer.status).toBe(400);
      await kb
        .http()
        .post('/graphql')
        .send({ query: internalRelation, extensions: JSON.parse(persisted(sha256(internalRelation))) });
      const byHash = await get({ extensions: persisted(sha256(internalRelation)) });
      expect({ status: byHash.status, body: byHash.body }).toEqual({ status: plainAnswer.status, body: plainAnswer.body });
    });

    test("a hash that is not the query's, or another protocol version, is refused even when the answer is kept", async () => {
      const wrongHash = await get({ query, extensions: persisted(sha256('{ other }')), variables });
      expect(wrongHash.status).toBe(400);
      expect(wrongHash.body.errors[0].message).toMatch(/provided sha does not match query/);
      const version2 = await get({ query, extensions: persisted(sha256(query), 2), variables });
      expect(version2.status).toBe(400);
      expect(version2.headers['x-cache']).toBeUndefined();
    });
  });

  describe('the GraphQL-over-HTTP media type (Accept: application/graphql-response+json)', () => {
    const GRAPHQL_RESPONSE = 'application/graphql-response+json';
    const query = '{ territories(locale: "en", sort: "slug") { slug nutsCode } }';

    test('a kept answer is sent in the media type each client asks for, with an entity tag of its own', async () => {
      const json = await get({ query });
      expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
      const strict = await get({ query }, { accept: GRAPHQL_RESPONSE });
      expect(strict.headers['x-cache']).toBe('HIT');
      expect(strict.headers['content-type']).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect(JSON.parse(strict.text)).toEqual(json.body);
      expect(strict.headers.vary).toMatch(/Accept/);
      expect(strict.headers.etag).not.toBe(json.headers.etag);
      expect((await get({ query }, { accept: GRAPHQL_RESPONSE, 'if-none-match': strict.headers.etag })).status).toBe(304);
      expect((await get({ query }, { accept: GRAPHQL_RESPONSE, 'if-none-match': json.headers.etag })).status).toBe(200);
      // Apollo Client 4's default header prefers it; a plain JSON client after it still gets JSON.
      const preferred = await post(query, undefined, { accept: `${GRAPHQL_RESPONSE}, application/json;q=0.9` });
      expect(preferred.headers['content-type']).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect((await post(query)).headers['content-type']).toBe('application/json; charset=utf-8');
    });

    test('its status codes: 400 for an invalid document, 200 whenever there is data, 4xx when there is none', async () => {
      const strict = { accept: GRAPHQL_RESPONSE };
      const invalid = await post('{ territories { nope } }', undefined, strict);
      expect(invalid.status).toBe(400);
      expect(invalid.headers['content-type']).toBe(`${GRAPHQL_RESPONSE}; charset=utf-8`);
      expect(JSON.parse(invalid.text).data).toBeUndefined();
      expect((await post('{ territories {', undefined, strict)).status).toBe(400);

      // A refusal while running leaves a data entry (null here): 200 with this media type, the
      // long-standing 403 with JSON.
      const refused = '{ goodPractices(status: DRAFT) { title } }';
      const strictRefused = await post(refused, undefined, strict);
      expect(strictRefused.status).toBe(200);
      expect(JSON.parse(strictRefused.text)).toEqual({
        data: null,
        errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })],
      });
      expect((await post(refused)).status).toBe(403);

      const unknownHash = { persistedQuery: { version: 1, sha256Hash: sha256('{ never sent }') } };
      const notFound = await kb.http().post('/graphql').set(strict).send({ extensions: unknownHash });
      expect(notFound.status).toBe(404);
      expect(JSON.parse(notFound.text).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await kb.http().post('/graphql').send({ extensions: unknownHash })).status).toBe(200);
    });
  });
});

type Call = (
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<{ status: number; cache: string | null; body: any }>;

/** mulberry32: the same seed, the same run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reads over types, relations (shown, filtered by, two hops away), counts, and search, which reads everything. */
const READS: Array<[string, Record<string, unknown>?]> = [
  ['{ trainings(locale: "en", sort: "slug") { documentId title themes(sort: "slug") { slug name } } }'],
  ['{ themes(locale: "en", sort: "slug") { slug name } }'],
  ['{ goodPractices(locale: "en", sort: "slug") { slug title trainings(sort: "slug") { slug title } } }'],
  ['{ territories(locale: "en", sort: "slug", pagination: { pageSize: 100 }) { slug name } }'],
  ['{ organizations(locale: "en", sort: "slug") { slug name territory { slug name } } }'],
  ['query($slug: String) { trainings(locale: "en", sort: "slug", filters: { themes: { slug: { eq: $slug } } }) { slug title } }', {}],
  ['{ themes(locale: "en", sort: "slug", filters: { goodPractices: { trainings: { title: { contains: "~" } } } }) { slug } }'],
  ['{ trainings_connection(locale: "en") { pageInfo { total } } }'],
  ['{ goodPractices(locale: "en", sort: "title") { title themes { name } territories { name } } }'],
  ['{ search(query: "training", locale: "en") { total items { type slug title } } }'],
];

/**
 * The types written, with a text field each edit marks. Good practices only through relations
 * from trainings: an edited one waits for a reviewer before it is published again.
 */
const WRITTEN = [
  ['api::training.training', 'trainings', 'title'],
  ['api::theme.theme', 'themes', 'name'],
  ['api::territory.territory', 'territories', 'name'],
  ['api::organization.organization', 'organizations', 'name'],
] as const;

/**
 * `steps` turns, each an editor write through the content manager of the first node (an edit
 * published, a draft-only edit, an unpublish, a publish, relations between trainings, themes and
 * good practices connected or disconnected) or an anonymous read on any node, compared with the
 * same read made uncachable by a variable it does not use.
 */
async function interleave(nodes: Call[], jwt: string, seed: number, steps: number): Promise<{ hits: number; reads: number }> {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const [editor] = nodes;
  const auth = { authorization: `Bearer ${jwt}` };
  const gql = async (node: Call, query: string, variables?: Record<string, unknown>) => {
    const res = await node('POST', '/graphql', { query, variables });
    expect({ query, status: res.status, errors: res.body.errors }).toEqual({ query, status: 200, errors: undefined });
    return res;
  };
  const cm = async (method: 'POST' | 'PUT', uid: string, path: string, body: Record<string, unknown> = {}) => {
    const res = await editor(method, `/content-manager/collection-types/${uid}/${path}?locale=en`, { ...body, locale: 'en' }, auth);
    expect({ path, status: res.status < 400 ? 'ok' : res.body }).toEqual({ path, status: 'ok' });
    return res.body.data;
  };
  // The seed has no trainings: three, published, each shown by a good practice.
  const practices = (await gql(editor, '{ goodPractices(locale: "en", sort: "slug") { documentId } }')).body.data.goodPractices;
  for (let i = 0; i < 3; i += 1) {
    const related = { documentId: practices[i % practices.length].documentId, locale: 'en' };
    const data = {
      title: `Workshop ${seed}-${i}`,
      slug: `workshop-${seed}-${i}`,
      startDate: '2026-03-01',
      mode: 'online',
      license: 'CC-BY-4.0',
    };
    await cm('POST', 'api::training.training', 'actions/publish', {
      ...data,
      source: { title: 'Test' },
      goodPractices: { connect: [related] },
    });
  }
  const records: Record<string, { documentId: string; text: string; published: boolean }[]> = {};
  for (const [uid, plural, field] of [...WRITTEN, ['api::good-practice.good-practice', 'goodPractices', 'title']]) {
    const { body } = await gql(editor, `{ ${plural}(locale: "en", sort: "slug", pagination: { pageSize: 4 }) { documentId ${field} } }`);
    records[uid] = body.data[plural].map((r: any) => ({ documentId: r.documentId, text: r[field], published: true }));
  }
  const themeSlugs = (await gql(editor, '{ themes(locale: "en") { slug } }')).body.data.themes.map((t: any) => t.slug);
  let hits = 0;
  let reads = 0;
  for (let step = 0; step < steps; step += 1) {
    if (random() < 0.3) {
      const [uid, , field] = pick(WRITTEN);
      const record = pick(records[uid]);
      const kind = random();
      if (kind < 0.35) {
        await cm('PUT', uid, record.documentId, { [field]: `${record.text} ~${step}` });
        await cm('POST', uid, `${record.documentId}/actions/publish`);
        record.published = true;
      } else if (kind < 0.5) await cm('PUT', uid, record.documentId, { [field]: `${record.text} (draft ${step})` });
      else if (kind < 0.8) {
        await cm('POST', uid, `${record.documentId}/actions/${record.published ? 'unpublish' : 'publish'}`);
        record.published = !record.published;
      } else {
        const training = pick(records['api::training.training']);
        const [target, attribute] = random() < 0.5 ? ['api::theme.theme', 'themes'] : ['api::good-practice.good-practice', 'goodPractices'];
        const change = random() < 0.5 ? 'connect' : 'disconnect';
        const related = { documentId: pick(records[target]).documentId, locale: 'en' };
        await cm('PUT', 'api::training.training', training.documentId, { [attribute]: { [change]: [related] } });
        await cm('POST', 'api::training.training', `${training.documentId}/actions/publish`);
        training.published = true;
      }
      continue;
    }
    const [query, given] = pick(READS);
    const variables = given && { slug: pick(themeSlugs) };
    const node = pick(nodes);
    const cached = await gql(node, query, variables);
    const fresh = await gql(node, query, { ...variables, uncached: `${seed}-${step}` });
    expect(fresh.cache).toBe('MISS');
    expect({ step, query, variables, body: cached.body }).toEqual({ step, query, variables, body: fresh.body });
    reads += 1;
    if (cached.cache === 'HIT') hits += 1;
  }
  return { hits, reads };
}

const onPostgres = testEngine() === 'postgres' ? describe : describe.skip;

onPostgres('two nodes sharing Redis', () => {
  let database: TestDatabase;
  let a: StrapiNode;
  let b: StrapiNode;

  beforeAll(async () => {
    database = await createTestDatabase('seeded');
    const env = { ...database.env, REDIS_URL: 'redis://127.0.0.1:6379' };
    a = await startNode(env);
    b = await startNode(env);
  }, 240000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await database?.drop();
  });

  // One editor for the suite: the first administrator can be registered only once.
  let token: Promise<string> | undefined;
  const editor = () => (token ??= editorToken(a));

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

    const token = await editor();
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

  test('a persisted query registered from the cache on node A works by its hash alone on node B, cached or not', async () => {
    const query = '{ territories(locale: "it", sort: "slug") { slug name } }';
    const extensions = JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha256(query) } });
    const getOn = async (node: StrapiNode, params: Record<string, string>) => {
      const res = await fetch(`${node.url}/graphql?${new URLSearchParams(params)}`);
      return { status: res.status, cache: res.headers.get('x-cache'), body: await res.json() };
    };
    const warm = await getOn(a, { query });
    expect((await getOn(b, { extensions })).body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await getOn(a, { query, extensions })).toEqual({ ...warm, cache: 'HIT' });
    expect(await getOn(b, { extensions })).toEqual({ ...warm, cache: 'HIT' });

    // An edit empties the cache: node B answers the hash alone afresh.
    const token = await editor();
    const territory = warm.body.data.territories[0];
    const { data } = await (await fetch(`${a.url}/api/territories?filters[slug][$eq]=${territory.slug}&locale=it`)).json();
    const put = await fetch(`${a.url}/api/territories/${data[0].documentId}?locale=it`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ data: { name: `${territory.name} (modificato)` } }),
    });
    expect(put.status).toBe(200);
    const fresh = await getOn(b, { extensions });
    expect(fresh.cache).toBe('MISS');
    expect(fresh.body.data.territories[0].name).toBe(`${territory.name} (modificato)`);
  });

  test('seeded random editor writes on node A and cached reads on either node: every cached answer is the uncached one', async () => {
    await editor();
    const login = await fetch(`${a.url}/admin/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'editor@example.org', password: 'Editor-Passw0rd' }),
    });
    const jwt = (await login.json()).data.token;
    const call =
      (node: StrapiNode): Call =>
      async (method, path, body, headers = {}) => {
        const res = await fetch(`${node.url}${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...headers },
          body: JSON.stringify(body),
        });
        return { status: res.status, cache: res.headers.get('x-cache'), body: await res.json() };
      };
    const { hits, reads } = await interleave([call(a), call(b)], jwt, 2, 150);
    expect(hits).toBeGreaterThan(reads / 5);
  }, 120000);
});
