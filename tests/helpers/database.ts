import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { Client } from 'pg';

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const testEngine = (): 'sqlite' | 'postgres' => (process.env.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite');

/** Where throw-away PostgreSQL databases are created: a server URL whose database is only used to connect. */
export const postgresAdminUrl = () => process.env.TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

const uniqueName = () => `kb_test_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;

/** A throw-away database for one suite: a SQLite file, or a PostgreSQL database created and dropped here. */
export async function createTestDatabase(): Promise<TestDatabase> {
  return testEngine() === 'postgres' ? createPostgresDatabase() : createSqliteDatabase();
}

async function createSqliteDatabase(): Promise<TestDatabase> {
  const file = path.join(os.tmpdir(), `${uniqueName()}.db`);
  return {
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
    async drop() {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
    },
  };
}

export async function createPostgresDatabase(adminUrl = postgresAdminUrl()): Promise<TestDatabase> {
  const name = uniqueName();
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_CLIENT: 'postgres', DATABASE_URL: url.toString() },
    async drop() {
      const client = new Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
