// Boots the compiled app on the database its environment names and stops it: the schema synced,
// the bootstrap run, the content seeded when SEED_ON_EMPTY is true (tests/helpers/templates.js).
const path = require('path');
const { createStrapi } = require('@strapi/strapi');

const appDir = path.resolve(__dirname, '../..');
createStrapi({ appDir, distDir: path.join(appDir, 'dist') })
  .load()
  .then((app) => app.destroy())
  .then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
