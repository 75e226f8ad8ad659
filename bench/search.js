// Search at scale: for each engine and each size, synthetic good practices (npm run seed:synthetic,
// which rebuilds the index from scratch, timed), then partner searches on a
// production node: latency of one search at a time (p50/p95) and throughput under load.
const path = require('path');
const { spawn } = require('child_process');
const autocannon = require('autocannon');
const { createDatabase } = require('../scripts/lib/databases');
const { startNode } = require('../scripts/lib/nodes');

const appDir = path.resolve(__dirname, '..');

const SEARCHES = [
  { query: 'minori', locale: 'it' },
  { query: 'formazione operatori', locale: 'it' },
  { query: 'inserimento lavorativo', locale: 'it', types: ['GOOD_PRACTICE'] },
  { query: 'mediazione culturale', locale: 'it', filters: { implementationStatus: ['ongoing'] } },
  { query: 'housing', locale: 'en' },
  { query: 'integr', locale: 'en', pagination: { page: 3, pageSize: 10 } },
];
const SEARCH_QUERY = `query($query: String!, $locale: I18NLocaleCode, $types: [SearchType!], $filters: SearchFiltersInput, $pagination: PaginationArg) {
  search(query: $query, locale: $locale, types: $types, filters: $filters, pagination: $pagination) { total items { type slug title snippet score } } }`;
const body = (variables) => JSON.stringify({ query: SEARCH_QUERY, variables });

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

async function latencies(url, rounds) {
  const times = [];
  const totals = {};
  for (let round = 0; round < rounds; round += 1) {
    for (const variables of SEARCHES) {
      const started = process.hrtime.bigint();
      const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(variables) });
      const json = await res.json();
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (json.errors) throw new Error(`search failed: ${JSON.stringify(json.errors)}`);
      totals[variables.query] = json.data.search.total;
    }
  }
  times.sort((a, b) => a - b);
  return { p50ms: +percentile(times, 50).toFixed(1), p95ms: +percentile(times, 95).toFixed(1), totals };
}

const load = (url, { duration, connections }) =>
  new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/graphql`,
        duration,
        connections,
        requests: SEARCHES.map((variables) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: body(variables) })),
      },
      (error, result) =>
        error ? reject(error) : resolve({ requestsPerSecond: result.requests.average, errors: result.errors + result.non2xx }),
    );
  });

async function benchSearch({ engine, sizes, duration, connections, log }) {
  const database = await createDatabase(engine);
  const rows = {};
  try {
    for (const size of sizes) {
      log(`${engine}: ${size} synthetic practices`);
      // seed:synthetic ends by rebuilding the whole index from scratch: its build time is measured there.
      const seeded = await npmRun('seed:synthetic', ['--practices', String(size)], database.env, log);
      const [, entries, indexSeconds] = seeded.match(/index rebuilt: (\d+) entries in ([\d.]+) s/);
      const seedSeconds = Number(seeded.match(/practices created.* in ([\d.]+) s/)[1]);
      const node = await startNode({ ...database.env, LOG_LEVEL: 'warn' });
      try {
        await latencies(node.url, 2); // warm-up
        const sequential = await latencies(node.url, 20);
        const loaded = await load(node.url, { duration, connections });
        rows[size] = { seedSeconds, indexEntries: Number(entries), indexSeconds: Number(indexSeconds), ...sequential, ...loaded };
        log(
          `${engine} ${size}: index ${indexSeconds} s, p50 ${sequential.p50ms} ms, p95 ${sequential.p95ms} ms, ${loaded.requestsPerSecond.toFixed(1)} req/s`,
        );
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
  console.log('\nsearch      engine    practices  index entries  index build s  p50 ms  p95 ms  req/s (10 conns)  errors');
  for (const [engine, rows] of Object.entries(results)) {
    for (const [size, row] of Object.entries(rows)) {
      console.log(
        `${''.padEnd(12)}${engine.padEnd(10)}${size.padStart(9)}${String(row.indexEntries).padStart(15)}${row.indexSeconds.toFixed(1).padStart(15)}${String(row.p50ms).padStart(8)}${String(row.p95ms).padStart(8)}${row.requestsPerSecond.toFixed(1).padStart(18)}${String(row.errors).padStart(8)}`,
      );
    }
  }
}

module.exports = { benchSearch, printSearch, npmRun };
