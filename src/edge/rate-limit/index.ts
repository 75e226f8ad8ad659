import type { Core } from '@strapi/strapi';
import { sharedKeyPrefix, sharedRedis } from '../shared-state';
import { WindowCounter, windowOf, type Hit, type RateLimits, RATE_LIMIT_DEFAULTS } from './core';

/** RATE_LIMIT_ANONYMOUS, RATE_LIMIT_TOKEN (0: no limit) and RATE_LIMIT_WINDOW_MS; a bad value stops the start. */
export function rateLimitsFromEnv(env: Record<string, string | undefined>): RateLimits {
  const read = (name: string, fallback: number, min: number) => {
    const value = env[name]?.trim() ? Number(env[name]) : fallback;
    if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer of at least ${min} (got "${env[name]}").`);
    return value;
  };
  return {
    anonymous: read('RATE_LIMIT_ANONYMOUS', RATE_LIMIT_DEFAULTS.anonymous, 0),
    token: read('RATE_LIMIT_TOKEN', RATE_LIMIT_DEFAULTS.token, 0),
    windowMs: read('RATE_LIMIT_WINDOW_MS', RATE_LIMIT_DEFAULTS.windowMs, 1000),
  };
}

/**
 * Counts a request of one identity. With REDIS_URL the count is shared by every node (one key
 * per identity and window, expiring with it); when Redis fails the node falls back to its own
 * counters until Redis answers again, so partners are limited per node rather than not at all.
 */
export function rateLimitStore(strapi: Core.Strapi, windowMs: number): (identity: string) => Promise<Hit> {
  const local = new WindowCounter(windowMs);
  let warnedWindow = -1;
  return async (identity) => {
    const now = Date.now();
    const redis = sharedRedis();
    if (!redis) return local.hit(identity, now);
    const window = windowOf(now, windowMs);
    const key = `${sharedKeyPrefix(strapi)}rate:${identity}:${window}`;
    try {
      const replies = await redis
        .multi()
        .incr(key)
        .pexpire(key, windowMs + 1000)
        .exec();
      const [error, count] = replies?.[0] ?? [new Error('no reply')];
      if (error) throw error;
      return { count: Number(count), resetAt: (window + 1) * windowMs };
    } catch (error) {
      if (warnedWindow !== window) {
        warnedWindow = window;
        strapi.log.warn(`[rate-limit] Redis unavailable (${(error as Error).message}); counting on this node only`);
      }
      return local.hit(identity, now);
    }
  };
}

const TOKEN_CACHE_MS = 60_000;
const TOKEN_CACHE_SIZE = 10_000;

export interface ApiTokenIds {
  /** The token's id, null if it is not a valid API token, undefined if not looked up lately. */
  cached(token: string): number | null | undefined;
  lookup(token: string): Promise<number | null>;
}

/**
 * Which API token a bearer is, remembered for a minute (so a token holder's requests cost no
 * database query), keyed by the token's hash (no token kept in clear). The id is the identity
 * the token's requests are counted under.
 */
export function apiTokenIds(strapi: Core.Strapi): ApiTokenIds {
  const cache = new Map<string, { id: number | null; until: number }>();
  const hash = (token: string): string => strapi.service('admin::api-token').hash(token);
  return {
    cached(token) {
      const entry = cache.get(hash(token));
      return entry && entry.until > Date.now() ? entry.id : undefined;
    },
    async lookup(token) {
      const key = hash(token);
      const now = Date.now();
      const row = await strapi.db.query('admin::api-token').findOne({ select: ['id', 'expiresAt'], where: { accessKey: key } });
      const id = row && (!row.expiresAt || new Date(row.expiresAt).getTime() > now) ? (row.id as number) : null;
      if (cache.size >= TOKEN_CACHE_SIZE) cache.clear();
      cache.set(key, { id, until: now + TOKEN_CACHE_MS });
      return id;
    },
  };
}
