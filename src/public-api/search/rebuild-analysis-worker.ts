/** The thread of ./rebuild-analysis: one page at a time, in the order asked. */
import { parentPort } from 'worker_threads';
import { entryFor } from './core';
import { entryRow } from './store';
import type { AnalysisReply, AnalysisRequest } from './rebuild-analysis';

function answer(request: AnalysisRequest): AnalysisReply {
  try {
    return { id: request.id, result: request.docs.map((doc) => entryRow(entryFor(request.type, doc, request.targets))) };
  } catch (error) {
    return { id: request.id, error: (error as Error).message };
  }
}

parentPort!.on('message', (request: AnalysisRequest) => parentPort!.postMessage(answer(request)));
