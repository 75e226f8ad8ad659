const databases = require('../../scripts/lib/databases');
const templates = require('./templates');

export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export const testEngine = (): 'sqlite' | 'postgres' => (process.env.DATABASE_CLIENT === 'postgres' ? 'postgres' : 'sqlite');

/**
 * A throw-away database for one suite, on the engine under test (DATABASE_CLIENT): new and empty,
 * or a copy of this run's template (tests/helpers/templates.js), `seeded` with the project's
 * knowledge or `empty` of content, as the first boot on a new database leaves it.
 */
export const createTestDatabase = (from?: 'seeded' | 'empty'): Promise<TestDatabase> =>
  from ? templates.databaseFrom(from, testEngine()) : databases.createDatabase(testEngine());

/** A throw-away copy of a database nobody is connected to. */
export const copyDatabase: (source: TestDatabase) => Promise<TestDatabase> = databases.copyDatabase;

/** A throw-away PostgreSQL database on the given server (default TEST_POSTGRES_URL). */
export const createPostgresDatabase: (adminUrl?: string) => Promise<TestDatabase> = databases.createPostgresDatabase;
