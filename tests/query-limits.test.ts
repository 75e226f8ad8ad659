/**
 * Limits that protect the public API: each refusal is a clear GraphQL error with a 4xx, and the
 * server answers the next normal request as usual.
 */
import { QUERY_LIMIT_DEFAULTS } from '../src/edge/query-limits/core';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

const NORMAL = `{ projects { acronym } }`;
const expectStillServing = async (kb: KnowledgeBase) => {
  const res = await kb.graphql(NORMAL);
  expect(res.status).toBe(200);
  expect(res.body.data.projects).toEqual([{ acronym: 'Com.In.4.0' }]);
};
const expectRefused = async (kb: KnowledgeBase, res: { status: number; body: any; text: string }, status: number, message: RegExp) => {
  expect(res.status).toBe(status);
  const text = res.body?.errors?.[0]?.message ?? res.body?.error?.message ?? res.text;
  expect(text).toMatch(message);
  expect(res.text).not.toMatch(/node_modules|at [A-Za-z.]+ \(/);
  await expectStillServing(kb);
};

describe('with the default limits', () => {
  let kb: KnowledgeBase;
  beforeAll(async () => {
    kb = await startKnowledgeBase();
  });
  afterAll(async () => {
    await kb.stop();
  });

  test('depth', async () => {
    const deep = `{ territories { children { children { children { children { children { children { children { children { children { children { name } } } } } } } } } } } }`;
    await expectRefused(kb, await kb.graphql(deep), 400, /exceeds maximum operation depth of 10/);
  });

  test('page size', async () => {
    await expectRefused(
      kb,
      await kb.graphql(`{ themes(pagination: { pageSize: 101 }) { name } }`),
      400,
      /pagination.pageSize must be an integer from 1 to 100/,
    );
  });

  test('the same operation is judged on its variables every time', async () => {
    const query = `query($size: Int) { themes(pagination: { pageSize: $size }) { name } }`;
    for (const size of [10, 101, 101, 10, 101]) {
      const res = await kb.graphql(query, { size });
      if (size > 100) await expectRefused(kb, res, 400, /pagination.pageSize must be an integer from 1 to 100/);
      else expect(res.body.data.themes.length).toBeGreaterThan(0);
    }
  });

  test('query cost', async () => {
    const expensive = `{ goodPractices(pagination: { pageSize: 100 }) { themes(pagination: { pageSize: 100 }) { goodPractices(pagination: { pageSize: 100 }) { title } } } }`;
    const res = await kb.graphql(expensive);
    await expectRefused(kb, res, 400, /Query too expensive: its cost is \d+, the limit is 200000/);
    expect(res.body.errors[0].extensions.code).toBe('QUERY_TOO_EXPENSIVE');
  });

  test('aliases', async () => {
    const many = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: projects { acronym }`).join(' ')} }`;
    await expectRefused(kb, await kb.graphql(many), 400, /Too many aliases: 31, the limit is 30/);
  });

  test('directives', async () => {
    const many = `{ projects { ${'acronym @skip(if: false) '.repeat(21)} } }`;
    await expectRefused(kb, await kb.graphql(many), 400, /Too many directives: 21, the limit is 20/);
  });

  test('tokens', async () => {
    const huge = `{ projects { ${'acronym '.repeat(6000)} } }`;
    await expectRefused(kb, await kb.graphql(huge), 400, /Document contains more th\w+ 5000 tokens/);
  });

  test('request body size', async () => {
    const res = await kb
      .http()
      .post('/graphql')
      .send({ query: NORMAL, variables: { padding: 'x'.repeat(100 * 1024) } });
    await expectRefused(kb, res, 413, /too large/i);
  });

  test('batched operations', async () => {
    const res = await kb
      .http()
      .post('/graphql')
      .send([{ query: NORMAL }, { query: NORMAL }]);
    await expectRefused(kb, res, 400, /batch/i);
  });

  test('field suggestions help developers outside production', async () => {
    const res = await kb.graphql(`{ projects { acronim } }`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/Did you mean "acronym"/);
  });
});

describe('in production: no suggestions and a time limit by default; introspection switched off', () => {
  const LIMIT_MS = QUERY_LIMIT_DEFAULTS.timeoutMs;
  let kb: KnowledgeBase;
  let slowRead = false;
  let clockAhead = 0;
  beforeAll(async () => {
    kb = await startKnowledgeBase({ env: { NODE_ENV: 'production', SERVE_ADMIN_PANEL: 'false', GRAPHQL_INTROSPECTION: 'false' } });
    // The server runs in this process: its clock is this one, moved on when a read is to be slow.
    const now = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => now() + clockAhead);
    // The next SQL statement reading good practices "takes" longer than the limit, however fast or
    // loaded this machine is (Strapi's resolvers and direct reads alike; the request's own
    // permission lookup comes before its time starts).
    kb.strapi.db.connection.on('query', ({ sql }: { sql: string }) => {
      if (slowRead && /good_practices/.test(sql)) {
        slowRead = false;
        clockAhead += LIMIT_MS + 1;
      }
    });
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await kb.stop();
  });

  test('no field suggestions', async () => {
    const res = await kb.graphql(`{ projects { acronim } }`);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/Cannot query field "acronim"/);
    expect(res.body.errors[0].message).not.toMatch(/Did you mean/);
    await expectStillServing(kb);
  });

  test('introspection can be switched off', async () => {
    await expectRefused(kb, await kb.graphql(`{ __schema { types { name } } }`), 400, /introspection/i);
  });

  test('execution time limit: the fields after a read slower than the limit are refused', async () => {
    slowRead = true;
    const res = await kb.graphql(`{ goodPractices { title themes { name } } }`);
    expect(slowRead).toBe(false);
    await expectRefused(kb, res, 408, new RegExp(`longer than the ${LIMIT_MS} ms limit`));
    expect(res.body.errors[0].extensions.code).toBe('QUERY_TIMEOUT');
  });
});
