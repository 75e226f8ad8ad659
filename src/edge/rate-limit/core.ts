/**
 * Rate limiting of the public API, per client: a fixed window per identity (an API token, or
 * else the client's address). Pure: the adapter passes the clock and the store.
 */
import { pageAddress, SITEMAP_PATH } from '../../content/paths/core';
import { publicApi, routerPath } from '../request-path/core';

export interface RateLimits {
  /** Requests per window for a client without a valid API token (0: no limit). */
  anonymous: number;
  /** Requests per window for a valid API token (0: no limit). */
  token: number;
  windowMs: number;
}

export const RATE_LIMIT_DEFAULTS: RateLimits = { anonymous: 300, token: 3000, windowMs: 60_000 };

/**
 * The public API (GraphQL, REST content API, open-data files and Atom feeds) and the server-rendered pages
 * with their sitemap (each read from the database), however the path is spelled. The admin keeps
 * Strapi's limiter.
 */
export const isRateLimitedPath = (path: string, graphqlEndpoint: string): boolean =>
  publicApi(path, graphqlEndpoint) !== null || routerPath(path) === SITEMAP_PATH || pageAddress(routerPath(path)) !== undefined;

/** The bearer token of an Authorization header, as Strapi's API-token strategy reads it. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const parts = header.split(/\s+/);
  return parts.length === 2 && parts[0].toLowerCase() === 'bearer' && parts[1] ? parts[1] : null;
}

export interface Hit {
  /** Requests counted in the current window, this one included. */
  count: number;
  /** When the current window ends (ms since the epoch). */
  resetAt: number;
}

export const windowOf = (now: number, windowMs: number) => Math.floor(now / windowMs);

/**
 * In-process counters for one node. Only the current window is kept, so memory holds one entry
 * per client seen in the last window at most, and never more than `maxClients`: past that,
 * clients not yet seen share one counter (a flood of fresh addresses is limited as one client).
 */
export class WindowCounter {
  private window = -1;
  private counts = new Map<string, number>();

  constructor(
    private readonly windowMs: number,
    private readonly maxClients = 100_000,
  ) {}

  hit(identity: string, now: number): Hit {
    const window = windowOf(now, this.windowMs);
    if (window !== this.window) {
      this.window = window;
      this.counts = new Map();
    }
    const key = this.counts.has(identity) || this.counts.size < this.maxClients ? identity : '(overflow)';
    const count = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, count);
    return { count, resetAt: (window + 1) * this.windowMs };
  }

  get size(): number {
    return this.counts.size;
  }
}

export interface Decision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Whole seconds until the window ends (at least 1). */
  resetSeconds: number;
}

export function decide(hit: Hit, limit: number, now: number): Decision {
  return {
    allowed: hit.count <= limit,
    limit,
    remaining: Math.max(0, limit - hit.count),
    resetSeconds: Math.max(1, Math.ceil((hit.resetAt - now) / 1000)),
  };
}

export const rateLimitedMessage = (decision: Decision, withToken: boolean) =>
  `Too many requests: the limit is ${decision.limit} per ${withToken ? 'API token' : 'client address'} and window; retry in ${decision.resetSeconds} s.` +
  (withToken ? '' : ' Partners that need more can ask the editors for an API token.');

/** The 429 body in the shape of the API that was called. */
export function rateLimitedBody(graphql: boolean, message: string, retryAfter: number) {
  return graphql
    ? { errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfter } }] }
    : { data: null, error: { status: 429, name: 'RateLimitError', message, details: { retryAfter } } };
}
