/**
 * Rate limiting of the public API: per client address (X-Forwarded-For believed only behind a
 * trusted proxy), a higher limit for a valid API token, a clear 429 with Retry-After in the
 * shape of the API called, the admin left to Strapi's own login limiter; counters shared by
 * nodes through Redis, and still enforced per node when Redis fails.
 */
import { randomUUID } from 'crypto';
import { adminSession, startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startNode, type StrapiNode } from './helpers/nodes';

const QUERY = '{ projects { acronym } }';
// A day-long window: the counts of a test never straddle two windows.
const DAY = String(24 * 3600 * 1000);

describe('in-process counters, behind one trusted proxy', () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    // Counting requests needs no content: no seed, in this file's every instance.
    kb = await startKnowledgeBase({
      seed: false,
      env: { RATE_LIMIT_ANONYMOUS: '5', RATE_LIMIT_TOKEN: '8', RATE_LIMIT_WINDOW_MS: DAY, TRUSTED_PROXIES: '1' },
    });
  });
  afterAll(async () => {
    await kb.stop();
  });

  let n = 0;
  /** A client address of its own for each test (as the proxy reports it). */
  const newClient = () => `203.0.113.${(n += 1)}`;
  const gql = (client: string, headers: Record<string, string> = {}) =>
    kb.graphql(QUERY, undefined, { 'x-forwarded-for': client, ...headers });

  test('an anonymous client gets its limit, then a 429 with Retry-After in the GraphQL and REST shapes', async () => {
    const client = newClient();
    for (let i = 1; i <= 5; i += 1) {
      const res = await gql(client);
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('5');
      expect(res.headers['ratelimit-remaining']).toBe(String(5 - i));
    }
    const refused = await gql(client);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: Number(refused.headers['retry-after']) });
    expect(refused.body.errors[0].message).toMatch(/Too many requests: the limit is 5 per client address/);

    const rest = await kb.http().get('/api/themes').set('x-forwarded-for', client);
    expect(rest.status).toBe(429);
    expect(rest.body.error).toMatchObject({ status: 429, name: 'RateLimitError', details: { retryAfter: expect.any(Number) } });
    // A public page reads the database too: the same client's limit.
    expect((await kb.http().get('/it/about').set('x-forwarded-for', client)).status).toBe(429);

    // Other clients are not affected.
    expect((await gql(newClient())).status).toBe(200);
  });

  test("addresses a client adds in front of the proxy's own are not believed", async () => {
    const client = newClient();
    for (let i = 0; i < 5; i += 1) expect((await gql(client)).status).toBe(200);
    expect((await gql(`198.51.100.7, ${client}`)).status).toBe(429);
  });

  test('a valid API token gets the higher limit, even from an address that used its own up', async () => {
    const client = newClient();
    for (let i = 0; i < 5; i += 1) await gql(client);
    expect((await gql(client)).status).toBe(429);
    const authorization = `Bearer ${await kb.apiToken()}`;
    for (let i = 1; i <= 8; i += 1) {
      const res = await gql(client, { authorization });
      expect(res.status).toBe(200);
      expect(res.headers['ratelimit-limit']).toBe('8');
    }
    const refused = await gql(client, { authorization });
    expect(refused.status).toBe(429);
    expect(refused.body.errors[0].message).toMatch(/the limit is 8 per API token/);
  });

  test('a made-up bearer token is just an anonymous client', async () => {
    const client = newClient();
    const authorization = `Bearer ${randomUUID()}`;
    for (let i = 0; i < 5; i += 1) expect((await gql(client, { authorization })).headers['ratelimit-limit']).toBe('5');
    expect((await gql(client, { authorization: `Bearer ${randomUUID()}` })).status).toBe(429);
  });

  test("the admin is not limited by it: login works from a limited address, under Strapi's own login limiter", async () => {
    const client = newClient();
    for (let i = 0; i < 6; i += 1) await gql(client);
    expect((await gql(client)).status).toBe(429);
    const jwt = await adminSession(kb);
    expect((await kb.http().get('/admin/users/me').set('authorization', `Bearer ${jwt}`).set('x-forwarded-for', client)).status).toBe(200);

    // Strapi's limiter: five attempts per address and e-mail, then 429.
    const attempt = () =>
      kb.http().post('/admin/login').set('x-forwarded-for', client).send({ email: 'nobody@example.org', password: 'Wrong-Passw0rd' });
    for (let i = 0; i < 5; i += 1) expect((await attempt()).status).toBe(400);
    expect((await attempt()).status).toBe(429);
  });

  test('health probes are never limited', async () => {
    const client = newClient();
    for (let i = 0; i < 8; i += 1) expect((await kb.http().get('/_health').set('x-forwarded-for', client)).status).toBe(204);
  });
});

describe('when Redis fails', () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    // Nothing listens on port 9 (discard): every Redis command fails at once.
    kb = await startKnowledgeBase({
      seed: false,
      env: { RATE_LIMIT_ANONYMOUS: '3', RATE_LIMIT_WINDOW_MS: DAY, REDIS_URL: 'redis://127.0.0.1:9' },
    });
  });
  afterAll(async () => {
    await kb.stop();
  });

  test('each node still limits with its own counters', async () => {
    for (let i = 0; i < 3; i += 1) expect((await kb.graphql(QUERY)).status).toBe(200);
    expect((await kb.graphql(QUERY)).status).toBe(429);
  });
});

describe('two nodes sharing Redis', () => {
  const databases: TestDatabase[] = [];
  let nodes: StrapiNode[] = [];
  beforeAll(async () => {
    databases.push(await createTestDatabase('empty'), await createTestDatabase('empty'));
    // The same key prefix: the two nodes count as one service (as on one shared database).
    const shared = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `test-rate-${randomUUID()}:`,
      RATE_LIMIT_ANONYMOUS: '6',
      RATE_LIMIT_WINDOW_MS: DAY,
      SEED_ON_EMPTY: 'false',
    };
    nodes = await Promise.all(databases.map((db) => startNode({ ...db.env, ...shared })));
  }, 240000);
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await Promise.all(databases.map((db) => db.drop()));
  });

  test("a client's requests count once, whichever node answers; X-Forwarded-For is ignored without a trusted proxy", async () => {
    const ask = (node: StrapiNode, i: number) =>
      fetch(`${node.url}/graphql`, {
        method: 'POST',
        // A different forwarded address each time: not believed, these nodes trust no proxy.
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `192.0.2.${i}` },
        body: JSON.stringify({ query: QUERY }),
      });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) statuses.push((await ask(nodes[i % 2], i)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 429, 429]);
  });
});
