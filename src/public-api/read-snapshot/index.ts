import type { Core } from '@strapi/strapi';

/**
 * One snapshot per read. A Document Service read is several statements: the page, then its
 * relations and components (populate). Under PostgreSQL's default READ COMMITTED, an edit
 * published between two of them left a page record whose component rows were already replaced:
 * `GoodPractice.source` came back null and the GraphQL answer was an internal error (found by
 * the soak, about 1 slug lookup in 400 while editors publish). Reads therefore run at REPEATABLE
 * READ. On SQLite a transaction is enough: it holds the single connection, so no write lands in
 * between (Strapi's Document Service reads already run in one; inReadSnapshot gives other reads one).
 *
 * Not every read only reads: opening a record in the admin remembers what the editor opened
 * (src/editorial/edit-conflicts, a row of the core store). Two such reads at once (one editor,
 * two tabs or languages) update the same row, and at REPEATABLE READ the second fails with a
 * serialization failure (an editor's 500). PostgreSQL's answer to that failure is to run the
 * transaction again: it then starts after the other one committed.
 */
const MULTI_STATEMENT_READS = new Set(['findMany', 'findFirst', 'findOne']);
const SERIALIZATION_FAILURE = '40001';
/** Each conflicting transaction has committed by the next attempt; more than a few means something else is wrong. */
const ATTEMPTS = 5;

/** Runs a read of several statements on one snapshot. */
export async function inReadSnapshot<T>(strapi: Core.Strapi, read: () => Promise<T>): Promise<T> {
  // Inside a transaction already (a write's own reads, an import): the isolation level can only
  // be set first, and that transaction's reads are its own business.
  if (strapi.db.inTransaction()) return read();
  if (strapi.config.get('database.connection.client') !== 'postgres') return strapi.db.transaction(read);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await strapi.db.transaction(async ({ trx }) => {
        await trx.raw('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
        return read();
      });
    } catch (error) {
      if (attempt >= ATTEMPTS || (error as { code?: unknown })?.code !== SERIALIZATION_FAILURE) throw error;
    }
  }
}

export function registerReadSnapshot(strapi: Core.Strapi): void {
  if (strapi.config.get('database.connection.client') !== 'postgres') return;
  strapi.documents.use(async (context, next) =>
    MULTI_STATEMENT_READS.has(context.action) ? inReadSnapshot(strapi, next as () => Promise<any>) : next(),
  );
}
