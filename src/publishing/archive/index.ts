/**
 * Strapi adapter of the archive (see ./core): exports the whole knowledge base, private fields
 * and media included (./export), and merges an archive into this instance in one transaction
 * (./import); ./shared holds what both use.
 *
 * Records are read and written with the Query Engine, not the document service: the document
 * service cannot store a given documentId, timestamps, or a published version that differs from
 * its draft without re-deriving one from the other. What its middlewares guarantee is restored
 * here: the publication rules (consent, curation, date ranges) are checked on every line before
 * anything is written, and the search index is rebuilt in the same transaction.
 */
export { exportArchive } from './export';
export { importArchive, type ImportResult } from './import';
export { ArchiveError, reportLines } from './core';
