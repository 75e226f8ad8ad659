const databases = require('../../scripts/lib/databases');

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const testEngine = (): 'sqlite' | 'postgres' => (process.env.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite');

/** A throw-away database for one suite, on the engine under test (DATABASE_CLIENT). */
export const createTestDatabase = (): Promise<TestDatabase> => databases.createDatabase(testEngine());

/** A throw-away PostgreSQL database on the given server (default TEST_POSTGRES_URL). */
export const createPostgresDatabase: (adminUrl?: string) => Promise<TestDatabase> = databases.createPostgresDatabase;
