import type { Core } from '@strapi/strapi';
import type { DocumentNode, GraphQLResolveInfo, GraphQLSchema, OperationDefinitionNode } from 'graphql';
import { HeaderMap } from '@apollo/server';
import { Declined, fieldsOf, pageInfo, planRecords, readParams, shapeRecords } from './core';
import { compileRead, decodeRecord, NotCompiled, type Dialect } from './statement';
import { namedStatements, preparedReadsOf, type KnexLike } from './prepared';
import { directExecution, type RootContext } from './execution';
import { tablesOf, type Table } from '../../content/model/tables';
import { isPublicCaller, publicRead } from '../public-access/core';
import { anonymousRead, buildAllowList } from '../public-access/allow-list';
import { publicModels } from '../public-access';
import { inReadSnapshot } from '../read-snapshot';
import { readOffMainThread } from '../read-threads';
import { expandWithin } from '../territory-filter/core';
import { depthOf } from '../territory-filter';
import { checkNestedListFilters } from '../../edge/query-params';
import { checkDeadline } from '../../edge/query-limits';
import { CONTENT_LOCALES } from '../../content/locales/core';
import { PUBLIC_UIDS, type Model } from '../../content/model/core';
import { instanceState } from '../../edge/shared-state';
import { MemoryStore } from '../../edge/response-cache/core';
import type { RecordPlan } from './core';

/** What this node's direct reads did, for operators and tests (`strapi.get('direct-reads')`). */
export interface DirectReadStats {
  answered: number;
  /** Root fields read in one statement (./statement); the others through Strapi's database layer. */
  compiled: number;
  /** Operations executed as compiled by graphql-jit (./execution). */
  jit: number;
  /** Of those answered, the requests answered before Strapi's router and Apollo (./requests). */
  requests: number;
  declined: number;
  /** Why queries went to Strapi's resolvers, by reason (the first few dozen reasons). */
  reasons: Record<string, number>;
}
const KEPT_REASONS = 50;
/** Bytes of sort checks and of pages kept (keptChecks), each. */
const KEPT_CHECKS_BYTES = 256 * 1024;

interface RootField {
  uid: string;
  kind: 'list' | 'connection' | 'one';
}

/**
 * A root field whose resolver gives its whole answer as plain values (the `search` query): read
 * with the public types' roots, without Strapi's per-field wrappers (an authorisation check and a
 * policy context for every field of every hit), when it is the operation's only root field. Same
 * rule: any error, and Strapi's resolvers answer.
 */
export type PlainRoot = (args: Record<string, any>) => Promise<unknown>;
const plainRoots = instanceState<Map<string, PlainRoot>>('direct-reads.plain-roots');

/** Registers `Query.<name>` as a plain root (see PlainRoot); its resolver stays registered with Strapi as well. */
export function readPlainly(strapi: Core.Strapi, name: string, resolve: PlainRoot): void {
  const roots = plainRoots.get(strapi) ?? new Map<string, PlainRoot>();
  plainRoots.set(strapi, roots.set(name, resolve));
}

/** An operation asked of direct reads: the request's, after Apollo's parsing and validation (or ./requests.ts's, of a text Apollo validated). */
export interface OperationAsked {
  schema: GraphQLSchema;
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | undefined;
  variables: Record<string, unknown> | undefined;
  /** Apollo's context, or one made as Strapi's GraphQL route makes it: `{ state, koaContext }`. */
  contextValue: any;
}

/** What ./requests.ts answers with: the texts Apollo validated and direct reads answered, and how direct reads answer. */
export interface DirectAnswerer {
  /** Apollo's schema, once it has handed one over. */
  schema?: GraphQLSchema;
  documents: MemoryStore<DocumentNode>;
  answer(asked: OperationAsked): Promise<Record<string, unknown> | null>;
  stats: DirectReadStats;
}
const answerers = instanceState<DirectAnswerer>('direct-reads.answerer');
/** This node's direct reads, once Strapi's GraphQL server has them (undefined without GraphQL, or before). */
export const directAnswerer = (strapi: Core.Strapi): DirectAnswerer | undefined => answerers.get(strapi);

/** Bytes of query texts kept as validated, with their parsed documents (about 16 bytes of document per character of text). */
const KEPT_DOCUMENTS_BYTES = 4 * 1024 * 1024;
const documentSize = (text: string) => 18 * text.length + 256;

/**
 * Anonymous GraphQL reads of the public types, answered without Strapi's per-field resolvers.
 * Strapi resolves every field through its authorisation and sanitising wrappers and each relation
 * through a resolver of its own; for a published record read by an anonymous caller all of that
 * decides nothing the allow-list has not already decided. So, for a query whose every field is
 * a public attribute or relation without arguments (./core plans it), each root field is one
 * Document-Service-equivalent read (`query-params` transform, the same `where` the Document
 * Service adds, Strapi's database layer with populate) after the same checks the Strapi path
 * makes (allow-list, query-params, Strapi's own query validation, permission), and the answer
 * is shaped on Strapi's schema without its resolvers (./execution: graphql-js, or graphql-jit for
 * an operation that comes back). Anything else — tokens, other queries, a field the plan declines, any error — goes to Strapi's resolvers unchanged,
 * so errors are always Strapi's own. tests/direct-reads.test.ts compares both answers.
 * `performance.directReads: false` (GRAPHQL_DIRECT_READS=false) switches it off.
 */
export function registerDirectReads(strapi: Core.Strapi): void {
  const plugins = (strapi.config.get('plugin::graphql.apolloServer.plugins') as unknown[] | undefined) ?? [];
  strapi.config.set('plugin::graphql.apolloServer.plugins', [...plugins, directReadsPlugin(strapi)]);
}

function directReadsPlugin(strapi: Core.Strapi) {
  const stats: DirectReadStats = { answered: 0, compiled: 0, jit: 0, requests: 0, declined: 0, reasons: {} };
  strapi.add('direct-reads', () => stats);
  const enabled = () => (strapi.config.get('performance.directReads', true) as boolean) !== false;
  const locales = CONTENT_LOCALES.map((locale) => locale.code);
  let prepared: ReturnType<typeof prepare> | undefined;
  const execution = directExecution(
    () => Number(strapi.config.get('performance.compileAfter', 1)),
    () => (stats.jit += 1),
  );

  /** Built once the schema exists (the first request): models, allow-list and Strapi's GraphQL helpers. */
  function prepare() {
    const { naming } = strapi.plugin('graphql').service('utils');
    const { transformArgs } = strapi.plugin('graphql').service('builders').utils;
    const getModel = (uid: string) => strapi.getModel(uid as any) as unknown as Model;
    const allowList = buildAllowList(publicModels(strapi));
    const roots = new Map<string, RootField>();
    for (const uid of PUBLIC_UIDS) {
      const contentType = strapi.contentType(uid as any);
      roots.set(naming.getFindQueryName(contentType), { uid, kind: 'list' });
      roots.set(naming.getFindConnectionQueryName(contentType), { uid, kind: 'connection' });
      roots.set(naming.getFindOneQueryName(contentType), { uid, kind: 'one' });
    }
    // Strapi's resolvers give a list field without arguments this page.
    const listLimit = Number(strapi.config.get('plugin::graphql.defaultLimit', 25));
    const dialect: Dialect | null = ({ sqlite: 'sqlite', postgres: 'postgres' } as Record<string, Dialect>)[
      String(strapi.config.get('database.connection.client'))
    ];
    const tableOf = tablesOf(strapi);
    const readRows = dialect ? preparedReadsOf(dialect) : null;
    return { transformArgs, getModel, allowList, roots, territoryDepth: depthOf(strapi), listLimit, dialect, tableOf, readRows };
  }

  /** One root field: checked like Strapi's path, then read with everything its selection needs. */
  async function readRoot(root: RootField, args: Record<string, any>, info: GraphQLResolveInfo, apolloContext: any) {
    const { koaContext } = apolloContext;
    const { transformArgs, getModel, allowList, territoryDepth, listLimit, dialect, tableOf } = prepared!;
    const model = getModel(root.uid);
    const contentType = strapi.contentType(root.uid as any);
    const many = root.kind !== 'one';
    const { plan, countAsked } = planOf(root, info);
    if (args.publicationFilter != null || args.hasPublishedVersion != null) throw new Declined('publication arguments');
    const status = args.status == null ? 'published' : String(args.status).toLowerCase();
    const decision = publicRead({ status, locale: args.locale }, locales);
    if ('refusal' in decision) throw new Declined(decision.message);

    const filters = args.filters == null ? args.filters : expandWithin(args.filters, territoryDepth);
    // Strapi's transformArgs, its page apart (see keptChecks).
    const transformed = {
      ...transformArgs({ ...args, filters, pagination: undefined }, { contentType, usePagination: false }),
      ...(many
        ? keptChecks.page(args.pagination, () => transformArgs({ pagination: args.pagination }, { contentType, usePagination: true }))
        : {}),
    };
    try {
      checkNestedListFilters(strapi, transformed.filters, root.uid);
      anonymousRead({ filters: transformed.filters, sort: transformed.sort }, root.uid, allowList);
      const auth = koaContext.state.auth;
      await strapi.auth.verify(auth, { scope: [`${root.uid}.${many ? 'find' : 'findOne'}`] });
      // Strapi's query validation checks filters, sort, fields and populate each on its own: the sort apart (see keptChecks).
      const { sort: _sort, ...unsorted } = transformed;
      await strapi.contentAPI.validate.query(unsorted, contentType, { auth });
      if (transformed.sort !== undefined)
        await keptChecks.sort(root.uid, transformed.sort, () =>
          strapi.contentAPI.validate.query({ sort: transformed.sort }, contentType, { auth }),
        );
    } catch (error) {
      throw new Declined(`refused: ${(error as Error).message}`);
    }

    const { documentId, locale, sort, start, limit } = transformed;
    // The records' fields and relations are the plan's: Strapi's form of them (`select`, `populate`) only when its database layer reads.
    const query: any = strapi.get('query-params').transform(root.uid, {
      filters: transformed.filters,
      sort,
      ...(many ? { start, limit } : {}),
      status: 'published',
    });
    // The Document Service's own lookup: the default locale when none is asked, every locale for '*'.
    const lookupLocale = (contentType.pluginOptions as any)?.i18n?.localized
      ? (locale ?? (await strapi.plugin('i18n').service('locales').getDefaultLocale()))
      : '*';
    query.where = {
      ...(lookupLocale === '*' ? {} : { locale: lookupLocale }),
      publishedAt: { $notNull: true },
      ...(many ? {} : { documentId }),
      ...query.where,
    };
    const statement =
      dialect && (strapi.config.get('performance.oneStatementReads', true) as boolean) !== false
        ? oneStatement(dialect, tableOf, root.uid, plan, many ? query : { where: query.where })
        : null;
    const { orderBy: _orderBy, limit: _limit, offset: _offset, ...counted } = query;
    const layered = () => ({ ...query, ...strapi.get('query-params').transform(root.uid, readParams(plan)) });
    const read = async () => {
      const records = statement
        ? await readStatement(statement, tableOf, root.uid, plan, many)
        : many
          ? await strapi.db.query(root.uid as any).findMany(layered())
          : [await strapi.db.query(root.uid as any).findOne(layered())];
      const total = countAsked ? Number(await strapi.db.query(root.uid as any).count(counted)) : 0;
      return { records, total };
    };
    // One statement is a snapshot by itself; several (Strapi's populate, a count beside the page) share one.
    const { records, total } = statement && !countAsked ? await read() : await inReadSnapshot(strapi, read);
    // The operation's time limit (src/edge/query-limits): past it, Strapi's resolvers answer with the refusal.
    checkDeadline(apolloContext);
    for (const record of records) shapeRecords(record, plan, model, getModel, listLimit);
    if (root.kind === 'one') return records[0] ?? null;
    if (root.kind === 'list') return records;
    return { nodes: records, pageInfo: countAsked ? pageInfo(total, start, limit) : null };
  }

  /**
   * A partner's queries differ in their filters, much less in their sort and page: the same few
   * come back all day. Strapi's check of a sort (its fields exist, and any relation it crosses is
   * readable by the caller) and its reading of a page (`page`/`pageSize` or `start`/`limit`, the
   * defaults, the maximum) take about a tenth of the node's time for an uncached list, and for an anonymous
   * caller they depend on the value alone: the public role's permissions follow the allow-list and
   * are fixed while the node runs (../public-access/public-role). So each is worked out once per
   * value (a bounded number of them); a value Strapi refuses is not kept, and its query goes to
   * Strapi's resolvers, which refuse it in their own words.
   */
  const keptChecks = {
    sorts: new MemoryStore<true>(KEPT_CHECKS_BYTES, (key) => 2 * key.length + 64),
    pages: new MemoryStore<{ start: number; limit: number }>(KEPT_CHECKS_BYTES, (key) => 2 * key.length + 96),
    async sort(uid: string, sort: unknown, check: () => Promise<unknown>) {
      const key = `${uid}\n${JSON.stringify(sort)}`;
      if (this.sorts.get(key)) return;
      await check();
      this.sorts.set(key, true);
    },
    page(pagination: unknown, read: () => { start: number; limit: number }) {
      const key = JSON.stringify(pagination ?? null);
      let page = this.pages.get(key);
      if (!page) {
        const { start, limit } = read();
        this.pages.set(key, (page = { start, limit }));
      }
      return page;
    },
  };

  /**
   * What a root field's selection reads, and whether a connection counts its records. It depends
   * on the query's text alone, and Apollo hands the same parsed document to every request of the
   * same text: planned once per field node (a failed plan is not kept; Strapi's resolvers answer it).
   */
  const plans = new WeakMap<object, { plan: RecordPlan; countAsked: boolean }>();
  function planOf(root: RootField, info: GraphQLResolveInfo) {
    const node = info.fieldNodes.length === 1 ? info.fieldNodes[0] : null;
    const kept = node && plans.get(node);
    if (kept) return kept;
    const { getModel, allowList } = prepared!;
    // A connection: its records are `nodes`, and `pageInfo` is a count of all of them.
    let selections = info.fieldNodes.map((field) => field.selectionSet!);
    let countAsked = false;
    if (root.kind === 'connection') {
      const inside = fieldsOf(selections, info.fragments);
      countAsked = inside.has('pageInfo');
      if ([...inside.keys()].some((name) => !['nodes', 'pageInfo', '__typename'].includes(name))) throw new Declined('connection fields');
      selections = (inside.get('nodes') ?? []).map((field) => field.selectionSet!);
    }
    const planned = { plan: planRecords(selections, getModel(root.uid), { fragments: info.fragments, getModel, allowList }), countAsked };
    if (node) plans.set(node, planned);
    return planned;
  }

  /** The read as one statement (./statement), or null when it cannot be written as one. */
  function oneStatement(dialect: Dialect, tableOf: (uid: string) => Table, uid: string, plan: RecordPlan, query: any) {
    try {
      return compileRead(dialect, tableOf, uid, plan, query);
    } catch (error) {
      if (error instanceof NotCompiled) return null;
      throw error;
    }
  }

  /** Runs the statement (in the operation's snapshot when it has one) and decodes its records as Strapi's database layer would give them. */
  async function readStatement(
    { sql, bindings }: { sql: string; bindings: unknown[] },
    tableOf: (uid: string) => Table,
    uid: string,
    plan: RecordPlan,
    many: boolean,
  ) {
    const run = (knex: KnexLike) => prepared!.readRows!(knex, sql, bindings, namedStatements(strapi));
    // Alone, on SQLite, on a reader thread (../read-threads); in the operation's snapshot, in its transaction.
    const rows = (await readOffMainThread(strapi, { sql, bindings }, async () =>
      strapi.db.inTransaction() ? await strapi.db.transaction(({ trx }) => run(trx)) : await run(strapi.db.connection),
    )) as { j: unknown }[];
    stats.compiled += 1;
    const records = rows.map(({ j }) => decodeRecord(tableOf, uid, plan, typeof j === 'string' ? JSON.parse(j) : j));
    return many ? records : [records[0] ?? null];
  }

  /** The operation's data as direct reads give it, or null when they decline it (any error included): Strapi's resolvers answer. */
  async function answerOperation({ schema, document, operation, operationName, variables, contextValue }: OperationAsked) {
    const koaContext = contextValue?.koaContext;
    if (!enabled() || operation?.operation !== 'query' || !koaContext || koaContext.state.user || !isPublicCaller(koaContext.state))
      return null;
    prepared ??= prepare();
    const { roots } = prepared;
    const plain = plainRoots.get(strapi) ?? new Map<string, PlainRoot>();
    const rootNames = operation.selectionSet.selections.map((selection: any) => selection.name?.value);
    if (!rootNames.every((name: string | undefined) => name === '__typename' || (name && (roots.has(name) || plain.has(name)))))
      return null;
    const fields = rootNames.filter((name: string) => name !== '__typename');
    // A plain root reads in transactions of its own: alone in its operation, never inside the snapshot of several.
    if (fields.length > 1 && fields.some((name: string) => plain.has(name))) return null;

    const context: RootContext = {
      resolveRoot(args, info) {
        const resolve = plain.get(info.fieldName);
        if (!resolve) return readRoot(roots.get(info.fieldName)!, args, info, contextValue);
        return resolve(args).then((answer) => {
          checkDeadline(contextValue);
          return answer;
        });
      },
    };
    const run = () => execution(schema, document, operationName, variables, context);
    // Several root fields read in one snapshot; a single one takes care of its own (readRoot).
    const result = fields.length > 1 ? await inReadSnapshot(strapi, run) : await run();
    if (result.errors?.length) {
      stats.declined += 1;
      const reason = result.errors[0].message;
      if (reason in stats.reasons || Object.keys(stats.reasons).length < KEPT_REASONS)
        stats.reasons[reason] = (stats.reasons[reason] ?? 0) + 1;
      return null;
    }
    stats.answered += 1;
    return result.data!;
  }

  const answerer: DirectAnswerer = {
    documents: new MemoryStore<DocumentNode>(KEPT_DOCUMENTS_BYTES, documentSize),
    answer: answerOperation,
    stats,
  };
  answerers.set(strapi, answerer);
  return {
    async requestDidStart() {
      return {
        async responseForOperation(requestContext: any) {
          const { operation, document, schema, contextValue, request, source } = requestContext;
          const data = await answerOperation({
            schema,
            document,
            operation,
            operationName: request.operationName ?? undefined,
            variables: request.variables,
            contextValue,
          });
          if (!data) return null;
          // Apollo parsed and validated this text against this schema: ./requests.ts may answer it without Apollo from now on.
          answerer.schema = schema;
          if (typeof source === 'string') answerer.documents.set(source, document);
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
        },
      };
    },
  };
}
