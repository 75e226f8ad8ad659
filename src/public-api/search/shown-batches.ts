/**
 * The texts of the pages of searches that overlap, read together. Each search reads its page's
 * texts and whether the index's log moved (./store.ts shownEntries): on PostgreSQL a round trip
 * whose cost is mostly the database's and the driver's per statement, not the rows. Under load
 * several searches are in flight at once, so while one read runs, the searches that need theirs
 * wait for the next, which reads all their entries in one statement. Each read still begins after
 * the searches it answers did, so what `moved` says holds for each of them (./answer.ts).
 */
import type { Shown } from './store';

export type ShownRead = (ids: number[], seq: number) => Promise<Shown>;

interface Waiting {
  ids: Set<number>;
  callers: { resolve: (shown: Shown) => void; reject: (error: unknown) => void }[];
}

/** `read`, with the calls made while one of its reads runs gathered into one read per log position. */
export function batchedShown(read: ShownRead): ShownRead {
  let running = false;
  let waiting = new Map<number, Waiting>();

  const run = (batch: Map<number, Waiting>): void => {
    running = true;
    const reads = [...batch].map(([seq, { ids, callers }]) =>
      read([...ids], seq).then(
        (shown) => callers.forEach(({ resolve }) => resolve(shown)),
        (error) => callers.forEach(({ reject }) => reject(error)),
      ),
    );
    Promise.all(reads).then(() => {
      running = false;
      if (!waiting.size) return;
      const next = waiting;
      waiting = new Map();
      run(next);
    });
  };

  return (ids, seq) =>
    new Promise<Shown>((resolve, reject) => {
      const gathered = waiting.get(seq) ?? { ids: new Set<number>(), callers: [] };
      for (const id of ids) gathered.ids.add(id);
      gathered.callers.push({ resolve, reject });
      waiting.set(seq, gathered);
      if (running) return;
      const batch = waiting;
      waiting = new Map();
      run(batch);
    });
}
