#!/usr/bin/env node
// `npm run seed`: loads the project's knowledge from data/seed/ into the configured database.
// Idempotent: records already present (matched by slug) are left as editors left them.
const path = require('path');
const { loadApp } = require('./lib/app');

async function main() {
  console.log('[seed] compiling and starting Strapi…');
  // Seed here, with progress, rather than in bootstrap.
  const app = await loadApp({ SEED_ON_EMPTY: 'false' });
  try {
    const { seedKnowledgeBase } = require(path.join(app.dirs.dist.src, 'seed'));
    await seedKnowledgeBase(app, { log: (line) => console.log(line) });
  } finally {
    await app.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[seed] failed: ${error.message}`);
    process.exit(1);
  }
);
