// Search at scale: for each engine and each size, synthetic good practices (npm run seed:synthetic,
// which rebuilds the index from scratch, timed), then partner searches on a production node with
// the response cache off (RESPONSE_CACHE=false), so that every answer is a search, not a cache hit:
// latency of one search at a time (p50/p95) and throughput under load, over a seeded pool of
// distinct queries as partners and the explorer's search box send them (words, the 2- to 6-letter
// prefixes typing produces, pairs, both locales, some with type, theme, territory or status filters).
// On the same node, the same two measures of one practice's page by slug, over practices drawn from
// the whole collection: a record's page must cost the same at 100 or 100,000 practices. And the
// node's start (it loads the search index into memory before it listens) and its resident memory.
const path = require('path');
const { spawn } = require('child_process');
const autocannon = require('autocannon');
const { createDatabase } = require('../scripts/lib/databases');
const { processMemory, startNode } = require('../scripts/lib/nodes');
const { BY_SLUG } = require('./queries');

const appDir = path.resolve(__dirname, '..');
const QUERY_POOL_SIZE = 240;
const QUERY_SEED = 18;

const SEARCH_QUERY = `query($query: String!, $locale: I18NLocaleCode, $types: [SearchType!], $filters: SearchFiltersInput, $pagination: PaginationArg) {
  search(query: $query, locale: $locale, types: $types, filters: $filters, pagination: $pagination) { total items { type slug title snippet score } } }`;
const SLUG_POOL_SIZE = 200;
/** A GraphQL request's body. */
const body = (query, variables) => JSON.stringify({ query, variables });
const searchBody = (variables) => body(SEARCH_QUERY, variables);

/**
 * `size` distinct searches drawn with a seeded PRNG from the synthetic content's own words (the
 * texts of its first practices and its catalog, compiled in dist/), so the same pool every run.
 */
function searchPool(size = QUERY_POOL_SIZE, seed = QUERY_SEED) {
  const synthetic = require(path.join(appDir, 'dist/src/publishing/synthetic/core'));
  const { terms } = require(path.join(appDir, 'dist/src/public-api/search/analysis'));
  const random = synthetic.mulberry32(seed);
  const pick = (items) => items[Math.floor(random() * items.length)];
  const catalog = synthetic.syntheticCatalog();
  const slugs = (type) => catalog.filter((doc) => doc.type === type).map((doc) => doc.slug);
  const themes = slugs('theme');
  const regions = catalog.filter((doc) => doc.type === 'territory' && doc.fields.level === 'region').map((doc) => doc.slug);
  // Phrases (runs of words) per locale, from the titles and summaries of the first practices.
  const phrases = Object.fromEntries(
    synthetic.SYNTHETIC_LOCALES.map((locale) => [
      locale,
      Array.from({ length: 60 }, (_, n) => synthetic.syntheticPractice(n, 1).locales[locale])
        .flatMap((texts) => [texts.title, texts.summary])
        .map((text) => (text.toLowerCase().match(/\p{L}{4,}/gu) ?? []).filter((word) => terms(word, locale)))
        .filter((words) => words.length >= 2),
    ]),
  );
  const kinds = [
    (words) => pick(words),
    (words) => pick(words).slice(0, random() < 0.5 ? 2 : 3),
    (words) => pick(words).slice(0, 4),
    (words) => pick(words.filter((word) => word.length > 6)) ?? words[0],
    (words) => pick(words.filter((word) => word.length > 6))?.slice(0, 6) ?? words[0],
    (words) => {
      const at = Math.floor(random() * (words.length - 1));
      return `${words[at]} ${words[at + 1]}`;
    },
  ];
  const filters = [
    () => ({ types: ['GOOD_PRACTICE'] }),
    () => ({ filters: { themes: [pick(themes)] } }),
    () => ({ filters: { territories: [pick(regions)] } }),
    () => ({ types: ['GOOD_PRACTICE'], filters: { implementationStatus: [pick(synthetic.IMPLEMENTATION_STATUSES)] } }),
  ];
  const pool = new Map();
  while (pool.size < size) {
    const locale = pick(synthetic.SYNTHETIC_LOCALES);
    // About one search in three is narrowed by a type or a filter.
    const variables = { query: pick(kinds)(pick(phrases[locale])), locale, ...(random() < 0.35 ? pick(filters)() : {}) };
    // A prefix can be a stop word ("with" of "without"): the search refuses those, the pool skips them.
    if (terms(variables.query, locale)) pool.set(JSON.stringify(variables), variables);
  }
  return [...pool.values()];
}

/**
 * Up to `size` distinct practices of a collection of `practices` (numbered from 1), drawn with a
 * seeded PRNG from all of it: a record page's cost is measured across the collection, not on the
 * first records only.
 */
function slugPool(practices, size = SLUG_POOL_SIZE, seed = QUERY_SEED) {
  const synthetic = require(path.join(appDir, 'dist/src/publishing/synthetic/core'));
  const random = synthetic.mulberry32(seed);
  const picked = new Set();
  while (picked.size < Math.min(size, practices)) picked.add(1 + Math.floor(random() * practices));
  return [...picked].map((n) => synthetic.practiceSlug(n));
}

/** Runs an npm script against the bench database, echoing its progress lines. */
function npmRun(script, args, env, log) {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', script, '--silent', '--', ...args], {
      cwd: appDir,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const echo = (data) => {
      output += data;
      for (const line of String(data).split('\n'))
        if (/^\[(synthetic|search|seed)\]/.test(line) && !/\d+\/\d+ (practices|entries)/.test(line)) log(`    ${line}`);
    };
    child.stdout.on('data', echo);
    child.stderr.on('data', (d) => (output += d));
    child.on('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`npm run ${script} exited ${code}:\n${output.slice(-2000)}`)),
    );
  });
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/**
 * A warm-up, measured by nobody, as a node in service has been asked before: each body once, one
 * at a time, then WARM_UP_SECONDS under the load's connections. A node's first seconds under load
 * are slower than the rest (V8 still compiling hot code and sizing its heap): on PostgreSQL at
 * 10,000 practices, rounds of 5 s after one pass of these bodies gave 775, 951, then 1,045 to
 * 1,115 searches a second.
 */
const WARM_UP_SECONDS = 10;
async function warmUp(url, bodies, { connections }) {
  for (const request of bodies)
    await (await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request })).text();
  await load(url, bodies, { duration: WARM_UP_SECONDS, connections });
}

/**
 * One request at a time, each body once; `found(data, body)` reads how many records an answer holds (a
 * search's total, a page's records). A refused request (a timeout) is kept as a failure, not the end of the run.
 */
async function latencies(url, bodies, found) {
  const times = [];
  const failures = [];
  let hits = 0;
  for (const request of bodies) {
    const started = process.hrtime.bigint();
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request });
    const json = await res.json();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (json.errors) failures.push({ variables: JSON.parse(request).variables, error: json.errors[0].message });
    else hits += found(json.data, request);
  }
  times.sort((a, b) => a - b);
  return {
    p50ms: +percentile(times, 50).toFixed(1),
    p95ms: +percentile(times, 95).toFixed(1),
    meanHits: Math.round(hits / bodies.length),
    failures,
  };
}

/**
 * Under load, every request (on whichever connection) takes the next body, round and round;
 * p50 and p95 of every response's time (autocannon's own percentiles have no p95).
 */
const load = (url, bodies, { duration, connections }) =>
  new Promise((resolve, reject) => {
    let next = 0;
    const times = [];
    const instance = autocannon(
      {
        url: `${url}/graphql`,
        duration,
        connections,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        times.sort((a, b) => a - b);
        resolve({
          requestsPerSecond: result.requests.average,
          loadedP50ms: +percentile(times, 50).toFixed(1),
          loadedP95ms: +percentile(times, 95).toFixed(1),
          errors: result.errors + result.non2xx,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => times.push(responseTime));
  });

/** A node's resident memory, in MB (Linux). */
const residentMegabytes = (pid) => Math.round(processMemory(pid, ['VmRSS']).VmRSS / 2 ** 20);

async function benchSearch({ engine, sizes, duration, connections, queries = QUERY_POOL_SIZE, log }) {
  const searches = searchPool(queries);
  // Nodes are warmed up as a node in service is (compiled code, database caches), with a pool of other queries:
  // each measured query is still the first of its kind.
  const measured = new Set(searches.map((variables) => JSON.stringify(variables)));
  const searchBodies = searches.map(searchBody);
  const warmUpSearches = searchPool(searches.length, QUERY_SEED + 1)
    .filter((variables) => !measured.has(JSON.stringify(variables)))
    .map(searchBody);
  const database = await createDatabase(engine);
  const rows = {};
  try {
    for (const size of sizes) {
      log(`${engine}: ${size} synthetic practices`);
      // seed:synthetic ends by rebuilding the whole index from scratch: its build time is measured there.
      const seeded = await npmRun('seed:synthetic', ['--practices', String(size)], database.env, log);
      const [, entries, indexSeconds] = seeded.match(/index rebuilt: (\d+) entries in ([\d.]+) s/);
      const seedSeconds = Number(seeded.match(/practices created.* in ([\d.]+) s/)[1]);
      // The node loads the index into memory before it listens: its start grows with the collection.
      const starting = Date.now();
      const node = await startNode({ ...database.env, LOG_LEVEL: 'warn', RESPONSE_CACHE: 'false' }, { startTimeoutMs: 600000 });
      const startSeconds = (Date.now() - starting) / 1000;
      try {
        await warmUp(node.url, warmUpSearches, { connections });
        const sequential = await latencies(node.url, searchBodies, (data) => data.search.total);
        const loaded = await load(node.url, searchBodies, { duration, connections });
        const queries = searches.length;
        // One practice's page by slug, on the same node: its cost must not grow with the collection.
        const slugs = slugPool(size);
        const pages = slugs.map((slug) => body(BY_SLUG, { slug }));
        const records = (data) => data.goodPractices.length;
        await warmUp(
          node.url,
          slugPool(size, SLUG_POOL_SIZE, QUERY_SEED + 1)
            .filter((slug) => !slugs.includes(slug))
            .map((slug) => body(BY_SLUG, { slug })),
          { connections },
        );
        const pageSequential = await latencies(node.url, pages, records);
        const pageLoaded = await load(node.url, pages, { duration, connections });
        rows[size] = {
          cache: 'off',
          queries,
          seedSeconds,
          indexEntries: Number(entries),
          indexSeconds: Number(indexSeconds),
          startSeconds,
          residentMegabytes: residentMegabytes(node.process.pid),
          ...sequential,
          ...loaded,
          bySlug: { slugs: slugs.length, ...pageSequential, ...pageLoaded },
        };
        log(
          `${engine} ${size}: cache off, ${queries} distinct queries: index ${indexSeconds} s, node started in ${startSeconds.toFixed(1)} s ` +
            `(${rows[size].residentMegabytes} MB resident after the searches), p50 ${sequential.p50ms} ms, ` +
            `p95 ${sequential.p95ms} ms, ${loaded.requestsPerSecond.toFixed(1)} req/s (p50 / p95 ${loaded.loadedP50ms} / ${loaded.loadedP95ms} ms loaded)`,
        );
        log(
          `${engine} ${size}: one practice by slug, ${slugs.length} distinct: p50 ${pageSequential.p50ms} ms, p95 ${pageSequential.p95ms} ms, ` +
            `${pageLoaded.requestsPerSecond.toFixed(1)} req/s (p50 / p95 ${pageLoaded.loadedP50ms} / ${pageLoaded.loadedP95ms} ms loaded)`,
        );
        for (const { variables, error } of [...sequential.failures, ...pageSequential.failures])
          log(`  failed one at a time: ${JSON.stringify(variables)}: ${error}`);
        if (pageSequential.meanHits !== 1)
          throw new Error(`${engine} ${size}: a page by slug found ${pageSequential.meanHits} practices on average, not 1`);
      } finally {
        await node.stop();
      }
    }
  } finally {
    await database.drop();
  }
  return rows;
}

function printSearch(results) {
  const rows = Object.entries(results).flatMap(([engine, bySize]) => Object.entries(bySize).map(([size, row]) => ({ engine, size, row })));
  const loadedCells = (row) => `${row.requestsPerSecond.toFixed(1).padStart(18)}${`${row.loadedP50ms} / ${row.loadedP95ms}`.padStart(21)}`;
  console.log(
    `\nsearch: response cache off, ${rows[0]?.row.queries ?? QUERY_POOL_SIZE} distinct queries (words, prefixes, pairs, filters; it and en)`,
  );
  console.log(
    'search      engine    practices  index entries  index build s  node start s  node MB  p50 ms  p95 ms  req/s (10 conns)  p50 / p95 ms loaded  errors',
  );
  for (const { engine, size, row } of rows)
    console.log(
      `${''.padEnd(12)}${engine.padEnd(10)}${size.padStart(9)}${String(row.indexEntries).padStart(15)}${row.indexSeconds.toFixed(1).padStart(15)}${row.startSeconds.toFixed(1).padStart(14)}${String(row.residentMegabytes).padStart(9)}${String(row.p50ms).padStart(8)}${String(row.p95ms).padStart(8)}${loadedCells(row)}${String(row.errors + (row.failures?.length ?? 0)).padStart(8)}`,
    );
  console.log(
    `\none practice by slug with every relation, on the same nodes: ${SLUG_POOL_SIZE} distinct practices of each collection (all, if fewer)`,
  );
  console.log('page        engine    practices  p50 ms  p95 ms  req/s (10 conns)  p50 / p95 ms loaded  errors');
  for (const { engine, size, row } of rows)
    console.log(
      `${''.padEnd(12)}${engine.padEnd(10)}${size.padStart(9)}${String(row.bySlug.p50ms).padStart(8)}${String(row.bySlug.p95ms).padStart(8)}${loadedCells(row.bySlug)}${String(row.bySlug.errors + row.bySlug.failures.length).padStart(8)}`,
    );
}

module.exports = { benchSearch, printSearch, npmRun, searchPool, latencies, load };
