/** Pure cores: no Strapi, no database. */
import { dateRangeErrors, touchedRangeFields } from '../../src/editorial/validation/core';
import { graphqlHttpStatus, graphqlShapeOfRestError, httpStatusForErrors, inAnswerOrder } from '../../src/public-api/graphql-errors/core';
import { paginationFromQuery, paginationProblem } from '../../src/edge/query-limits/core';
import { isPublicCaller, publicRead, publicReadActions } from '../../src/public-api/public-access/core';
import { MissingSecretError, secret, secretList } from '../../src/edge/secrets';
import { OutageBreaker, isDatabaseUnavailable } from '../../src/edge/health/core';
import { PUBLIC_UIDS } from '../../src/content/model/core';
import { slugLookupIndex } from '../../src/content/lookup-indexes/core';

describe('date ranges', () => {
  const attributes = { startDate: {}, endDate: {}, periodStart: {}, periodEnd: {} };
  test('an end before its start is reported, per range', () => {
    expect(dateRangeErrors({ startDate: '2022-09-26', endDate: '2022-09-25' }, attributes)).toEqual([
      { path: 'endDate', message: 'endDate (2022-09-25) must not be before startDate (2022-09-26).' },
    ]);
    expect(dateRangeErrors({ periodStart: '2021-01-02', periodEnd: '2021-01-01' }, attributes)[0].path).toBe('periodEnd');
  });
  test('same day, open ranges and datetimes within a day are fine', () => {
    expect(dateRangeErrors({ startDate: '2022-09-26', endDate: '2022-09-26' }, attributes)).toEqual([]);
    expect(dateRangeErrors({ startDate: '2022-09-26', endDate: null }, attributes)).toEqual([]);
    expect(dateRangeErrors({ startDate: '2022-09-26T07:00:00Z', endDate: '2022-09-26T15:00:00Z' }, attributes)).toEqual([]);
    expect(dateRangeErrors({ startDate: '2022-09-26T15:00:00Z', endDate: '2022-09-26T07:00:00Z' }, attributes)).toHaveLength(1);
  });
  test('types without a range are not checked', () => {
    expect(dateRangeErrors({ startDate: '2022-09-26', endDate: '2020-01-01' }, { startDate: {} })).toEqual([]);
  });
  test('only writes that touch a range field need a check', () => {
    expect(touchedRangeFields({ title: 'x' })).toEqual([]);
    expect(touchedRangeFields({ endDate: '2022-01-01' })).toEqual(['endDate']);
    expect(touchedRangeFields(undefined)).toEqual([]);
  });
});

describe('HTTP status of GraphQL refusals', () => {
  test('follows the error codes, the strictest winning', () => {
    expect(httpStatusForErrors([{ extensions: { code: 'FORBIDDEN' } }])).toBe(403);
    expect(httpStatusForErrors([{ extensions: { code: 'BAD_USER_INPUT' } }, { extensions: { code: 'FORBIDDEN' } }])).toBe(403);
    expect(httpStatusForErrors([{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }])).toBe(400);
    expect(httpStatusForErrors([{ extensions: { code: 'INTERNAL_SERVER_ERROR' } }])).toBeNull();
    expect(httpStatusForErrors(undefined)).toBeNull();
  });

  const GRAPHQL_RESPONSE = 'application/graphql-response+json';
  const forbidden = [{ extensions: { code: 'FORBIDDEN' } }];
  test('application/json: the code decides unless Apollo chose a status', () => {
    expect(graphqlHttpStatus({ data: { a: null }, errors: forbidden }, 200, 'application/json')).toBe(403);
    expect(graphqlHttpStatus({ errors: forbidden }, 400, 'application/json')).toBeNull();
    expect(graphqlHttpStatus({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] }, 200, 'application/json')).toBeNull();
  });
  test('application/graphql-response+json: a data entry is a 200, none a 4xx', () => {
    expect(graphqlHttpStatus({ data: { a: null }, errors: forbidden }, 200, GRAPHQL_RESPONSE)).toBe(200);
    expect(graphqlHttpStatus({ data: null, errors: forbidden }, 200, GRAPHQL_RESPONSE)).toBe(200);
    expect(graphqlHttpStatus({ errors: forbidden }, 200, GRAPHQL_RESPONSE)).toBe(403);
    expect(graphqlHttpStatus({ errors: [{ extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] }, 400, GRAPHQL_RESPONSE)).toBeNull();
    expect(graphqlHttpStatus({ errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] }, 200, GRAPHQL_RESPONSE)).toBe(404);
    expect(graphqlHttpStatus({ errors: [{ extensions: { code: 'SOMETHING_ELSE' } }] }, 200, GRAPHQL_RESPONSE)).toBe(400);
  });
  test("Strapi's REST-shaped refusals in GraphQL's shape", () => {
    const rest = (status: number, name: string, message: string, details = {}) => ({
      data: null,
      error: { status, name, message, details },
    });
    expect(graphqlShapeOfRestError(rest(401, 'UnauthorizedError', 'Missing or invalid credentials'), 401)).toEqual({
      errors: [{ message: 'Missing or invalid credentials', extensions: { code: 'UNAUTHENTICATED' } }],
    });
    expect(graphqlShapeOfRestError(rest(413, 'PayloadTooLargeError', 'request entity too large'), 413)).toEqual({
      errors: [{ message: 'request entity too large', extensions: { code: 'PAYLOAD_TOO_LARGE' } }],
    });
    expect(graphqlShapeOfRestError(rest(400, 'ValidationError', 'bad', { errors: [1] }), 400)).toEqual({
      errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT', details: { errors: [1] } } }],
    });
    expect(graphqlShapeOfRestError({ errors: [{ message: 'already GraphQL' }] }, 400)).toBeUndefined();
    expect(graphqlShapeOfRestError('text', 400)).toBeUndefined();
  });
});

describe('order of GraphQL errors', () => {
  test('by their place in the answer (list indexes as numbers), then by message, whatever order resolvers finished in', () => {
    const errors = [
      { message: 'b', path: ['events', 10, 'themes'] },
      { message: 'a', path: ['events', 2, 'themes'] },
      { message: 'z', path: ['events', 2] },
      { message: 'y', path: ['events', 2] },
      { message: 'no path' },
    ];
    expect(inAnswerOrder(errors).map((e) => e.message)).toEqual(['no path', 'y', 'z', 'a', 'b']);
    expect(inAnswerOrder([...errors].reverse())).toEqual(inAnswerOrder(errors));
  });
});

describe('pagination', () => {
  test('accepts what partners normally send', () => {
    expect(paginationProblem(undefined, 100)).toBeNull();
    expect(paginationProblem({ page: 1, pageSize: 100 }, 100)).toBeNull();
    expect(paginationProblem({ start: 0, limit: 25 }, 100)).toBeNull();
  });
  test('refuses out-of-range, non-integer and mixed values with the field named', () => {
    expect(paginationProblem({ limit: -1 }, 100)).toBe('pagination.limit must be an integer from 1 to 100 (got -1).');
    expect(paginationProblem({ pageSize: 101 }, 100)).toMatch(/pageSize/);
    expect(paginationProblem({ page: 1.5 }, 100)).toMatch(/page must be an integer of at least 1/);
    expect(paginationProblem({ start: -3 }, 100)).toMatch(/start/);
    expect(paginationProblem({ page: 1, start: 0 }, 100)).toMatch(/either/);
    expect(paginationProblem({ limit: 'ten' } as any, 100)).toMatch(/got "ten"/);
  });
  test('reads REST query strings as numbers when they are integers', () => {
    expect(paginationFromQuery({ page: '2', pageSize: '10' })).toEqual({ page: 2, pageSize: 10 });
    expect(paginationFromQuery({ limit: '1e3' })).toEqual({ limit: '1e3' });
    expect(paginationFromQuery('x')).toBeNull();
  });
});

describe('public access', () => {
  test('the public role reads, and only reads, the ten public types', () => {
    expect(PUBLIC_UIDS).toHaveLength(10);
    expect(publicReadActions()).toHaveLength(20);
    expect(publicReadActions().every((a) => /\.(find|findOne)$/.test(a))).toBe(true);
  });
  test('public callers are content-API callers without an API token', () => {
    const api = (name?: string) => ({ route: { info: { type: 'content-api' } }, auth: { strategy: { name } } });
    expect(isPublicCaller(api('users-permissions'))).toBe(true);
    expect(isPublicCaller(api(undefined))).toBe(true);
    expect(isPublicCaller(api('content-api-token'))).toBe(false);
    expect(isPublicCaller(api('api-token'))).toBe(false);
    expect(isPublicCaller({ route: { info: { type: 'admin' } } })).toBe(false);
    expect(isPublicCaller(undefined)).toBe(false);
  });
  test('public reads are forced to published content; drafts and unknown locales are refused', () => {
    expect(publicRead({}, ['it', 'en'])).toEqual({ params: { status: 'published' } });
    expect(publicRead({ status: 'published', locale: 'en' }, ['it', 'en'])).toEqual({ params: { status: 'published', locale: 'en' } });
    expect(publicRead({ locale: '*' }, ['it', 'en'])).toEqual({ params: { status: 'published', locale: '*' } });
    expect(publicRead({ status: 'draft' }, ['it', 'en'])).toMatchObject({ refusal: 'forbidden' });
    expect(publicRead({ locale: 'fr' }, ['it', 'en'])).toEqual({
      refusal: 'invalid',
      message: 'Unknown locale "fr". Available locales: it, en.',
    });
  });
});

describe('secrets', () => {
  const env = (values: Record<string, string>) =>
    Object.assign((name: string) => values[name], { array: (name: string) => values[name]?.split(',') });
  test('a missing or blank secret stops the start and names the variable', () => {
    expect(() => secret(env({}), 'APP_KEYS')).toThrow(MissingSecretError);
    expect(() => secret(env({ JWT_SECRET: '  ' }), 'JWT_SECRET')).toThrow(/Missing secret JWT_SECRET/);
  });
  test('present secrets pass through', () => {
    expect(secret(env({ JWT_SECRET: 'abc' }), 'JWT_SECRET')).toBe('abc');
    expect(secretList(env({ APP_KEYS: 'a,b' }), 'APP_KEYS')).toEqual(['a', 'b']);
  });
});

describe('database outage breaker', () => {
  test('passes while the database is fine, refuses after a failure, probes once per interval', () => {
    const breaker = new OutageBreaker(1000);
    expect(breaker.decide(0)).toBe('pass');
    breaker.recordFailure(100);
    expect(breaker.decide(500)).toBe('refuse');
    expect(breaker.decide(1099)).toBe('refuse');
    expect(breaker.decide(1100)).toBe('probe');
    expect(breaker.decide(1200)).toBe('refuse');
    expect(breaker.decide(2100)).toBe('probe');
    breaker.recordSuccess();
    expect(breaker.decide(2101)).toBe('pass');
  });
  test('refusals alone never postpone the next probe', () => {
    const breaker = new OutageBreaker(1000);
    breaker.recordFailure(0);
    for (let t = 10; t < 1000; t += 10) expect(breaker.decide(t)).toBe('refuse');
    expect(breaker.decide(1000)).toBe('probe');
  });
  test('tells an unreachable database from a bad query', () => {
    expect(isDatabaseUnavailable(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe(
      true,
    );
    expect(isDatabaseUnavailable({ name: 'KnexTimeoutError', message: 'Knex: Timeout acquiring a connection' })).toBe(true);
    expect(isDatabaseUnavailable({ originalError: { code: 'ECONNRESET' } })).toBe(true);
    const raisedIn = (file: string, message: string) =>
      Object.assign(new Error(message), { stack: `Error: ${message}\n    at Object.f (${file}:1:1)` });
    expect(
      isDatabaseUnavailable(
        raisedIn(
          '/app/node_modules/knex/lib/execution/transaction.js',
          'Transaction query already complete, run with DEBUG=knex:tx for more info',
        ),
      ),
    ).toBe(true);
    expect(isDatabaseUnavailable(raisedIn('/app/node_modules/pg/lib/client.js', 'Connection terminated unexpectedly'))).toBe(true);
    // The same words from anywhere else may be the client's own (a GraphQL error quoting an argument).
    expect(
      isDatabaseUnavailable(
        raisedIn('/app/node_modules/graphql/validation/validate.js', 'Enum cannot represent value: "Connection terminated unexpectedly"'),
      ),
    ).toBe(false);
    expect(isDatabaseUnavailable(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(isDatabaseUnavailable(Object.assign(new Error('duplicate key value'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new Error('Forbidden'))).toBe(false);
    expect(isDatabaseUnavailable(undefined)).toBe(false);
  });
});

describe('slug-lookup indexes', () => {
  test('slug first, then locale and publication where the type has them', () => {
    expect(slugLookupIndex('themes', { slug: { type: 'uid' }, locale: { type: 'string' }, publishedAt: { type: 'datetime' } })).toEqual({
      name: 'themes_slug_lookup_idx',
      columns: ['slug', 'locale', 'published_at'],
    });
    expect(slugLookupIndex('people', { slug: { type: 'uid' }, publishedAt: { type: 'datetime' } })?.columns).toEqual([
      'slug',
      'published_at',
    ]);
  });
  test('a type without a slug gets none', () => {
    expect(slugLookupIndex('webhook_deliveries', { url: { type: 'string' } })).toBeNull();
  });
});
