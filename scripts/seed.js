#!/usr/bin/env node
// `npm run seed`: loads the project's knowledge from data/seed/ into the configured database.
// Idempotent: records already present (matched by slug) are left as editors left them.
const path = require('path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');
require('./ensure-env').ensureEnv();

async function main() {
  process.env.SEED_ON_EMPTY = 'false'; // seed here, with progress, rather than in bootstrap
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  const appDir = path.resolve(__dirname, '..');
  console.log('[seed] compiling and starting Strapi…');
  const app = createStrapi(await compileStrapi({ appDir }));
  app.log.level = 'warn';
  await app.load();
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
