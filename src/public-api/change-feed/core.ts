/**
 * The change feed's pure parts: cursors, which publication events a write makes, the relations
 * through which a record shows another, pages and retention. No Strapi here.
 */
import { PUBLIC_TYPES, PUBLIC_UIDS, type Model, type PublicType } from '../../content/model/core';

export const CHANGE_ACTIONS = ['PUBLISHED', 'UPDATED', 'UNPUBLISHED', 'DELETED'] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];
/** Actions after which the record is gone from the public API. */
export const TOMBSTONES: readonly ChangeAction[] = ['UNPUBLISHED', 'DELETED'];

/** The name a type has in the feed (GraphQL enum and REST alike): good-practice → GOOD_PRACTICE. */
export const feedTypeName = (type: PublicType): string => type.toUpperCase().replace(/-/g, '_');
export const FEED_TYPE_NAMES = PUBLIC_TYPES.map(feedTypeName);
const TYPE_BY_NAME = new Map(PUBLIC_TYPES.map((type) => [feedTypeName(type), type]));
export const publicTypeOfUid = (uid: string): PublicType | undefined => PUBLIC_TYPES[PUBLIC_UIDS.indexOf(uid)] as PublicType | undefined;

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;
export const DEFAULT_RETENTION_DAYS = 730;

/** Bad input: a 400 (GraphQL BAD_USER_INPUT). */
export class ChangeFeedInputError extends Error {}
/** A cursor from before tombstones were removed: a 410 (GraphQL CURSOR_EXPIRED). */
export class CursorExpiredError extends Error {}

const RESYNC = 'Sync again from the beginning: ask without `since`, replace your copy with what the feed returns, and keep its nextCursor.';

export const cursorExpired = (retentionDays: number) =>
  `This cursor is older than the feed keeps deletions (${retentionDays} days): records unpublished or deleted since may be missing from it. ${RESYNC}`;

/**
 * Cursors are opaque to partners (base64url of `feed:<row id>`), so the numbering may change
 * without breaking them; cursor 0 is the beginning.
 */
export const encodeCursor = (id: number): string => Buffer.from(`feed:${id}`).toString('base64url');

export function decodeCursor(cursor: string): number {
  const match = /^feed:(0|[1-9]\d{0,14})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match || encodeCursor(Number(match[1])) !== cursor) {
    throw new ChangeFeedInputError(
      `"since" is not a cursor of this feed. Use a nextCursor or cursor the feed returned, or leave it out to start from the beginning.`,
    );
  }
  return Number(match[1]);
}

/** Why a cursor cannot be served, given the newest removed tombstone and the newest cursor issued. */
export function cursorProblem(since: number, prunedThrough: number, head: number, retentionDays: number): Error | null {
  if (since > head) return new ChangeFeedInputError(`"since" is ahead of this feed: it was not issued by this knowledge base. ${RESYNC}`);
  if (since > 0 && since < prunedThrough) return new CursorExpiredError(cursorExpired(retentionDays));
  return null;
}

/** What a partner asks: GraphQL arguments, or REST parameters (`first` as sent when it is not a number). */
export interface FeedInput {
  since?: string | null;
  types?: readonly string[] | null;
  locale?: string | null;
  first?: unknown;
}

export interface FeedQuery {
  since: number;
  types: PublicType[];
  locale?: string;
  first: number;
}

/** The parameters of a feed read, checked; GraphQL and REST give the same answers and refusals. */
export function feedQuery(input: FeedInput, locales: readonly string[]): FeedQuery {
  const first = input.first ?? DEFAULT_PAGE;
  if (typeof first !== 'number' || !Number.isInteger(first) || first < 1 || first > MAX_PAGE)
    throw new ChangeFeedInputError(`"first" must be an integer from 1 to ${MAX_PAGE} (got ${JSON.stringify(input.first)}).`);
  if (input.locale != null && !locales.includes(input.locale))
    throw new ChangeFeedInputError(`Unknown locale "${input.locale}". Available locales: ${locales.join(', ')}.`);
  const types = (input.types ?? []).map((name) => {
    const type = TYPE_BY_NAME.get(name);
    if (!type) throw new ChangeFeedInputError(`Unknown type "${name}" in "types". Available: ${FEED_TYPE_NAMES.join(', ')}.`);
    return type;
  });
  return {
    since: input.since == null || input.since === '' ? 0 : decodeCursor(input.since),
    types,
    locale: input.locale ?? undefined,
    first,
  };
}

/**
 * One published version of a record: its row (a new one at every publication), when that row
 * last changed (publishing one locale also writes the fields shared by all locales into the
 * others' published rows), and its slug.
 */
export interface PublishedVersion {
  id: number;
  updatedAt: number;
  slug: string;
}

export interface FeedEvent {
  type: PublicType;
  documentId: string;
  locale: string;
  slug: string;
  action: ChangeAction;
}

/**
 * What a write did to what anonymous callers see of one document, locale by locale: published
 * versions before and after it, and the locales that still have a draft. A locale that appears is
 * PUBLISHED (again, after an unpublication), a new or rewritten published version is UPDATED, a locale gone
 * from the public API is UNPUBLISHED while its draft remains, DELETED when nothing of it does.
 * A draft save leaves the published versions alone: no event.
 */
export function documentEvents(
  type: PublicType,
  documentId: string,
  before: Map<string, PublishedVersion>,
  after: Map<string, PublishedVersion>,
  draftLocales: Set<string>,
): FeedEvent[] {
  const events: FeedEvent[] = [];
  for (const [locale, version] of after) {
    const old = before.get(locale);
    if (!old) events.push({ type, documentId, locale, slug: version.slug, action: 'PUBLISHED' });
    else if (old.id !== version.id || old.updatedAt !== version.updatedAt)
      events.push({ type, documentId, locale, slug: version.slug, action: 'UPDATED' });
  }
  for (const [locale, version] of before) {
    if (after.has(locale)) continue;
    events.push({ type, documentId, locale, slug: version.slug, action: draftLocales.has(locale) ? 'UNPUBLISHED' : 'DELETED' });
  }
  return events;
}

/** An entry of the feed as partners read it (`changes`, /api/changes and webhooks give the same). */
export interface ChangeEntry {
  cursor: string;
  /** The feed's name of the type: GOOD_PRACTICE. */
  type: string;
  documentId: string;
  slug: string;
  locale: string;
  action: ChangeAction;
  at: string;
}

/** A way a record of `uid` shows records of another type: a relation, or one inside a component (`agenda.speakers`). */
export interface RelationPath {
  uid: string;
  path: string[];
}

/**
 * Per target type, the relations (either side, inside components too) through which public
 * records show records of that type: when one of those changes, the records showing it change.
 */
export function relationPaths(models: Model[], getModel: (uid: string) => Model): Map<string, RelationPath[]> {
  const paths = new Map<string, RelationPath[]>();
  const visit = (root: string, model: Model, prefix: string[], depth: number) => {
    for (const [name, attribute] of Object.entries(model.attributes)) {
      // `localizations` joins a document's other locales, which a public record never shows.
      if (attribute.private || name === 'localizations') continue;
      if (attribute.type === 'relation' && attribute.target && PUBLIC_UIDS.includes(attribute.target)) {
        paths.set(attribute.target, [...(paths.get(attribute.target) ?? []), { uid: root, path: [...prefix, name] }]);
      } else if (attribute.type === 'component' && depth < 3) {
        visit(root, getModel(attribute.component!), [...prefix, name], depth + 1);
      }
    }
  };
  for (const model of models) visit(model.uid, model, [], 0);
  return paths;
}

/** `{ agenda: { speakers: { documentId } } }` for the path agenda.speakers (one documentId, or a condition on it such as `$in`). */
export const whereThrough = (path: string[], documentId: string | { $in: string[] }): Record<string, unknown> =>
  path.reduceRight<Record<string, unknown>>((inner, name) => ({ [name]: inner }), { documentId });

/** `{ agenda: { populate: { speakers: { select: ['documentId'] } } } }` for the path agenda.speakers: the Query Engine's populate that reads the documents at its end. */
export const populateThrough = (path: string[]): Record<string, unknown> =>
  path.slice(0, -1).reduceRight<Record<string, unknown>>((inner, name) => ({ [name]: { populate: inner } }), {
    [path[path.length - 1]]: { select: ['documentId'] },
  });

/** The documentIds a record read with populateThrough(path) shows at the end of the path (lists and single values alike). */
export function documentsThrough(record: unknown, path: string[]): string[] {
  let values: any[] = [record];
  for (const name of path) values = values.flatMap((value) => value?.[name] ?? []);
  return values.map((value) => String(value.documentId));
}

/** Tombstones older than this moment may be removed. */
export const retentionCutoff = (now: Date, retentionDays: number): string =>
  new Date(now.getTime() - retentionDays * 86_400_000).toISOString();

export function retentionDays(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(value);
  if (!Number.isFinite(days) || days < 0) throw new Error(`FEED_RETENTION_DAYS must be a number of days, 0 or more (got "${value}").`);
  return days;
}
