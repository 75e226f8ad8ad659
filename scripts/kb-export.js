#!/usr/bin/env node
// `npm run kb:export -- <file.tar.gz>`: the whole knowledge base (drafts, private fields, media)
// as a versioned archive for `npm run kb:import`. An admin backup: keep the file private.
const path = require('path');
const { runScript, withApp } = require('./lib/app');

runScript('export', async () => {
  const [file, ...rest] = process.argv.slice(2);
  if (!file || rest.length) throw new Error('Usage: npm run kb:export -- <file.tar.gz>');
  const started = Date.now();
  console.log('[export] compiling and starting Strapi…');
  await withApp({ SEED_ON_EMPTY: 'false' }, async (app) => {
    const manifest = await require(path.join(app.dirs.dist.src, 'publishing', 'archive')).exportArchive(app, file, {
      log: (line) => console.log(line),
    });
    const versions = Object.values(manifest.counts).reduce((sum, count) => sum + count.versions, 0);
    console.log(
      `[export] done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${versions} record versions, ${manifest.media.files} media files, content model ${manifest.contentModel}`,
    );
  });
});
