#!/usr/bin/env node
// `npm run bench:archive -- --practices=10000 [--engines=sqlite,postgres]`: time and memory of
// kb:export and kb:import at N synthetic good practices, on each engine in turn. A throw-away
// database gets the seed and N synthetic practices; its archive is imported into a fresh throw-away
// database, then imported again (nothing to change). Memory is sampled every 20 ms: the peak
// resident set, and the peaks above what the loaded app held before the step (heap and resident
// set). Writes bench/results/<date>-archive-<engine>.json and prints a table of the engines.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');
const { createDatabase } = require('../scripts/lib/databases');
const { runScript } = require('../scripts/lib/app');

const args = Object.fromEntries(
  process.argv
    .slice(2)
    .map((a) => a.replace(/^--/, '').split('='))
    .map(([k, v]) => [k, v ?? 'true']),
);
const practices = Number(args.practices || 10000);
const engines = (args.engines || args.engine || 'sqlite,postgres').split(',');
const appDir = path.resolve(__dirname, '..');
const distDir = path.join(appDir, 'dist');
const log = (line) => console.log(`[bench] ${line}`);
const mb = (bytes) => Math.round(bytes / 1048576);

async function withInstance(database, seed, work) {
  Object.assign(process.env, database.env, { SEED_ON_EMPTY: String(seed), STRAPI_TELEMETRY_DISABLED: 'true' });
  const app = createStrapi({ appDir, distDir });
  app.log.level = 'warn';
  await app.load();
  try {
    return await work(app);
  } finally {
    await app.destroy();
  }
}

/** Runs `step`, sampling memory; returns seconds and the peaks above the baseline taken just before. */
async function measured(name, step) {
  global.gc?.();
  const before = process.memoryUsage();
  const peak = { rss: before.rss, heapUsed: before.heapUsed };
  const timer = setInterval(() => {
    const now = process.memoryUsage();
    peak.rss = Math.max(peak.rss, now.rss);
    peak.heapUsed = Math.max(peak.heapUsed, now.heapUsed);
  }, 20);
  const started = Date.now();
  const cpu = process.cpuUsage();
  try {
    const result = await step();
    const used = process.cpuUsage(cpu);
    const figures = {
      seconds: (Date.now() - started) / 1000,
      // On a shared machine the wall time depends on the neighbours; the CPU time much less.
      cpuSeconds: (used.user + used.system) / 1e6,
      baselineRssMb: mb(before.rss),
      peakRssMb: mb(peak.rss),
      peakRssAboveBaselineMb: mb(peak.rss - before.rss),
      peakHeapAboveBaselineMb: mb(peak.heapUsed - before.heapUsed),
    };
    log(
      `${name}: ${figures.seconds.toFixed(1)} s (${figures.cpuSeconds.toFixed(1)} s CPU), peak RSS ${figures.peakRssMb} MB (+${figures.peakRssAboveBaselineMb} MB over the loaded app), heap +${figures.peakHeapAboveBaselineMb} MB`,
    );
    return { ...figures, result };
  } finally {
    clearInterval(timer);
  }
}

async function bench(engine) {
  const file = path.join(os.tmpdir(), `kb-bench-${process.pid}.tar.gz`);
  const quiet = { log: () => undefined };
  const archive = () => require(path.join(distDir, 'src', 'publishing/archive'));
  const source = await createDatabase(engine);
  const target = await createDatabase(engine);
  try {
    const exported = await withInstance(source, true, async (app) => {
      log(`${engine}: seed and ${practices} synthetic practices…`);
      await require(path.join(distDir, 'src', 'publishing/synthetic')).seedSyntheticContent(app, { practices, ...quiet });
      await require(path.join(distDir, 'src', 'public-api/search')).rebuildSearchIndex(app, quiet);
      return measured('export', () => archive().exportArchive(app, file, quiet));
    });
    const versions = Object.values(exported.result.counts).reduce((sum, count) => sum + count.versions, 0);
    log(`archive: ${versions} record versions, ${mb(fs.statSync(file).size)} MB`);
    const [first, again] = await withInstance(target, false, async (app) => [
      await measured('import into an empty instance', () => archive().importArchive(app, file, quiet)),
      await measured('import again (nothing to change)', () => archive().importArchive(app, file, quiet)),
    ]);
    const figures = {
      date: new Date().toISOString(),
      engine,
      practices,
      versions,
      archiveBytes: fs.statSync(file).size,
      node: process.version,
      cpus: os.cpus().length,
    };
    const strip = ({ result, ...rest }) => rest;
    const results = {
      ...figures,
      export: strip(exported),
      import: strip(first),
      reimport: strip(again),
      reimportReport: again.result.report['good-practices'],
    };
    const out = path.join(__dirname, 'results', `${figures.date.slice(0, 10)}-archive-${engine}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    log(`results in ${path.relative(appDir, out)}`);
    return results;
  } finally {
    fs.rmSync(file, { force: true });
    await source.drop();
    await target.drop();
  }
}

async function main() {
  if (!global.gc) log('run with node --expose-gc for steadier baselines');
  log('compiling the app…');
  await compileStrapi({ appDir });
  const results = [];
  for (const engine of engines) results.push(await bench(engine));
  const row = (name, step) =>
    `| ${name} | ${results.map((r) => `${r[step].seconds.toFixed(1)} s (${r[step].cpuSeconds.toFixed(1)} s CPU), peak RSS ${r[step].peakRssMb} MB`).join(' | ')} |`;
  console.log(`\n${practices} practices, ${results[0].versions} record versions (wall time on this machine, CPU time of this process)`);
  console.log(`| step | ${results.map((r) => r.engine).join(' | ')} |`);
  console.log(`|---|${results.map(() => '---').join('|')}|`);
  console.log(row('export', 'export'));
  console.log(row('import into an empty instance', 'import'));
  console.log(row('import again (nothing to change)', 'reimport'));
}

runScript('bench', main);
