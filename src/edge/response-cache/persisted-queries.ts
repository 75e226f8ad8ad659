import { sharedRedis } from '../shared-state';
import { MemoryStore, textSize } from './core';

/** In-process room for query texts: a fallback when Redis is unreachable, and a front to it. */
const MEMORY_BYTES = 16 * 1024 * 1024;

/**
 * The one store of automatic persisted queries (APQ: a query's SHA-256 hash stands for its
 * text): Apollo reads and writes it (it is Apollo's `persistedQueries.cache`, a KeyValueCache
 * whose keys Apollo prefixes with `apq:`), and the response cache reads it too, so that a hash
 * alone finds the answer its query made and a registration answered from the cache still
 * registers. With REDIS_URL every node shares it, so a hash known to one node works on all;
 * without Redis each node keeps its own (a client then registers once per node). A text is kept
 * for the response cache's TTL after its last use, and only ever for a query Apollo validated
 * and ran within the limits (Apollo registers after validation; the cache registers only on a
 * hit, an answer that was computed in full).
 */
export class PersistedQueries {
  private readonly memory = new MemoryStore<string>(MEMORY_BYTES, textSize);

  constructor(
    private readonly prefix: string,
    private readonly ttlSeconds: () => number,
    private readonly warn: (message: string) => void,
  ) {}

  async get(key: string): Promise<string | undefined> {
    const local = this.memory.get(key);
    if (local !== undefined) return local;
    const redis = sharedRedis();
    if (!redis) return undefined;
    try {
      // Read and keep for another TTL: a query in use stays known.
      const [[, text]] = (await redis
        .multi()
        .get(this.prefix + key)
        .expire(this.prefix + key, this.ttlSeconds())
        .exec()) as [[unknown, string | null]];
      if (text === null) return undefined;
      this.memory.set(key, text);
      return text;
    } catch (error) {
      this.warn(`[persisted-queries] not read (${(error as Error).message})`);
      return undefined;
    }
  }

  async set(key: string, text: string): Promise<void> {
    this.memory.set(key, text);
    try {
      await sharedRedis()?.set(this.prefix + key, text, 'EX', this.ttlSeconds());
    } catch (error) {
      this.warn(`[persisted-queries] not shared (${(error as Error).message})`);
    }
  }

  async delete(key: string): Promise<void> {
    this.memory.delete(key);
    await sharedRedis()
      ?.del(this.prefix + key)
      .catch(() => undefined);
  }
}

/** The key Apollo uses for a hash in its persisted-query store (requestPipeline's APQ_CACHE_PREFIX). */
export const persistedQueryKey = (hash: string): string => `apq:${hash}`;
