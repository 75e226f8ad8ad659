/**
 * The indexes a public record's lookup by slug needs. Strapi indexes a type's documentId (with
 * locale and publication) but not its slug, so the by-slug page and REST's `filters[slug][$eq]`
 * scanned the whole table: a single record got slower as the collection grew. One index per
 * public type over the columns that lookup filters on (slug, then locale and publication where
 * the type has them) makes it an index search, the same cost at 100 or 100,000 records.
 */
import type { Attributes } from '../model/core';

export interface IndexDeclaration {
  name: string;
  columns: string[];
}

/** Attribute names of what the lookup filters on, in index order, and their columns. */
const LOOKUP_COLUMNS: [attribute: string, column: string][] = [
  ['slug', 'slug'],
  ['locale', 'locale'],
  ['publishedAt', 'published_at'],
];

/** The slug-lookup index of a type's table, or null when the type has no slug. */
export function slugLookupIndex(tableName: string, attributes: Attributes): IndexDeclaration | null {
  if (!attributes.slug) return null;
  return {
    name: `${tableName}_slug_lookup_idx`,
    columns: LOOKUP_COLUMNS.filter(([attribute]) => attributes[attribute]).map(([, column]) => column),
  };
}
