#!/usr/bin/env node
// `npm run kb:import -- <file.tar.gz> [--dry-run]`: merges an archive written by kb:export into
// this instance, in one transaction; --dry-run reports what would change and writes nothing.
const path = require('path');
const { runScript, withApp } = require('./lib/app');

runScript('import', async () => {
  const args = process.argv.slice(2);
  const dryRun = args.includes('--dry-run');
  const files = args.filter((arg) => arg !== '--dry-run');
  if (files.length !== 1 || files[0].startsWith('--')) throw new Error('Usage: npm run kb:import -- <file.tar.gz> [--dry-run]');
  const started = Date.now();
  console.log('[import] compiling and starting Strapi…');
  // An empty instance stays empty until the archive fills it: no seed first.
  await withApp({ SEED_ON_EMPTY: 'false' }, async (app) => {
    const archive = require(path.join(app.dirs.dist.src, 'publishing', 'archive'));
    const result = await archive.importArchive(app, files[0], { dryRun, log: (line) => console.log(line) });
    if (dryRun) {
      console.log('[import] dry run, nothing written. It would make these changes:');
      for (const line of archive.reportLines({ media: result.media, ...result.report })) console.log(`[import]   ${line}`);
    }
    console.log(`[import] ${dryRun ? 'dry run ' : ''}done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });
});
