import { createHash } from 'crypto';
import { stripIgnoredCharacters } from 'graphql';
import { MAX_INPUT_DEPTH, nestedDeeperThan } from '../query-limits/core';

/**
 * The response cache's pure parts: what identifies a GraphQL read, what may be kept, and the
 * in-process store. No Strapi here.
 */

export interface GraphqlRead {
  query?: string;
  variables?: unknown;
  operationName?: string;
  /** An automatic persisted query (APQ) sends only this hash once the server knows the query. */
  persistedHash?: string;
}

export interface CachedResponse {
  generation: number;
  etag: string;
  type: string;
  /** The answer's own Cache-Control (Apollo's, for POST), so that a hit carries what the miss did. */
  cacheControl?: string;
  body: string;
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
  const extensions = decode(input.extensions) as { persistedQuery?: { sha256Hash?: unknown } } | undefined;
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
  };
}

const normalized = new Map<string, string>();
const NORMALIZED_MEMO = 1000;

/**
 * The cache key of a read: its query without insignificant whitespace and comments (so that
 * two partners formatting one query differently share an entry), or the APQ hash, plus the
 * operation name and the variables with their keys sorted. Undefined when the query does not
 * even lex, or the variables nest deeper than any query may (canonicalising them would overflow
 * the stack): the server answers those errors itself.
 */
export function cacheKey(read: GraphqlRead): string | undefined {
  if (nestedDeeperThan(read.variables, MAX_INPUT_DEPTH)) return undefined;
  let text: string;
  if (read.query) {
    const known = normalized.get(read.query);
    if (known !== undefined) text = known;
    else {
      try {
        text = stripIgnoredCharacters(read.query);
      } catch {
        return undefined;
      }
      if (normalized.size >= NORMALIZED_MEMO) normalized.delete(normalized.keys().next().value as string);
      normalized.set(read.query, text);
    }
  } else text = `apq:${read.persistedHash}`;
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

export const etagOf = (body: string): string => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** Whether an If-None-Match header names this entity tag (or any, `*`). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate === etag || candidate === `W/${etag}`;
  });
}

/**
 * Only complete answers are kept: a 200 whose body carries no `errors` (partial data with an
 * error, a refusal, a timeout are answered afresh each time).
 */
export const isKeepable = (status: number, body: string, maxBytes: number): boolean =>
  status === 200 && body.length <= maxBytes && !body.includes('"errors":');

/** Least-recently-used entries, bounded by total size (bodies are most of it). */
export class MemoryStore {
  private entries = new Map<string, CachedResponse>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: CachedResponse): void {
    this.delete(key);
    this.entries.set(key, entry);
    this.bytes += sizeOf(key, entry);
    for (const [oldest, old] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.bytes -= sizeOf(oldest, old);
    }
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= sizeOf(key, entry);
  }

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}

const sizeOf = (key: string, entry: CachedResponse) => 2 * (key.length + entry.body.length + entry.etag.length + entry.type.length) + 64;
