import type { Core } from '@strapi/strapi';

/**
 * One snapshot per read. A Document Service read is several statements: the page, then its
 * relations and components (populate). Under PostgreSQL's default READ COMMITTED, an edit
 * published between two of them left a page record whose component rows were already replaced:
 * `GoodPractice.source` came back null and the GraphQL answer was an internal error (found by
 * the soak, about 1 slug lookup in 400 while editors publish). Reads therefore run at REPEATABLE
 * READ, which for a read-only transaction never fails or waits. SQLite needs nothing: its single
 * connection is held by the read's transaction, so no write lands in between.
 */
const MULTI_STATEMENT_READS = new Set(['findMany', 'findFirst', 'findOne']);

export function registerReadSnapshot(strapi: Core.Strapi): void {
  if (strapi.config.get('database.connection.client') !== 'postgres') return;
  strapi.documents.use(async (context, next) => {
    // Inside a transaction already (a write's own reads, an import): the isolation level can only
    // be set first, and that transaction's reads are its own business.
    if (!MULTI_STATEMENT_READS.has(context.action) || strapi.db.inTransaction()) return next();
    return strapi.db.transaction(async ({ trx }) => {
      await trx.raw('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      return next();
    });
  });
}
