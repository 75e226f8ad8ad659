/**
 * A reader thread (./index): its own read-only connection to the node's SQLite file, the same
 * kept prepared statements as the main thread's (../direct-reads/prepared), one read at a time:
 * a statement, or a whole search in one transaction of this connection (a snapshot, as on the
 * main thread). It says `ready` once the file is open, and answers each request with its result
 * or its error.
 */
import { parentPort, workerData } from 'worker_threads';
import Database from 'better-sqlite3';
import knexBuilder from 'knex';
import { sqliteRun } from '../direct-reads/prepared';
import { findEntries, runWith, type SearchQuery, type Snapshot } from '../search/store';
import type { ReadReply, ReadRequest } from './core';

const { filename, busyTimeoutMs } = workerData as { filename: string; busyTimeoutMs: number };
const connection = new Database(filename, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
const statements = new WeakMap<object, any>();
const run = (sql: string, bindings: unknown[]) => sqliteRun(statements, connection, sql, bindings);
// Builds the search's statements (knex without a connection); they run on this thread's connection.
const builder = knexBuilder({ client: 'better-sqlite3', useNullAsDefault: true });

const snapshot: Snapshot = async (body) => {
  run('BEGIN', []);
  try {
    return await body(runWith(run));
  } finally {
    run('COMMIT', []);
  }
};

async function answer(request: ReadRequest): Promise<ReadReply> {
  try {
    const result =
      'search' in request ? await findEntries(builder, request.search as SearchQuery, snapshot) : run(request.sql, request.bindings);
    return { id: request.id, result };
  } catch (error) {
    return { id: request.id, error: (error as Error).message };
  }
}

// One request at a time: a search's snapshot is this connection's transaction.
let queue = Promise.resolve();
parentPort!.on('message', (request: ReadRequest) => {
  queue = queue.then(async () => parentPort!.postMessage(await answer(request)));
});
parentPort!.postMessage('ready');
