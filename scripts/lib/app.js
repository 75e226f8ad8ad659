// Compiles the TypeScript app and loads Strapi in this process, for command-line scripts.
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

module.exports = { appDir, loadApp };
