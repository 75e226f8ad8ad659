import { createHash } from 'crypto';
import { stripIgnoredCharacters } from 'graphql';
import { MAX_INPUT_DEPTH, nestedDeeperThan } from '../query-limits/core';

/**
 * The response cache's pure parts: what identifies a GraphQL read, what may be kept, the media
 * type and validators of an answer, and the in-process store. No Strapi here.
 */

export interface GraphqlRead {
  query?: string;
  variables?: unknown;
  operationName?: string;
  /** An automatic persisted query (APQ) sends only this hash once the server knows the query. */
  persistedHash?: string;
  /** The APQ protocol version (`extensions.persistedQuery.version`); Apollo serves only 1. */
  persistedVersion?: unknown;
}

export interface CachedResponse {
  /** The generation of each key the answer read (./reads), as they were before it was computed. */
  generations: Record<string, number>;
  /** The entity tag of the `application/json` answer (see representationEtag for the other type). */
  etag: string;
  /** The answer's own Cache-Control (Apollo's, for POST), so that a hit carries what the miss did. */
  cacheControl?: string;
  body: string;
}

/** The current generation of a key (0 before its first raise). */
export type Generations = (key: string) => number;

/** Whether nothing the answer read has been written since it was computed. */
export const isCurrent = (entry: CachedResponse, current: Generations): boolean =>
  Object.entries(entry.generations).every(([key, generation]) => current(key) === generation);

/**
 * The database row of a key's generation: row 1 is EVERYTHING's (the row the cache had when it
 * had one generation), the others a hash of the key. Two keys on one row share a generation:
 * a write to either empties the answers that read either, never fewer.
 */
export function generationRow(key: string, everything: string): number {
  if (key === everything) return 1;
  let hash = 0;
  for (const char of key) hash = (Math.imul(hash, 31) + char.charCodeAt(0)) | 0;
  return 2 + (Math.abs(hash) % 1_000_000_000);
}

/** A GraphQL request as sent over GET (query string) or POST (JSON body); undefined when it is not one. */
export function graphqlRead(input: Record<string, unknown> | undefined, fromQueryString: boolean): GraphqlRead | undefined {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const decode = (value: unknown) => {
    if (!fromQueryString || typeof value !== 'string') return value;
    try {
      return JSON.parse(value);
    } catch {
      return Symbol.for('invalid');
    }
  };
  const variables = decode(input.variables);
  const extensions = decode(input.extensions) as { persistedQuery?: { sha256Hash?: unknown; version?: unknown } } | undefined;
  const query = input.query;
  const persistedHash = extensions?.persistedQuery?.sha256Hash;
  if (typeof variables === 'symbol' || typeof extensions === 'symbol') return undefined;
  if (query !== undefined && typeof query !== 'string') return undefined;
  if (input.operationName != null && typeof input.operationName !== 'string') return undefined;
  if (!query && typeof persistedHash !== 'string') return undefined;
  return {
    query: (query as string) || undefined,
    variables: variables ?? undefined,
    operationName: (input.operationName as string) || undefined,
    persistedHash: typeof persistedHash === 'string' ? persistedHash : undefined,
    persistedVersion: extensions?.persistedQuery?.version,
  };
}

/** The APQ hash of a query text: hex SHA-256 of the exact text, as Apollo computes it. */
export const queryHash = (query: string): string => createHash('sha256').update(query).digest('hex');

/** What a persisted-query hash looks like; anything else is never looked up (Apollo answers it). */
export const isQueryHash = (hash: string): boolean => /^[0-9a-f]{64}$/.test(hash);

const normalized = new Map<string, string>();
const NORMALIZED_MEMO = 1000;

/**
 * The cache key of a read: its query without insignificant whitespace and comments (so that
 * two partners formatting one query differently share an entry, and a persisted query's hash
 * alone finds the entry its text made), plus the operation name and the variables with their
 * keys sorted. Undefined without a query text, when the query does not even lex, or when the
 * variables nest deeper than any query may (canonicalising them would overflow the stack): the
 * server answers those itself.
 */
export function cacheKey(read: GraphqlRead): string | undefined {
  if (!read.query || nestedDeeperThan(read.variables, MAX_INPUT_DEPTH)) return undefined;
  let text = normalized.get(read.query);
  if (text === undefined) {
    try {
      text = stripIgnoredCharacters(read.query);
    } catch {
      return undefined;
    }
    if (normalized.size >= NORMALIZED_MEMO) normalized.delete(normalized.keys().next().value as string);
    normalized.set(read.query, text);
  }
  return createHash('sha256')
    .update(text)
    .update('\u0000')
    .update(read.operationName ?? '')
    .update('\u0000')
    .update(canonicalJson(read.variables ?? {}))
    .digest('base64url');
}

/** JSON with object keys sorted, so that `{a,b}` and `{b,a}` are the same variables. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

// ---------------------------------------------------------------- media types

export const JSON_MEDIA_TYPE = 'application/json';
/** The GraphQL-over-HTTP media type: its status codes say whether the request was served. */
export const GRAPHQL_RESPONSE_MEDIA_TYPE = 'application/graphql-response+json';
/** What a GraphQL answer may be sent as, in Apollo's order of preference (`*` and no Accept: JSON). */
export const GRAPHQL_MEDIA_TYPES = [JSON_MEDIA_TYPE, GRAPHQL_RESPONSE_MEDIA_TYPE];
export type GraphqlMediaType = (typeof GRAPHQL_MEDIA_TYPES)[number];

/**
 * The media type of a GraphQL answer for a request, negotiated as Apollo does (Koa's
 * `ctx.accepts` is the same negotiator): false when the client accepts neither, which Apollo
 * refuses with a 406.
 */
export const graphqlMediaType = (accepts: (types: string[]) => string | false): GraphqlMediaType | false =>
  accepts(GRAPHQL_MEDIA_TYPES) as GraphqlMediaType | false;

// ---------------------------------------------------------------- validators

export const etagOf = (body: string): string => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** One body, two representations: the GraphQL-over-HTTP one has an entity tag of its own. */
export const representationEtag = (etag: string, type: GraphqlMediaType): string =>
  type === GRAPHQL_RESPONSE_MEDIA_TYPE ? `${etag.slice(0, -1)}-g"` : etag;

/** An entity tag without its weakness mark: If-None-Match compares tags weakly (RFC 9110 13.1.2). */
const opaque = (tag: string) => tag.trim().replace(/^W\//, '');

/**
 * Whether a conditional GET or HEAD is answered 304 (RFC 9110 13.2.2): If-None-Match decides
 * when sent (any listed tag, weakly compared, or `*`); otherwise If-Modified-Since, when the
 * answer has a modification date no later than it. `Cache-Control: no-cache` on the request
 * (what `fetch` sends when told not to use its cache) asks for exactly this revalidation, so it
 * changes nothing here.
 */
export function isNotModified(
  request: { ifNoneMatch?: string; ifModifiedSince?: string },
  answer: { etag: string; lastModified?: Date | null },
): boolean {
  if (request.ifNoneMatch) {
    const etag = opaque(answer.etag);
    return request.ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === etag);
  }
  if (!request.ifModifiedSince || !answer.lastModified) return false;
  const since = Date.parse(request.ifModifiedSince);
  // HTTP dates have whole seconds.
  return !Number.isNaN(since) && Math.floor(answer.lastModified.getTime() / 1000) * 1000 <= since;
}

/**
 * Only complete answers are kept: a 200 whose body carries no `errors` (partial data with an
 * error, a refusal, a timeout are answered afresh each time).
 */
export const isKeepable = (status: number, body: string, maxBytes: number): boolean =>
  status === 200 && body.length <= maxBytes && !body.includes('"errors":');

/** Least-recently-used entries, bounded by total size (bodies, or query texts, are most of it). */
export class MemoryStore<T> {
  private entries = new Map<string, T>();
  private bytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (key: string, entry: T) => number,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: T): void {
    this.delete(key);
    this.entries.set(key, entry);
    this.bytes += this.sizeOf(key, entry);
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= this.sizeOf(oldest, old);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= this.sizeOf(key, entry);
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}

/** Bytes of a kept answer (JavaScript strings take two per character). */
export const responseSize = (key: string, entry: CachedResponse) => 2 * (key.length + entry.body.length + entry.etag.length) + 64;

/** Bytes of a persisted query's text. */
export const textSize = (key: string, text: string): number => 2 * (key.length + text.length) + 64;
