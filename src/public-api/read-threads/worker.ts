/**
 * A reader thread (./index): its own read-only connection to the node's SQLite file, the same
 * kept prepared statements as the main thread's (../direct-reads/prepared), one read at a time.
 * It says `ready` once the file is open, and answers each request with its rows or its error.
 */
import { parentPort, workerData } from 'worker_threads';
import Database from 'better-sqlite3';
import { sqliteRun } from '../direct-reads/prepared';
import type { ReadReply, ReadRequest } from './core';

const { filename, busyTimeoutMs } = workerData as { filename: string; busyTimeoutMs: number };
const connection = new Database(filename, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
const statements = new WeakMap<object, any>();

parentPort!.on('message', ({ id, sql, bindings }: ReadRequest) => {
  let reply: ReadReply;
  try {
    reply = { id, rows: sqliteRun(statements, connection, sql, bindings) };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage('ready');
