// Throw-away databases for tests and benchmarks: a SQLite file, or a PostgreSQL database
// created (and dropped) on the server at TEST_POSTGRES_URL.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { Client } = require('pg');

const postgresAdminUrl = () => process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const uniqueName = () => `kb_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;

async function createSqliteDatabase() {
  const file = path.join(os.tmpdir(), `${uniqueName()}.db`);
  return {
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
    async drop() {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

async function withClient(url, run) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function createPostgresDatabase(adminUrl = postgresAdminUrl()) {
  const name = uniqueName();
  await withClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString() },
    drop: () => withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

const createDatabase = (engine) => (engine === 'postgres' ? createPostgresDatabase() : createSqliteDatabase());

module.exports = { createDatabase, createPostgresDatabase, postgresAdminUrl };
