/**
 * A rebuild's analysis on a thread of its own: each document's entry (its texts cut into terms,
 * its facets as words) and the count of its terms for the vocabulary, made there while the
 * rebuild's thread reads the next page of documents and writes the previous page's rows. On one
 * thread, analysing and counting were a third of a rebuild (20 and 8 s of 104 at 100,000
 * practices on SQLite), time in which the database waited.
 */
import path from 'path';
import { Worker } from 'worker_threads';
import type { RelationTargets, SearchTypeName } from './core';
import type { Counts, EntryRow } from './store';

export type AnalysisRequest = { id: number } & (
  { type: SearchTypeName; docs: Record<string, any>[]; targets: RelationTargets } | { counts: true }
);
export type AnalysisReply = { id: number; result: EntryRow[] | Counts } | { id: number; error: string };

export interface RebuildAnalysis {
  /** The rows of one page of a type's documents (their terms counted on the thread). */
  analyse(type: SearchTypeName, docs: Record<string, any>[], targets: RelationTargets): Promise<EntryRow[]>;
  /** How many of the rows made so far hold each term, per locale. */
  counts(): Promise<Counts>;
  stop(): Promise<void>;
}

export function startRebuildAnalysis(): RebuildAnalysis {
  const worker = new Worker(path.join(__dirname, 'rebuild-analysis-worker.js'));
  // It keeps the process alive only while a page is being analysed: a script awaiting it must not exit, an idle one must not stay.
  worker.unref();
  const pending = new Map<number, { resolve: (result: any) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let gone: Error | undefined;
  // A thread gone (an error, out of memory) fails what it was asked, and the rebuild with it.
  const fail = (error: Error) => {
    gone ??= error;
    for (const { reject } of pending.values()) reject(gone);
    pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the search index's analysis thread stopped (exit code ${code})`)));
  worker.on('message', (reply: AnalysisReply) => {
    const asked = pending.get(reply.id);
    pending.delete(reply.id);
    if (!pending.size) worker.unref();
    if ('error' in reply) asked?.reject(new Error(reply.error));
    else asked?.resolve(reply.result);
  });
  const ask = <T>(request: Omit<AnalysisRequest, 'id'>): Promise<T> =>
    gone
      ? Promise.reject(gone)
      : new Promise((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          worker.ref();
          worker.postMessage({ id, ...request });
        });
  return {
    analyse: (type, docs, targets) => ask({ type, docs, targets }),
    counts: () => ask({ counts: true }),
    stop: async () => {
      await worker.terminate();
    },
  };
}
