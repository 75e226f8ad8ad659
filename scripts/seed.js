#!/usr/bin/env node
// `npm run seed`: loads the project's knowledge from data/seed/ into the configured database.
// Idempotent: records already present (matched by slug) are left as editors left them.
const path = require('path');
const { runScript, withApp } = require('./lib/app');

runScript('seed', async () => {
  console.log('[seed] compiling and starting Strapi…');
  // Seed here, with progress, rather than in bootstrap.
  await withApp({ SEED_ON_EMPTY: 'false' }, (app) =>
    require(path.join(app.dirs.dist.src, 'publishing', 'seed')).seedKnowledgeBase(app, { log: (line) => console.log(line) }),
  );
});
