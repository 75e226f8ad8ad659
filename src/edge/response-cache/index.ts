import type { Core } from '@strapi/strapi';
import bodyParser from 'koa-bodyparser';
import { isGraphqlPath } from '../request-path/core';
import { PUBLIC_UIDS } from '../../content/model/core';
import { instanceState, sharedKeyPrefix, sharedRedis } from '../shared-state';
import {
  MemoryStore,
  cacheKey,
  etagOf,
  graphqlMediaType,
  graphqlRead,
  isKeepable,
  isNotModified,
  isQueryHash,
  queryHash,
  representationEtag,
  responseSize,
  type CachedResponse,
  type GraphqlMediaType,
  type GraphqlRead,
} from './core';
import { PersistedQueries, persistedQueryKey } from './persisted-queries';

/**
 * Anonymous GraphQL reads answered from a cache that is never stale. Every answer is kept with
 * the cache's generation as it was before the answer was computed; every write to content
 * raises the generation once committed, so no kept answer is served after an edit. The
 * generation lives where all nodes see it: in Redis when REDIS_URL is set (answers too, so
 * nodes share them), else in the database (answers in each node's memory). An answer is kept
 * once and sent in the media type each client negotiates (JSON or GraphQL-over-HTTP's).
 */

interface Settings {
  enabled: boolean;
  maxMegabytes: number;
  entryMaxKilobytes: number;
  ttlSeconds: number;
  maxAgeSeconds: number;
  maxGetQueryLength: number;
}

const GENERATION_TABLE = 'response_cache_generation';
const WRITES = ['afterCreate', 'afterCreateMany', 'afterUpdate', 'afterUpdateMany', 'afterDelete', 'afterDeleteMany'] as const;
const DOCUMENT_WRITES = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft']);

export class ResponseCache {
  private readonly memory: MemoryStore<CachedResponse>;
  /** Apollo's persisted-query store, which this cache reads and registers into (./persisted-queries). */
  readonly persistedQueries: PersistedQueries;
  /** The GraphQL route's own body parser and limits: the body is parsed once, here, and the route skips it. */
  private readonly parseBody: (ctx: any, next: () => Promise<unknown>) => Promise<unknown>;
  private readonly prefix: string;
  /** The last generation raise, awaited by the write that caused it before it answers. */
  private raising: Promise<void> = Promise.resolve();
  /** A raise not yet started covers every write committed before it starts: one is enough. */
  private queued: Promise<void> | undefined;
  /** A raise that failed (Redis unreachable): the cache stays out of the way until one succeeds. */
  private owed = false;

  constructor(
    private readonly strapi: Core.Strapi,
    private readonly endpoint: string,
  ) {
    this.memory = new MemoryStore(this.settings().maxMegabytes * 1024 * 1024, responseSize);
    this.prefix = `${sharedKeyPrefix(strapi)}response:`;
    this.persistedQueries = new PersistedQueries(
      sharedKeyPrefix(strapi),
      () => this.settings().ttlSeconds,
      (message) => strapi.log.warn(message),
    );
    const limits = strapi.config.get('plugin::graphql.apolloServer.bodyParserConfig');
    this.parseBody = bodyParser(typeof limits === 'object' ? (limits as bodyParser.Options) : undefined) as any;
  }

  /** Read each time, so that the benchmark (and tests) can compare with the cache off. */
  settings(): Settings {
    return this.strapi.config.get('performance.responseCache') as Settings;
  }

  /** Raises the generation; every kept answer is then out of date. */
  invalidate(): Promise<void> {
    if (this.queued) return this.queued;
    this.queued = this.raising.then(() => {
      this.queued = undefined;
      return this.raise();
    });
    this.raising = this.queued;
    return this.raising;
  }

  /** Resolves once the raises asked for so far are done. */
  settled(): Promise<void> {
    return this.raising;
  }

  private async raise(): Promise<void> {
    try {
      const redis = sharedRedis();
      if (redis) await redis.incr(`${this.prefix}generation`);
      else await this.strapi.db.connection(GENERATION_TABLE).where({ id: 1 }).increment('generation', 1);
      this.owed = false;
    } catch (error) {
      this.owed = true;
      this.strapi.log.warn(`[response-cache] could not invalidate (${(error as Error).message}); answering uncached until it can`);
      setTimeout(() => this.owed && this.invalidate(), 1000).unref();
    }
  }

  private async generation(): Promise<number> {
    const redis = sharedRedis();
    if (redis) return Number((await redis.get(`${this.prefix}generation`)) ?? 0);
    const row = await this.strapi.db.connection(GENERATION_TABLE).where({ id: 1 }).first('generation');
    return Number(row?.generation ?? 0);
  }

  private async lookup(key: string, generation: number): Promise<CachedResponse | undefined> {
    const local = this.memory.get(key);
    if (local?.generation === generation) return local;
    const redis = sharedRedis();
    if (!redis) return undefined;
    const stored = await redis.get(`${this.prefix}${key}`);
    const shared = stored ? (JSON.parse(stored) as CachedResponse) : undefined;
    if (shared?.generation !== generation) return undefined;
    this.memory.set(key, shared);
    return shared;
  }

  private async keep(key: string, entry: CachedResponse): Promise<void> {
    this.memory.set(key, entry);
    await sharedRedis()?.set(`${this.prefix}${key}`, JSON.stringify(entry), 'EX', this.settings().ttlSeconds);
  }

  /** The koa middleware in front of the GraphQL endpoint. */
  async handle(ctx: any, next: () => Promise<unknown>): Promise<void> {
    const settings = this.settings();
    const method = ctx.method;
    if (!isGraphqlPath(ctx.path, this.endpoint) || (method !== 'GET' && method !== 'POST')) return void (await next());
    // The answer's media type follows Accept (and a bare GET may be the IDE's page): caches must know.
    ctx.vary('Accept');
    // A bare GET is the GraphQL IDE's page, not a query.
    if (method === 'GET' && !ctx.querystring) return void (await next());

    if (method === 'GET' && String(ctx.query.query ?? '').length > settings.maxGetQueryLength) {
      ctx.status = 414;
      ctx.body = {
        errors: [
          {
            message: `The query is longer than ${settings.maxGetQueryLength} characters, the limit for GET; send it by POST or as a persisted query.`,
            extensions: { code: 'QUERY_TOO_LONG' },
          },
        ],
      };
      return;
    }
    // Authenticated callers may see drafts and private fields: never kept, never served from here.
    // A client that accepts no GraphQL media type gets Apollo's 406.
    const type = graphqlMediaType((types) => ctx.accepts(types));
    if (!settings.enabled || this.owed || ctx.get('authorization') || !type) return void (await next());
    if (method === 'POST') await this.parseBody(ctx, async () => undefined);
    const read = graphqlRead(method === 'GET' ? ctx.query : ctx.request.body, method === 'GET');
    const persisted = read?.persistedHash !== undefined;
    let key: string | undefined;
    let generation = 0;
    let hit: CachedResponse | undefined;
    try {
      key = read && (await this.keyOf(read));
      if (key) {
        generation = await this.generation();
        hit = await this.lookup(key, generation);
      }
    } catch (error) {
      // Redis or the database unreachable: answer as if there were no cache.
      this.strapi.log.debug(`[response-cache] bypassed: ${(error as Error).message}`);
      key = undefined;
    }
    if (!key) return void (await next());
    if (hit) {
      // Apollo never sees this request: the hash a client sent with its query is registered
      // here, as Apollo would have (the query is the one whose complete answer is kept).
      if (persisted && read!.query) await this.persistedQueries.set(persistedQueryKey(read!.persistedHash!), read!.query);
      return this.answer(ctx, hit, 'HIT', type);
    }

    await next();
    const body = typeof ctx.body === 'string' ? ctx.body : Buffer.isBuffer(ctx.body) ? ctx.body.toString('utf8') : undefined;
    if (body === undefined || !isKeepable(ctx.status, body, settings.entryMaxKilobytes * 1024)) return;
    const entry: CachedResponse = {
      generation,
      etag: etagOf(body),
      cacheControl: String(ctx.response.get('cache-control') || '') || undefined,
      body,
    };
    await this.keep(key, entry).catch((error) => this.strapi.log.warn(`[response-cache] not kept: ${error.message}`));
    this.answer(ctx, entry, 'MISS', type);
  }

  /**
   * The cache key of a read, by its query text. A persisted query is looked at as Apollo would:
   * a hash sent with a text must be that text's hash and the protocol version 1 (else Apollo
   * refuses it, uncached); a hash alone stands for the text it was registered with, so it shares
   * the entry of the plain query (unknown, Apollo answers PERSISTED_QUERY_NOT_FOUND).
   */
  private async keyOf(read: GraphqlRead): Promise<string | undefined> {
    const hash = read.persistedHash;
    if (hash === undefined) return cacheKey(read);
    if (read.persistedVersion !== 1) return undefined;
    if (read.query) return queryHash(read.query) === hash ? cacheKey(read) : undefined;
    if (!isQueryHash(hash)) return undefined;
    const query = await this.persistedQueries.get(persistedQueryKey(hash));
    return query === undefined ? undefined : cacheKey({ ...read, query });
  }

  /**
   * GET answers carry an entity tag (one per media type) and must be revalidated (never stale):
   * a 304 costs nothing.
   */
  private answer(ctx: any, entry: CachedResponse, state: 'HIT' | 'MISS', type: GraphqlMediaType): void {
    ctx.set('X-Cache', state);
    if (ctx.method === 'GET') {
      const etag = representationEtag(entry.etag, type);
      ctx.set('ETag', etag);
      ctx.set('Cache-Control', `public, max-age=${this.settings().maxAgeSeconds}, must-revalidate`);
      if (isNotModified({ ifNoneMatch: ctx.get('if-none-match') }, { etag })) {
        ctx.status = 304;
        ctx.body = null;
        return;
      }
    } else if (entry.cacheControl) ctx.set('Cache-Control', entry.cacheControl);
    ctx.status = 200;
    ctx.type = `${type}; charset=utf-8`;
    ctx.body = entry.body;
  }
}

// A script or test that loads this module again (from src rather than dist) finds the instance's cache.
const caches = instanceState<ResponseCache>('response-cache');

export function responseCache(strapi: Core.Strapi): ResponseCache {
  const cache = caches.get(strapi);
  if (!cache) throw new Error('The response cache is registered in register() (src/index.ts) before the server starts.');
  return cache;
}

/** Writes that bypass Strapi's query engine (bulk writers) say so here. */
export const invalidateResponseCache = (strapi: Core.Strapi): Promise<void> => responseCache(strapi).invalidate();

/**
 * Every write to content, media, locales or public permissions raises the generation once its
 * transaction commits (a raise before the commit would let a concurrent read keep the old
 * answer under the new generation). Register first, so that the Document Service middleware
 * wraps all others and a write answers only after its raise.
 */
export function registerResponseCache(strapi: Core.Strapi): void {
  const cache = new ResponseCache(strapi, String(strapi.config.get('plugin::graphql.endpoint', '/graphql')));
  caches.set(strapi, cache);
  // Apollo keeps persisted queries where the cache reads them (read by the graphql plugin at bootstrap).
  strapi.config.set('plugin::graphql.apolloServer.persistedQueries', { cache: cache.persistedQueries });

  const models = [
    // The public types only: the webhook outbox and subscriptions are never in an anonymous answer.
    ...PUBLIC_UIDS,
    ...Object.keys(strapi.components),
    'plugin::upload.file',
    'plugin::upload.folder',
    'plugin::i18n.locale',
    'plugin::users-permissions.permission',
    'plugin::users-permissions.role',
  ];
  const afterCommit = () => {
    if (!strapi.db.inTransaction()) return void cache.invalidate();
    // Joins the running transaction only to be told when it commits.
    return strapi.db.transaction(({ onCommit }) => onCommit(() => void cache.invalidate()));
  };
  strapi.db.lifecycles.subscribe({ models, ...Object.fromEntries(WRITES.map((action) => [action, afterCommit])) });

  strapi.documents.use(async (context, next) => {
    const result = await next();
    if (DOCUMENT_WRITES.has(context.action)) await cache.settled();
    return result;
  });
}
