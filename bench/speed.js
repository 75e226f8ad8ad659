// Speed of the partner API (issue 5): on one database of 2,000 synthetic practices, the same
// requests against three production nodes side by side, in one run:
//   fast     — as deployed: response cache, direct reads and batched relations on
//   uncached — as deployed but the response cache off (RESPONSE_CACHE=false): what a new query costs
//   layered  — the same, direct reads through Strapi's database layer (GRAPHQL_ONE_STATEMENT_READS=false)
//   stock    — all off: Strapi's own GraphQL and REST (GRAPHQL_DIRECT_READS=false, GRAPHQL_BATCH_RELATIONS=false, and
//              PUBLIC_ROLE_READ_ONCE=false: the public role's permissions read on every request, as Strapi does)
// and, loaded in this process on the same database, the SQL statements each request runs. Each
// row's ratio is to stock REST asking for the same records (the list, or the one practice).
const http = require('http');
const autocannon = require('autocannon');
const { createDatabase } = require('../scripts/lib/databases');
const { startNode } = require('../scripts/lib/nodes');
const { BY_SLUG } = require('./queries');
const { npmRun } = require('./search');

const LIST = `{ goodPractices(locale: "it", pagination: { pageSize: 25 }, sort: "title") {
  documentId title slug summary themes { name } territories { name nutsCode } leadOrganization { name } project { acronym } } }`;
const SEARCH = `query($q: String!) { search(query: $q, locale: "it") { total items { type slug title snippet score } } }`;
const REST_BY_SLUG = (slug) => `/api/good-practices?locale=it&filters[slug][$eq]=${encodeURIComponent(slug)}&populate=*`;
const REST_LIST =
  '/api/good-practices?locale=it&pagination[pageSize]=25&sort=title&fields[0]=documentId&fields[1]=title&fields[2]=slug&fields[3]=summary' +
  '&populate[themes][fields][0]=name&populate[territories][fields][0]=name&populate[territories][fields][1]=nutsCode' +
  '&populate[leadOrganization][fields][0]=name&populate[project][fields][0]=acronym';

const graphqlPost = (query, variables) => ({
  path: '/graphql',
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query, variables }),
});

const STOCK_REST_LIST = 'd  stock REST, same list and populate';
const STOCK_REST_BY_SLUG = 'd  stock REST, one practice by slug, populate=*';

/** Each scenario: the node it runs on, the request, and the stock REST row it is compared with. */
const SCENARIOS = [
  { name: 'a  list 25 × 4 relations, cached', node: 'fast', request: () => graphqlPost(LIST) },
  { name: 'a  same, cache off', node: 'uncached', request: () => graphqlPost(LIST) },
  { name: 'a  same, cache off, one statement off', node: 'layered', request: () => graphqlPost(LIST) },
  {
    name: 'a  same, GET + If-None-Match (304)',
    node: 'fast',
    request: (ctx) => ({ path: `/graphql?query=${encodeURIComponent(LIST)}`, headers: { 'if-none-match': ctx.etag } }),
  },
  { name: 'b  one practice by slug, cached', node: 'fast', request: (ctx) => graphqlPost(BY_SLUG, { slug: ctx.slug }) },
  { name: 'b  same, cache off', node: 'uncached', request: (ctx) => graphqlPost(BY_SLUG, { slug: ctx.slug }) },
  { name: 'b  same, cache off, one statement off', node: 'layered', request: (ctx) => graphqlPost(BY_SLUG, { slug: ctx.slug }) },
  { name: 'c  search, cached', node: 'fast', request: () => graphqlPost(SEARCH, { q: 'inserimento lavorativo' }) },
  { name: 'c  same, cache off', node: 'uncached', request: () => graphqlPost(SEARCH, { q: 'inserimento lavorativo' }) },
  { name: STOCK_REST_LIST, node: 'stock', request: () => ({ path: REST_LIST }) },
  { name: STOCK_REST_BY_SLUG, node: 'stock', request: (ctx) => ({ path: REST_BY_SLUG(ctx.slug) }) },
  { name: 'e  stock GraphQL, same list', node: 'stock', request: () => graphqlPost(LIST) },
  { name: 'e  stock GraphQL, one practice by slug', node: 'stock', request: (ctx) => graphqlPost(BY_SLUG, { slug: ctx.slug }) },
];
/** The stock REST row a scenario is compared with: the same practice (b), or the same list (everything else). */
const baselineOf = (name) => (name.startsWith('b ') || name.includes('by slug') ? STOCK_REST_BY_SLUG : STOCK_REST_LIST);

const NODES = {
  fast: {},
  uncached: { RESPONSE_CACHE: 'false' },
  layered: { RESPONSE_CACHE: 'false', GRAPHQL_ONE_STATEMENT_READS: 'false' },
  stock: { RESPONSE_CACHE: 'false', GRAPHQL_BATCH_RELATIONS: 'false', GRAPHQL_DIRECT_READS: 'false', PUBLIC_ROLE_READ_ONCE: 'false' },
};

const measure = (opts) => new Promise((resolve, reject) => autocannon(opts, (error, result) => (error ? reject(error) : resolve(result))));

/** The SQL statements of one request, on the app loaded in this process with the node's switches. */
async function countStatements(env, context) {
  const { loadApp } = require('../scripts/lib/app');
  const app = await loadApp(env);
  const counts = {};
  try {
    app.server.mount();
    const server = app.server.httpServer;
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${server.address().port}`;
    const list = await fetch(`${base}/graphql?query=${encodeURIComponent(LIST)}`);
    context.etag = list.headers.get('etag');
    context.slug = (await list.json()).data.goodPractices[0].slug;
    for (const [mode, switches] of Object.entries(NODES)) {
      app.config.set('performance.responseCache.enabled', switches.RESPONSE_CACHE !== 'false');
      app.config.set('performance.batchRelations', switches.GRAPHQL_BATCH_RELATIONS !== 'false');
      app.config.set('performance.directReads', switches.GRAPHQL_DIRECT_READS !== 'false');
      app.config.set('performance.oneStatementReads', switches.GRAPHQL_ONE_STATEMENT_READS !== 'false');
      app.config.set('performance.publicRoleOnce', switches.PUBLIC_ROLE_READ_ONCE !== 'false');
      for (const { name, request } of SCENARIOS.filter((scenario) => scenario.node === mode)) {
        const send = () => {
          const { path: url, method = 'GET', headers, body } = request(context);
          return fetch(`${base}${url}`, { method, headers, body });
        };
        await send(); // fills the cache where there is one
        let statements = 0;
        const count = () => (statements += 1);
        app.db.connection.on('query', count);
        await send();
        app.db.connection.off('query', count);
        counts[name] = statements;
      }
    }
    await new Promise((resolve) => server.close(resolve));
  } finally {
    await app.destroy();
  }
  return counts;
}

/** A bare Node server answering a ready body: the ceiling the cached path is measured against. */
async function bareCeiling(body, { duration, connections }) {
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const r = await measure({ url: `http://127.0.0.1:${server.address().port}/`, duration, connections });
    return { requestsPerSecond: r.requests.average, p50ms: r.latency.p50, p99ms: r.latency.p99, errors: r.errors + r.non2xx };
  } finally {
    server.close();
  }
}

async function benchSpeed({ engine, practices, duration, connections, log }) {
  const database = await createDatabase(engine);
  const nodes = {};
  try {
    log(`${engine}: seed and ${practices} synthetic practices`);
    await npmRun('seed:synthetic', ['--practices', String(practices)], database.env, log);

    log(`${engine}: counting SQL statements per request (app loaded in this process)`);
    const context = {};
    const statements = await countStatements({ ...database.env, SEED_ON_EMPTY: 'false' }, context);

    log(`${engine}: starting the fast, uncached and stock nodes`);
    for (const [mode, env] of Object.entries(NODES)) nodes[mode] = await startNode({ ...database.env, LOG_LEVEL: 'warn', ...env });
    // The same data and query: the node's answer has the entity tag the in-process app gave.
    context.etag = (await fetch(`${nodes.fast.url}/graphql?query=${encodeURIComponent(LIST)}`)).headers.get('etag');

    const rows = {};
    for (const scenario of SCENARIOS) {
      const { path: url, ...request } = scenario.request(context);
      const opts = { url: `${nodes[scenario.node].url}${url}`, ...request, connections };
      log(`${engine}: ${scenario.name} (${scenario.node} node), ${duration} s × ${connections} connections`);
      await measure({ ...opts, duration: 2 }); // warm-up
      const r = await measure({ ...opts, duration });
      const expected = scenario.name.includes('304') ? r['3xx'] : r['2xx'];
      rows[scenario.name] = {
        node: scenario.node,
        requestsPerSecond: r.requests.average,
        p50ms: r.latency.p50,
        p99ms: r.latency.p99,
        errors: r.errors + r.requests.total - expected,
        sqlStatements: statements[scenario.name],
      };
    }
    const body = await (await fetch(`${nodes.fast.url}/graphql`, { ...graphqlPost(LIST) })).text();
    rows['   bare Node server, same body (ceiling)'] = {
      node: 'none',
      ...(await bareCeiling(body, { duration, connections })),
      sqlStatements: 0,
    };
    for (const [name, row] of Object.entries(rows))
      row.ratioToStockRest = +(row.requestsPerSecond / rows[baselineOf(name)].requestsPerSecond).toFixed(2);
    return rows;
  } finally {
    await Promise.all(Object.values(nodes).map((node) => node.stop()));
    await database.drop();
  }
}

function printSpeed(results) {
  console.log('\nscenario                                          engine     req/s   p50 ms  p99 ms  errors  SQL/req  × stock REST');
  for (const [engine, rows] of Object.entries(results)) {
    for (const [name, row] of Object.entries(rows)) {
      console.log(
        `${name.padEnd(50)}${engine.padEnd(9)}${row.requestsPerSecond.toFixed(0).padStart(7)}${String(row.p50ms).padStart(9)}${String(row.p99ms).padStart(8)}` +
          `${String(row.errors).padStart(8)}${String(row.sqlStatements ?? '').padStart(9)}${row.ratioToStockRest.toFixed(2).padStart(14)}`,
      );
    }
  }
}

module.exports = { benchSpeed, printSpeed };
