/** Bad input gets a clear 4xx, never a 5xx or a stack trace, and writes nothing. */
import { APP_DIR_PATTERN, startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';

let kb: KnowledgeBase;
beforeAll(async () => {
  kb = await startKnowledgeBase();
});
afterAll(async () => {
  await kb.stop();
});

const noInternals = (body: unknown) => {
  const text = JSON.stringify(body);
  expect(text).not.toMatch(new RegExp(`node_modules|${APP_DIR_PATTERN}|at [A-Za-z.]+ \\(|SQLITE|select `, 'i'));
};

describe('GraphQL', () => {
  test.each([
    ['unknown locale', `{ goodPractices(locale: "xx") { title } }`, /Unknown locale/],
    [
      'negative limit',
      `{ goodPractices(pagination: { limit: -5 }) { title } }`,
      /pagination.limit must be an integer from 1 to 100 \(got -5\)/,
    ],
    ['"everything" limit', `{ goodPractices(pagination: { limit: -1 }) { title } }`, /pagination.limit/],
    ['page 0', `{ goodPractices(pagination: { page: 0 }) { title } }`, /pagination.page must be an integer of at least 1/],
    [
      'page size above the maximum',
      `{ themes(pagination: { pageSize: 1000 }) { name } }`,
      /pagination.pageSize must be an integer from 1 to 100 \(got 1000\)/,
    ],
    ['mixed pagination styles', `{ themes(pagination: { page: 1, limit: 5 }) { name } }`, /either page\/pageSize or start\/limit/],
    ['bad nested pagination', `{ themes { goodPractices(pagination: { limit: 500 }) { title } } }`, /pagination.limit/],
    ['unknown field', `{ goodPractices { nonExistent } }`, /Cannot query field "nonExistent"/],
    ['syntax error', `{ goodPractices { title `, /Syntax Error/],
    ['wrong argument type', `{ goodPractices(pagination: { limit: "ten" }) { title } }`, /Int cannot represent/],
  ])('%s is a 400 with a clear message', async (_name, query, message) => {
    const res = await kb.graphql(query);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(message);
    noInternals(res.body);
  });

  test('bad pagination in variables is a 400 too', async () => {
    const res = await kb.graphql(`query($p: PaginationArg) { themes(pagination: $p) { name } }`, { p: { pageSize: 0 } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/pagination.pageSize/);
  });

  test('a variable of the wrong type is a 400', async () => {
    const res = await kb.graphql(`query($l: I18NLocaleCode) { themes(locale: $l) { name } }`, { l: 42 });
    expect(res.status).toBe(400);
    noInternals(res.body);
  });

  test('a malformed JSON body is a 400 with a clear message', async () => {
    const res = await kb.http().post('/graphql').set('content-type', 'application/json').send('{"query": ');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/JSON/);
    noInternals(res.body);
  });

  test('a body without a query is a 400', async () => {
    const res = await kb.http().post('/graphql').send({ variables: {} });
    expect(res.status).toBe(400);
    noInternals(res.body);
  });

  test('the server answers normally after all of that', async () => {
    const res = await kb.graphql(`{ themes(pagination: { pageSize: 2 }) { slug } }`);
    expect(res.status).toBe(200);
    expect(res.body.data.themes).toHaveLength(2);
  });
});

test('responses do not advertise the server software', async () => {
  for (const res of [await kb.http().get('/api/themes'), await kb.graphql('{ themes { name } }'), await kb.http().get('/_health')]) {
    expect(res.headers['x-powered-by']).toBeUndefined();
  }
});

describe('REST', () => {
  test.each([
    ['unknown locale', { locale: 'xx' }, /Unknown locale "xx". Available locales: it, en./],
    ['page 0', { 'pagination[page]': '0' }, /pagination.page/],
    ['page size above the maximum', { 'pagination[pageSize]': '1000' }, /pagination.pageSize/],
    ['non-numeric limit', { 'pagination[limit]': 'ten' }, /pagination.limit/],
    ['unknown filter field', { 'filters[nope][$eq]': '1' }, /.+/],
  ])('%s is a 400 with a clear message', async (_name, query, message) => {
    const res = await kb.http().get('/api/good-practices').query(query);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(message);
    noInternals(res.body);
  });

  test('a malformed JSON body is a 400 and writes nothing', async () => {
    const token = await kb.apiToken();
    const before = await kb.strapi.db.query('api::theme.theme').count();
    const res = await kb
      .http()
      .post('/api/themes')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'application/json')
      .send('{"data": {');
    expect(res.status).toBe(400);
    noInternals(res.body);
    expect(await kb.strapi.db.query('api::theme.theme').count()).toBe(before);
  });
});

describe('validation of what editors write', () => {
  const write = async (path: string, data: Record<string, unknown>, method: 'post' | 'put' = 'post') => {
    const token = await kb.apiToken();
    return kb.http()[method](path).set('authorization', `Bearer ${token}`).send({ data });
  };

  test('an end date before the start date is refused and nothing is written', async () => {
    const before = await kb.strapi.db.query('api::good-practice.good-practice').count();
    const res = await write('/api/good-practices', {
      title: 'Date invertite',
      slug: 'date-invertite',
      summary: 'x',
      startDate: '2023-05-01',
      endDate: '2023-04-30',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('endDate (2023-04-30) must not be before startDate (2023-05-01).');
    expect(await kb.strapi.db.query('api::good-practice.good-practice').count()).toBe(before);
  });

  test('an update that moves the end before the stored start is refused', async () => {
    const created = await write('/api/outcomes?status=draft', {
      title: 'Periodo',
      slug: 'periodo',
      indicatorType: 'output',
      value: 3,
      unit: 'x',
      periodStart: '2021-01-01',
      periodEnd: '2021-12-31',
    });
    expect(created.status).toBe(201);
    const res = await write(`/api/outcomes/${created.body.data.documentId}?status=draft`, { periodEnd: '2020-12-31' }, 'put');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/periodEnd \(2020-12-31\) must not be before periodStart \(2021-01-01\)/);
  });

  test('publishing a half-filled record is refused with the missing field named', async () => {
    const res = await write('/api/good-practices', { title: 'Senza sintesi', slug: 'senza-sintesi' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toMatch(/summary/);
    expect(await kb.strapi.db.query('api::good-practice.good-practice').count({ where: { slug: 'senza-sintesi' } })).toBe(0);
  });

  test('a summary over 600 characters is refused', async () => {
    const res = await write('/api/good-practices', {
      title: 'Troppo lunga',
      slug: 'troppo-lunga',
      summary: 'x'.repeat(601),
      source: { title: 'T' },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toMatch(/summary/);
  });

  test('an unknown enumeration value is refused', async () => {
    const res = await write('/api/outcomes', {
      title: 'Q',
      slug: 'q',
      indicatorType: 'guess',
      value: 1,
      unit: 'x',
      source: { title: 'T' },
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.error)).toMatch(/indicatorType/);
  });
});
