#!/usr/bin/env node
// `npm run search:reindex`: rebuilds the full-text search index from the published content of
// the configured database (after a bulk import, or a change to the text analysis).
const path = require('path');
const { runScript, withApp } = require('./lib/app');

runScript('search', async () => {
  console.log('[search] compiling and starting Strapi…');
  await withApp({ SEED_ON_EMPTY: 'false' }, (app) =>
    require(path.join(app.dirs.dist.src, 'public-api', 'search')).rebuildSearchIndex(app, { log: (line) => console.log(line) }),
  );
});
