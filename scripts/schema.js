#!/usr/bin/env node
// `npm run schema:update`: writes the live public GraphQL schema to schema.graphql. Run it when
// a change to the schema is intended, and commit the file with the change.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { appDir, runScript, withApp } = require('./lib/app');
const { INTROSPECTION_QUERY, contractFromIntrospection } = require('./lib/schema-contract');

runScript('schema', async () => {
  const dbFile = path.join(os.tmpdir(), `kb-schema-${process.pid}.db`);
  console.log('[schema] compiling and starting Strapi on a scratch database…');
  try {
    await withApp({ DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: dbFile, SEED_ON_EMPTY: 'false' }, async (app) => {
      app.server.mount();
      await new Promise((resolve) => app.server.httpServer.listen(0, '127.0.0.1', resolve));
      const { port } = app.server.httpServer.address();
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: INTROSPECTION_QUERY }),
      });
      const { data } = await res.json();
      fs.writeFileSync(path.join(appDir, 'schema.graphql'), contractFromIntrospection(data));
      console.log('[schema] wrote schema.graphql');
    });
  } finally {
    fs.rmSync(dbFile, { force: true });
  }
});
