// Databases made once per test run, that suites copy instead of building their own: one seeded,
// one with the schema and the bootstrap's records but no content. A copy (a file on SQLite,
// CREATE DATABASE … TEMPLATE on PostgreSQL) takes well under a second; syncing the schema and
// seeding take most of a 25 s boot on a loaded machine, paid once instead of once per suite.
const path = require('path');
const { spawn } = require('child_process');
const databases = require('../../scripts/lib/databases');

/** What every test instance runs with, templates included (suites add their own on top). */
const TEST_ENV = {
  STRAPI_TELEMETRY_DISABLED: 'true',
  NODE_ENV: 'test',
  // Every suite calls from one address, far faster than a partner: rate limits are off unless
  // a suite sets them (tests/rate-limit.test.ts).
  RATE_LIMIT_ANONYMOUS: '0',
  RATE_LIMIT_TOKEN: '0',
};

/** Where global-setup leaves the templates for the workers (they inherit its environment). */
const TEMPLATES_VAR = 'KB_TEST_TEMPLATES';
const KINDS = { seeded: 'true', empty: 'false' };

/** Boots the compiled app once, in a process of its own, on `database`, and stops it. */
function bootOnce(database, seedOnEmpty) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'boot-once.js')], {
      env: { ...process.env, ...TEST_ENV, ...database.env, SEED_ON_EMPTY: seedOnEmpty },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`template boot failed (exit ${code}):\n${output}`))));
  });
}

/** Makes both templates on the engine and names them in the environment the workers inherit. */
async function prepareTemplates(engine) {
  const made = {};
  await Promise.all(
    Object.entries(KINDS).map(async ([kind, seedOnEmpty]) => {
      const database = await databases.createDatabase(engine);
      made[kind] = database.env;
      await bootOnce(database, seedOnEmpty);
    }),
  );
  process.env[TEMPLATES_VAR] = JSON.stringify(made);
}

async function dropTemplates() {
  const made = JSON.parse(process.env[TEMPLATES_VAR] || '{}');
  await Promise.all(Object.values(made).map((env) => databases.databaseOfEnv(env).drop()));
  delete process.env[TEMPLATES_VAR];
}

/**
 * A throw-away copy of this run's template of that kind; without one (a run whose setup made
 * none), a new empty database, which the first boot then syncs and seeds as a server would.
 */
async function databaseFrom(kind, engine) {
  const template = JSON.parse(process.env[TEMPLATES_VAR] || '{}')[kind];
  return template ? databases.copyDatabase(databases.databaseOfEnv(template)) : databases.createDatabase(engine);
}

module.exports = { TEST_ENV, prepareTemplates, dropTemplates, databaseFrom };
