import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

/** A throw-away SQLite file under the system's temporary folder, removed afterwards. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `kb-test-${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const file = path.join(os.tmpdir(), `${name}.db`);
  return {
    env: { DATABASE_CLIENT: 'sqlite', DATABASE_FILENAME: file },
    async drop() {
      for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${file}${suffix}`, { force: true });
    },
  };
}
