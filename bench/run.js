#!/usr/bin/env node
// `npm run bench`: suites side by side on each engine, in one run on the same data.
// - list: the partner list query; a fresh database, a production node (compiled dist/), the seed
//   plus N synthetic good practices written through the API, then autocannon scenarios.
// - search: full-text search at 10,000 and 100,000 practices (bench/search.js).
// `-- --suites=list --engines=sqlite --sizes=10000` narrows a run. Prints tables and writes
// bench/results/<date>-<engines>.json. Never part of `npm test`.
const fs = require('fs');
const path = require('path');
const autocannon = require('autocannon');
const { compileStrapi } = require('@strapi/strapi');
const { createDatabase } = require('../scripts/lib/databases');
const { startNode, editorToken } = require('../scripts/lib/nodes');
const { benchSearch, printSearch } = require('./search');

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')).map(([k, v]) => [k, v ?? 'true'])
);
const engines = (args.engines || 'sqlite,postgres').split(',');
const suites = (args.suites || 'list,search').split(',');
const sizes = (args.sizes || '10000,100000').split(',').map(Number);
const practices = Number(args.practices || 200);
const duration = Number(args.duration || 10);
const connections = Number(args.connections || 10);
const log = (line) => console.log(`[bench] ${line}`);

const LIST_QUERY = `{ goodPractices(pagination: { pageSize: 25 }, sort: "title") {
  documentId title slug summary themes { name } territories { name nutsCode } project { acronym } outcomes { value unit } } }`;
const SCENARIOS = {
  'graphql list (25, 4 relations)': (url) => ({
    url: `${url}/graphql`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: LIST_QUERY }),
  }),
  'rest list (25, same populate)': (url) => ({
    url: `${url}/api/good-practices?pagination[pageSize]=25&sort=title&populate[themes][fields][0]=name&populate[territories][fields][0]=name&populate[territories][fields][1]=nutsCode&populate[project][fields][0]=acronym&populate[outcomes][fields][0]=value&populate[outcomes][fields][1]=unit`,
  }),
};

async function syntheticPractices(node, token, count) {
  const gql = await fetch(`${node.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ themes { documentId } territories { documentId } projects { documentId } outcomes { documentId } }' }),
  }).then((r) => r.json());
  const ids = (list) => gql.data[list].map((x) => x.documentId);
  const [themes, territories, [project], outcomes] = [ids('themes'), ids('territories'), ids('projects'), ids('outcomes')];
  for (let i = 0; i < count; i += 1) {
    const res = await fetch(`${node.url}/api/good-practices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        data: {
          title: `Pratica sintetica ${String(i).padStart(5, '0')}`,
          slug: `pratica-sintetica-${i}`,
          summary: `Pratica generata per il benchmark, numero ${i}.`,
          curationStatus: 'validated',
          themes: [themes[i % themes.length], themes[(i + 3) % themes.length]],
          territories: [territories[i % territories.length]],
          project,
          outcomes: [outcomes[i % outcomes.length]],
          source: { title: 'Benchmark' },
        },
      }),
    });
    if (res.status !== 201) throw new Error(`creating practice ${i}: ${res.status} ${await res.text()}`);
    if ((i + 1) % 50 === 0 || i + 1 === count) log(`  ${i + 1}/${count} synthetic practices`);
  }
}

const measure = (opts) =>
  new Promise((resolve, reject) => {
    autocannon({ ...opts, connections, duration }, (error, result) => (error ? reject(error) : resolve(result)));
  });

async function benchEngine(engine) {
  log(`${engine}: fresh database, production node, seed`);
  const database = await createDatabase(engine);
  const node = await startNode({ ...database.env, LOG_LEVEL: 'warn' });
  try {
    await syntheticPractices(node, await editorToken(node, `bench-${engine}@example.org`), practices);
    const rows = {};
    for (const [name, scenario] of Object.entries(SCENARIOS)) {
      log(`${engine}: ${name}, ${duration} s × ${connections} connections`);
      await measure({ ...scenario(node.url), duration: 2 }); // warm-up
      const r = await measure(scenario(node.url));
      rows[name] = { requestsPerSecond: r.requests.average, p50ms: r.latency.p50, p99ms: r.latency.p99, errors: r.errors + r.non2xx };
    }
    return rows;
  } finally {
    await node.stop();
    await database.drop();
  }
}

function printList(results) {
  const baseline = results[engines[0]]['rest list (25, same populate)'].requestsPerSecond;
  console.log(`\nscenario                         engine    req/s    p50 ms  p99 ms  errors  ratio to ${engines[0]} REST`);
  for (const engine of engines) {
    for (const [name, row] of Object.entries(results[engine])) {
      console.log(
        `${name.padEnd(33)}${engine.padEnd(10)}${row.requestsPerSecond.toFixed(1).padStart(7)}${String(row.p50ms).padStart(10)}${String(row.p99ms).padStart(8)}${String(row.errors).padStart(8)}${(row.requestsPerSecond / baseline).toFixed(2).padStart(10)}`
      );
    }
  }
}

async function main() {
  log('compiling the app');
  await compileStrapi({ appDir: path.resolve(__dirname, '..') });
  const results = {};
  if (suites.includes('list')) {
    results.list = {};
    for (const engine of engines) results.list[engine] = await benchEngine(engine);
  }
  if (suites.includes('search')) {
    results.search = {};
    for (const engine of engines) results.search[engine] = await benchSearch({ engine, sizes, duration, connections, log });
  }
  if (results.list) printList(results.list);
  if (results.search) printSearch(results.search);
  const file = path.join(__dirname, 'results', `${new Date().toISOString().slice(0, 10)}-${engines.join('-')}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), practices, sizes, duration, connections, results }, null, 2));
  log(`written ${path.relative(process.cwd(), file)}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[bench] failed: ${error.stack || error}`);
    process.exit(1);
  }
);
