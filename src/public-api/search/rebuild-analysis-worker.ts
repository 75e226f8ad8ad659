/** The thread of ./rebuild-analysis: one page at a time, in the order asked; the counts kept across pages. */
import { parentPort } from 'worker_threads';
import { entryFor } from './core';
import { countTerms, entryRow, type Counts } from './store';
import type { AnalysisReply, AnalysisRequest } from './rebuild-analysis';

const counts: Counts = new Map();

function answer(request: AnalysisRequest): AnalysisReply {
  try {
    if ('counts' in request) return { id: request.id, result: counts };
    const rows = request.docs.map((doc) => entryRow(entryFor(request.type, doc, request.targets)));
    countTerms(rows, 1, counts);
    return { id: request.id, result: rows };
  } catch (error) {
    return { id: request.id, error: (error as Error).message };
  }
}

parentPort!.on('message', (request: AnalysisRequest) => parentPort!.postMessage(answer(request)));
