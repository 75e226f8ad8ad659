/**
 * The one-statement reads (./statement) and the search's statements (../search/store, its reads and
 * its bulk inserts) run as prepared statements, kept per database connection.
 * A record page's statement is 5 KB of SQL whose parse and plan cost more than running it
 * (PostgreSQL: 1.4 ms planning, 0.9 ms execution; SQLite: 0.3 ms prepare, 0.4 ms run), and the
 * same few shapes come back all day. Bounded, so no caller can make a connection keep an
 * unbounded number of them: SQLite keeps its last STATEMENTS_PER_CONNECTION (a dropped one is
 * finalized by the garbage collector); PostgreSQL names the first STATEMENTS_PER_CONNECTION shapes
 * a connection runs and runs any other unnamed as before (the driver cannot forget a named one; the
 * pool replaces idle connections; `performance.namedStatements: false` names none, for a pooler that
 * cannot keep them). Connections come from knex's client, the pool's or the running
 * transaction's, so a read waits for, or runs inside, a transaction exactly as `knex.raw` would,
 * and knex's `query` event is emitted as for any other statement.
 */
import { createHash } from 'crypto';
import type { Dialect } from './statement';
import { MemoryStore } from '../../edge/response-cache/core';

export const STATEMENTS_PER_CONNECTION = 100;

/** Whether PostgreSQL statements may be named (prepared on the server): `performance.namedStatements`. */
export const namedStatements = (strapi: { config: { get(path: string, fallback?: unknown): unknown } }): boolean =>
  strapi.config.get('performance.namedStatements', true) !== false;

/** The part of a knex instance (or transaction) used here. */
export interface KnexLike {
  client: {
    acquireConnection(): Promise<any>;
    releaseConnection(connection: any): Promise<unknown> | unknown;
    emit(event: 'query', query: Record<string, unknown>): unknown;
  };
}

/** SQLite (better-sqlite3): the connection's statement for `sql`, prepared once (the store counts statements, one each). */
export function sqliteRun(statements: WeakMap<object, MemoryStore<any>>, connection: any, sql: string, bindings: unknown[]): unknown[] {
  let kept = statements.get(connection);
  if (!kept) statements.set(connection, (kept = new MemoryStore(STATEMENTS_PER_CONNECTION, () => 1)));
  let statement = kept.get(sql);
  if (!statement) kept.set(sql, (statement = connection.prepare(sql)));
  if (statement.reader) return statement.all(bindings);
  statement.run(bindings); // one that returns no rows (an INSERT without RETURNING) is run, not read
  return [];
}

/** PostgreSQL (pg): the statement by a name derived from its text, while the connection has room for it. */
async function postgresRun(named: WeakMap<object, Set<string>>, connection: any, sql: string, bindings: unknown[], naming: boolean) {
  if (!naming) return (await connection.query(sql, bindings)).rows as unknown[];
  let names = named.get(connection);
  if (!names) named.set(connection, (names = new Set()));
  const name = `kb_read_${createHash('sha1').update(sql).digest('hex').slice(0, 24)}`;
  if (!names.has(name) && names.size >= STATEMENTS_PER_CONNECTION) return (await connection.query(sql, bindings)).rows;
  names.add(name);
  return (await connection.query({ name, text: sql, values: bindings })).rows as unknown[];
}

const shared: Partial<Record<Dialect, ReturnType<typeof preparedReads>>> = {};
/** The node's store for `dialect`, shared by every reader (one bound per connection). */
export const preparedReadsOf = (dialect: Dialect) => (shared[dialect] ??= preparedReads(dialect));

/** Runs statements compiled for `dialect` on a knex instance or transaction (PostgreSQL's named unless `named` is false); resolves to their rows. */
export function preparedReads(dialect: Dialect) {
  const statements = new WeakMap<object, MemoryStore<any>>();
  const names = new WeakMap<object, Set<string>>();
  return async function run(knex: KnexLike, sql: string, bindings: unknown[], named = true): Promise<unknown[]> {
    const connection = await knex.client.acquireConnection();
    try {
      const { __knexUid, __knexTxId } = connection;
      knex.client.emit('query', { method: 'raw', sql, bindings, __knexUid, __knexTxId });
      return dialect === 'sqlite'
        ? sqliteRun(statements, connection, sql, bindings)
        : await postgresRun(names, connection, sql, bindings, named);
    } finally {
      await knex.client.releaseConnection(connection);
    }
  };
}
