/**
 * Strapi's router ignores case and a trailing slash: `/GRAPHQL` and `/API/themes/` are served
 * like `/graphql` and `/api/themes`. The edge protections (rate limits, the GraphQL body limit,
 * the response cache, CORS) must see the path as the router does, however it is spelled
 * (src/edge/request-path).
 */
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const LIMIT = 4;
const PARTNER = 'https://partner.example.org';
const QUERY = '{ themes(pagination: { pageSize: 1 }) { slug } }';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase({
    env: {
      RATE_LIMIT_ANONYMOUS: String(LIMIT),
      RATE_LIMIT_WINDOW_MS: String(24 * 3600 * 1000),
      TRUSTED_PROXIES: '1',
      CORS_ORIGINS: 'https://admin.comin40.example',
    },
  });
});
afterAll(async () => {
  await kb.stop();
});

/** The other spellings of public routes that the router serves. */
const SPELLINGS: [string, string][] = [
  ['POST', '/GRAPHQL'],
  ['POST', '/graphql/'],
  ['POST', '/GraphQL/'],
  ['GET', '/API/themes'],
  ['GET', '/api/themes/'],
  ['GET', '/Api/Themes'],
  ['GET', '/OPEN-DATA/themes.csv'],
];
const send = (method: string, path: string, client: string) =>
  method === 'POST'
    ? kb.http().post(path).set('x-forwarded-for', client).send({ query: QUERY })
    : kb.http().get(path).set('x-forwarded-for', client);

describe('edge protections see the path as the router does', () => {
  test('the router serves these spellings (so that they need protecting)', async () => {
    for (const [index, [method, path]] of SPELLINGS.entries()) {
      const res = await send(method, path, `198.51.100.${index + 1}`);
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 200`);
    }
  });

  test('every spelling is rate limited, from one budget per client', async () => {
    for (const [method, path] of SPELLINGS) {
      const client = `198.51.100.${SPELLINGS.findIndex(([m, p]) => m === method && p === path) + 10}`;
      const first = await send(method, path, client);
      expect(`${method} ${path} ${first.headers['ratelimit-limit']}`).toBe(`${method} ${path} ${LIMIT}`);
      // The rest of the budget spent under the usual spelling: this spelling is refused too.
      for (let i = 1; i < LIMIT; i += 1) await send('GET', '/api/themes', client);
      const over = await send(method, path, client);
      expect(`${method} ${path} ${over.status}`).toBe(`${method} ${path} 429`);
    }
    // Spellings the router does not serve are counted as well: nothing is gained by trying them.
    for (const path of ['//api/themes', '/api//themes', '/%61pi/themes', '/%2Fapi/themes']) {
      const res = await kb.http().get(path).set('x-forwarded-for', '198.51.100.40');
      expect(`${path} ${res.headers['ratelimit-limit']}`).toBe(`${path} ${LIMIT}`);
    }
  });

  test('the 64 kB GraphQL body limit holds for every spelling, anonymous or not', async () => {
    const big = { query: QUERY, variables: { padding: 'x'.repeat(900 * 1024) } };
    let client = 100;
    for (const path of ['/graphql', '/GRAPHQL', '/graphql/', '/Graphql', '/graphql?x=1']) {
      for (const headers of [{}, { authorization: 'Bearer not-a-token' }]) {
        client += 1;
        const res = await kb.http().post(path).set('x-forwarded-for', `198.51.100.${client}`).set(headers).send(big);
        expect(`${path} ${JSON.stringify(headers)} ${res.status}`).toBe(`${path} ${JSON.stringify(headers)} 413`);
      }
    }
  });

  test('the response cache answers every spelling', async () => {
    const get = (path: string) =>
      kb
        .http()
        .get(path)
        .query({ query: '{ themes(pagination: { pageSize: 2 }) { slug name } }' })
        .set('x-forwarded-for', '198.51.100.200');
    const canonical = await get('/graphql');
    expect(canonical.status).toBe(200);
    for (const path of ['/GRAPHQL', '/graphql/']) {
      const res = await get(path);
      expect(`${path} ${res.headers['x-cache']}`).toBe(`${path} HIT`);
      expect(res.headers.etag).toBe(canonical.headers.etag);
      expect(res.body).toEqual(canonical.body);
    }
  });

  test('CORS treats every spelling of a public read as one', async () => {
    let client = 210;
    for (const [method, path] of SPELLINGS) {
      client += 1;
      const res = await send(method, path, `198.51.100.${client}`).set('origin', PARTNER);
      // The open-data files say `*` themselves; either way the partner's page may read them.
      expect([`${method} ${path} ${PARTNER}`, `${method} ${path} *`]).toContain(
        `${method} ${path} ${res.headers['access-control-allow-origin']}`,
      );
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
    // And a spelling of the admin API is still the admin's: no partner origin.
    const admin = await kb.http().get('/ADMIN/users/me').set('origin', PARTNER).set('x-forwarded-for', '198.51.100.230');
    expect(admin.headers['access-control-allow-origin']).not.toBe(PARTNER);
  });
});
