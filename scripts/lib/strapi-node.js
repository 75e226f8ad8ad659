// One Strapi node as its own process, as production runs it (compiled dist/, no file watcher).
// Used by tests that need several nodes, signals or a database that goes away.
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '../..');
createStrapi({ appDir, distDir: path.join(appDir, 'dist') })
  .start()
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
