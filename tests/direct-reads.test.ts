/**
 * Direct reads (src/public-api/direct-reads) give exactly Strapi's answers. Every request is sent
 * twice to the same server, once with direct reads on and once with them off (Strapi's own
 * resolvers), and status, media type and body must be the same: every documented query, the
 * GraphQL requests of the noninterference generator (on content with drafts, unpublished edits,
 * never-published languages and people without consent), and queries written for the shapes a
 * plan must get right. The direct path must have answered each of the written queries itself, so
 * that the comparison cannot pass by declining everything. DIRECT_READS_REQUESTS sends more.
 */
import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import { startKnowledgeBase, type KnowledgeBase } from './helpers/strapi';
import { testEngine } from './helpers/database';
import { addHiddenContent, addSharedContent, type HiddenFacts } from './helpers/noninterference/content';
import { harvestModel } from './helpers/noninterference/model';
import { generateProbes, INTROSPECTION_QUERY, type Probe } from './helpers/noninterference/generator';
import { differences } from './helpers/noninterference/compare';

const { documentedQueries } = require('../scripts/lib/documented-queries');

const root = path.resolve(__dirname, '..');
const GENERATED = Number(process.env.DIRECT_READS_REQUESTS ?? 600);

let kb: KnowledgeBase;
let facts: HiddenFacts;
beforeAll(async () => {
  kb = await startKnowledgeBase({ env: { RESPONSE_CACHE: 'false', RATE_LIMIT_ANONYMOUS: '0' } });
  await addSharedContent(kb);
  facts = await addHiddenContent(kb);
}, 300000);
afterAll(async () => {
  await kb?.stop();
});

const stats = () =>
  kb.strapi.get('direct-reads') as { answered: number; compiled: number; jit: number; declined: number; reasons: Record<string, number> };

interface Answer {
  status: number;
  type: string | undefined;
  body: unknown;
}

async function send(probe: Probe, direct: boolean): Promise<Answer> {
  kb.strapi.config.set('performance.directReads', direct);
  let req = probe.method === 'GET' ? kb.http().get(probe.path) : kb.http().post(probe.path);
  for (const [name, value] of Object.entries(probe.headers ?? {})) req = req.set(name, value);
  const res = probe.method === 'POST' ? await req.send(probe.body ?? '') : await req;
  return { status: res.status, type: res.headers['content-type'], body: res.body && Object.keys(res.body).length ? res.body : res.text };
}

/** Sends the probe both ways; returns whether the direct path answered it, and the differences. */
async function both(probe: Probe): Promise<{ direct: boolean; compiled: number; problems: string[]; errors?: unknown }> {
  // Compiling: the first direct answer (graphql-js) compiles the operation, the one compared is the compiled one.
  if (compiling) await send(probe, true);
  const before = { ...stats() };
  const fast = await send(probe, true);
  const direct = stats().answered > before.answered;
  const compiled = stats().compiled - before.compiled;
  const stock = await send(probe, false);
  return { direct, compiled, problems: differences(stock, fast), errors: (fast.body as { errors?: unknown })?.errors };
}

const post = (query: string, variables?: Record<string, unknown>): Probe => ({
  method: 'POST',
  path: '/graphql',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query, variables }),
});

/** Shapes a plan must get right: each one is answered directly and must equal Strapi's answer. */
const WRITTEN: [string, string, Record<string, unknown>?][] = [
  [
    'every type, default locale',
    `{ goodPractices { documentId title } trainings { slug } thematicTables { slug } outcomes { slug value unit } events { slug } organizations { slug } people { fullName } territories { slug level } themes { slug } projects { acronym } }`,
  ],
  ['every locale', `{ goodPractices(locale: "*", sort: ["slug", "locale"]) { slug locale title } }`],
  ['English, sorted and paged', `{ goodPractices(locale: "en", sort: "title:desc", pagination: { page: 1, pageSize: 2 }) { title } }`],
  ['start and limit past the end', `{ themes(locale: "it", pagination: { start: 1000, limit: 5 }) { slug } }`],
  [
    'aliases, fragments, __typename, directives',
    `fragment T on Theme { slug name } query($yes: Boolean!) { a: themes(locale: "it", sort: "slug") { ...T __typename } b: themes(locale: "en", sort: "slug") { ... on Theme { name parent @include(if: $yes) { slug } } } __typename }`,
    { yes: true },
  ],
  ['one by documentId', `query($id: ID!) { goodPractice(documentId: $id, locale: "en") { title summary themes { slug } } }`],
  [
    'relations, components and media, nested',
    `{ goodPractices(locale: "it", sort: "slug") { slug implementationStatus startDate endDate targetGroups { group } source { title url publisher date note } attachments { name url mime } project { acronym funding { fund } coordinator { fullName } } leadOrganization { name territory { name parent { slug } } } partnerOrganizations { slug } outcomes { value unit } } }`,
  ],
  [
    'events with agenda and speakers',
    `{ events(locale: "it", sort: "slug", pagination: { pageSize: 5 }) { slug startDate venue { name city } agenda { time title kind speakers { fullName affiliations { jobTitle organization { slug } } } thematicTable { slug } } organizers { slug } } }`,
  ],
  [
    'filters: operators, and/or/not, through relations, within',
    `{ goodPractices(locale: "it", sort: "slug", filters: { or: [{ title: { containsi: "RETE" } }, { themes: { slug: { in: ["lavoro", "formazione"] } } }], not: { slug: { startsWith: "zz" } }, territories: { within: "basilicata" } }) { slug } }`,
  ],
  [
    'connections, with a count and with nodes only',
    `{ goodPractices_connection(locale: "en", pagination: { page: 2, pageSize: 1 }) { pageInfo { total page pageSize pageCount } nodes { slug themes_connection { nodes { slug } } } } themes_connection(pagination: { start: 1, limit: 3 }) { nodes { slug } } }`,
  ],
  [
    'filters on dates, nulls and numbers',
    `{ outcomes(locale: "it", filters: { value: { gte: 1 }, unit: { notNull: true } }) { slug } events(filters: { startDate: { lt: "2030-01-01T00:00:00.000Z" }, endDate: { null: false } }) { slug } }`,
  ],
  [
    'search with filters, an alias, a fragment and __typename',
    `fragment H on SearchHit { slug title snippet score } { s: search(query: "rete", locale: "it", filters: { territories: ["basilicata"] }) { total offset limit items { ...H type __typename } } __typename }`,
  ],
  [
    'search with a typo, English, a later page',
    `{ search(query: "governnce", locale: "en", types: [THEMATIC_TABLE, GOOD_PRACTICE], pagination: { page: 2, pageSize: 1 }) { total items { type documentId slug locale startDate endDate score } } }`,
  ],
  [
    'words only hidden content holds',
    `{ goodPractices(locale: "*", filters: { title: { containsi: "nascosto" } }) { slug } people(filters: { fullName: { containsi: "nascosto" } }) { fullName } }`,
  ],
];

/**
 * Written queries whose every root field is one statement (src/public-api/direct-reads/statement):
 * own-column filters and sorts, any depth of relations, components and media. The others filter
 * through relations, on dates or by words, which Strapi's database layer reads.
 */
const ONE_STATEMENT: Record<string, number> = {
  'every type, default locale': 10,
  'every locale': 1,
  'English, sorted and paged': 1,
  'start and limit past the end': 1,
  'aliases, fragments, __typename, directives': 2,
  'one by documentId': 1,
  'relations, components and media, nested': 1,
  'events with agenda and speakers': 1,
  'connections, with a count and with nodes only': 2,
};
/** Of those, the ones whose operation is that one statement. */
const ALONE_IN_ONE_STATEMENT = [
  'every locale',
  'English, sorted and paged',
  'start and limit past the end',
  'one by documentId',
  'relations, components and media, nested',
  'events with agenda and speakers',
];

/** Runs `check` with operations executed by graphql-js (0) or compiled by graphql-jit (1: each probe sent once before, see both). */
let compiling = false;
async function compilingAfter(runs: 0 | 1, check: () => Promise<void>) {
  kb.strapi.config.set('performance.compileAfter', runs);
  compiling = runs === 1;
  try {
    await check();
  } finally {
    kb.strapi.config.set('performance.compileAfter', 1);
    compiling = false;
  }
}
const EXECUTIONS = [
  ['graphql-js', 0],
  ['graphql-jit', 1],
] as const;

test.each(EXECUTIONS)('written queries: answered directly, each the same as Strapi (executed by %s)', async (_name, runs) => {
  const documentId = (await kb.data(`{ goodPractices(locale: "en") { documentId } }`)).goodPractices[0].documentId;
  const failures: string[] = [];
  const threadsBefore = testEngine() === 'sqlite' ? threadReads() : 0;
  const jitBefore = stats().jit;
  await compilingAfter(runs, async () => {
    for (const [name, query, variables] of WRITTEN) {
      const { direct, compiled, problems, errors } = await both(
        post(query, { ...variables, ...(query.includes('$id') ? { id: documentId } : {}) }),
      );
      if (errors) failures.push(`${name}: ${JSON.stringify(errors)}`);
      else if (!direct) failures.push(`${name}: not answered directly (${Object.keys(stats().reasons).join(' | ')})`);
      else if (compiled !== (ONE_STATEMENT[name] ?? 0)) failures.push(`${name}: ${compiled} root fields read in one statement`);
      if (problems.length) failures.push(`${name}: ${problems.join('; ')}`);
    }
  });
  const threadsAfter = testEngine() === 'sqlite' ? threadReads() : 0;
  expect(failures).toEqual([]);
  expect(stats().jit - jitBefore).toBe(runs === 1 ? WRITTEN.length : 0);
  // On SQLite a reader thread (src/public-api/read-threads) ran the one-statement reads alone in their operation (the
  // others share a snapshot, a transaction of the main connection); searches are answered on the search thread, which
  // reads with its own connection (src/public-api/search/thread.ts). Compiling, each query was sent directly twice.
  const directSends = runs === 1 ? 2 : 1;
  if (testEngine() === 'sqlite') expect(threadsAfter - threadsBefore).toBe(directSends * ALONE_IN_ONE_STATEMENT.length);
});

test('an operation is compiled once it comes back, and answers the same compiled; a large one, or one with input variables, is not', async () => {
  const query = `{ goodPractices(locale: "it", sort: "title") { slug title themes { name } } }`;
  kb.strapi.config.set('performance.directReads', true);
  const jitBefore = stats().jit;
  const answers = [];
  for (let run = 0; run < 3; run++) answers.push((await kb.http().post('/graphql').send({ query })).body);
  // Executed by graphql-js the first time, compiled from the second (performance.compileAfter: 1).
  expect(stats().jit - jitBefore).toBe(2);
  expect(answers[0].data.goodPractices.length).toBeGreaterThan(0);
  expect(answers[1]).toEqual(answers[0]);
  expect(answers[2]).toEqual(answers[0]);

  // A fragment spread 9 × 9 × 9 times: 2,187 fields once expanded, far below the cost limit, answered directly, never compiled.
  const large = `fragment P on GoodPractice { slug title summary } fragment Q on GoodPractice { ${'...P '.repeat(9)} }
    fragment R on GoodPractice { ${'...Q '.repeat(9)} } { goodPractices(locale: "it", pagination: { pageSize: 2 }) { ${'...R '.repeat(9)} } }`;
  const largeBefore = { ...stats() };
  for (let run = 0; run < 3; run++)
    expect((await kb.http().post('/graphql').send({ query: large })).body.data.goodPractices).toHaveLength(2);
  expect(stats().answered - largeBefore.answered).toBe(3);
  expect(stats().jit).toBe(largeBefore.jit);

  // Filters in a variable: graphql-jit would follow Strapi's filter inputs through every relation without end. Not compiled.
  const filtered = `query($f: GoodPracticeFiltersInput) { goodPractices(locale: "it", filters: $f) { slug } }`;
  const variables = { f: { slug: { eq: 'rete-di-governance-pubblico-privata' } } };
  for (let run = 0; run < 3; run++)
    expect((await kb.http().post('/graphql').send({ query: filtered, variables })).body.data.goodPractices).toHaveLength(1);
  expect(stats().answered - largeBefore.answered).toBe(6);
  expect(stats().jit).toBe(largeBefore.jit);
});

test('refusals and what the plan declines: Strapi answers, the same either way', async () => {
  const cases = [
    `{ goodPractices(status: DRAFT) { slug } }`,
    `{ goodPractices(locale: "xx") { slug } }`,
    `{ goodPractices { slug localizations { slug } } }`,
    `{ goodPractices(filters: { curationStatus: { eq: "approved" } }) { slug } }`,
    `{ goodPractices(publicationFilter: NEVER_PUBLISHED_DOCUMENT) { slug } }`,
    `{ goodPractices { slug jsonLd } }`,
    `{ goodPractices { slug themes(filters: { slug: { eq: "lavoro" } }) { slug } } }`,
    `{ search(query: "minori", filters: { themes: ["astrologia"] }) { total } }`,
    `{ search(query: "il la di") { total } }`,
    `{ search(query: "rete", locale: "it") { total } themes(locale: "it", sort: "slug") { slug } }`,
    `{ a: search(query: "rete") { total } b: search(query: "minori") { total } }`,
    // A refused sort or page is refused every time (what passed Strapi's check is kept; what did not, is not).
    ...Array(2).fill(`{ goodPractices(sort: "title:sideways") { slug } }`),
    ...Array(2).fill(`{ goodPractices(pagination: { page: 1, start: 0 }) { slug } }`),
  ];
  const failures: string[] = [];
  for (const query of cases) {
    const { direct, problems } = await both(post(query));
    if (direct) failures.push(`${query}: answered directly`);
    if (problems.length) failures.push(`${query}: ${problems.join('; ')}`);
  }
  expect(failures).toEqual([]);
});

test.each(EXECUTIONS)('every documented query: the same answer (executed by %s)', async (_name, runs) => {
  const examples = ['README.md', 'docs/partners.md'].flatMap((file) => documentedQueries(fs.readFileSync(path.join(root, file), 'utf8')));
  const failures: string[] = [];
  let direct = 0;
  await compilingAfter(runs, async () => {
    for (const { query, variables } of examples) {
      const result = await both(
        post(query, variables ?? (query.includes('$slug') ? { slug: 'rete-di-governance-pubblico-privata', locale: 'en' } : undefined)),
      );
      if (result.direct) direct += 1;
      if (result.problems.length) failures.push(`${query.slice(0, 80)}: ${result.problems.join('; ')}`);
    }
  });
  expect(failures).toEqual([]);
  expect(direct).toBeGreaterThan(0);
});

test(`${GENERATED} generated GraphQL requests: the same answers, some of them direct`, async () => {
  const schema = (await kb.data(INTROSPECTION_QUERY)).__schema;
  const probes = generateProbes({ seed: 18, count: GENERATED * 4, schema, model: await harvestModel(kb), facts, openDataFiles: [] });
  const failures: string[] = [];
  let sent = 0;
  let direct = 0;
  let oneStatement = 0;
  // Every operation compiled (graphql-jit) from its first run: the written and documented queries try both executions.
  await compilingAfter(1, async () => {
    for (const probe of probes) {
      if (sent >= GENERATED) break;
      if (!probe.path.toLowerCase().startsWith('/graphql') || probe.prepare || probe.variant) continue;
      sent += 1;
      const result = await both(probe);
      if (result.direct) direct += 1;
      oneStatement += result.compiled;
      if (result.problems.length && failures.length < 10)
        failures.push(`${probe.method} ${probe.path} ${probe.body ?? ''}: ${result.problems.join('; ')}`);
    }
  });
  expect(failures).toEqual([]);
  expect(sent).toBeGreaterThan(GENERATED / 2);
  // The generator asks first for every field, argument and filter the schema offers, refusals
  // included: plain reads are a small part of it (the written queries above are all plain reads).
  expect(direct).toBeGreaterThan(0);
  expect(oneStatement).toBeGreaterThan(0);
}, 600000);

describe('requests answered before the router (src/public-api/direct-reads/requests.ts)', () => {
  /** Status, every header (the date and the request's id apart) and the body's bytes, with the early path on or off. */
  async function raw(probe: Probe, early: boolean) {
    kb.strapi.config.set('performance.directReads', true);
    kb.strapi.config.set('performance.directRequests', early);
    try {
      let req = probe.method === 'GET' ? kb.http().get(probe.path) : kb.http().post(probe.path);
      for (const [name, value] of Object.entries(probe.headers ?? {})) req = req.set(name, value);
      const res = probe.method === 'POST' ? await req.send(probe.body ?? '') : await req;
      const { date: _date, 'x-request-id': _id, ...headers } = res.headers;
      return { status: res.status, headers, body: res.text };
    } finally {
      kb.strapi.config.set('performance.directRequests', true);
    }
  }
  const early = () => stats().requests;

  /** Each probe sent once before (Apollo validates its text), then compared: early path on, off. */
  async function compare(probes: Probe[]) {
    const failures: string[] = [];
    let answered = 0;
    for (const probe of probes) {
      await raw(probe, true);
      const before = early();
      const fast = await raw(probe, true);
      if (early() > before) answered += 1;
      const problems = differences(await raw(probe, false), fast);
      if (problems.length && failures.length < 10)
        failures.push(`${probe.method} ${probe.path} ${probe.body ?? ''}: ${problems.join('; ')}`);
    }
    return { failures, answered };
  }

  test('written, documented and generated queries: the same status, headers and body as through Apollo', async () => {
    const documentId = (await kb.data(`{ goodPractices(locale: "en") { documentId } }`)).goodPractices[0].documentId;
    const written = WRITTEN.map(([, query, variables]) =>
      post(query, { ...variables, ...(query.includes('$id') ? { id: documentId } : {}) }),
    );
    const { failures, answered } = await compare(written);
    expect(failures).toEqual([]);
    // Every written query is a plain read: each answered here once its text was known.
    expect(answered).toBe(written.length);

    const documented = ['README.md', 'docs/partners.md']
      .flatMap((file) => documentedQueries(fs.readFileSync(path.join(root, file), 'utf8')))
      .map(({ query, variables }: { query: string; variables?: Record<string, unknown> }) =>
        post(query, variables ?? (query.includes('$slug') ? { slug: 'rete-di-governance-pubblico-privata', locale: 'en' } : undefined)),
      );
    const schema = (await kb.data(INTROSPECTION_QUERY)).__schema;
    const generated: Probe[] = [];
    for (const probe of generateProbes({ seed: 19, count: 800, schema, model: await harvestModel(kb), facts, openDataFiles: [] }))
      if (generated.length < 150 && probe.path.toLowerCase().startsWith('/graphql') && !probe.prepare && !probe.variant)
        generated.push(probe);
    const more = await compare([...documented, ...generated]);
    expect(more.failures).toEqual([]);
    expect(more.answered).toBeGreaterThan(0);
  }, 300000);

  test('what it does not answer reaches Apollo unchanged: a new text, a persisted query, a token, refused variables, a limit passed', async () => {
    const query = `query($size: Int) { themes(locale: "it", sort: "slug", pagination: { pageSize: $size }) { slug } }`;
    const asked = (variables: Record<string, unknown>, extra: Partial<Probe> = {}): Probe => ({ ...post(query, variables), ...extra });
    const persisted = JSON.stringify({
      query,
      variables: { size: 2 },
      extensions: { persistedQuery: { version: 1, sha256Hash: crypto.createHash('sha256').update(query).digest('hex') } },
    });
    const before = early();
    // The text's first request: only Apollo has seen it.
    const first = await raw(asked({ size: 2 }), true);
    expect(first.status).toBe(200);
    expect(early()).toBe(before);
    const cases: [string, Probe, number][] = [
      ['a persisted query', { ...asked({}), body: persisted }, 200],
      ['a token', asked({ size: 2 }, { headers: { 'content-type': 'application/json', authorization: 'Bearer not-a-token' } }), 401],
      ['a variable of the wrong type', asked({ size: 'two' }), 400],
      ['a page over the maximum', asked({ size: 1000 }), 400],
      [
        'an operation name the text does not have',
        { ...asked({ size: 2 }), body: JSON.stringify({ query, variables: { size: 2 }, operationName: 'Other' }) },
        400,
      ],
      ['a body that is not JSON', { ...asked({}), body: '{"query": ' }, 400],
      ["a body over the GraphQL route's limit", { ...asked({}), body: JSON.stringify({ query: `${query}${' '.repeat(70 * 1024)}` }) }, 413],
    ];
    const failures: string[] = [];
    for (const [name, probe, status] of cases) {
      const mark = early();
      const fast = await raw(probe, true);
      if (early() !== mark) failures.push(`${name}: answered before the router`);
      if (fast.status !== status) failures.push(`${name}: ${fast.status}, not ${status}`);
      const problems = differences(await raw(probe, false), fast);
      if (problems.length) failures.push(`${name}: ${problems.join('; ')}`);
    }
    expect(failures).toEqual([]);
    // And the same text with good variables is answered here.
    const mark = early();
    expect((await raw(asked({ size: 3 }), true)).status).toBe(200);
    expect(early()).toBe(mark + 1);
  });
});

const threadReads = () => (kb.strapi.get('read-threads') as { read: number; alive: number; threads: number }).read;

(testEngine() === 'sqlite' ? test : test.skip)(
  'on SQLite a one-statement read runs on a reader thread: it sees a write once committed, never before, and does not wait for it',
  async () => {
    kb.strapi.config.set('performance.directReads', true);
    const slug = 'rete-di-governance-pubblico-privata';
    const title = async () =>
      (await kb.data(`query($slug: String!) { goodPractices(locale: "it", filters: { slug: { eq: $slug } }) { title } }`, { slug }))
        .goodPractices[0].title as string;
    const published = () => kb.strapi.db.connection('good_practices').where({ slug, locale: 'it' }).whereNotNull('published_at');
    const before = threadReads();
    const original = await title();
    expect(threadReads()).toBe(before + 1);

    // A write holds the node's one connection, not yet committed: the read neither waits for it nor sees it.
    const rolledBack = new Error('rolled back');
    await expect(
      kb.strapi.db.connection.transaction(async (trx) => {
        await trx('good_practices').where({ slug, locale: 'it' }).whereNotNull('published_at').update({ title: 'Titolo mai salvato' });
        expect(await title()).toBe(original);
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(await title()).toBe(original);

    // Committed: the next read has it.
    await published().update({ title: 'Titolo appena salvato' });
    try {
      expect(await title()).toBe('Titolo appena salvato');
    } finally {
      await published().update({ title: original });
    }
    expect(await title()).toBe(original);
    expect(threadReads()).toBe(before + 5);
  },
);

(testEngine() === 'sqlite' ? test : test.skip)(
  'on SQLite a reader thread that dies loses no read: the others, or the main thread, answer',
  async () => {
    const pool = (kb.strapi as unknown as Record<symbol, { readers: { port: { stop(): Promise<unknown> } }[] }>)[
      Symbol.for('comin40.read-threads')
    ];
    const query = `{ themes(locale: "it", sort: "slug") { slug name } }`;
    kb.strapi.config.set('performance.directReads', true);
    const answer = await kb.data(query);
    const [first, ...others] = pool.readers;
    // Reads in flight while the thread goes away: sent at once, so over a listening server (supertest listens per request).
    const server = kb.strapi.server.httpServer;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
      const body = JSON.stringify({ query });
      const read = async () =>
        (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()).data;
      const answers = Promise.all(Array.from({ length: 6 }, read));
      await first.port.stop();
      expect(await answers).toEqual(Array(6).fill(answer));
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(kb.strapi.get('read-threads')).toMatchObject({ threads: 2, alive: others.length });
    const before = threadReads();
    expect(await kb.data(query)).toEqual(answer);
    expect(threadReads()).toBe(before + 1);
  },
);

(testEngine() === 'sqlite' ? test : test.skip)('on SQLite, without reader threads, the same reads run on the main thread', async () => {
  // The module as Strapi loaded it (dist/): its worker is compiled JavaScript.
  const threads = require(path.join(root, 'dist/src/public-api/read-threads'));
  const query = `{ goodPractices(locale: "en", sort: "slug") { slug title themes { slug } } }`;
  kb.strapi.config.set('performance.directReads', true);
  const before = threadReads();
  const onThread = await kb.data(query);
  expect(threadReads()).toBe(before + 1);
  await threads.stopReadThreads(kb.strapi);
  try {
    expect(await kb.data(query)).toEqual(onThread);
    expect(kb.strapi.get('read-threads')).toMatchObject({ alive: 0, read: before + 1 });
  } finally {
    await threads.startReadThreads(kb.strapi);
  }
  // Started again: reads go back to the threads.
  expect(await kb.data(query)).toEqual(onThread);
  expect(threadReads()).toBe(before + 2);
});

(testEngine() === 'postgres' ? test : test.skip)(
  'on PostgreSQL every connection prices a random page read as for data in memory',
  async () => {
    // config/database.ts: at the server's default (4) a list hashes whole tables to find each record's linked records.
    const { rows } = await kb.strapi.db.connection.raw('SHOW random_page_cost');
    expect(rows[0].random_page_cost).toBe('1.1');
  },
);

(testEngine() === 'postgres' ? test : test.skip)(
  'on PostgreSQL reads name their statements unless performance.namedStatements is off (DATABASE_NAMED_STATEMENTS)',
  async () => {
    const knex = kb.strapi.db.connection;
    // Statements are named per connection: hold every connection of the pool at once and list each one's.
    const named = async () => {
      const size = (knex.client as any).pool.max as number;
      const names = new Set<string>();
      let open = 0;
      let allOpen: () => void = () => undefined;
      const everyoneIn = new Promise<void>((resolve) => (allOpen = resolve));
      await Promise.all(
        Array.from({ length: size }, () =>
          knex
            .transaction(async (trx) => {
              const { rows } = await trx.raw(`SELECT name FROM pg_prepared_statements WHERE name LIKE 'kb_read_%'`);
              for (const { name } of rows) names.add(name);
              if (++open === size) allOpen();
              await everyoneIn;
            })
            .catch((error) => {
              allOpen();
              throw error;
            }),
        ),
      );
      return [...names];
    };
    /** The names the prepared store gives the statements of `read` (one-statement reads). */
    const namesOf = async (read: () => Promise<unknown>) => {
      const sqls: string[] = [];
      const listen = (query: { sql: string }) => sqls.push(query.sql);
      knex.on('query', listen);
      try {
        await read();
      } finally {
        knex.off('query', listen);
      }
      const ours = sqls.filter((sql) => sql.includes('json_build_object'));
      return ours.map((sql) => `kb_read_${crypto.createHash('sha1').update(sql).digest('hex').slice(0, 24)}`);
    };
    kb.strapi.config.set('performance.directReads', true);
    // A list whose statement no other test runs (a filter of 17 slugs), read with names off.
    const slugs = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => `slug-${i}`));
    kb.strapi.config.set('performance.namedStatements', false);
    let unnamed: string[];
    try {
      unnamed = await namesOf(() => kb.data(`{ themes(locale: "en", filters: { slug: { in: ${slugs(17)} } }) { slug } }`));
    } finally {
      kb.strapi.config.set('performance.namedStatements', true);
    }
    expect(unnamed).toHaveLength(1);
    expect(await named()).not.toContain(unnamed[0]);
    const expected = await namesOf(() => kb.data(`{ themes(locale: "en", filters: { slug: { in: ${slugs(19)} } }) { slug } }`));
    expect(expected).toHaveLength(1);
    expect(await named()).toEqual(expect.arrayContaining(expected));
  },
);
