// Compiles the TypeScript app and loads Strapi in this process, for command-line scripts.
// The scripts that rebuild the search index (seed:synthetic, search:reindex, kb:import) run with a
// 64 MB young generation (package.json): a rebuild makes short-lived strings by the million, and
// with V8's default the garbage collector took 17 % of it (20,000 practices: 29-30 s, 21-25 s with it).
const path = require('path');
const { compileStrapi, createStrapi } = require('@strapi/strapi');
require('../ensure-env').ensureEnv();

const appDir = path.resolve(__dirname, '../..');

/** `env` is applied before Strapi reads its configuration. Call app.destroy() when done. */
async function loadApp(env = {}) {
  Object.assign(process.env, { STRAPI_TELEMETRY_DISABLED: 'true' }, env);
  const app = createStrapi(await compileStrapi({ appDir }));
  app.log.level = 'warn';
  await app.load();
  return app;
}

/** Loads the app, runs `work(app)` and always shuts the app down. */
async function withApp(env, work) {
  const app = await loadApp(env);
  try {
    return await work(app);
  } finally {
    await app.destroy();
  }
}

/** Runs a command's main(): exit 0, or 1 with "[tag] failed: <message>" (no stack for users). */
function runScript(tag, main) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`[${tag}] failed: ${error.message}`);
      process.exit(1);
    },
  );
}

module.exports = { appDir, loadApp, withApp, runScript };
