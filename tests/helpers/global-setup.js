// Compile the TypeScript app once for all suites (each suite then loads dist/ on its own database).
const { compileStrapi } = require('@strapi/strapi');
require('../../scripts/ensure-env').ensureEnv();

module.exports = async () => {
  process.env.STRAPI_TELEMETRY_DISABLED = 'true';
  const started = Date.now();
  await compileStrapi({ appDir: require('path').resolve(__dirname, '../..') });
  console.log(`\n[tests] app compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
};
