#!/usr/bin/env node
// `npm run bench`: suites side by side on each engine, in one run on the same data.
// - speed: the partner API on 2,000 synthetic practices, cached and uncached against stock Strapi
//   REST and GraphQL, with SQL statements per request (bench/speed.js).
// - search: full-text search at 10,000 practices, more with --sizes, cache off, over a pool of
//   distinct queries, and one practice's page by slug at each size (bench/search.js).
// `-- --suites=speed --engines=sqlite --practices=2000 --sizes=10000` narrows a run. Prints tables
// and writes bench/results/<date>-<engine>.json. Never part of `npm test`.
const fs = require('fs');
const path = require('path');
const { compileStrapi } = require('@strapi/strapi');
const { benchSearch, printSearch } = require('./search');
const { benchSpeed, printSpeed } = require('./speed');

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => a.replace(/^--/, '').split('='))
    .map(([k, v]) => [k, v ?? 'true']),
);
const engines = (args.engines || 'sqlite,postgres').split(',');
const suites = (args.suites || 'speed,search').split(',');
const sizes = (args.sizes || '10000').split(',').map(Number);
const practices = Number(args.practices || 2000);
const duration = Number(args.duration || 10);
const connections = Number(args.connections || 10);
const log = (line) => console.log(`[bench] ${line}`);

async function main() {
  log('compiling the app');
  await compileStrapi({ appDir: path.resolve(__dirname, '..') });
  const results = { speed: {}, search: {} };
  const stamp = new Date().toISOString().slice(0, 10);
  for (const engine of engines) {
    if (suites.includes('speed')) results.speed[engine] = await benchSpeed({ engine, practices, duration, connections, log });
    if (suites.includes('search')) results.search[engine] = await benchSearch({ engine, sizes, duration, connections, log });
    const file = path.join(__dirname, 'results', `${stamp}-${engine}.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const settings = { date: new Date().toISOString(), engine, practices, sizes, duration, connections };
    fs.writeFileSync(file, JSON.stringify({ ...settings, speed: results.speed[engine], search: results.search[engine] }, null, 2));
    log(`written ${path.relative(process.cwd(), file)}`);
  }
  if (suites.includes('speed')) printSpeed(results.speed);
  if (suites.includes('search')) printSearch(results.search);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[bench] failed: ${error.stack || error}`);
    process.exit(1);
  },
);
