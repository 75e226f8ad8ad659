import path from 'path';
import { Worker } from 'worker_threads';
import type { Core } from '@strapi/strapi';
import { instanceState } from '../../edge/shared-state';
import { ReaderPool, type ReaderPort, type ReadReply, type ReadTask } from './core';

/**
 * Reader threads on SQLite. On PostgreSQL a statement runs in the server's own process, on the
 * machine's other cores; on SQLite it runs in the node's one JavaScript thread, where a record's
 * page statement (0.4 ms) was a quarter of an uncached read's time (`npm run bench`). So the
 * one-statement reads of anonymous callers (../direct-reads), and the texts of a search's page
 * when searches have no thread of their own (../search/thread.ts), run on reader threads
 * (`performance.sqliteReadThreads`, SQLITE_READ_THREADS, default 2; 0 for none), each with its
 * own read-only connection to the file. The database is in WAL mode (config/database.ts): a read
 * there sees every transaction committed before it started, as a read on the main connection
 * would, and never waits for a writer. Only reads outside a transaction go there: a read inside
 * one (a snapshot of several statements, a write's own reads) must see that transaction. A read a
 * thread fails (its statement's error, the thread gone) runs on the main thread instead.
 */
const pools = instanceState<ReaderPool>('read-threads');
/** How long a reader waits for a lock (the file's recovery or a checkpoint), as the main connection would. */
const BUSY_TIMEOUT_MS = 5000;
const START_TIMEOUT_MS = 10000;

/** Starts the reader threads (bootstrap, once the file exists); the node reads on its main thread until then, or without them. */
export async function startReadThreads(strapi: Core.Strapi): Promise<void> {
  const count = Number(strapi.config.get('performance.sqliteReadThreads', 2));
  const filename = strapi.config.get('database.connection.connection.filename') as string | undefined;
  if (strapi.config.get('database.connection.client') !== 'sqlite' || !(count > 0) || !filename || filename === ':memory:') return;
  const started = await Promise.allSettled(Array.from({ length: count }, () => startThread(filename)));
  const ports = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  for (const result of started)
    if (result.status === 'rejected')
      strapi.log.warn(`[read-threads] a reader thread did not start: ${result.reason?.message ?? result.reason}`);
  const previous = pools.get(strapi);
  const pool = new ReaderPool(
    ports,
    (error) => strapi.log.warn(`[read-threads] a reader thread stopped (${error.message}); its reads run on the main thread`),
    previous?.stats,
  );
  pools.set(strapi, pool);
  if (!previous) strapi.add('read-threads', () => pool.stats);
}

/** Stops them (destroy, before Strapi closes the database). */
export async function stopReadThreads(strapi: Core.Strapi): Promise<void> {
  await pools.get(strapi)?.stop();
}

/**
 * The result of a read outside any transaction: on a reader thread when there is one, else (or
 * when the thread fails it) `onMain`. A statement emits knex's `query` event, as on the main thread.
 */
export async function readOffMainThread<T>(strapi: Core.Strapi, task: ReadTask, onMain: () => Promise<T>): Promise<T> {
  const pool = pools.get(strapi);
  const offMain = pool && !strapi.db.inTransaction() ? pool.read(task) : null;
  if (!offMain) return onMain();
  strapi.db.connection.client.emit('query', { method: 'raw', sql: task.sql, bindings: task.bindings });
  return (offMain as Promise<T>).catch((error: Error) => {
    strapi.log.debug(`[read-threads] read on the main thread: ${error.message}`);
    return onMain();
  });
}

/** A worker thread as a ReaderPort, once it has opened the file. */
function startThread(filename: string): Promise<ReaderPort> {
  const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: { filename, busyTimeoutMs: BUSY_TIMEOUT_MS } });
  worker.unref(); // never what keeps a process alive
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`not ready in ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      void worker.terminate();
      reject(error);
    };
    worker.once('error', fail);
    worker.once('message', (message) => {
      if (message !== 'ready') return fail(new Error(`unexpected first message ${JSON.stringify(message)}`));
      clearTimeout(timer);
      worker.off('error', fail);
      resolve({
        post: (request) => worker.postMessage(request),
        onReply: (listener) => worker.on('message', (reply: ReadReply) => listener(reply)),
        onGone: (listener) => {
          worker.on('error', listener);
          worker.on('exit', (code) => listener(new Error(`exited with code ${code}`)));
        },
        stop: () => worker.terminate(),
      });
    });
  });
}
