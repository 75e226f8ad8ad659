/**
 * Strapi adapter of the change feed: every write through the document service records, in its
 * own transaction, the publication events it caused (and UPDATED for the public records that
 * show the written one through a relation); the start of each node adds what was published
 * without the feed (an older database, a bulk import) and removes expired tombstones; reads serve
 * pages of it to GraphQL (`changes`) and REST (`GET /api/changes`), and its latest publications
 * to the Atom feeds (src/publishing/feeds).
 */
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { invalidateResponseCache } from '../../edge/response-cache';
import { instanceState } from '../../edge/shared-state';
import { CONTENT_LOCALES } from '../../content/locales/core';
import { PUBLIC_TYPES, PUBLIC_UIDS, type Model, type PublicType } from '../../content/model/core';
import {
  ChangeFeedInputError,
  CursorExpiredError,
  TOMBSTONES,
  cursorProblem,
  documentEvents,
  documentsThrough,
  encodeCursor,
  feedQuery,
  feedTypeName,
  populateThrough,
  publicTypeOfUid,
  relationPaths,
  retentionCutoff,
  retentionDays,
  whereThrough,
  type ChangeEntry,
  type FeedEvent,
  type FeedInput,
  type PublishedVersion,
  type RelationPath,
} from './core';

const FEED = 'change_feed';
const HORIZON = 'change_feed_horizon';
/**
 * The writes that can change published versions. A draft save (create, update) and a discarded
 * draft touch drafts only (Strapi copies shared fields to the other locales in the same state).
 */
const PUBLICATION_ACTIONS = new Set(['publish', 'unpublish', 'delete']);
const changesPublished = (action: string, params: { status?: string }) =>
  PUBLICATION_ACTIONS.has(action) || (['create', 'update'].includes(action) && params.status === 'published');
/** The PostgreSQL advisory lock that orders feed writes across nodes (any constant number of ours). */
const FEED_LOCK = 1704202601;
const PUBLISHED = { publishedAt: { $notNull: true } };

const locales = () => CONTENT_LOCALES.map((locale) => locale.code);
const uidOf = (type: PublicType) => `api::${type}.${type}`;
const isPostgres = (knex: Knex) => ['postgres', 'pg'].includes(String(knex.client.config.client));
const retention = () => retentionDays(process.env.FEED_RETENTION_DAYS);

async function publishedVersions(strapi: Core.Strapi, uid: string, documentId: string): Promise<Map<string, PublishedVersion>> {
  const rows = await strapi.db
    .query(uid as any)
    .findMany({ where: { documentId, ...PUBLISHED }, select: ['id', 'locale', 'slug', 'updatedAt'] });
  return new Map(
    rows.map((row: any) => [
      String(row.locale),
      { id: Number(row.id), updatedAt: new Date(row.updatedAt).getTime(), slug: String(row.slug) },
    ]),
  );
}

/** Per target type, the relations through which public records show it (see relationPaths). */
export function feedPaths(strapi: Core.Strapi): Map<string, RelationPath[]> {
  const getModel = (uid: string) => strapi.getModel(uid as any) as unknown as Model;
  return relationPaths(PUBLIC_UIDS.map(getModel), getModel);
}

/** Documents per query when looking them up by a list of documentIds: well under both engines' parameter limits. */
const LOOKUP_BATCH = 500;

/**
 * Published records that show any of these documents through a relation (possibly more than
 * once). A few documents (an edit) are looked up through the relation, a batch at a time; many
 * (an import, a first start after a bulk seed) would make each batch walk the relation's whole
 * join table again (18 s a batch at 100,000 practices on SQLite), so every published record of
 * the showing type is read once instead, with the documents it shows.
 */
export async function showing(
  strapi: Core.Strapi,
  paths: RelationPath[],
  documentIds: string[],
  readAll = documentIds.length > LOOKUP_BATCH,
): Promise<FeedEvent[]> {
  const found: FeedEvent[] = [];
  const event = (uid: string, row: any): FeedEvent => ({
    type: publicTypeOfUid(uid)!,
    documentId: row.documentId,
    locale: String(row.locale),
    slug: row.slug,
    action: 'UPDATED',
  });
  const wanted = new Set(documentIds);
  const select = ['documentId', 'locale', 'slug'];
  for (const { uid, path } of paths) {
    if (readAll) {
      const rows = await strapi.db.query(uid as any).findMany({ where: PUBLISHED, select, populate: populateThrough(path) });
      for (const row of rows as any[]) if (documentsThrough(row, path).some((id) => wanted.has(id))) found.push(event(uid, row));
      continue;
    }
    for (let i = 0; i < documentIds.length; i += LOOKUP_BATCH) {
      const where = { ...PUBLISHED, ...whereThrough(path, { $in: documentIds.slice(i, i + LOOKUP_BATCH) }) };
      for (const row of (await strapi.db.query(uid as any).findMany({ where, select })) as any[]) found.push(event(uid, row));
    }
  }
  return found;
}

const entryOf = (id: number, { type, documentId, slug, locale, action }: FeedEvent, at: string): ChangeEntry => ({
  cursor: encodeCursor(id),
  type: feedTypeName(type),
  documentId,
  slug,
  locale,
  action,
  at,
});

/**
 * Called with the entries a write appended, in cursor order, inside the write's transaction
 * (Strapi's ambient one: strapi.db.query joins it) and under the feed's lock: what derives from
 * the feed (the webhooks' outbox) commits or rolls back with it.
 */
export type FeedListener = (entries: ChangeEntry[]) => Promise<void>;
const listeners = instanceState<FeedListener[]>('change-feed-listeners');

/** Adds a listener of appended entries (at register). */
export function onFeedAppend(strapi: Core.Strapi, listener: FeedListener): void {
  listeners.set(strapi, [...(listeners.get(strapi) ?? []), listener]);
}

const keyOf = (event: Pick<FeedEvent, 'type' | 'documentId' | 'locale'>) => `${event.type}\u0000${event.documentId}\u0000${event.locale}`;

/**
 * Appends events, each replacing the previous one of its record and locale, a batch at a time
 * (an import appends tens of thousands). On PostgreSQL a transaction-wide advisory lock makes the
 * writers of the feed take turns until they commit, so row ids (cursors) become visible in the
 * order they were drawn: a reader at cursor 11 never skips a 10 committed later. SQLite has one
 * writer at a time anyway. Expired tombstones go under the same lock.
 */
async function appendEvents(strapi: Core.Strapi, trx: Knex, events: FeedEvent[], now = new Date()): Promise<void> {
  if (!events.length) return;
  if (isPostgres(trx)) await trx.raw('SELECT pg_advisory_xact_lock(?)', [FEED_LOCK]);
  const at = now.toISOString();
  const entries: ChangeEntry[] = [];
  // The last event of a record and locale is the one that stays.
  const latest = [...new Map(events.map((event) => [keyOf(event), event])).values()];
  const size = Math.min(LOOKUP_BATCH, strapi.db.dialect.getBatchInsertSize());
  for (let i = 0; i < latest.length; i += size) {
    const batch = latest.slice(i, i + size);
    const replaced = new Map<string, string[]>();
    for (const { type, locale, documentId } of batch)
      replaced.set(`${type}\u0000${locale}`, [...(replaced.get(`${type}\u0000${locale}`) ?? []), documentId]);
    for (const [group, documentIds] of replaced) {
      const [type, locale] = group.split('\u0000');
      await trx(FEED).where({ type, locale }).whereIn('document_id', documentIds).delete();
    }
    const rows = await trx(FEED).insert(
      batch.map((event) => ({
        type: event.type,
        document_id: event.documentId,
        locale: event.locale,
        slug: event.slug,
        action: event.action,
        at,
      })),
      ['id'],
    );
    // Ids are drawn in the order the rows are inserted (under the lock, no other writer draws any).
    const ids = rows.map((row: { id: number | string }) => Number(row.id)).sort((a: number, b: number) => a - b);
    batch.forEach((event, k) => entries.push(entryOf(ids[k], event, at)));
  }
  for (const listener of listeners.get(strapi) ?? []) await listener(entries);
  await pruneTombstones(trx, now);
}

/** Removes tombstones older than the retention time; cursors before the newest removed one expire. */
async function pruneTombstones(trx: Knex, now: Date): Promise<number> {
  const expired = trx(FEED)
    .whereIn('action', TOMBSTONES as string[])
    .where('at', '<', retentionCutoff(now, retention()));
  const newest = Number((await expired.clone().max({ id: 'id' }).first())?.id ?? 0);
  if (!newest) return 0;
  const removed = await expired.clone().delete();
  await trx(HORIZON).where({ id: 1 }).where('pruned_through', '<', newest).update({ pruned_through: newest });
  return removed;
}

/**
 * Every write of a public type through the document service (admin, REST, GraphQL, scripts)
 * records the change in what anonymous callers see, in the write's transaction: a crash cannot
 * publish without its event, nor leave an event of a write that failed.
 */
export function registerChangeFeed(strapi: Core.Strapi): void {
  const paths = feedPaths(strapi);
  strapi.documents.use(async (context, next) => {
    const type = publicTypeOfUid(context.uid);
    if (!type || !changesPublished(context.action, context.params as { status?: string })) return next();
    return strapi.db.transaction(async ({ trx }) => {
      const given = (context.params as { documentId?: string }).documentId;
      const related = paths.get(context.uid) ?? [];
      const before = given ? await publishedVersions(strapi, context.uid, given) : new Map();
      const showingBefore = before.size ? await showing(strapi, related, [given!]) : [];
      const result: any = await next();
      const documentId = given ?? result?.documentId;
      if (!documentId) return result;
      const after = await publishedVersions(strapi, context.uid, documentId);
      const drafts = await strapi.db.query(context.uid as any).findMany({ where: { documentId, publishedAt: null }, select: ['locale'] });
      const own = documentEvents(type, documentId, before, after, new Set(drafts.map((row: any) => String(row.locale))));
      if (!own.length) return result;
      // What shows this record changes with it: those records are UPDATED (once, and only if still published).
      const seen = new Set(own.map(keyOf));
      const neighbours = [...showingBefore, ...(after.size ? await showing(strapi, related, [documentId]) : [])].filter((event) => {
        const key = keyOf(event);
        return !seen.has(key) && Boolean(seen.add(key));
      });
      const stillPublished = await Promise.all(
        neighbours.map(async (event) => (await publishedVersions(strapi, uidOf(event.type), event.documentId)).has(event.locale)),
      );
      await appendEvents(strapi, trx as unknown as Knex, [...own, ...neighbours.filter((_, i) => stillPublished[i])]);
      return result;
    });
  });
}

/** A published version a bulk writer rewrote in place (see reconcileFeed). */
export interface RewrittenVersion {
  uid: string;
  documentId: string;
  locale: string | null;
}

/**
 * Brings the feed in line with what is published, in the caller's transaction: a record published
 * without it (before the feed existed, or by a bulk writer) gets PUBLISHED, one it shows but no
 * longer published UNPUBLISHED or DELETED, one whose published version a bulk writer rewrote
 * (`rewritten`) UPDATED; and, as after an edit through the document service, the published records
 * that show a record published or rewritten get UPDATED too. Nothing to do is the usual case;
 * running it twice changes nothing. Also removes expired tombstones.
 */
export async function reconcileFeed(
  strapi: Core.Strapi,
  trx: Knex,
  rewritten: RewrittenVersion[] = [],
): Promise<{ added: number; pruned: number }> {
  const live = new Map<string, { type: PublicType; documentId: string; locale: string; slug: string }>();
  for (const row of await trx(FEED)
    .whereNotIn('action', TOMBSTONES as string[])
    .select('type', 'document_id', 'locale', 'slug')) {
    const event = { type: row.type, documentId: row.document_id, locale: row.locale, slug: row.slug };
    live.set(keyOf(event), event);
  }
  const changed = new Set(
    rewritten.map(({ uid, documentId, locale }) => keyOf({ type: publicTypeOfUid(uid)!, documentId, locale: String(locale) })),
  );
  const events: FeedEvent[] = [];
  /** Published versions with no event of their own: those that may show a changed record. */
  const quiet = new Set<string>();
  for (const type of PUBLIC_TYPES) {
    const rows = await strapi.db
      .query(uidOf(type) as any)
      .findMany({ where: PUBLISHED, select: ['documentId', 'locale', 'slug'], orderBy: { id: 'asc' } });
    for (const row of rows as any[]) {
      const event: FeedEvent = { type, documentId: row.documentId, locale: String(row.locale), slug: row.slug, action: 'PUBLISHED' };
      const key = keyOf(event);
      if (!live.delete(key)) events.push(event);
      else if (changed.has(key)) events.push({ ...event, action: 'UPDATED' });
      else quiet.add(key);
    }
  }
  for (const gone of live.values()) {
    const draft = await strapi.db
      .query(uidOf(gone.type) as any)
      .findOne({ where: { documentId: gone.documentId, locale: gone.locale }, select: ['id'] });
    events.push({ ...gone, action: draft ? 'UNPUBLISHED' : 'DELETED' });
  }
  if (quiet.size) {
    const quietTypes = new Set([...quiet].map((key) => key.split('\u0000')[0]));
    const paths = feedPaths(strapi);
    // Those of the records published or rewritten, not of their neighbours in turn.
    const shown = events.filter((event) => !TOMBSTONES.includes(event.action));
    for (const type of PUBLIC_TYPES) {
      const documentIds = [...new Set(shown.filter((event) => event.type === type).map((event) => event.documentId))];
      // Only relations of types that have quiet versions: an import into an empty instance asks nothing.
      const related = (paths.get(uidOf(type)) ?? []).filter(({ uid }) => quietTypes.has(publicTypeOfUid(uid)!));
      if (!documentIds.length || !related.length) continue;
      for (const neighbour of await showing(strapi, related, documentIds)) if (quiet.delete(keyOf(neighbour))) events.push(neighbour);
    }
  }
  if (events.length) await appendEvents(strapi, trx, events);
  return { added: events.length, pruned: await pruneTombstones(trx, new Date()) };
}

/**
 * The feed brought in line with what is published (reconcileFeed), at start, in its own
 * transaction; then the response cache emptied. Returns how many events it added.
 */
export async function reconcileChangeFeed(strapi: Core.Strapi): Promise<number> {
  const { added, pruned } = await strapi.db.transaction(({ trx }) => reconcileFeed(strapi, trx as unknown as Knex));
  // The feed is read through the response cache too: no answer from before is served.
  if (added || pruned) await invalidateResponseCache(strapi);
  return added;
}

export interface ChangePage {
  items: ChangeEntry[];
  nextCursor: string;
  hasMore: boolean;
}

/** A page of the feed after `since`, in cursor order. Throws ChangeFeedInputError or CursorExpiredError. */
export async function readChanges(strapi: Core.Strapi, input: FeedInput): Promise<ChangePage> {
  const query = feedQuery(input, locales());
  const knex = strapi.db.connection as unknown as Knex;
  // The horizon, the head and the page from one snapshot: a prune between them could hide a tombstone.
  const snapshot = isPostgres(knex) ? { isolationLevel: 'repeatable read' as const } : {};
  const { horizon, head, rows } = await knex.transaction(async (trx) => {
    const horizon = Number((await trx(HORIZON).where({ id: 1 }).first('pruned_through'))?.pruned_through ?? 0);
    const head = Number((await trx(FEED).max({ id: 'id' }).first())?.id ?? 0);
    const page = trx(FEED)
      .where('id', '>', query.since)
      .orderBy('id')
      .limit(query.first + 1);
    if (query.types.length) page.whereIn('type', query.types);
    if (query.locale) page.where('locale', query.locale);
    return { horizon, head, rows: await page.select('id', 'type', 'document_id', 'locale', 'slug', 'action', 'at') };
  }, snapshot);
  const problem = cursorProblem(query.since, horizon, Math.max(head, horizon), retention());
  if (problem) throw problem;
  const items = rows
    .slice(0, query.first)
    .map((row: any) =>
      entryOf(
        Number(row.id),
        { type: row.type, documentId: row.document_id, slug: row.slug, locale: row.locale, action: row.action },
        row.at,
      ),
    );
  return { items, nextCursor: items.at(-1)?.cursor ?? encodeCursor(query.since), hasMore: rows.length > query.first };
}

/** GET /api/changes?since=…&types=GOOD_PRACTICE,EVENT&locale=…&first=…: the feed over REST, the same pages as GraphQL. */
export function registerChangeFeedRoute(strapi: Core.Strapi): void {
  strapi.server.routes([
    {
      method: 'GET',
      path: '/api/changes',
      config: { auth: false },
      handler: async (ctx) => {
        const q = ctx.query as Record<string, unknown>;
        const text = (name: string) => {
          const value = q[name];
          if (value === undefined) return undefined;
          if (typeof value !== 'string') throw new ChangeFeedInputError(`"${name}" must be given once, as text.`);
          return value;
        };
        try {
          const first = text('first');
          const types =
            q.types === undefined
              ? undefined
              : [q.types]
                  .flat()
                  .flatMap((value) => String(value).split(','))
                  .filter(Boolean);
          ctx.body = await readChanges(strapi, {
            since: text('since'),
            types,
            locale: text('locale'),
            first: first !== undefined && /^-?\d{1,16}$/.test(first) ? Number(first) : first,
          });
          ctx.set('Cache-Control', 'no-cache');
        } catch (error) {
          if (!(error instanceof ChangeFeedInputError || error instanceof CursorExpiredError)) throw error;
          const status = error instanceof CursorExpiredError ? 410 : 400;
          ctx.status = status;
          ctx.body = {
            data: null,
            error: { status, name: status === 410 ? 'CursorExpiredError' : 'ValidationError', message: error.message },
          };
        }
      },
    },
  ]);
}

/** A record published now, with its latest event: a publication, an update of its own or of a record it shows. */
export interface LatestPublication {
  /** Its place in the feed: a later event has a higher one. */
  sequence: number;
  type: PublicType;
  documentId: string;
  locale: string;
  at: Date;
}

/**
 * The records of a locale published now, newest event first: the feed keeps one event per record
 * and locale, and a record whose latest one is PUBLISHED or UPDATED is published. Of the given
 * types and, when given, of these documents; at most `limit`.
 */
export async function latestPublications(
  strapi: Core.Strapi,
  { locale, types, documentIds, limit }: { locale: string; types?: PublicType[]; documentIds?: string[]; limit: number },
): Promise<LatestPublication[]> {
  const knex = strapi.db.connection as unknown as Knex;
  const query = knex(FEED)
    .where('locale', locale)
    .whereNotIn('action', TOMBSTONES as string[])
    .orderBy('id', 'desc')
    .limit(limit);
  if (types) query.whereIn('type', types);
  if (documentIds) query.whereIn('document_id', documentIds);
  const rows = await query.select('id', 'type', 'document_id', 'locale', 'at');
  return rows.map((row: any) => ({
    sequence: Number(row.id),
    type: row.type,
    documentId: row.document_id,
    locale: row.locale,
    at: new Date(row.at),
  }));
}

/** When the feed last changed in a locale (of the given types), tombstones included; null when it never did. */
export async function lastChangeAt(strapi: Core.Strapi, { locale, types }: { locale: string; types?: PublicType[] }): Promise<Date | null> {
  const query = (strapi.db.connection as unknown as Knex)(FEED).where('locale', locale);
  if (types) query.whereIn('type', types);
  const at = (await query.max({ at: 'at' }).first())?.at;
  return at ? new Date(at) : null;
}
