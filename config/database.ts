import path from 'path';

/**
 * SQLite is the zero-setup default; PostgreSQL is the production engine
 * (DATABASE_CLIENT=postgres with DATABASE_URL, or host/port/name/user/password).
 */
export default ({ env }) => {
  const client = env('DATABASE_CLIENT', 'sqlite');

  const connections = {
    sqlite: {
      connection: {
        filename: path.resolve(process.cwd(), env('DATABASE_FILENAME', '.tmp/data.db')),
      },
      useNullAsDefault: true,
      pool: {
        // Write-ahead log: readers on other connections (src/public-api/read-threads) see every
        // committed transaction and never block the writer, nor it them. The mode stays with the file.
        afterCreate: (connection: { pragma: (pragma: string) => unknown }, done: (error?: Error, c?: unknown) => void) => {
          try {
            connection.pragma('journal_mode = WAL');
            done(undefined, connection);
          } catch (error) {
            done(error as Error);
          }
        },
      },
    },
    postgres: {
      connection: {
        connectionString: env('DATABASE_URL'),
        host: env('DATABASE_HOST', '127.0.0.1'),
        port: env.int('DATABASE_PORT', 5432),
        database: env('DATABASE_NAME', 'comin40'),
        user: env('DATABASE_USERNAME', 'postgres'),
        password: env('DATABASE_PASSWORD', ''),
        ssl: env.bool('DATABASE_SSL', false) && {
          rejectUnauthorized: env.bool('DATABASE_SSL_REJECT_UNAUTHORIZED', true),
        },
        schema: env('DATABASE_SCHEMA', 'public'),
      },
      pool: {
        min: env.int('DATABASE_POOL_MIN', 2),
        max: env.int('DATABASE_POOL_MAX', 10),
        // While the database is down each failed connection attempt fails one waiting query;
        // retrying quickly lets the queue drain into fast 503s instead of a long wait.
        createRetryIntervalMillis: 50,
        // The server's default random_page_cost (4) prices a page read as on a spinning disk: for
        // the few linked records of each practice in a list it then hashes whole tables instead of
        // looking them up (a list of 25 at 2,000 practices: 2.7 ms, 1.2 ms at 1.1, the usual value
        // for SSDs or a database held in memory). DATABASE_RANDOM_PAGE_COST= (empty) keeps the server's.
        afterCreate: (
          connection: { query: (sql: string, done: (error?: Error) => void) => void },
          done: (error?: Error, c?: unknown) => void,
        ) => {
          const cost = env('DATABASE_RANDOM_PAGE_COST', '1.1');
          if (!cost) return done(undefined, connection);
          if (!/^\d+(\.\d+)?$/.test(cost)) return done(new Error(`DATABASE_RANDOM_PAGE_COST must be a number, not "${cost}"`));
          connection.query(`SET random_page_cost = ${cost}`, (error) => done(error, connection));
        },
      },
    },
  };

  if (!connections[client]) {
    throw new Error(`DATABASE_CLIENT must be "sqlite" or "postgres", not "${client}".`);
  }

  return {
    // Our migrations (database/migrations) are TypeScript, compiled with the app.
    settings: { useTypescriptMigrations: true },
    connection: {
      client,
      ...connections[client],
      // The longest a request waits for a connection before it is answered 503.
      acquireConnectionTimeout: env.int('DATABASE_CONNECTION_TIMEOUT', 5000),
    },
  };
};
