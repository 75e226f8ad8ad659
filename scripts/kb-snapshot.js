#!/usr/bin/env node
// `npm run kb:snapshot -- <dir>`: writes a static website of the published knowledge into <dir>
// (a new or empty folder), with its open-data files, from the configured database. Open
// <dir>/index.html from disk or put the folder on any static host.
const path = require('path');
const { runScript, withApp } = require('./lib/app');

runScript('snapshot', async () => {
  const [dir, ...rest] = process.argv.slice(2);
  if (!dir || rest.length) throw new Error('Usage: npm run kb:snapshot -- <dir>');
  const started = Date.now();
  // Peak resident memory, sampled: what a machine running the command must have.
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  sample.unref();
  console.log('[snapshot] compiling and starting Strapi…');
  await withApp({ SEED_ON_EMPTY: 'false' }, async (app) => {
    const { writeSnapshot } = require(path.join(app.dirs.dist.src, 'publishing', 'snapshot'));
    const report = await writeSnapshot(app, dir, { log: (line) => console.log(line) });
    const mb = (bytes) => (bytes / 1048576).toFixed(0);
    console.log(
      `[snapshot] ${report.pages} pages and ${report.files} open-data files in ${path.resolve(dir)}: ${report.seconds.toFixed(1)} s ` +
        `(${((Date.now() - started) / 1000).toFixed(1)} s with start-up), peak ${mb(Math.max(peak, process.memoryUsage().rss))} MB resident`,
    );
  });
});
