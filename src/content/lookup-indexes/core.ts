/**
 * The indexes a public record's lookup by slug needs, and a list sorted by title. Strapi indexes a type's documentId (with
 * locale and publication) but not its slug, so the by-slug page and REST's `filters[slug][$eq]`
 * scanned the whole table: a single record got slower as the collection grew. One index per
 * public type over the columns that lookup filters on (slug, then locale and publication where
 * the type has them) makes it an index search, the same cost at 100 or 100,000 records.
 */
import { TITLE_FIELDS, type Attributes } from '../model/core';

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

/**
 * The index a page of a type's list sorted by its title needs (the explorer's and partners' usual
 * order: `sort: "title"`): rows come out of it in order, one locale at a time, so the page is the
 * first rows read instead of a sort of the whole table. Null when the type has no title field.
 */
export function titleOrderIndex(tableName: string, attributes: Attributes): IndexDeclaration | null {
  const title = TITLE_FIELDS.find((field) => attributes[field]);
  if (!title) return null;
  const column = title.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`); // Strapi's column name: fullName → full_name
  return { name: `${tableName}_title_order_idx`, columns: [...(attributes.locale ? ['locale'] : []), column, 'id'] };
}
