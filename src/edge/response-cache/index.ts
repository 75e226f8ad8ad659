import type { Core } from '@strapi/strapi';
import bodyParser from 'koa-bodyparser';
import { getNamedType, isInputObjectType, type GraphQLSchema } from 'graphql';
import { isGraphqlPath } from '../request-path/core';
import { PUBLIC_UIDS, withComponents, type Model } from '../../content/model/core';
import { instanceState, sharedKeyPrefix, sharedRedis } from '../shared-state';
import {
  MemoryStore,
  cacheKey,
  etagOf,
  generationRow,
  graphqlMediaType,
  graphqlRead,
  isCurrent,
  isKeepable,
  isNotModified,
  isQueryHash,
  queryHash,
  representationEtag,
  responseSize,
  type CachedResponse,
  type Generations,
  type GraphqlMediaType,
  type GraphqlRead,
} from './core';
import { EVERYTHING, readKeys, type ReadModel } from './reads';
import { PersistedQueries, persistedQueryKey } from './persisted-queries';

/**
 * Anonymous GraphQL reads answered from a cache that is never stale. Each content type (and
 * media) has a generation, raised by every committed write to it. An answer is kept with the
 * generations, as they were before it was computed, of the types its query can read: the types
 * it selects or filters by (./reads; anything else, such as search, the change feed, JSON-LD or
 * the aggregates, reads everything); it is served only while none of them has been raised. So
 * a publish of a training empties the answers that can show trainings and no other. Writes to
 * locales, permissions or folders, and bulk writers, raise everything. The generations live
 * where all nodes see them: in Redis when REDIS_URL is set (answers too, so nodes share them),
 * else in the database (answers in each node's memory). An answer is kept once and sent in the
 * media type each client negotiates (JSON or GraphQL-over-HTTP's).
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
const UPLOAD_FILE = 'plugin::upload.file';
/** Fields of every content type and component that read nothing beyond it. */
const STANDARD_FIELDS = ['id', 'documentId', 'createdAt', 'updatedAt', 'publishedAt', 'locale'];
/** What an answer that may read anything depends on: every key a write raises. */
const ALL_KEYS = [EVERYTHING, ...PUBLIC_UIDS, UPLOAD_FILE];
/** Page and pagination types, which show nothing of their own. */
const STRUCTURAL_TYPES = ['Pagination', 'ResponseCollectionMeta', 'PageInfo'];
const WRITES = ['afterCreate', 'afterCreateMany', 'afterUpdate', 'afterUpdateMany', 'afterDelete', 'afterDeleteMany'] as const;
const DOCUMENT_WRITES = new Set(['create', 'update', 'delete', 'publish', 'unpublish', 'discardDraft']);
/** Methods that write nothing: their answers need not wait for a raise. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The GraphQL route's own body parser, with its limits: a body parsed before the route (here, or
 * by src/public-api/direct-reads/requests.ts) is parsed once, and the route's parser skips it.
 */
export function graphqlBodyParser(strapi: Core.Strapi): (ctx: any, next: () => Promise<unknown>) => Promise<unknown> {
  const limits = strapi.config.get('plugin::graphql.apolloServer.bodyParserConfig');
  return bodyParser(typeof limits === 'object' ? (limits as bodyParser.Options) : undefined) as any;
}

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
  /** The keys written since the queued raise was asked for. */
  private pending = new Set<string>();
  /** A raise that failed (Redis unreachable): the cache stays out of the way until one succeeds. */
  private owed = false;
  /** What each query can read, known once Apollo has the schema (until then every answer reads everything). */
  private reads: { schema: GraphQLSchema; model: ReadModel } | undefined;

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
    this.parseBody = graphqlBodyParser(strapi);
  }

  /** Read each time, so that the benchmark (and tests) can compare with the cache off. */
  settings(): Settings {
    return this.strapi.config.get('performance.responseCache') as Settings;
  }

  /** Raises the generations of the given keys (by default everything's): the answers that read them are then out of date. */
  invalidate(keys: Iterable<string> = [EVERYTHING]): Promise<void> {
    for (const key of keys) this.pending.add(key);
    if (this.queued) return this.queued;
    this.queued = this.raising.then(() => {
      this.queued = undefined;
      const raised = [...this.pending];
      this.pending.clear();
      return this.raise(raised);
    });
    this.raising = this.queued;
    return this.raising;
  }

  /** Resolves once the raises asked for so far are done. */
  settled(): Promise<void> {
    return this.raising;
  }

  private async raise(keys: string[]): Promise<void> {
    try {
      const redis = sharedRedis();
      if (redis) {
        const multi = redis.multi();
        for (const key of keys) multi.hincrby(`${this.prefix}generations`, key, 1);
        await multi.exec();
      } else {
        const knex = this.strapi.db.connection;
        for (const id of new Set(keys.map((key) => generationRow(key, EVERYTHING)))) {
          await knex(GENERATION_TABLE)
            .insert({ id, generation: 1 })
            .onConflict('id')
            .merge({ generation: knex.raw('??.?? + 1', [GENERATION_TABLE, 'generation']) });
        }
      }
      this.owed = false;
    } catch (error) {
      this.owed = true;
      this.strapi.log.warn(`[response-cache] could not invalidate (${(error as Error).message}); answering uncached until it can`);
      setTimeout(() => this.owed && this.invalidate(keys), 1000).unref();
    }
  }

  /** Every key's generation, read in one round trip. */
  private async generations(): Promise<Generations> {
    const redis = sharedRedis();
    if (redis) {
      const all = await redis.hgetall(`${this.prefix}generations`);
      return (key) => Number(all[key] ?? 0);
    }
    const rows = await this.strapi.db.connection(GENERATION_TABLE).select('id', 'generation');
    const byRow = new Map(rows.map((row: any) => [Number(row.id), Number(row.generation)]));
    return (key) => byRow.get(generationRow(key, EVERYTHING)) ?? 0;
  }

  private async lookup(key: string, current: Generations): Promise<CachedResponse | undefined> {
    const local = this.memory.get(key);
    if (local && isCurrent(local, current)) return local;
    const redis = sharedRedis();
    if (!redis) return undefined;
    const stored = await redis.get(`${this.prefix}${key}`);
    const shared = stored ? (JSON.parse(stored) as CachedResponse) : undefined;
    if (!shared?.generations || !isCurrent(shared, current)) return undefined;
    this.memory.set(key, shared);
    return shared;
  }

  private async keep(key: string, entry: CachedResponse): Promise<void> {
    this.memory.set(key, entry);
    await sharedRedis()?.set(`${this.prefix}${key}`, JSON.stringify(entry), 'EX', this.settings().ttlSeconds);
  }

  /**
   * The koa middleware in front of every route. A write answers only once the raises its
   * commits asked for are done: Strapi runs commit callbacks without awaiting them, and the
   * content manager's publish and unpublish commit an outer transaction after the Document
   * Service middleware has returned, so without this a client's next read could still be served
   * the answer its write made out of date.
   */
  async handle(ctx: any, next: () => Promise<unknown>): Promise<void> {
    await this.serve(ctx, next);
    if (!SAFE_METHODS.has(ctx.method)) await this.settled();
  }

  /** Anonymous GraphQL reads from the cache; anything else passes. */
  private async serve(ctx: any, next: () => Promise<unknown>): Promise<void> {
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
    let resolved: GraphqlRead | undefined;
    let current: Generations = () => 0;
    let hit: CachedResponse | undefined;
    try {
      resolved = read && (await this.resolve(read));
      key = resolved && cacheKey(resolved);
      if (key) {
        current = await this.generations();
        hit = await this.lookup(key, current);
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
    const reads =
      (this.reads && readKeys(this.reads.schema, this.reads.model, resolved!.query!, resolved!.variables, resolved!.operationName)) ??
      ALL_KEYS;
    const entry: CachedResponse = {
      generations: Object.fromEntries(reads.map((read) => [read, current(read)])),
      etag: etagOf(body),
      cacheControl: String(ctx.response.get('cache-control') || '') || undefined,
      body,
    };
    await this.keep(key, entry).catch((error) => this.strapi.log.warn(`[response-cache] not kept: ${error.message}`));
    this.answer(ctx, entry, 'MISS', type);
  }

  /**
   * A read with its query text. A persisted query is looked at as Apollo would: a hash sent with
   * a text must be that text's hash and the protocol version 1 (else Apollo refuses it, uncached);
   * a hash alone stands for the text it was registered with, so it shares the entry of the plain
   * query (unknown, Apollo answers PERSISTED_QUERY_NOT_FOUND).
   */
  private async resolve(read: GraphqlRead): Promise<GraphqlRead | undefined> {
    const hash = read.persistedHash;
    if (hash === undefined) return read;
    if (read.persistedVersion !== 1) return undefined;
    if (read.query) return queryHash(read.query) === hash ? read : undefined;
    if (!isQueryHash(hash)) return undefined;
    const query = await this.persistedQueries.get(persistedQueryKey(hash));
    return query === undefined ? undefined : { ...read, query };
  }

  /** Called with Apollo's schema once it is built: from then on answers are kept with what they read. */
  schemaBuilt(schema: GraphQLSchema, model: ReadModel): void {
    this.reads = { schema, model };
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

/**
 * Raises the generations of `keys` once the running transaction commits (at once outside one): a
 * raise before the commit would let a concurrent read keep the old answer under the new
 * generation, and on SQLite it would wait for the one connection the transaction holds.
 */
async function invalidateWhenCommitted(strapi: Core.Strapi, cache: ResponseCache, keys?: string[]): Promise<void> {
  if (!strapi.db.inTransaction()) return cache.invalidate(keys);
  // Joins the running transaction only to be told when it commits.
  await strapi.db.transaction(({ onCommit }) => onCommit(() => void cache.invalidate(keys)));
}

/** Writes that bypass Strapi's query engine (bulk writers) say so here: every kept answer is out of date once they commit. */
export const invalidateResponseCache = (strapi: Core.Strapi): Promise<void> => invalidateWhenCommitted(strapi, responseCache(strapi));

/**
 * Every write to content, media, locales or public permissions raises generations once its
 * transaction commits (a raise before the commit would let a concurrent read keep the old
 * answer under the new generation): a public type's or media's its own, a locale's, a
 * permission's or a folder's everything's. Components raise nothing of their own: a component is
 * only ever written by its owner's write, which raises the owner (the shared source and inference
 * components are in every type: raising their owners would empty everything). Writes to other
 * types (webhook deliveries, admin tables) raise nothing: no anonymous answer shows them.
 * Register first, so that the Document Service middleware wraps all others and a write answers
 * only after its raise (a write inside a caller's transaction, such as the content manager's
 * publish, is awaited by the HTTP middleware instead: see `handle`).
 */
export function registerResponseCache(strapi: Core.Strapi): void {
  const cache = new ResponseCache(strapi, String(strapi.config.get('plugin::graphql.endpoint', '/graphql')));
  caches.set(strapi, cache);
  // Apollo keeps persisted queries where the cache reads them, and tells it its schema (both read
  // by the graphql plugin at bootstrap).
  strapi.config.set('plugin::graphql.apolloServer.persistedQueries', { cache: cache.persistedQueries });
  const plugins = (strapi.config.get('plugin::graphql.apolloServer.plugins') as unknown[] | undefined) ?? [];
  const schemaListener = {
    serverWillStart: async ({ schema }: { schema: GraphQLSchema }) => cache.schemaBuilt(schema, readModel(strapi, schema)),
  };
  strapi.config.set('plugin::graphql.apolloServer.plugins', [...plugins, schemaListener]);

  // A public type or media raises its own key; what any answer may depend on, everything's.
  const own = new Set(ALL_KEYS.filter((key) => key !== EVERYTHING));
  const models = [
    ...own,
    'plugin::upload.folder',
    'plugin::i18n.locale',
    'plugin::users-permissions.permission',
    'plugin::users-permissions.role',
  ];
  const afterCommit = (event: { model: { uid: string } }) =>
    void invalidateWhenCommitted(strapi, cache, own.has(event.model.uid) ? [event.model.uid] : [EVERYTHING]);
  strapi.db.lifecycles.subscribe({ models, ...Object.fromEntries(WRITES.map((action) => [action, afterCommit])) });

  strapi.documents.use(async (context, next) => {
    const result = await next();
    if (DOCUMENT_WRITES.has(context.action)) await cache.settled();
    return result;
  });
}

const modelOf = (strapi: Core.Strapi) => (uid: string) => strapi.getModel(uid as any) as unknown as Model;

/**
 * The GraphQL types of the public content and what they read (./reads): each content type (and
 * media) its own key, through its object type, its collections and its filters, with its
 * attributes as the fields that read nothing more (not `jsonLd`); its components nothing of their
 * own (only their owners show them); pages and inputs other than filters nothing; the root
 * query's fields that find public records. Every other type (search, the change feed, the
 * aggregates) is unknown: it reads everything.
 */
function readModel(strapi: Core.Strapi, schema: GraphQLSchema): ReadModel {
  const { naming } = strapi.plugin('graphql').service('utils');
  const getModel = modelOf(strapi);
  const fieldsOf = (model: Model) =>
    new Set([...STANDARD_FIELDS, ...Object.keys(model.attributes).flatMap((name) => [name, `${name}_connection`])]);
  const model: ReadModel = new Map();
  const types = [...PUBLIC_UIDS, UPLOAD_FILE].map(getModel);
  for (const type of types) {
    model.set(naming.getTypeName(type), { keys: [type.uid], fields: fieldsOf(type) });
    const names = [
      'getEntityResponseName',
      'getEntityResponseCollectionName',
      'getRelationResponseCollectionName',
      'getFiltersInputTypeName',
    ];
    for (const name of names) model.set(naming[name](type), { keys: [type.uid] });
  }
  for (const component of withComponents(types, getModel).filter((type) => type.modelType === 'component')) {
    model.set(naming.getComponentName(component), { keys: [], fields: fieldsOf(component) });
    model.set(naming.getFiltersInputTypeName(component), { keys: [] });
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (isInputObjectType(type) && !type.name.endsWith('FiltersInput') && !model.has(type.name)) model.set(type.name, { keys: [] });
  }
  for (const name of STRUCTURAL_TYPES) model.set(name, { keys: [] });
  const query = schema.getQueryType()!;
  const finds = Object.values(query.getFields()).filter((field) => model.get(getNamedType(field.type).name)?.keys.length);
  model.set(query.name, { keys: [], fields: new Set(finds.map((field) => field.name)) });
  return model;
}
