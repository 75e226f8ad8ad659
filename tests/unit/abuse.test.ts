/** Pure cores of rate limiting, client addresses, CORS, request ids, uploads and query checks. */
import { clientIp, parseTrustedProxies } from '../../src/edge/rate-limit/client-ip';
import { bearerToken, decide, isRateLimitedPath, rateLimitedBody, WindowCounter } from '../../src/edge/rate-limit/core';
import { rateLimitsFromEnv } from '../../src/edge/rate-limit';
import { corsOrigins, isAnonymousRead } from '../../src/edge/cors/core';
import { isClientError, maskGraphqlErrors, requestIdFrom } from '../../src/edge/request-id/core';
import { uploadProblem } from '../../src/edge/uploads/core';
import { checkFields, checkFilters, checkPopulate, QueryProblem } from '../../src/edge/query-params/core';
import type { Attributes } from '../../src/content/model/core';

describe('client address', () => {
  test('without trusted proxies X-Forwarded-For is ignored', () => {
    expect(clientIp('::ffff:10.0.0.9', '1.2.3.4', parseTrustedProxies(''))).toBe('10.0.0.9');
    expect(parseTrustedProxies('0')).toBeNull();
  });
  test('with hops, the address the outermost trusted proxy saw', () => {
    const one = parseTrustedProxies('1');
    expect(clientIp('10.0.0.2', '6.6.6.6, 198.51.100.4', one)).toBe('198.51.100.4');
    expect(clientIp('10.0.0.2', '6.6.6.6, 198.51.100.4, 10.0.0.1', parseTrustedProxies('2'))).toBe('198.51.100.4');
    expect(clientIp('10.0.0.2', 'garbage', one)).toBe('10.0.0.2');
    expect(clientIp('10.0.0.2', '198.51.100.4', parseTrustedProxies('3'))).toBe('198.51.100.4');
  });
  test('with a list, from the nearest hop outwards to the first address that is not a proxy', () => {
    const trust = parseTrustedProxies('10.0.0.0/8, 2001:db8::/32, 192.0.2.7');
    expect(clientIp('10.1.2.3', '6.6.6.6, 198.51.100.4, 192.0.2.7', trust)).toBe('198.51.100.4');
    expect(clientIp('2001:db8::1', '198.51.100.4', trust)).toBe('198.51.100.4');
    // A peer that is not a trusted proxy: its header means nothing.
    expect(clientIp('203.0.113.5', '198.51.100.4', trust)).toBe('203.0.113.5');
    // Nonsense in the chain stops the walk at the last proxy.
    expect(clientIp('10.1.2.3', 'x, 10.9.9.9', trust)).toBe('10.9.9.9');
  });
  test('a bad setting stops the start with a clear message', () => {
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow(/TRUSTED_PROXIES: "10.0.0.0\/33"/);
    expect(() => parseTrustedProxies('proxy.local')).toThrow(/neither a number of proxy hops nor an IP address/);
  });
});

describe('rate limiting', () => {
  test('a fixed window per identity; a new window starts from zero', () => {
    const counter = new WindowCounter(1000);
    expect(counter.hit('a', 5000)).toEqual({ count: 1, resetAt: 6000 });
    expect(counter.hit('a', 5999).count).toBe(2);
    expect(counter.hit('b', 5999).count).toBe(1);
    expect(counter.hit('a', 6000)).toEqual({ count: 1, resetAt: 7000 });
    expect(counter.size).toBe(1);
  });
  test('memory is bounded: past the maximum, new clients share one counter', () => {
    const counter = new WindowCounter(1000, 2);
    counter.hit('a', 0);
    counter.hit('b', 0);
    expect(counter.hit('c', 0).count).toBe(1);
    expect(counter.hit('d', 0).count).toBe(2);
    expect(counter.size).toBe(3);
  });
  test('decision, headers and bodies', () => {
    expect(decide({ count: 5, resetAt: 10_500 }, 5, 10_000)).toEqual({ allowed: true, limit: 5, remaining: 0, resetSeconds: 1 });
    expect(decide({ count: 6, resetAt: 70_000 }, 5, 10_000)).toMatchObject({ allowed: false, resetSeconds: 60 });
    expect(rateLimitedBody(true, 'm', 3)).toEqual({ errors: [{ message: 'm', extensions: { code: 'RATE_LIMITED', retryAfter: 3 } }] });
    expect(rateLimitedBody(false, 'm', 3).error).toMatchObject({ status: 429, name: 'RateLimitError' });
  });
  test('only the public API and the public pages are limited', () => {
    for (const path of [
      '/graphql',
      '/api/themes',
      '/open-data/catalog.ttl',
      '/feeds/it.atom',
      '/sitemap.xml',
      '/it/about',
      '/EN/event/x',
      '/en/theme/',
    ])
      expect(isRateLimitedPath(path, '/graphql')).toBe(true);
    for (const path of [
      '/admin/login',
      '/_health',
      '/upload',
      '/graphqlx',
      '/apis',
      '/',
      '/explorer/app.js',
      '/site/site.css',
      '/fr/about',
    ])
      expect(isRateLimitedPath(path, '/graphql')).toBe(false);
  });
  test('bearer tokens are read as Strapi reads them', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
  test('limits from the environment, checked', () => {
    expect(rateLimitsFromEnv({})).toEqual({ anonymous: 300, token: 3000, windowMs: 60_000 });
    expect(rateLimitsFromEnv({ RATE_LIMIT_ANONYMOUS: '0', RATE_LIMIT_TOKEN: '10', RATE_LIMIT_WINDOW_MS: '1000' })).toEqual({
      anonymous: 0,
      token: 10,
      windowMs: 1000,
    });
    expect(() => rateLimitsFromEnv({ RATE_LIMIT_ANONYMOUS: 'many' })).toThrow(/RATE_LIMIT_ANONYMOUS must be an integer/);
    expect(() => rateLimitsFromEnv({ RATE_LIMIT_WINDOW_MS: '10' })).toThrow(/at least 1000/);
  });
});

describe('CORS', () => {
  const request = (method: string, path: string, headers: Record<string, string> = {}) => ({
    method,
    path,
    header: (n: string) => headers[n] ?? '',
  });
  test('public reads without credentials may come from anywhere', () => {
    expect(isAnonymousRead(request('POST', '/graphql'), '/graphql')).toBe(true);
    expect(isAnonymousRead(request('GET', '/api/themes'), '/graphql')).toBe(true);
    expect(isAnonymousRead(request('GET', '/open-data/catalog.jsonld'), '/graphql')).toBe(true);
    expect(isAnonymousRead(request('GET', '/Feeds/it/good-practice.atom'), '/graphql')).toBe(true);
    expect(
      isAnonymousRead(
        request('OPTIONS', '/graphql', { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }),
        '/graphql',
      ),
    ).toBe(true);
  });
  test('credentials, writes and other routes may not', () => {
    expect(isAnonymousRead(request('POST', '/graphql', { authorization: 'Bearer x' }), '/graphql')).toBe(false);
    expect(isAnonymousRead(request('GET', '/api/themes', { cookie: 'a=b' }), '/graphql')).toBe(false);
    expect(isAnonymousRead(request('POST', '/api/themes'), '/graphql')).toBe(false);
    expect(isAnonymousRead(request('GET', '/admin/users/me'), '/graphql')).toBe(false);
    expect(
      isAnonymousRead(
        request('OPTIONS', '/graphql', {
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'Content-Type, Authorization',
        }),
        '/graphql',
      ),
    ).toBe(false);
    expect(isAnonymousRead(request('OPTIONS', '/api/themes', { 'access-control-request-method': 'DELETE' }), '/graphql')).toBe(false);
  });
  test('CORS_ORIGINS: a list of origins, the server itself by default, never "*"', () => {
    expect(corsOrigins('', 'https://kb.example.org/')).toEqual(['https://kb.example.org']);
    expect(corsOrigins('https://a.example, http://localhost:3000/', 'x')).toEqual(['https://a.example', 'http://localhost:3000']);
    expect(() => corsOrigins('*', 'x')).toThrow(/may not be "\*"/);
    expect(() => corsOrigins('a.example/path', 'x')).toThrow(/not an origin/);
  });
});

describe('request ids and masked errors', () => {
  test('a sane incoming id is kept, anything else replaced', () => {
    expect(requestIdFrom('lb-4f2a9c01')).toBe('lb-4f2a9c01');
    for (const bad of [undefined, '', 'short', 'with space 123', 'x'.repeat(101), 'a\nb12345678'])
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f-]{36}$/);
  });
  test('client errors are told apart from faults of the server', () => {
    class Known extends Error {}
    expect(isClientError(new Known(), [Known])).toBe(true);
    expect(isClientError(Object.assign(new SyntaxError('Unexpected end of JSON input'), { status: 400 }), [])).toBe(true);
    expect(isClientError(new Error('select * from x'), [Known])).toBe(false);
    expect(isClientError(Object.assign(new Error('x'), { status: 503 }), [])).toBe(false);
  });
  test('internal GraphQL errors keep only their code and the id; no stack traces in production', () => {
    const errors = [
      {
        message: 'Internal Server Error',
        path: ['a'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', error: { message: 'select …' }, stacktrace: ['at x'] },
      },
      { message: 'Bad', extensions: { code: 'BAD_USER_INPUT', stacktrace: ['at y'] } },
    ];
    expect(maskGraphqlErrors(errors, [true, false], 'id-12345678', true)).toEqual([
      { message: 'Internal Server Error', path: ['a'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'id-12345678' } },
      { message: 'Bad', extensions: { code: 'BAD_USER_INPUT' } },
    ]);
    expect(maskGraphqlErrors(errors, [false, false], 'id-12345678', false)[1]).toBe(errors[1]);
  });
});

describe('uploads', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
  test('a file whose name, declared type and content agree passes', () => {
    expect(uploadProblem({ name: 'a.PNG', declaredType: 'image/png', head: png })).toBeNull();
    expect(uploadProblem({ name: 'a.png', declaredType: 'application/octet-stream', head: png })).toBeNull();
    expect(uploadProblem({ name: 'r.pdf', declaredType: 'application/pdf; charset=binary', head: Buffer.from('%PDF-1.7') })).toBeNull();
    expect(uploadProblem({ name: 'w.webp', declaredType: 'image/webp', head: Buffer.from('RIFF\0\0\0\0WEBPVP8 ') })).toBeNull();
  });
  test('any disagreement, or a type not on the list, is refused', () => {
    expect(uploadProblem({ name: 'a.png', declaredType: 'image/png', head: Buffer.from('<html>') })).toMatch(/content is not image\/png/);
    expect(uploadProblem({ name: 'a.png', declaredType: 'image/jpeg', head: png })).toMatch(/declared as image\/jpeg/);
    expect(uploadProblem({ name: 'a.svg', declaredType: 'image/svg+xml', head: Buffer.from('<svg') })).toMatch(/cannot be uploaded/);
    expect(uploadProblem({ name: 'png', declaredType: 'image/png', head: png })).toMatch(/cannot be uploaded/);
    expect(uploadProblem({ name: 'a.gif', declaredType: 'image/gif', head: Buffer.from('GIF8') })).toMatch(/content is not image\/gif/);
  });
});

describe('query checks', () => {
  const types: Record<string, Attributes> = {
    practice: { title: { type: 'string' }, territories: { type: 'relation', target: 'territory' }, id: { type: 'increments' } },
    territory: { name: { type: 'string' }, parent: { type: 'relation', target: 'territory' } },
  };
  const of = (uid: string) => types[uid];
  const ok = (filters: unknown) => expect(() => checkFilters(filters, 'practice', of)).not.toThrow();
  const bad = (filters: unknown, message: RegExp) => expect(() => checkFilters(filters, 'practice', of)).toThrow(message);

  test('what Strapi runs passes', () => {
    ok({ title: 'x' });
    ok({ title: { $containsi: 'x', $not: { $eq: 'y' } } });
    ok({
      $or: [{ title: { $eq: 'a' } }, { territories: { name: { $in: ['a', 'b'] } } }],
      $not: { territories: { parent: { name: 'B' } } },
    });
    ok({ territories: { $null: true } });
    ok({ territories: 5 });
    ok({ territories: { $and: [{ name: 'x' }] } });
    ok({ unknownField: { anything: 1 } });
  });
  test('what Strapi cannot run is a clear problem', () => {
    bad(
      { territories: { $not: { name: 'x' } } },
      /^filters.territories: not inside a relation filter is not supported; put it around the relation instead: \{ not: \{ territories: \{ … \} \} \}.$/,
    );
    bad({ title: { $and: ['x'] } }, /filters.title.\$and: and cannot be used inside a field/);
    bad({ $eq: 'x' }, /filters.\$eq: eq must be applied to a field/);
    bad({ $or: { 0: {} } }, /or takes a list of filters/);
    bad({ $or: ['x'] }, /filters.\$or.0: must be an object/);
    bad('x', /^filters: must be an object/);
    bad({ title: { $eq: { $lt: 1 } } }, /eq takes a value or a list of values, not an object/);
    bad({ title: { $between: [1] } }, /between takes a list of two values/);
    bad({ title: { $jsonSupersetOf: {} } }, /unknown operator jsonSupersetOf/);
    bad({ title: { source: 1 } }, /"source" is not an operator/);
    bad({ territories: { name: 'x', $eq: 1 } }, /either fields of the related type or one operator/);
    bad({ territories: { parent: { $not: { name: 'x' } } } }, /filters.territories.parent: not inside a relation filter/);
  });
  test('values must suit their field (PostgreSQL is strict where SQLite is not)', () => {
    const typed: Record<string, Attributes> = {
      t: {
        n: { type: 'integer' },
        d: { type: 'date' },
        at: { type: 'datetime' },
        x: { type: 'decimal' },
        s: { type: 'string' },
        r: { type: 'relation', target: 't' },
      },
    };
    const check = (filters: unknown) => () => checkFilters(filters, 't', (uid) => typed[uid]);
    expect(check({ n: { $gt: '5' }, d: { $between: ['2022-01-01', '2022-12-31'] }, x: 1.5, s: { $containsi: 'x' }, r: '7' })).not.toThrow();
    expect(check({ n: 2 ** 31 })).toThrow(/filters.n: 2147483648 is not an integer/);
    expect(check({ r: { $in: [1, 'abc'] } })).toThrow(/filters.r.\$in: "abc" is not an id/);
    expect(check({ x: { $lt: 'ten' } })).toThrow(/"ten" is not a number/);
    expect(check({ d: { $eq: '2022-13' } })).toThrow(/is not a date/);
    // GraphQL's DateTime scalar gives Date objects.
    expect(check({ at: { $gte: new Date('2022-01-01T00:00:00Z'), $lt: '2023-01-01T00:00:00Z' } })).not.toThrow();
    expect(check({ at: new Date('nonsense') })).toThrow(/is not a date and time/);
    expect(check({ n: { $contains: '1' } })).toThrow(/contains compares text; this field is of type integer/);
    expect(check({ s: 'a\u0000b' })).toThrow(/NUL character/);
  });
  test("fields are the type's own attributes; populate is checked on the related type", () => {
    expect(() => checkFields(['title', 'id'], types.practice)).not.toThrow();
    expect(() => checkFields(['__proto__'], types.practice)).toThrow(QueryProblem);
    expect(() => checkFields('constructor', types.practice)).toThrow(/"constructor" is not a field/);
    expect(() => checkPopulate({ territories: { fields: ['name'], filters: { name: 'x' } } }, 'practice', of)).not.toThrow();
    expect(() => checkPopulate({ territories: { fields: ['toString'] } }, 'practice', of)).toThrow(/populate.territories.fields/);
    expect(() => checkPopulate({ territories: { populate: { parent: { filters: { $eq: 1 } } } } }, 'practice', of)).toThrow(
      /populate.territories.populate.parent.filters.\$eq/,
    );
  });
});
