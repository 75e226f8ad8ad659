/**
 * The public pages' addresses: one scheme for the server-rendered pages, the static snapshot,
 * the sitemap, JSON-LD and the explorer's links. A record's page is `/{locale}/{type}/{slug}`,
 * its type the kebab-case singular API name; the project's own statements sit beside them.
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
