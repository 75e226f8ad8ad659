// Search at scale: for each engine and each size, synthetic good practices (npm run seed:synthetic,
// which rebuilds the index from scratch, timed), then partner searches on a production node with
// the response cache off (RESPONSE_CACHE=false), so that every answer is a search, not a cache hit:
// latency of one search at a time (p50/p95) and throughput under load, over a seeded pool of
// distinct queries as partners and the explorer's search box send them (words, the 2- to 6-letter
// prefixes typing produces, pairs, both locales, some with type, theme, territory or status filters).
const path = require('path');
const { spawn } = require('child_process');
const autocannon = require('autocannon');
const { createDatabase } = require('../scripts/lib/databases');
const { startNode } = require('../scripts/lib/nodes');

const appDir = path.resolve(__dirname, '..');
const QUERY_POOL_SIZE = 240;
const QUERY_SEED = 18;

const SEARCH_QUERY = `query($query: String!, $locale: I18NLocaleCode, $types: [SearchType!], $filters: SearchFiltersInput, $pagination: PaginationArg) {
  search(query: $query, locale: $locale, types: $types, filters: $filters, pagination: $pagination) { total items { type slug title snippet score } } }`;
const body = (variables) => JSON.stringify({ query: SEARCH_QUERY, variables });

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

/** One search at a time, each query of the pool once; a refused search (a timeout) is kept as a failure, not the end of the run. */
async function latencies(url, searches) {
  const times = [];
  const failures = [];
  let hits = 0;
  for (const variables of searches) {
    const started = process.hrtime.bigint();
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(variables) });
    const json = await res.json();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (json.errors) failures.push({ variables, error: json.errors[0].message });
    else hits += json.data.search.total;
  }
  times.sort((a, b) => a - b);
  return {
    p50ms: +percentile(times, 50).toFixed(1),
    p95ms: +percentile(times, 95).toFixed(1),
    meanHits: Math.round(hits / searches.length),
    failures,
  };
}

/**
 * Under load, every request (on whichever connection) takes the pool's next query, round and round;
 * p50 and p95 of every response's time (autocannon's own percentiles have no p95).
 */
const load = (url, searches, { duration, connections }) =>
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
        requests: [{ setupRequest: (request) => ({ ...request, body: body(searches[next++ % searches.length]) }) }],
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

async function benchSearch({ engine, sizes, duration, connections, queries = QUERY_POOL_SIZE, log }) {
  const searches = searchPool(queries);
  const database = await createDatabase(engine);
  const rows = {};
  try {
    for (const size of sizes) {
      log(`${engine}: ${size} synthetic practices`);
      // seed:synthetic ends by rebuilding the whole index from scratch: its build time is measured there.
      const seeded = await npmRun('seed:synthetic', ['--practices', String(size)], database.env, log);
      const [, entries, indexSeconds] = seeded.match(/index rebuilt: (\d+) entries in ([\d.]+) s/);
      const seedSeconds = Number(seeded.match(/practices created.* in ([\d.]+) s/)[1]);
      const node = await startNode({ ...database.env, LOG_LEVEL: 'warn', RESPONSE_CACHE: 'false' });
      try {
        // Warm-up as a node in service is warm (compiled code, database caches), with a pool of other queries:
        // each measured query is still the first of its kind.
        const measured = new Set(searches.map((variables) => JSON.stringify(variables)));
        await latencies(
          node.url,
          searchPool(searches.length, QUERY_SEED + 1).filter((variables) => !measured.has(JSON.stringify(variables))),
        );
        const sequential = await latencies(node.url, searches);
        const loaded = await load(node.url, searches, { duration, connections });
        const queries = searches.length;
        rows[size] = {
          cache: 'off',
          queries,
          seedSeconds,
          indexEntries: Number(entries),
          indexSeconds: Number(indexSeconds),
          ...sequential,
          ...loaded,
        };
        log(
          `${engine} ${size}: cache off, ${queries} distinct queries: index ${indexSeconds} s, p50 ${sequential.p50ms} ms, ` +
            `p95 ${sequential.p95ms} ms, ${loaded.requestsPerSecond.toFixed(1)} req/s (p50 / p95 ${loaded.loadedP50ms} / ${loaded.loadedP95ms} ms loaded)`,
        );
        for (const { variables, error } of sequential.failures) log(`  failed one at a time: ${JSON.stringify(variables)}: ${error}`);
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
  const first = Object.values(Object.values(results)[0] ?? {})[0];
  console.log(
    `\nsearch: response cache off, ${first?.queries ?? QUERY_POOL_SIZE} distinct queries (words, prefixes, pairs, filters; it and en)`,
  );
  console.log(
    'search      engine    practices  index entries  index build s  p50 ms  p95 ms  req/s (10 conns)  p50 / p95 ms loaded  errors',
  );
  for (const [engine, rows] of Object.entries(results)) {
    for (const [size, row] of Object.entries(rows)) {
      console.log(
        `${''.padEnd(12)}${engine.padEnd(10)}${size.padStart(9)}${String(row.indexEntries).padStart(15)}${row.indexSeconds.toFixed(1).padStart(15)}${String(row.p50ms).padStart(8)}${String(row.p95ms).padStart(8)}${row.requestsPerSecond.toFixed(1).padStart(18)}${`${row.loadedP50ms} / ${row.loadedP95ms}`.padStart(21)}${String(row.errors + (row.failures?.length ?? 0)).padStart(8)}`,
      );
    }
  }
}

module.exports = { benchSearch, printSearch, npmRun, searchPool, latencies, load };
