// The admin panel's build (dist/build), which browser tests need: made once, and remade only when
// what it is built from changes (a build takes a minute or more).
const crypto = require('crypto');
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const appDir = path.resolve(__dirname, '../..');
const buildDir = path.join(appDir, 'dist', 'build');
const stampFile = path.join(buildDir, '.inputs-hash');
/** The admin bundle is made from these: its own code, the field guide, configuration, dependencies. */
const INPUTS = ['src/admin', 'src/content', 'src/editorial/field-guide', 'data/admin', 'config', 'package-lock.json'];

const files = (entry) => {
  const full = path.join(appDir, entry);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [entry];
  return fs.readdirSync(full).sort().flatMap((name) => files(path.join(entry, name)));
};

function inputsHash() {
  const hash = crypto.createHash('sha256');
  for (const file of INPUTS.flatMap(files)) hash.update(`${file}\0`).update(fs.readFileSync(path.join(appDir, file))).update('\0');
  return hash.digest('hex');
}

/** Builds the admin panel unless dist/build was made from the same inputs; returns whether it built. */
function ensureAdminBuild({ log = console.log } = {}) {
  const hash = inputsHash();
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === hash) return false;
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

module.exports = { ensureAdminBuild, inputsHash };
