#!/usr/bin/env node
// `npm run seed:synthetic -- --practices N [--seed S] [--reset]`: synthetic good practices for
// benchmarks (slugs `synthetic-…`), never part of the real seed. `--reset` removes every
// synthetic record first; alone it only removes. Refuses to run with NODE_ENV=production.
const path = require('path');

function parseArgs(argv) {
  const options = { practices: 1000, seed: 1, reset: false, generate: true };
  let practicesGiven = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    if (arg === '--reset') options.reset = true;
    else if (arg === '--practices' || arg === '--seed') {
      const value = Number(argv[++i]);
      if (!Number.isInteger(value) || value < 0) throw new Error(`${arg} needs a whole number, not "${argv[i]}".`);
      options[arg.slice(2)] = value;
      if (arg === '--practices') practicesGiven = true;
    } else throw new Error(`Unknown argument "${arg}". Usage: npm run seed:synthetic -- --practices N [--seed S] [--reset]`);
  }
  options.generate = !options.reset || practicesGiven;
  return options;
}

const seconds = (since) => ((Date.now() - since) / 1000).toFixed(1);

async function main() {
  if (process.env.NODE_ENV === 'production') throw new Error('refusing to write synthetic content with NODE_ENV=production.');
  const options = parseArgs(process.argv.slice(2));
  const { loadApp } = require('./lib/app');
  const started = Date.now();
  console.log('[synthetic] compiling and starting Strapi…');
  const app = await loadApp();
  try {
    console.log(`[synthetic] Strapi ready in ${seconds(started)} s (${app.config.get('database.connection.client')})`);
    const synthetic = require(path.join(app.dirs.dist.src, 'publishing', 'synthetic'));
    const log = (line) => console.log(line);
    if (options.reset) {
      const { removed, seconds: took } = await synthetic.removeSyntheticContent(app, { log });
      console.log(`[synthetic] removed ${JSON.stringify(removed)} in ${took.toFixed(1)} s`);
    }
    if (options.generate) {
      const report = await synthetic.seedSyntheticContent(app, { practices: options.practices, seed: options.seed, log });
      const rate = report.practices.created / report.seconds;
      console.log(
        `[synthetic] ${report.practices.created} practices created, ${report.practices.existing} already present ` +
          `(seed ${options.seed}) in ${report.seconds.toFixed(1)} s${report.practices.created ? ` (${rate.toFixed(0)} practices/s)` : ''}`,
      );
    }
    // The bulk writer bypasses the document service, so the search index is rebuilt from scratch.
    await require(path.join(app.dirs.dist.src, 'public-api', 'search')).rebuildSearchIndex(app, { log });
    console.log(`[synthetic] done in ${seconds(started)} s`);
  } finally {
    await app.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(`[synthetic] failed: ${error.message}`);
    process.exit(1);
  },
);
