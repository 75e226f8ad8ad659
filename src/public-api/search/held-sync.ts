/**
 * The held index (./held-index.ts) kept in step with the database: it loads the search entries
 * into memory once, then, before each search, applies the rows of the index's log (./store.ts)
 * written since: the entries of the documents they name are read again, and a rebuild's row loads
 * the whole index again. Every node thus answers from the entries committed before the search
 * began, whichever node wrote them. It needs only a connection: the search thread (./thread.ts)
 * holds one, the node's main thread another when it searches itself.
 */
import type { Knex } from 'knex';
import { HeldIndex, type HeldEntry } from './held-index';
import { EVERYTHING, heldEntriesAfter, heldEntriesOf, lastLogged, logAfter } from './store';

/** Entries read per statement while loading. */
const LOAD_PAGE = 5000;
/** Past this many places of removed entries (and a quarter of the live ones), the index is loaded afresh: its memory stays bounded. */
const RETIRED_BOUND = 10_000;

interface Held {
  index: HeldIndex;
  /** The last log row applied (-1: nothing loaded yet). */
  seq: number;
  /** The held entries of each document, by `type documentId`. */
  documents: Map<string, number[]>;
  /** The sync under way, and the one that will follow it (every search arriving meanwhile waits for that one). */
  running: Promise<unknown>;
  queued?: Promise<void>;
}

const documentKey = (type: string, documentId: string) => `${type} ${documentId}`;

/** Files entries under their documents. */
function file(documents: Map<string, number[]>, entries: HeldEntry[]): void {
  for (const entry of entries) {
    const key = documentKey(entry.type, entry.documentId);
    const ids = documents.get(key);
    if (ids) ids.push(entry.id);
    else documents.set(key, [entry.id]);
  }
}

/** Every entry, a page at a time, with progress for a large index; the log's position read first, so that nothing written meanwhile is missed. */
async function load(knex: Knex, held: Held, log: (line: string) => void): Promise<void> {
  const started = Date.now();
  const seq = await lastLogged(knex);
  const index = new HeldIndex();
  const documents = new Map<string, number[]>();
  const bulk = index.bulk();
  for (let after = 0; ;) {
    const page = await heldEntriesAfter(knex, after, LOAD_PAGE);
    if (!page.length) break;
    bulk.add(page);
    file(documents, page);
    after = page[page.length - 1].id;
    if (index.size % 50_000 < LOAD_PAGE && index.size >= 50_000) log(`[search] loading the index: ${index.size} entries`);
  }
  bulk.finish();
  Object.assign(held, { index, documents, seq });
  if (index.size >= 50_000) log(`[search] index loaded: ${index.size} entries in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The log's rows since the last applied: the documents they name read again, or everything after a rebuild. */
async function sync(knex: Knex, held: Held, log: (line: string) => void): Promise<void> {
  if (held.seq < 0) {
    return load(knex, held, log);
  }
  const rows = await logAfter(knex, held.seq);
  if (!rows.length) return;
  if (rows.some((row) => row.type === EVERYTHING)) {
    return load(knex, held, log);
  }
  const byType = new Map<string, Set<string>>();
  for (const row of rows) byType.set(row.type, (byType.get(row.type) ?? new Set()).add(row.documentId));
  const gone: number[] = [];
  const added = [];
  for (const [type, documentIds] of byType) {
    for (const documentId of documentIds) {
      gone.push(...(held.documents.get(documentKey(type, documentId)) ?? []));
      held.documents.delete(documentKey(type, documentId));
    }
    added.push(...(await heldEntriesOf(knex, type, [...documentIds])));
  }
  held.index.remove(gone);
  held.index.add(added);
  file(held.documents, added);
  held.seq = rows[rows.length - 1].seq;
  if (held.index.retired > Math.max(RETIRED_BOUND, held.index.size / 4)) await load(knex, held, log);
}

/** The held index, and the last row of the log it reflects. */
export interface HeldState {
  index: HeldIndex;
  seq: number;
}

export interface HeldSync {
  /** The index as applied so far, without reading the log (loaded at the first call). */
  applied(): Promise<HeldState>;
  /** The index with every change committed before the call applied. */
  synced(): Promise<HeldState>;
}

/**
 * An index held over `knex`'s database. One sync runs at a time; the searches that arrive while
 * one runs share the next, which starts after it. `log` gets the progress of a large load.
 */
export function heldSync(knex: Knex, log: (line: string) => void): HeldSync {
  const held: Held = { index: new HeldIndex(), seq: -1, documents: new Map(), running: Promise.resolve() };
  const synced = async (): Promise<HeldState> => {
    if (!held.queued) {
      const next = held.running.then(() => {
        held.queued = undefined;
        return sync(knex, held, log);
      });
      held.queued = next;
      held.running = next.catch(() => undefined);
    }
    await held.queued;
    return { index: held.index, seq: held.seq };
  };
  // Index and position change together (at the end of a sync or a load), so any moment's pair is one state.
  return { synced, applied: async () => (held.seq < 0 ? synced() : { index: held.index, seq: held.seq }) };
}
