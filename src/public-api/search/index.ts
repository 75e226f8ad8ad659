/**
 * Strapi adapter of the search: keeps the index in step with every write of the document
 * service (in the same transaction as the write), rebuilds it, and answers queries from the
 * index each node holds in memory (./held-sync.ts), on its search thread (./thread.ts).
 */
import fs from 'fs';
import path from 'path';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { invalidateResponseCache } from '../../edge/response-cache';
import {
  PUBLIC_ONLY,
  RELATED_UIDS,
  SEARCH_TYPE_NAMES,
  SEARCH_TYPES,
  entryFor,
  fieldsFor,
  populateFor,
  searchTypeOfUid,
  searchTypeUid,
  type RelationTargets,
  type SearchTypeName,
} from './core';
import {
  countEntries,
  documentsWithFacet,
  preparedRead,
  rebuildEntries,
  replaceEntries,
  settleAfterRebuild,
  shownEntries,
  type EntryRow,
} from './store';
import { heldSync } from './held-sync';
import { answerSearch, searchSource, type SearchAnswer, type SearchArgs, type SearchSource } from './answer';
import type { Vocabulary } from './kept-vocabulary';
import { SearchThreadGone, askSearchThread, startSearchThread } from './thread';
import { startRebuildAnalysis } from './rebuild-analysis';
import { readOffMainThread } from '../read-threads';
import { namedStatements } from '../direct-reads/prepared';
import { instanceState } from '../../edge/shared-state';
import { CONTENT_LOCALES } from '../../content/locales/core';
import { tablesOf } from '../../content/model/tables';

export { stopSearchThread } from './thread';

// The writes that can change what is published: a draft saved (create, update without
// `status: 'published'`) or discarded changes no published version, so it leaves the index alone.
const PUBLISHING_ACTIONS = new Set(['delete', 'publish', 'unpublish']);
const DRAFT_OR_PUBLISHED_ACTIONS = new Set(['create', 'update']);
const changesPublished = (action: string, params: { status?: string }) =>
  PUBLISHING_ACTIONS.has(action) || (DRAFT_OR_PUBLISHED_ACTIONS.has(action) && params.status === 'published');
const locales = () => CONTENT_LOCALES.map((locale) => locale.code);

/** Where each relation path of a type leads, read from the content model (through a component for `agenda.speakers`). */
function targetsOf(strapi: Core.Strapi, type: SearchTypeName): RelationTargets {
  const attributes = strapi.contentType(searchTypeUid(type) as any).attributes as any;
  return Object.fromEntries(
    SEARCH_TYPES[type].relations.map((path) => {
      const [head, name] = path.split('.');
      const attribute = name ? (strapi.components as any)[attributes[head].component].attributes[name] : attributes[head];
      return [path, attribute.target];
    }),
  );
}

/** Strapi filters reaching a related document through a relation path: { agenda: { speakers: { documentId } } }. */
const throughPath = (path: string, documentId: string) =>
  path
    .split('.')
    .reverse()
    .reduce<Record<string, unknown>>((inner, name) => ({ [name]: inner }), { documentId });

async function publishedEntries(strapi: Core.Strapi, type: SearchTypeName, documentIds: string[]) {
  const entries = [];
  const targets = targetsOf(strapi, type);
  const filters = { ...PUBLIC_ONLY[searchTypeUid(type)], documentId: { $in: documentIds } };
  for (const locale of locales()) {
    const docs = await strapi.documents(searchTypeUid(type) as any).findMany({
      status: 'published',
      locale,
      filters,
      populate: populateFor(type, targets),
    } as any);
    entries.push(...docs.map((doc: any) => entryFor(type, doc, targets)));
  }
  return entries;
}

/** Rewrites the entries of these documents from their published versions (none: removed). */
export async function reindexDocuments(strapi: Core.Strapi, trx: Knex, type: SearchTypeName, documentIds: string[]): Promise<void> {
  await replaceEntries(trx, type, documentIds, await publishedEntries(strapi, type, documentIds));
}

/** Searchable documents that a change to this related record may alter, linked now or before. */
async function dependents(strapi: Core.Strapi, trx: Knex, uid: string, documentId: string) {
  const found = new Map<string, { type: SearchTypeName; documentId: string }>();
  for (const hit of await documentsWithFacet(trx, documentId)) found.set(`${hit.type}#${hit.documentId}`, hit);
  for (const type of SEARCH_TYPE_NAMES) {
    const targets = targetsOf(strapi, type);
    for (const path of SEARCH_TYPES[type].relations.filter((relation) => targets[relation] === uid)) {
      const linked = await strapi.documents(searchTypeUid(type) as any).findMany({
        status: 'published',
        locale: '*',
        filters: throughPath(path, documentId),
        fields: ['documentId'],
      } as any);
      for (const doc of linked) found.set(`${type}#${doc.documentId}`, { type, documentId: doc.documentId });
    }
  }
  return [...found.values()];
}

/**
 * Every write through the document service (admin, REST, GraphQL, scripts) updates the index
 * in the same transaction: a search never sees a record that is not published, and a failed
 * index write undoes the edit instead of leaving the two apart.
 */
export function registerSearchIndexing(strapi: Core.Strapi): void {
  const related = new Set(RELATED_UIDS);
  strapi.documents.use(async (context, next) => {
    const type = searchTypeOfUid(context.uid);
    if (!changesPublished(context.action, context.params as { status?: string }) || (!type && !related.has(context.uid))) return next();
    return strapi.db.transaction(async ({ trx }) => {
      const params = context.params as { documentId?: string };
      const before =
        params.documentId && related.has(context.uid) ? await dependents(strapi, trx as any, context.uid, params.documentId) : [];
      const result: any = await next();
      const documentId = params.documentId ?? result?.documentId;
      if (!documentId) return result;
      if (type) await reindexDocuments(strapi, trx as any, type, [documentId]);
      if (related.has(context.uid)) {
        const after = await dependents(strapi, trx as any, context.uid, documentId);
        const byType = new Map<SearchTypeName, Set<string>>();
        for (const hit of [...before, ...after]) byType.set(hit.type, (byType.get(hit.type) ?? new Set()).add(hit.documentId));
        for (const [dependentType, ids] of byType) await reindexDocuments(strapi, trx as any, dependentType, [...ids]);
      }
      return result;
    });
  });
}

const byNumber = (a: number, b: number) => a - b;

/**
 * Fills in a page of rows what `populate` (populateFor's, the Document Service's terms) asks,
 * as the Query Engine's populate would: each relation and component is read from its join table
 * (content/model/tables) by the page's id range, the column the join tables index, then its
 * targets by id, with their fields, filters and own populate. The Query Engine's populate
 * narrows a component's join table by field as well, and without fresh statistics (after a bulk
 * write) both engines then read every component of that field for each page.
 */
async function populatePage(strapi: Core.Strapi, trx: Knex, uid: string, rows: any[], populate: Record<string, any>): Promise<void> {
  if (!rows.length) return;
  const ids = rows.map((row) => row.id as number).sort(byNumber);
  const byId = new Map(rows.map((row) => [row.id as number, row]));
  // The components of every field are in one join table: it is read once for all of them.
  const read = new Map<string, Promise<any[]>>();
  const linksOf = (table: string, from: string) => {
    const key = `${table}.${from}`;
    if (!read.has(key))
      read.set(
        key,
        trx(table)
          .select('*')
          .whereBetween(from, [ids[0], ids[ids.length - 1]])
          .then((found: any[]) => found),
      );
    return read.get(key)!;
  };
  for (const [name, spec] of Object.entries(populate)) {
    const link = tablesOf(strapi)(uid).links[name];
    if (!link) throw new Error(`The search index reads ${uid}.${name} through a join table, and it has none.`);
    const [from, to, order] = [link.ownerColumn, link.targetColumn, link.orderBy[0]?.[0]];
    const on = Object.entries(link.conditions);
    const links = (await linksOf(link.table, from))
      .filter((link: any) => byId.has(link[from]) && on.every(([column, value]) => link[column] === value))
      .sort((a: any, b: any) => (order ? (a[order] ?? 0) - (b[order] ?? 0) : 0) || a.id - b.id);
    const targetIds = [...new Set(links.map((link: any) => link[to] as number))];
    const found: any[] = targetIds.length
      ? await strapi.db.query(link.target as any).findMany({
          where: { ...(spec.filters ?? {}), id: { $in: targetIds } },
          ...(spec.fields ? { select: ['id', ...spec.fields] } : {}),
        })
      : [];
    if (spec.populate) await populatePage(strapi, trx, link.target, found, spec.populate);
    const targets = new Map(found.map((target) => [target.id as number, target]));
    const linked = new Map<number, any[]>(ids.map((id) => [id, []]));
    for (const link of links) if (targets.has(link[to])) linked.get(link[from])!.push(targets.get(link[to]));
    for (const [id, list] of linked) byId.get(id)[name] = link.many ? list : (list[0] ?? null);
  }
}

/**
 * A type's public published versions, a page at a time, with what entryFor reads: what
 * publishedEntries reads through the Document Service, read beneath it (no middlewares, only the
 * fields the index needs, relations by join table) and paged by id. Every locale comes in one walk
 * of the primary key, the locales the knowledge base does not publish left out here: narrowed by
 * locale, SQLite would read the rows through the locale's index and sort them all again for each page.
 */
async function* publishedPages(strapi: Core.Strapi, trx: Knex, type: SearchTypeName, targets: RelationTargets, limit: number) {
  const uid = searchTypeUid(type);
  const populate = populateFor(type, targets);
  const published = new Set<string>(locales());
  for (let after = 0; ;) {
    const docs: any[] = await strapi.db.query(uid as any).findMany({
      select: ['id', ...fieldsFor(type)],
      where: { ...PUBLIC_ONLY[uid], publishedAt: { $notNull: true }, id: { $gt: after } },
      orderBy: { id: 'asc' },
      limit,
    });
    if (!docs.length) return;
    const page = docs.filter((doc) => published.has(doc.locale));
    await populatePage(strapi, trx, uid, page, populate);
    yield page;
    after = docs[docs.length - 1].id;
  }
}

/**
 * Rebuilds the whole index from the published content, in one transaction, with progress. Three
 * pages are under way at a time: while the analysis thread makes the rows of one, this thread
 * writes the rows of the one before and reads the next.
 */
export async function rebuildSearchIndex(
  strapi: Core.Strapi,
  { log = (line: string): void => void strapi.log.info(line), batch = 500 }: { log?: (line: string) => void; batch?: number } = {},
): Promise<{ entries: number; seconds: number }> {
  const started = Date.now();
  const analysis = startRebuildAnalysis();
  const entries = await strapi.db
    .transaction(async ({ trx }) => {
      const writer = await rebuildEntries(trx as any);
      let entries = 0;
      for (const type of SEARCH_TYPE_NAMES) {
        const total = await strapi
          .documents(searchTypeUid(type) as any)
          .count({ status: 'published', locale: '*', filters: PUBLIC_ONLY[searchTypeUid(type)] } as any);
        const targets = targetsOf(strapi, type);
        let done = 0;
        let analysed: Promise<EntryRow[]> | undefined;
        const writeAnalysed = async () => {
          const rows = analysed && (await analysed);
          if (!rows) return;
          await writer.add(rows);
          done += rows.length;
          log(`[search] ${type}: ${done}/${total} entries (documents × locales)`);
        };
        for await (const page of publishedPages(strapi, trx as any, type, targets, batch)) {
          const next = analysis.analyse(type, page, targets);
          next.catch(() => undefined); // awaited below; a read failing first must not leave it unhandled
          await writeAnalysed();
          analysed = next;
        }
        await writeAnalysed();
        entries += done;
      }
      await writer.finish();
      return entries;
    })
    .finally(() => analysis.stop());
  // Inside a caller's transaction (an import), the caller settles the index after its commit.
  if (!strapi.db.inTransaction()) await settleSearchIndex(strapi);
  const seconds = (Date.now() - started) / 1000;
  log(`[search] index rebuilt: ${entries} entries in ${seconds.toFixed(1)} s`);
  // Search answers may differ (new analysis, thesaurus): none kept from before is served.
  await invalidateResponseCache(strapi);
  return { entries, seconds };
}

/** After the commit of a rebuild made in a caller's transaction (an import): see settleAfterRebuild. */
export const settleSearchIndex = (strapi: Core.Strapi): Promise<void> => settleAfterRebuild(strapi.db.connection as unknown as Knex);

/** An empty index over published content (an upgraded database, a bulk import) is rebuilt at start. */
export async function ensureSearchIndex(strapi: Core.Strapi): Promise<void> {
  const knex = strapi.db.connection as unknown as Knex;
  if ((await countEntries(knex)) > 0) return;
  for (const type of SEARCH_TYPE_NAMES) {
    if ((await strapi.documents(searchTypeUid(type) as any).count({ status: 'published', locale: '*' } as any)) > 0) {
      await rebuildSearchIndex(strapi);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Queries

const thesaurusFile = (strapi: Core.Strapi) => path.join(strapi.dirs.app.root, 'data', 'search', 'thesaurus.json');

/**
 * The SQL of each vocabulary read (the published themes; the territories with their parent's
 * documentId), compiled by knex from the model, its one binding the locale. Read at every filtered
 * search, so as a prepared statement beneath the Document Service (a theme by slug 2.1 ms through
 * it, the territory tree 3.2 ms, at 10,000 practices on PostgreSQL).
 */
function vocabularyStatements(strapi: Core.Strapi): Record<Vocabulary, string> {
  const knex = strapi.db.connection as unknown as Knex;
  const published = (uid: string, parent?: string) => {
    const table = tablesOf(strapi)(uid);
    const column = (alias: string, name: string) => `${alias}.${table.columns[name].column}`;
    const query = knex({ t: table.name })
      .select({ documentId: column('t', 'documentId'), slug: column('t', 'slug') })
      .where(column('t', 'locale'), '') // a placeholder: the locale is bound at each read
      .whereNotNull(column('t', 'publishedAt'));
    if (parent) {
      const link = table.links[parent];
      query
        .leftJoin({ l: link.table }, `l.${link.ownerColumn}`, 't.id')
        .leftJoin({ p: table.name }, (on) => on.on('p.id', `l.${link.targetColumn}`).andOnNotNull(column('p', 'publishedAt')))
        .select({ parent: column('p', 'documentId') });
    }
    return query.toSQL().toNative().sql;
  };
  return { themes: published('api::theme.theme'), territories: published('api::territory.territory', 'parent') };
}

/** The node's own source, when it searches on its own thread: the index held over its connection, the texts read on a SQLite reader thread. */
const ownSources = instanceState<SearchSource>('search-own-source');
function ownSource(strapi: Core.Strapi): SearchSource {
  let source = ownSources.get(strapi);
  if (source) return source;
  const knex = strapi.db.connection as unknown as Knex;
  const statements = vocabularyStatements(strapi);
  source = searchSource({
    held: heldSync(knex, (line) => strapi.log.info(line)),
    vocabulary: (vocabulary, locale) => preparedRead(knex, statements[vocabulary], [locale], namedStatements(strapi)),
    shown: (ids, seq) =>
      shownEntries(knex, ids, seq, namedStatements(strapi), (statement, onMain) => readOffMainThread(strapi, statement, onMain)),
    thesaurus: JSON.parse(fs.readFileSync(thesaurusFile(strapi), 'utf8')),
  });
  ownSources.set(strapi, source);
  return source;
}

/**
 * Holds the index before the node answers (bootstrap), so that its first search does not wait for
 * it: on the search thread (./thread.ts), or on the node's thread when it has none or it failed to start.
 */
export async function holdSearchIndex(strapi: Core.Strapi): Promise<void> {
  const connection = strapi.config.get('database.connection') as Record<string, any>;
  const filename = connection.connection?.filename;
  if ((strapi.config.get('performance.searchThread', true) as boolean) !== false && filename !== ':memory:') {
    const sqlite = connection.client === 'sqlite';
    try {
      return await startSearchThread(strapi, {
        // The node's connection settings without its functions (the pool's afterCreate): a search's reads are by key.
        knex: {
          client: sqlite ? 'better-sqlite3' : 'pg',
          connection: sqlite ? { filename, options: { readonly: true } } : connection.connection,
          useNullAsDefault: sqlite,
          pool: sqlite ? { min: 1, max: 1 } : { min: 0, max: 2, createRetryIntervalMillis: 50 },
          acquireConnectionTimeout: connection.acquireConnectionTimeout,
        },
        thesaurusFile: thesaurusFile(strapi),
        vocabulary: vocabularyStatements(strapi),
        namedStatements: namedStatements(strapi),
      });
    } catch (error) {
      strapi.log.warn(`[search] the search thread did not start (${(error as Error).message}); searches run on the node's thread`);
    }
  }
  await ownSource(strapi).held.synced();
}

/**
 * How many matches a search counts at most (`performance.searchExactTotalUpTo`, SEARCH_EXACT_TOTAL_UP_TO),
 * read at each search; checked at start too (registerSearchQuery), so that a bad value stops the node, not a search.
 */
export function exactTotalUpTo(strapi: Core.Strapi): number {
  const value = Number(strapi.config.get('performance.searchExactTotalUpTo'));
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`SEARCH_EXACT_TOTAL_UP_TO must be a whole number of at least 0 (got ${value}).`);
  return value;
}

/** Published records matching the query, best first, with snippets: from the search thread, or the node's own index. */
export async function searchKnowledgeBase(strapi: Core.Strapi, query: Omit<SearchArgs, 'exactTotalUpTo'>): Promise<SearchAnswer> {
  const args = { ...query, exactTotalUpTo: exactTotalUpTo(strapi) };
  const asked = askSearchThread(strapi, args);
  if (asked)
    try {
      return await asked;
    } catch (error) {
      if (!(error instanceof SearchThreadGone)) throw error;
    }
  return answerSearch(ownSource(strapi), args);
}
