/**
 * A reader thread (./index): its own read-only connection to the node's SQLite file, the same
 * kept prepared statements as the main thread's (../direct-reads/prepared), one statement at a
 * time. It says `ready` once the file is open, and answers each request with its result or its error.
 */
import { parentPort, workerData } from 'worker_threads';
import Database from 'better-sqlite3';
import { sqliteRun } from '../direct-reads/prepared';
import type { ReadReply, ReadRequest } from './core';

const { filename, busyTimeoutMs } = workerData as { filename: string; busyTimeoutMs: number };
const connection = new Database(filename, { readonly: true, fileMustExist: true, timeout: busyTimeoutMs });
const statements = new WeakMap<object, any>();

function answer(request: ReadRequest): ReadReply {
  try {
    return { id: request.id, result: sqliteRun(statements, connection, request.sql, request.bindings) };
  } catch (error) {
    return { id: request.id, error: (error as Error).message };
  }
}

// One request at a time: better-sqlite3 answers each before the next message is read.
parentPort!.on('message', (request: ReadRequest) => parentPort!.postMessage(answer(request)));
parentPort!.postMessage('ready');
