/**
 * The search thread: the node's held index lives on a thread of its own, with its own connection,
 * and answers every search there (./thread-worker.ts): the sync from the log, the walk of the
 * index, the filters' vocabulary, the page's texts and their snippets. Under load a search's work
 * on the node's thread was about half of it (profiled at 10,000 and 100,000 practices on
 * PostgreSQL, where the node's thread was the one at 100 % and the database's processes at 27 %);
 * there it is now a message each way. `performance.searchThread` (SEARCH_THREAD=false) keeps the
 * index on the node's thread, as does a SQLite database in memory (no other connection can see it).
 * A thread that goes away fails no search: those in flight, and every later one, are answered on
 * the node's thread (which then loads the index itself), and a warning is logged.
 */
import path from 'path';
import { Worker } from 'worker_threads';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { instanceState } from '../../edge/shared-state';
import { SearchInputError } from './core';
import type { SearchAnswer, SearchArgs } from './answer';
import type { Vocabulary } from './kept-vocabulary';

/** What the thread is started with: everything it needs of the node, as data. */
export interface SearchThreadData {
  knex: Knex.Config;
  thesaurusFile: string;
  /** The SQL of each vocabulary read (its one binding: the locale), compiled on the node from its model. */
  vocabulary: Record<Vocabulary, string>;
  namedStatements: boolean;
}

export type SearchRequest = { id: number; args: SearchArgs };
/** An error as the thread saw it: a partner's bad input, or what the driver said (kept for ../../edge/health's outage check). */
export type SearchFailure = { message: string; name: string; code?: string; stack?: string; input: boolean };
export type SearchReply = { id: number; answer: SearchAnswer } | { id: number; failure: SearchFailure } | { log: string } | 'ready';

/**
 * A sender of messages in batches: those sent in one turn of the event loop leave together at its
 * end, as one message (an array). Under load, searches start in bursts (the requests one read of
 * the sockets brings) and end in bursts (the pages one read of texts settles, ./shown-batches);
 * each message wakes the thread it goes to. With a message each way per search, `postMessage`
 * was 3 % of the node's thread's profile and 7 % of the search thread's (10,000 practices on
 * PostgreSQL, 10 connections); batched, the node's thread spent 0.279-0.322 ms a search against
 * 0.294-0.405 ms (nodes in turn, three pairs).
 */
export function batchedPost<T>(post: (messages: T[]) => void): (message: T) => void {
  let queue: T[] = [];
  return (message) => {
    queue.push(message);
    if (queue.length > 1) return;
    setImmediate(() => {
      const sent = queue;
      queue = [];
      post(sent);
    });
  };
}

/** A search the thread did not answer because it went away: the node answers it. */
export class SearchThreadGone extends Error {}

/** What the thread did, for operators and tests (`strapi.get('search-thread')`). */
export interface SearchThreadStats {
  alive: boolean;
  /** Searches it answered (a partner's bad input included). */
  answered: number;
}

interface Thread {
  worker: Worker;
  ask: (request: SearchRequest) => void;
  pending: Map<number, { resolve: (answer: SearchAnswer) => void; reject: (error: Error) => void }>;
  nextId: number;
  alive: boolean;
  /** Shared with the threads before it on this node: the counts go on. */
  stats: SearchThreadStats;
}

const threads = instanceState<Thread>('search-thread');

/** An error, as the thread sends it. */
export const searchFailureOf = (error: unknown): SearchFailure => {
  const { message, name, code, stack } = (error ?? {}) as { message?: unknown; name?: unknown; code?: unknown; stack?: unknown };
  return {
    message: String(message ?? error),
    name: String(name ?? 'Error'),
    ...(code === undefined ? {} : { code: String(code) }),
    ...(typeof stack === 'string' ? { stack } : {}),
    input: error instanceof SearchInputError,
  };
};

const errorOf = (failure: SearchFailure): Error =>
  failure.input
    ? new SearchInputError(failure.message)
    : Object.assign(new Error(failure.message), { name: failure.name, code: failure.code, stack: failure.stack });

/** Starts the thread; resolves once it holds the index (at 100,000 practices, the better part of a minute). */
export function startSearchThread(strapi: Core.Strapi, data: SearchThreadData): Promise<void> {
  const worker = new Worker(path.join(__dirname, 'thread-worker.js'), { workerData: data });
  worker.unref(); // never what keeps a process alive
  const previous = threads.get(strapi);
  const stats = previous?.stats ?? { alive: false, answered: 0 };
  const ask = batchedPost<SearchRequest>((requests) => worker.postMessage(requests));
  const thread: Thread = { worker, ask, pending: new Map(), nextId: 1, alive: true, stats };
  return new Promise((resolve, reject) => {
    let ready = false;
    const gone = (error: Error) => {
      if (!thread.alive) return;
      thread.alive = false;
      if (!ready) return reject(error);
      stats.alive = false;
      strapi.log.warn(`[search] the search thread stopped (${error.message}); searches run on the node's thread`);
      for (const { reject: fail } of thread.pending.values()) fail(new SearchThreadGone(error.message));
      thread.pending.clear();
    };
    worker.on('error', gone);
    worker.on('exit', (code) => gone(new Error(`exited with code ${code}`)));
    const receive = (reply: SearchReply) => {
      if (reply === 'ready') {
        ready = true;
        if (!previous) strapi.add('search-thread', () => stats);
        stats.alive = true;
        threads.set(strapi, thread);
        return resolve();
      }
      if ('log' in reply) return void strapi.log.info(reply.log);
      const asked = thread.pending.get(reply.id);
      thread.pending.delete(reply.id);
      stats.answered += 1;
      if ('answer' in reply) asked?.resolve(reply.answer);
      else asked?.reject(errorOf(reply.failure));
    };
    worker.on('message', (replies: SearchReply[]) => replies.forEach(receive));
  });
}

/** Stops it (destroy, before Strapi closes the database): a search still in flight fails, rather than waiting for ever. */
export async function stopSearchThread(strapi: Core.Strapi): Promise<void> {
  const thread = threads.get(strapi);
  if (!thread?.alive) return;
  thread.alive = false;
  thread.stats.alive = false;
  for (const { reject } of thread.pending.values()) reject(new Error('the node is stopping'));
  thread.pending.clear();
  await thread.worker.terminate();
}

/** The thread's answer, or null when the node has no thread (switched off, or gone): the node answers. */
export function askSearchThread(strapi: Core.Strapi, args: SearchArgs): Promise<SearchAnswer> | null {
  const thread = threads.get(strapi);
  if (!thread?.alive) return null;
  const id = thread.nextId++;
  return new Promise((resolve, reject) => {
    thread.pending.set(id, { resolve, reject });
    thread.ask({ id, args });
  });
}
