/**
 * A rebuild's analysis on a thread of its own: each document's entry (its texts cut into terms,
 * its facets as words), made there while the rebuild's thread reads the next page of documents
 * and writes the previous page's rows. On one thread, analysing (and counting terms for the
 * vocabulary tables of the time) were a third of a rebuild (20 and 8 s of 104 at 100,000
 * practices on SQLite), time in which the database waited.
 */
import path from 'path';
import { Worker } from 'worker_threads';
import type { RelationTargets, SearchTypeName } from './core';
import type { EntryRow } from './store';

export type AnalysisRequest = { id: number; type: SearchTypeName; docs: Record<string, any>[]; targets: RelationTargets };
export type AnalysisReply = { id: number; result: EntryRow[] } | { id: number; error: string };

export interface RebuildAnalysis {
  /** The rows of one page of a type's documents. */
  analyse(type: SearchTypeName, docs: Record<string, any>[], targets: RelationTargets): Promise<EntryRow[]>;
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
  const ask = (request: Omit<AnalysisRequest, 'id'>): Promise<EntryRow[]> =>
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
    stop: async () => {
      await worker.terminate();
    },
  };
}
