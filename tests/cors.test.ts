/**
 * CORS, security headers, request ids and masked errors, on a production node: partner pages on
 * any origin read anonymously; credentials and the admin only from CORS_ORIGINS; an internal
 * error reaches the client as a generic message with the request id the log names.
 */
import { APP_DIR_PATTERN, startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const LISTED = 'https://admin.comin40.example';
const PARTNER = 'https://partner.example.org';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase({
    env: { NODE_ENV: 'production', CORS_ORIGINS: `${LISTED}, https://tools.comin40.example`, SERVE_ADMIN_PANEL: 'false' },
  });
});
afterAll(async () => {
  await kb.stop();
});

const QUERY = { query: '{ themes(pagination: { pageSize: 1 }) { slug } }' };

describe('CORS', () => {
  test('anonymous reads are open to any origin, without credentials', async () => {
    for (const res of [
      await kb.http().post('/graphql').set('origin', PARTNER).send(QUERY),
      await kb.http().get('/graphql').query(QUERY).set('origin', PARTNER),
      await kb.http().get('/api/themes').set('origin', PARTNER),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(PARTNER);
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
      expect(res.headers['access-control-expose-headers']).toMatch(/X-Request-Id/);
      expect(res.headers.vary).toMatch(/Origin/);
    }
  });

  test("a partner page's preflight for a GraphQL POST is answered", async () => {
    const res = await kb
      .http()
      .options('/graphql')
      .set('origin', PARTNER)
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type');
    expect(res.status).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(PARTNER);
    expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
    expect(res.headers['access-control-allow-headers']).toMatch(/Content-Type/i);
    // A GET revalidating a cached answer.
    const get = await kb
      .http()
      .options('/graphql')
      .set('origin', PARTNER)
      .set('access-control-request-method', 'GET')
      .set('access-control-request-headers', 'if-none-match');
    expect(get.headers['access-control-allow-origin']).toBe(PARTNER);
    expect(get.headers['access-control-allow-headers']).toMatch(/If-None-Match/i);
  });

  test("Apollo Client's and fetch's preflights pass for anonymous reads, and the reads that follow are readable", async () => {
    // Apollo Client names itself; a revalidating fetch sends If-None-Match or If-Modified-Since.
    const cases: [string, string, string][] = [
      ['/graphql', 'POST', 'apollographql-client-name, apollographql-client-version, content-type'],
      ['/graphql', 'GET', 'apollographql-client-name, apollographql-client-version, if-none-match'],
      ['/open-data/themes.csv', 'GET', 'if-modified-since, if-none-match'],
      ['/api/themes', 'GET', 'if-modified-since'],
    ];
    for (const [path, method, headers] of cases) {
      const res = await kb
        .http()
        .options(path)
        .set('origin', PARTNER)
        .set('access-control-request-method', method)
        .set('access-control-request-headers', headers);
      expect(`${method} ${path} ${res.status}`).toBe(`${method} ${path} 204`);
      expect(res.headers['access-control-allow-origin']).toBe(PARTNER);
      const allowed = res.headers['access-control-allow-headers'].toLowerCase().split(/\s*,\s*/);
      for (const header of headers.split(', ')) expect(allowed).toContain(header);
    }
    const read = await kb
      .http()
      .post('/graphql')
      .set('origin', PARTNER)
      .set('apollographql-client-name', 'partner-site')
      .set('apollographql-client-version', '1.0.0')
      .send(QUERY);
    expect(read.status).toBe(200);
    expect(read.headers['access-control-allow-origin']).toBe(PARTNER);
  });

  test('credentials from an origin that is not listed get no CORS headers', async () => {
    const token = await kb.apiToken();
    for (const res of [
      await kb
        .http()
        .options('/graphql')
        .set('origin', PARTNER)
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'content-type, authorization'),
      await kb.http().post('/graphql').set('origin', PARTNER).set('authorization', `Bearer ${token}`).send(QUERY),
      await kb.http().get('/api/themes').set('origin', PARTNER).set('cookie', 'session=1'),
      await kb.http().options('/api/themes').set('origin', PARTNER).set('access-control-request-method', 'DELETE'),
      await kb
        .http()
        .options('/admin/login')
        .set('origin', PARTNER)
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'content-type'),
      await kb.http().post('/admin/login').set('origin', PARTNER).send({ email: 'x@example.org', password: 'x' }),
    ]) {
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  test('the listed origins may send credentials and reach the admin', async () => {
    const token = await kb.apiToken();
    const res = await kb.http().post('/graphql').set('origin', LISTED).set('authorization', `Bearer ${token}`).send(QUERY);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(LISTED);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    const preflight = await kb
      .http()
      .options('/admin/login')
      .set('origin', 'https://tools.comin40.example')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://tools.comin40.example');
  });
});

test('security headers are kept, the server software is not advertised', async () => {
  const res = await kb.http().get('/api/themes');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
  expect(res.headers['x-powered-by']).toBeUndefined();
});

test('security headers are built once per method and path: the next requests get what the first got', async () => {
  // Strapi's own headers differ by path (GET /documentation gets a wider policy): paths no other test asks.
  const HELMET =
    /^(content-security-policy|strict-transport-security|referrer-policy|cross-origin-|origin-agent-cluster|x-(content-type|dns|download|frame|permitted|xss|powered))/;
  const securityHeaders = async (path: string) => {
    const res = await kb.http().get(path);
    return Object.fromEntries(Object.entries(res.headers).filter(([name]) => HELMET.test(name)));
  };
  const [plain, documentation] = [await securityHeaders('/api/territories'), await securityHeaders('/documentation/v1')];
  expect(plain['content-security-policy']).toMatch(/default-src 'self'/);
  expect(documentation['content-security-policy']).not.toEqual(plain['content-security-policy']);
  for (let again = 0; again < 2; again += 1) {
    expect(await securityHeaders('/api/territories')).toEqual(plain);
    expect(await securityHeaders('/documentation/v1')).toEqual(documentation);
  }
});

describe('request ids and masked errors', () => {
  const INTERNALS = new RegExp(
    `node_modules|${APP_DIR_PATTERN}|\\.ts:\\d|\\.js:\\d|at [A-Za-z.<>]+ \\(|SQLITE|select |from "|stacktrace`,
    'i',
  );
  let logged: string[] = [];
  let restore: () => void;
  beforeAll(() => {
    // A fault deep inside the server, worded like a database error with a file path: any SQL
    // statement reading English organizations fails (REST, Strapi's GraphQL, direct reads).
    kb.strapi.db.connection.on('query', ({ sql, bindings }: { sql: string; bindings?: unknown[] }) => {
      if (/organizations/.test(sql) && bindings?.includes('en')) {
        throw new Error(`select "secret" from "people" where 1 - SQLITE_ERROR at ${__filename}:1`);
      }
    });
    const original = kb.strapi.log.error.bind(kb.strapi.log);
    kb.strapi.log.error = ((message: unknown) => {
      logged.push(String(message));
    }) as typeof kb.strapi.log.error;
    restore = () => (kb.strapi.log.error = original);
  });
  afterAll(() => restore());
  beforeEach(() => {
    logged = [];
  });

  test('every response carries a request id; a sane incoming one is kept, anything else replaced', async () => {
    const own = await kb.http().get('/api/themes');
    expect(own.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await kb.http().get('/api/themes').set('x-request-id', 'lb-4f2a9c01')).headers['x-request-id']).toBe('lb-4f2a9c01');
    for (const bad of ['short', 'has spaces in it', 'x'.repeat(200), '<script>alert(1)</script>']) {
      const res = await kb.http().get('/api/themes').set('x-request-id', bad);
      expect(res.headers['x-request-id']).not.toBe(bad);
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  test('a REST internal error is a generic 500 with the request id, and the log names that id', async () => {
    const res = await kb.http().get('/api/organizations').query({ locale: 'en' });
    expect(res.status).toBe(500);
    const id = res.headers['x-request-id'];
    expect(res.body).toEqual({
      data: null,
      error: { status: 500, name: 'InternalServerError', message: 'Internal Server Error', details: { requestId: id } },
    });
    expect(logged.join('\n')).toContain(`[request ${id}]`);
    expect(logged.join('\n')).toMatch(/SQLITE_ERROR/);
  });

  test('a GraphQL internal error shows only its code and the request id', async () => {
    const res = await kb.graphql('{ organizations(locale: "en") { name } }');
    const id = res.headers['x-request-id'];
    expect(res.body.errors).toEqual([
      { message: 'Internal Server Error', path: ['organizations'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: id } },
    ]);
    expect(res.text).not.toMatch(INTERNALS);
    expect(logged.join('\n')).toContain(`[request ${id}]`);
  });

  test("a bad or expired token on /graphql is a GraphQL error with a 401; REST keeps Strapi's shape", async () => {
    for (const accept of ['application/json', 'application/graphql-response+json']) {
      const res = await kb.http().post('/graphql').set('authorization', 'Bearer not-a-token').set('accept', accept).send(QUERY);
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe(`${accept}; charset=utf-8`);
      expect(JSON.parse(res.text)).toEqual({
        errors: [{ message: 'Missing or invalid credentials', extensions: { code: 'UNAUTHENTICATED' } }],
      });
    }
    const overGet = await kb.http().get('/graphql').query(QUERY).set('authorization', 'Bearer not-a-token');
    expect(overGet.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const rest = await kb.http().get('/api/themes').set('authorization', 'Bearer not-a-token');
    expect(rest.status).toBe(401);
    expect(rest.body).toEqual({
      data: null,
      error: { status: 401, name: 'UnauthorizedError', message: 'Missing or invalid credentials', details: {} },
    });
  });

  test('errors the client caused keep their message but carry no stack trace in production', async () => {
    const res = await kb.graphql('{ goodPractices(pagination: { pageSize: 0 }) { title } }');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/pagination.pageSize must be an integer from 1 to 100/);
    expect(res.text).not.toMatch(INTERNALS);
  });
});
