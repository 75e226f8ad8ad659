/**
 * The search thread (./thread.ts): its own connection (knex over the node's engine; read-only on
 * SQLite), the index held over it (./held-sync.ts), loaded before it says `ready`, and each search
 * answered as the node's thread would (./answer.ts). Searches overlap: each waits for its reads.
 */
import fs from 'fs';
import { parentPort, workerData } from 'worker_threads';
import { knex as createKnex } from 'knex';
import { answerSearch, searchSource } from './answer';
import { heldSync } from './held-sync';
import { preparedRead, shownEntries } from './store';
import { batchedPost, searchFailureOf, type SearchReply, type SearchRequest, type SearchThreadData } from './thread';

const data = workerData as SearchThreadData;
const knex = createKnex(data.knex);
const send = batchedPost<SearchReply>((replies) => parentPort!.postMessage(replies));

const source = searchSource({
  held: heldSync(knex, (line) => send({ log: line })),
  vocabulary: (vocabulary, locale) => preparedRead(knex, data.vocabulary[vocabulary], [locale], data.namedStatements),
  shown: (ids, seq) => shownEntries(knex, ids, seq, data.namedStatements),
  thesaurus: JSON.parse(fs.readFileSync(data.thesaurusFile, 'utf8')),
});

parentPort!.on('message', (requests: SearchRequest[]) => {
  for (const { id, args } of requests)
    answerSearch(source, args).then(
      (answer) => send({ id, answer }),
      (error) => send({ id, failure: searchFailureOf(error) }),
    );
});

// A load that fails ends the thread: the node then searches on its own thread.
source.held.synced().then(() => send('ready'));
