// The admin panel's build (dist/build), which browser tests need: made once, and remade only when
// what it is built from changes (a build takes a minute or more).
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { inputsHash, upToDate } = require('./inputs-hash');

const appDir = path.resolve(__dirname, '../..');
const buildDir = path.join(appDir, 'dist', 'build');
const stampFile = path.join(buildDir, '.inputs-hash');
/** The admin bundle is made from these: its own code, the field guide, configuration, dependencies. */
const INPUTS = ['src/admin', 'src/content', 'src/editorial/field-guide', 'data/admin', 'config', 'package-lock.json'];

/** Builds the admin panel unless dist/build was made from the same inputs; returns whether it built. */
function ensureAdminBuild({ log = console.log } = {}) {
  const hash = inputsHash(INPUTS);
  if (upToDate(stampFile, hash)) return false;
  const started = Date.now();
  log('[admin] building the admin panel (dist/build)...');
  const strapiCli = path.join(path.dirname(require.resolve('@strapi/strapi/package.json', { paths: [appDir] })), 'bin', 'strapi.js');
  execFileSync(process.execPath, [strapiCli, 'build'], {
    cwd: appDir,
    env: { ...process.env, NODE_ENV: 'production', STRAPI_TELEMETRY_DISABLED: 'true' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  fs.writeFileSync(stampFile, hash);
  log(`[admin] built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return true;
}

module.exports = { ensureAdminBuild };
