/**
 * A pool of reader threads: each answers one read at a time on its own connection, and the pool
 * sends each read to the thread with the fewest reads in flight. A thread that goes away fails
 * its reads in flight (their callers read on the main thread instead) and gets no more.
 */

/** What a thread reads: one statement. */
export type ReadTask = { sql: string; bindings: unknown[] };

export type ReadRequest = { id: number } & ReadTask;

export type ReadReply = { id: number; result: unknown } | { id: number; error: string };

/** A thread as the pool sees it: where requests go, and how it says it answered or went away. */
export interface ReaderPort {
  post(request: ReadRequest): void;
  onReply(listener: (reply: ReadReply) => void): void;
  onGone(listener: (error: Error) => void): void;
  stop(): Promise<unknown>;
}

/** What the pool did, for operators and tests (`strapi.get('read-threads')`). */
export interface ReadThreadStats {
  threads: number;
  alive: number;
  /** Reads answered on a reader thread. */
  read: number;
  /** Reads a thread failed (a statement's error, or the thread gone): their callers read on the main thread. */
  failed: number;
}

interface Reader {
  port: ReaderPort;
  inFlight: number;
  alive: boolean;
}

interface Pending {
  reader: Reader;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
}

export class ReaderPool {
  private readonly readers: Reader[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /** `stats` may be a previous pool's: its counts go on. */
  constructor(
    ports: ReaderPort[],
    private readonly onGone: (error: Error) => void = () => {},
    readonly stats: ReadThreadStats = { threads: 0, alive: 0, read: 0, failed: 0 },
  ) {
    this.readers = ports.map((port) => ({ port, inFlight: 0, alive: true }));
    Object.assign(stats, { threads: ports.length, alive: ports.length });
    for (const reader of this.readers) {
      reader.port.onReply((reply) => this.settle(reply));
      reader.port.onGone((error) => this.lose(reader, error));
    }
  }

  /** The result of a read on the least busy thread; null when no thread is left. */
  read(task: ReadTask): Promise<unknown> | null {
    let reader: Reader | undefined;
    for (const candidate of this.readers) if (candidate.alive && (!reader || candidate.inFlight < reader.inFlight)) reader = candidate;
    if (!reader) return null;
    const id = this.nextId++;
    const chosen = reader;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { reader: chosen, resolve, reject });
      chosen.inFlight += 1;
      chosen.port.post({ id, ...task });
    });
  }

  /** Stops every thread; reads in flight fail. */
  async stop(): Promise<void> {
    const readers = this.readers.filter((reader) => reader.alive);
    for (const reader of readers) this.lose(reader, new Error('reader threads stopped'), false);
    await Promise.all(readers.map((reader) => reader.port.stop()));
  }

  private settle(reply: ReadReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    this.pending.delete(reply.id);
    pending.reader.inFlight -= 1;
    if ('result' in reply) {
      this.stats.read += 1;
      pending.resolve(reply.result);
    } else {
      this.stats.failed += 1;
      pending.reject(new Error(reply.error));
    }
  }

  private lose(reader: Reader, error: Error, report = true): void {
    if (!reader.alive) return;
    reader.alive = false;
    this.stats.alive -= 1;
    for (const [id, pending] of this.pending) {
      if (pending.reader !== reader) continue;
      this.pending.delete(id);
      this.stats.failed += 1;
      pending.reject(error);
    }
    reader.inFlight = 0;
    if (report) this.onGone(error);
  }
}
