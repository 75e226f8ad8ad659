// Throw-away databases for tests and benchmarks: a SQLite file, or a PostgreSQL database
// created (and dropped) on the server at TEST_POSTGRES_URL.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Client } = require('pg');

const postgresAdminUrl = () => process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const uniqueName = () => `kb_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;

const sqliteDatabase = (file) => ({
  env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
  async drop() {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
  },
});

const createSqliteDatabase = async () => sqliteDatabase(path.join(os.tmpdir(), `${uniqueName()}.db`));

async function withClient(url, run) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** The database at `url`, dropped through the server's own `postgres` database. */
function postgresDatabase(url) {
  const name = new URL(url).pathname.slice(1);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  return {
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url },
    drop: () => withClient(adminUrl.toString(), (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** A new database on a server: empty, or a copy of `template` (a database on the same server). */
async function newPostgresDatabase(adminUrl, template) {
  const name = uniqueName();
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return postgresDatabase(url.toString());
}

const createPostgresDatabase = (adminUrl = postgresAdminUrl()) => newPostgresDatabase(adminUrl);

const createDatabase = (engine) => (engine === 'postgres' ? createPostgresDatabase() : createSqliteDatabase());

/**
 * A throw-away copy of a database nobody is connected to: its files on SQLite, CREATE DATABASE …
 * TEMPLATE on PostgreSQL (same rows, ids and timestamps, far faster than writing them again).
 */
async function copyDatabase(source) {
  if (source.env.DATABASE_CLIENT === 'sqlite') {
    const copy = await createSqliteDatabase();
    for (const suffix of ['', '-wal', '-shm']) {
      const from = `${source.env.DATABASE_FILENAME}${suffix}`;
      if (fs.existsSync(from)) fs.copyFileSync(from, `${copy.env.DATABASE_FILENAME}${suffix}`);
    }
    return copy;
  }
  const adminUrl = new URL(source.env.DATABASE_URL);
  const template = adminUrl.pathname.slice(1);
  adminUrl.pathname = '/postgres';
  return newPostgresDatabase(adminUrl.toString(), template);
}

/** The database an environment names (DATABASE_CLIENT and its file or URL), to drop it. */
const databaseOfEnv = (env) =>
  env.DATABASE_CLIENT === 'sqlite' ? sqliteDatabase(env.DATABASE_FILENAME) : postgresDatabase(env.DATABASE_URL);

module.exports = { createDatabase, createPostgresDatabase, copyDatabase, databaseOfEnv, postgresAdminUrl };
