import { createHash } from 'crypto';
import type { Core } from '@strapi/strapi';
import Redis from 'ioredis';

/**
 * State of one Strapi instance (a registry, a cache, a lock to release), held on the instance
 * under a registered symbol: the one way for every capability. A module loaded twice (by Strapi
 * from dist, by a test or script from src) finds the same state, which a module-level variable or
 * WeakMap would not.
 */
export function instanceState<T>(name: string) {
  const key = Symbol.for(`comin40.${name}`);
  return {
    get: (strapi: Core.Strapi): T | undefined => (strapi as unknown as Record<symbol, T | undefined>)[key],
    set: (strapi: Core.Strapi, value: T): void => {
      (strapi as unknown as Record<symbol, T>)[key] = value;
    },
  };
}

/**
 * What several Strapi nodes must agree on (response-cache invalidation, rate-limit counters)
 * lives in Redis when REDIS_URL is set; without it each capability keeps an in-process store.
 * One connection per process, opened at register and closed in Strapi's destroy phase.
 */
let connection: Redis | undefined;

export function sharedRedis(): Redis | undefined {
  return connection;
}

/**
 * Keys are prefixed by the database this node serves, so that two deployments (or two test
 * suites) sharing one Redis never read each other's state. REDIS_PREFIX overrides it.
 */
export function sharedKeyPrefix(strapi: Core.Strapi): string {
  if (process.env.REDIS_PREFIX) return process.env.REDIS_PREFIX;
  const { client, connection: db } = strapi.config.get('database.connection') as {
    client: string;
    connection: Record<string, unknown>;
  };
  const identity = [client, db.filename, db.connectionString, db.host, db.port, db.database, db.schema].join('|');
  return `kb:${createHash('sha256').update(identity).digest('hex').slice(0, 12)}:`;
}

export async function connectSharedRedis(strapi: Core.Strapi): Promise<void> {
  const url = process.env.REDIS_URL;
  if (!url || connection) return;
  // Commands fail at once while Redis is unreachable instead of queueing: callers degrade
  // (no cache, local counters) rather than hold a partner's request.
  connection = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  connection.on('error', (error) => strapi.log.warn(`[redis] ${error.message}`));
  try {
    await connection.connect();
  } catch (error) {
    strapi.log.warn(`[redis] ${url} unreachable at start (${(error as Error).message}); retrying in the background`);
  }
}

export function closeSharedRedis(): void {
  connection?.disconnect();
  connection = undefined;
}
