import type { Core } from '@strapi/strapi';
import { PUBLIC_UIDS, type Attributes } from '../model/core';
import { slugLookupIndex, titleOrderIndex, type IndexDeclaration } from './core';

type IndexedType = { collectionName: string; attributes: Attributes; indexes?: IndexDeclaration[] };

/**
 * Declares the slug-lookup and title-order indexes on every public type, in `register`, before Strapi turns the
 * content types into database models: its schema sync then creates the index on a fresh or an
 * existing database and keeps it on every start, as it does its own. (A migration would not do:
 * migrations run before schema sync, when a fresh database has no tables to index yet.)
 */
export function registerLookupIndexes(strapi: Core.Strapi): void {
  for (const uid of PUBLIC_UIDS) {
    const contentType = strapi.contentTypes[uid as keyof typeof strapi.contentTypes] as unknown as IndexedType;
    const ours = [slugLookupIndex, titleOrderIndex]
      .map((index) => index(contentType.collectionName, contentType.attributes))
      .filter((index): index is IndexDeclaration => index !== null);
    const names = new Set(ours.map((index) => index.name));
    contentType.indexes = [...(contentType.indexes ?? []).filter((other) => !names.has(other.name)), ...ours];
  }
}
