#!/usr/bin/env node
// `npm run build`: the compiled server and the admin panel. A build stage (a container image, CI)
// has no runtime secrets, and the build uses none of them, but Strapi reads the configuration
// to build, and the configuration refuses a missing secret (src/edge/secrets). So the build gets
// stand-ins for the missing ones, in its own process only: nothing of them is in the build, and
// `npm start` still refuses to start without the real ones.
const { spawnSync } = require('child_process');
const path = require('path');
const { ensureEnv, missingSecrets } = require('./ensure-env');

const BUILD_STAND_IN = 'build-stand-in-not-a-secret';

module.exports = { BUILD_STAND_IN };

if (require.main === module) {
  ensureEnv(); // development: writes the usual .env; production: generates nothing
  const env = { ...process.env };
  for (const name of missingSecrets().missing) env[name] = BUILD_STAND_IN;
  const strapiCli = path.join(path.dirname(require.resolve('@strapi/strapi/package.json')), 'bin', 'strapi.js');
  const build = spawnSync(process.execPath, [strapiCli, 'build', ...process.argv.slice(2)], { stdio: 'inherit', env });
  process.exit(build.status ?? 1);
}
