#!/usr/bin/env node
// `npm run search:reindex`: rebuilds the full-text search index from the published content of
// the configured database (after a bulk import, or a change to the text analysis).
const path = require('path');
const { loadApp } = require('./lib/app');

async function main() {
  console.log('[search] compiling and starting Strapi…');
  const app = await loadApp({ SEED_ON_EMPTY: 'false' });
  try {
    const { rebuildSearchIndex } = require(path.join(app.dirs.dist.src, 'search'));
    await rebuildSearchIndex(app, { log: (line) => console.log(line) });
  } finally {
    await app.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[search] reindex failed: ${error.message}`);
    process.exit(1);
  }
);
