/**
 * The public pages' addresses: one scheme for the server-rendered pages, the static snapshot,
 * the sitemap, JSON-LD and the explorer's links. A record's page is `/{locale}/{type}/{slug}`,
 * its type the kebab-case singular API name; the project's own statements sit beside them. The
 * Atom feeds of what was published and updated sit under /feeds, in the same words.
 * Pure.
 */
import { CONTENT_LOCALES, type Locale } from '../locales/core';
import { PUBLIC_TYPES, type PublicType } from '../model/core';

export const PAGE_LOCALES: Locale[] = CONTENT_LOCALES.map((locale) => locale.code);

/** The project's statements, at `/{locale}/{statement}`: what a public body's site must say, and the licence. */
export const STATEMENTS = ['about', 'funding', 'privacy', 'accessibility', 'contact', 'licence'] as const;
export type Statement = (typeof STATEMENTS)[number];

export const SITEMAP_PATH = '/sitemap.xml';
export const ROBOTS_PATH = '/robots.txt';
/** The pages' style sheet, served from public/ (and copied into the snapshot). */
export const STYLESHEET_PATH = '/site/site.css';
/** The design tokens it imports, shared with the explorer's style sheet. */
export const TOKENS_PATH = '/site/tokens.css';

export const recordPath = (locale: Locale, type: PublicType, slug: string) => `/${locale}/${type}/${encodeURIComponent(slug)}`;
/** The list of a type's records in one language. */
export const typePath = (locale: Locale, type: PublicType) => `/${locale}/${type}`;
export const statementPath = (locale: Locale, statement: Statement) => `/${locale}/${statement}`;

export const typeOfUid = (uid: string): PublicType | undefined => PUBLIC_TYPES.find((type) => uid === `api::${type}.${type}`);
export const uidOf = (type: PublicType) => `api::${type}.${type}`;

export type PageAddress =
  | { kind: 'record'; locale: Locale; type: PublicType; slug: string }
  | { kind: 'list'; locale: Locale; type: PublicType }
  | { kind: 'statement'; locale: Locale; statement: Statement };

/**
 * Which page a path names, or undefined. Locale and type are matched as the router matches
 * paths (any case, a trailing slash); the slug is taken as written, since slugs are lowercase
 * and one spelling of a record is enough.
 */
export function pageAddress(path: string): PageAddress | undefined {
  const parts = path.replace(/\/+$/, '').split('/').slice(1);
  const locale = PAGE_LOCALES.find((code) => code === parts[0]?.toLowerCase());
  if (!locale || parts.length < 2 || parts.length > 3) return undefined;
  const name = parts[1].toLowerCase();
  const type = PUBLIC_TYPES.find((t) => t === name);
  if (parts.length === 3) {
    if (!type) return undefined;
    let slug: string;
    try {
      slug = decodeURIComponent(parts[2]);
    } catch {
      return undefined;
    }
    return slug ? { kind: 'record', locale, type, slug } : undefined;
  }
  if (type) return { kind: 'list', locale, type };
  const statement = STATEMENTS.find((s) => s === name);
  return statement ? { kind: 'statement', locale, statement } : undefined;
}

/** The vocabularies a feed can follow, and the folder their feeds sit in (plural, like the open-data files). */
export const FEED_SCOPES = { theme: 'themes', territory: 'territories' } as const;
export type FeedScope = keyof typeof FEED_SCOPES;
export const FEEDS_ROOT = '/feeds';
export const FEED_EXTENSION = '.atom';

/** An Atom feed: everything in a language, a type's records, or the records about a theme or in a territory. */
export type FeedAddress =
  { kind: 'all'; locale: Locale } | { kind: 'type'; locale: Locale; type: PublicType } | { kind: FeedScope; locale: Locale; slug: string };

/** `/feeds/{locale}.atom`, `/feeds/{locale}/{type}.atom`, `/feeds/{locale}/themes/{slug}.atom`, `/feeds/{locale}/territories/{slug}.atom`. */
export function feedPath(feed: FeedAddress): string {
  if (feed.kind === 'all') return `${FEEDS_ROOT}/${feed.locale}${FEED_EXTENSION}`;
  if (feed.kind === 'type') return `${FEEDS_ROOT}/${feed.locale}/${feed.type}${FEED_EXTENSION}`;
  return `${FEEDS_ROOT}/${feed.locale}/${FEED_SCOPES[feed.kind]}/${encodeURIComponent(feed.slug)}${FEED_EXTENSION}`;
}

const FEED_FORMS = `Feeds: /feeds/{locale}.atom, /feeds/{locale}/{type}.atom, /feeds/{locale}/themes/{slug}.atom, /feeds/{locale}/territories/{slug}.atom; locales ${PAGE_LOCALES.join(', ')}; types ${PUBLIC_TYPES.join(', ')}.`;

/**
 * Which feed a path names, or why none: matched as pageAddress matches pages (locale, type,
 * folder and extension in any case, a trailing slash, percent-encoding), the slug as written.
 */
export function feedAddress(path: string): FeedAddress | { problem: string } {
  let parts: string[];
  try {
    parts = path.replace(/\/+$/, '').split('/').slice(1).map(decodeURIComponent);
  } catch {
    return { problem: `The path is not valid percent-encoding. ${FEED_FORMS}` };
  }
  if (parts.shift()?.toLowerCase() !== FEEDS_ROOT.slice(1)) return { problem: `No feed at this address. ${FEED_FORMS}` };
  const last = parts.at(-1) ?? '';
  if (!last.toLowerCase().endsWith(FEED_EXTENSION) || parts.length > 3) return { problem: `No feed at this address. ${FEED_FORMS}` };
  parts[parts.length - 1] = last.slice(0, -FEED_EXTENSION.length);
  const locale = PAGE_LOCALES.find((code) => code === parts[0].toLowerCase());
  if (!locale) return { problem: `Unknown locale "${parts[0]}". ${FEED_FORMS}` };
  if (parts.length === 1) return { kind: 'all', locale };
  if (parts.length === 2) {
    const type = PUBLIC_TYPES.find((t) => t === parts[1].toLowerCase());
    return type ? { kind: 'type', locale, type } : { problem: `Unknown type "${parts[1]}". ${FEED_FORMS}` };
  }
  const scope = (Object.keys(FEED_SCOPES) as FeedScope[]).find((s) => FEED_SCOPES[s] === parts[1].toLowerCase());
  if (!scope) return { problem: `Unknown feed folder "${parts[1]}": themes or territories. ${FEED_FORMS}` };
  return parts[2] ? { kind: scope, locale, slug: parts[2] } : { problem: `No ${scope} slug given. ${FEED_FORMS}` };
}
