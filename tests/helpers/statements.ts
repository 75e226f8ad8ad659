import type { Knex } from 'knex';

/** The SQL statements `work` ran on `knex`, and among them those of one transaction. */
export interface Recorded<T> {
  result: T;
  /** Every statement run while the work ran, the background's (start-up tasks, other capabilities) included. */
  sql: string[];
  /**
   * The statements of the transaction that began while the work ran and runs a statement matching
   * `reads`: the work's own, without what ran beside it. Undefined when there is none.
   */
  transactionReading(reads: RegExp): string[] | undefined;
}

export async function recordStatements<T>(knex: Knex, work: () => Promise<T>): Promise<Recorded<T>> {
  const events: { sql: string; tx?: string }[] = [];
  const listen = (query: { sql: string; __knexTxId?: string }) => events.push({ sql: query.sql, tx: query.__knexTxId });
  knex.on('query', listen);
  try {
    const result = await work();
    return {
      result,
      sql: events.map((e) => e.sql),
      transactionReading(reads) {
        const begun = new Set(events.filter((e) => /^BEGIN\b/i.test(e.sql)).map((e) => e.tx));
        const tx = events.find((e) => begun.has(e.tx) && reads.test(e.sql))?.tx;
        return tx ? events.filter((e) => e.tx === tx).map((e) => e.sql) : undefined;
      },
    };
  } finally {
    knex.off('query', listen);
  }
}
