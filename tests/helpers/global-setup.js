// Before any suite: the TypeScript app compiled into dist/ (each suite then loads it on its own
// database), skipped when dist/ was compiled from the same sources; the admin panel built when a
// selected suite needs it, because building it later would rewrite dist/ while suites on the
// other worker load it; and this run's database templates (templates.js) when a selected suite
// boots Strapi.
const fs = require('fs');
const path = require('path');
const { compileStrapi } = require('@strapi/strapi');
require('../../scripts/ensure-env').ensureEnv();
const { inputsHash, upToDate } = require('../../scripts/lib/inputs-hash');
const { ensureAdminBuild } = require('../../scripts/lib/admin-build');
const { prepareTemplates } = require('./templates');

const appDir = path.resolve(__dirname, '../..');
/** What the server is compiled from (tsconfig.json's include, less what it excludes). */
const SERVER_INPUTS = ['src', 'config', 'database', 'data', 'tsconfig.json', 'package.json', 'package-lock.json'];
const compiledStamp = path.join(appDir, 'dist', '.inputs-hash');
/** Suites that boot Strapi (directly, through a helper, or as nodes of their own). */
const BOOTS_STRAPI = /startKnowledgeBase|createTestDatabase|startInstances/;
/** Suites that drive the built admin panel. */
const ADMIN_SUITES = ['tests/editors-browser.test.ts', 'tests/admin-browser.test.ts'].map((file) => path.join(appDir, file));

/** Every suite file under `dir`. */
const listSuites = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return listSuites(file);
    return entry.name.endsWith('.test.ts') ? [file] : [];
  });

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

module.exports = async (globalConfig, projectConfig) => {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  const started = Date.now();
  const hash = inputsHash(SERVER_INPUTS);
  if (upToDate(compiledStamp, hash)) {
    console.log('\n[tests] app already compiled from these sources (dist/)');
  } else {
    await compileStrapi({ appDir });
    fs.writeFileSync(compiledStamp, hash);
    console.log(`\n[tests] app compiled in ${seconds(started)}`);
  }

  const selected = (file) =>
    new RegExp(globalConfig.testPathPattern, 'i').test(file) &&
    !projectConfig.testPathIgnorePatterns.some((pattern) => new RegExp(pattern).test(file));
  if (ADMIN_SUITES.some(selected)) ensureAdminBuild({ log: (line) => console.log(`[tests] ${line}`) });

  const bootsStrapi = listSuites(path.join(appDir, 'tests'))
    .filter(selected)
    .some((file) => BOOTS_STRAPI.test(fs.readFileSync(file, 'utf8')));
  if (bootsStrapi) {
    const since = Date.now();
    await prepareTemplates(process.env.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite');
    console.log(`[tests] database templates (seeded, empty) made in ${seconds(since)}`);
  }
};
