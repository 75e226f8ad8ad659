/**
 * The search index tables (created by the 2026.11.26T01 migration), read and written with knex.
 * Writes are the same on both engines (SQLite triggers and PostgreSQL's generated column keep
 * the engines' full-text structures, over the entries' filter words only, in step: they find the
 * records that name a related one, 2026.12.07T00 migration). Searches are
 * answered by the index each node holds in memory (./held-index.ts), loaded from these entries
 * and kept in step through the log of changes (./held-sync.ts); its vocabulary (for completions
 * and typos) is the terms of the entries it holds, all published: typo tolerance can never
 * reveal a term that no public record has.
 */
import type { Knex } from 'knex';
import { FACET_KINDS, VOCABULARY_TYPES, filterTerm, fts5Filter, tsqueryFilter, type SearchEntry, type SearchTypeName } from './core';
import type { HeldEntry } from './held-index';
import { preparedReadsOf, type KnexLike } from '../direct-reads/prepared';
import type { ReadTask } from '../read-threads/core';

const isSqlite = (knex: Knex) => ['sqlite', 'sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));
const dialectOf = (knex: Knex) => (isSqlite(knex) ? 'sqlite' : 'postgres');
/** The prepared statements of knex's engine (../direct-reads/prepared). */
const preparedOn = (knex: Knex) => preparedReadsOf(dialectOf(knex));

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** An entry as a row of search_entries. */
export const entryRow = (entry: SearchEntry) => ({
  type: entry.type,
  document_id: entry.documentId,
  locale: entry.locale,
  slug: entry.slug,
  title: entry.title,
  texts: JSON.stringify(entry.texts),
  title_terms: entry.titleTerms,
  body_terms: entry.bodyTerms,
  related_terms: entry.relatedTerms,
  start_date: entry.startDate,
  end_date: entry.endDate,
  filter_terms: entry.filterTerms,
});
export type EntryRow = ReturnType<typeof entryRow>;

/**
 * The entries as multi-row INSERTs of 200 rows: a rebuild writes 200,000 of them in a few statement
 * shapes, which knex would compile (as a compound SELECT on SQLite), and SQLite prepare, again for each batch.
 */
async function writeEntries(knex: Knex, rows: EntryRow[]): Promise<void> {
  const run = preparedOn(knex);
  for (const some of chunks(rows, 200)) {
    const columns = Object.keys(some[0]);
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const { sql, bindings } = knex
      .raw(`INSERT INTO search_entries (??) VALUES ${some.map(() => tuple).join(', ')}`, [
        columns,
        ...some.flatMap((row) => columns.map((column) => row[column as keyof EntryRow] ?? null)),
      ])
      .toSQL()
      .toNative();
    // Unnamed on PostgreSQL (its parse is cheap beside the rows, and a pooler may not keep named statements).
    await run(knex as unknown as KnexLike, sql, bindings as unknown[], false);
  }
}

/** Replaces every entry of these documents (all locales) with `entries`. */
export async function replaceEntries(knex: Knex, type: SearchTypeName, documentIds: string[], entries: SearchEntry[]): Promise<void> {
  if (!documentIds.length) return;
  await logChanges(
    knex,
    documentIds.map((documentId) => ({ type, document_id: documentId })),
  );
  await knex('search_entries').where('type', type).whereIn('document_id', documentIds).delete();
  await writeEntries(knex, entries.map(entryRow));
}

/** The log of changes to the index, that each node follows (./held-sync.ts; the 2026.12.05T00 migration). */
const LOG = 'search_index_log';
/** A log row of this type: every entry may have changed (a rebuild). */
export const EVERYTHING = '*';
/** The PostgreSQL advisory lock that makes the writers of the log take turns until they commit (any constant number of ours). */
const LOG_LOCK = 1704202602;

/**
 * Appends rows to the log. On PostgreSQL under a transaction-wide advisory lock, so that the
 * rows' numbers become visible in their order: a node that has applied row 11 never skips a 10
 * committed later. SQLite has one writer at a time anyway.
 */
async function logChanges(knex: Knex, rows: { type: string; document_id: string }[]): Promise<void> {
  if (!isSqlite(knex)) await knex.raw('SELECT pg_advisory_xact_lock(?)', [LOG_LOCK]);
  for (const batch of chunks(rows, 300)) await knex(LOG).insert(batch);
}

export interface LogRow {
  seq: number;
  type: string;
  documentId: string;
}

/**
 * The reads every search makes, per engine, run as prepared statements (../direct-reads/prepared;
 * on PostgreSQL the page's is named where `performance.namedStatements` allows: its plan, joining
 * the log's check to the entries, took 0.7 ms to make, ten times its run): built by knex, and
 * parsed by the engine, at every search they cost about a tenth of one (profiled at 10,000 practices on SQLite).
 * A page's entries are named by one bound list (a JSON array on SQLite, an array on PostgreSQL),
 * so that a page of any length is the same statement.
 */
const SEARCH_READS = {
  logAfter: {
    sqlite: `SELECT seq, type, document_id FROM ${LOG} WHERE seq > ? ORDER BY seq`,
    postgres: `SELECT seq, type, document_id FROM ${LOG} WHERE seq > $1 ORDER BY seq`,
  },
  // A page's entries, and whether the log has gone past the row the held index reflects: one
  // statement, one snapshot (below), with one row even for no entries.
  shown: {
    sqlite: `SELECT e.id, e.document_id, e.title, e.texts, e.start_date, e.end_date, l.moved
      FROM (SELECT EXISTS (SELECT 1 FROM ${LOG} WHERE seq > ?) AS moved) l
      LEFT JOIN search_entries e ON e.id IN (SELECT value FROM json_each(?))`,
    postgres: `SELECT e.id, e.document_id, e.title, e.texts, e.start_date, e.end_date, l.moved
      FROM (SELECT EXISTS (SELECT 1 FROM ${LOG} WHERE seq > $1) AS moved) l
      LEFT JOIN search_entries e ON e.id = ANY($2::integer[])`,
  },
};
/** A statement compiled for knex's engine, run prepared (named on PostgreSQL when `named`). */
export const preparedRead = (knex: Knex, sql: string, bindings: unknown[], named: boolean): Promise<any[]> =>
  preparedOn(knex)(knex as unknown as KnexLike, sql, bindings, named) as Promise<any[]>;
const searchRead = (knex: Knex, read: keyof typeof SEARCH_READS, bindings: unknown[], named = false): Promise<any[]> =>
  preparedRead(knex, SEARCH_READS[read][dialectOf(knex)], bindings, named);

/** The log's rows after `seq`, in order. */
export const logAfter = async (knex: Knex, seq: number): Promise<LogRow[]> =>
  (await searchRead(knex, 'logAfter', [seq])).map((row: any) => ({
    seq: Number(row.seq),
    type: String(row.type),
    documentId: String(row.document_id),
  }));

/** The log's last row number (0: none). */
export const lastLogged = async (knex: Knex): Promise<number> => Number((await knex(LOG).max({ seq: 'seq' }).first())?.seq ?? 0);

/** The columns of an entry that the held index keeps (./held-index.ts). */
const HELD_COLUMNS = [
  'id',
  'type',
  'document_id',
  'locale',
  'slug',
  'title_terms',
  'body_terms',
  'related_terms',
  'filter_terms',
  'start_date',
  'end_date',
];
const heldEntry = (row: any): HeldEntry => ({
  id: Number(row.id),
  type: row.type,
  documentId: row.document_id,
  locale: row.locale,
  slug: row.slug,
  vocabulary: VOCABULARY_TYPES.includes(row.type),
  titleTerms: row.title_terms,
  bodyTerms: row.body_terms,
  relatedTerms: row.related_terms,
  filterTerms: row.filter_terms,
  startDate: row.start_date,
  endDate: row.end_date,
});

/** Up to `limit` entries after the entry `after`, by id: the whole index a page at a time. */
export const heldEntriesAfter = async (knex: Knex, after: number, limit: number): Promise<HeldEntry[]> =>
  (await knex('search_entries').select(HELD_COLUMNS).where('id', '>', after).orderBy('id').limit(limit)).map(heldEntry);

/** The entries of these documents of one type (every locale). */
export const heldEntriesOf = async (knex: Knex, type: string, documentIds: string[]): Promise<HeldEntry[]> => {
  const found: HeldEntry[] = [];
  for (const some of chunks(documentIds, 500))
    found.push(...(await knex('search_entries').select(HELD_COLUMNS).where('type', type).whereIn('document_id', some)).map(heldEntry));
  return found;
};

/**
 * Where a read of the store may run instead of the caller's connection: `offMain(statement, onMain)`
 * runs the statement elsewhere (a SQLite reader thread: ../read-threads readOffMainThread) or else calls `onMain`.
 */
export type OffMainRead = (statement: ReadTask, onMain: () => Promise<unknown[]>) => Promise<unknown[]>;

export interface ShownEntry {
  documentId: string;
  title: string;
  texts: [string, string][];
  startDate: string | null;
  endDate: string | null;
}

/** A page's entries by id, and whether the index's log has rows after the one the caller's index reflects. */
export interface Shown {
  entries: Map<number, ShownEntry>;
  moved: boolean;
}

/**
 * What a page of results shows of each entry, by id (an entry gone since the search is left out),
 * and whether anything was written to the index after the log's row `seq` (`moved`): when not, the
 * page came from the index as it is in the same snapshot as the texts, taken after the search
 * began, and no read of the log had to come first. The texts are most of a search's reading, so
 * the node's main thread reads them elsewhere (`offMain`).
 */
export const shownEntries = async (
  knex: Knex,
  ids: number[],
  seq: number,
  named: boolean,
  offMain: OffMainRead = (_statement, onMain) => onMain(),
): Promise<Shown> => {
  const bindings = [seq, isSqlite(knex) ? JSON.stringify(ids) : ids];
  const rows = await offMain({ sql: SEARCH_READS.shown[dialectOf(knex)], bindings }, () => searchRead(knex, 'shown', bindings, named));
  return {
    moved: rows.some((row: any) => Boolean(row.moved)),
    entries: new Map(
      rows
        .filter((row: any) => row.id !== null)
        .map((row: any) => [
          Number(row.id),
          { documentId: row.document_id, title: row.title, texts: JSON.parse(row.texts), startDate: row.start_date, endDate: row.end_date },
        ]),
    ),
  };
};

/** SQLite's FTS5 table over search_entries (external content, kept in step by triggers on it). */
const FTS_TABLE = 'search_fts';
const FTS5_DEFAULT_AUTOMERGE = 4;
/**
 * FTS5 writes the terms it has gathered in memory as a new segment whenever they pass `hashsize`
 * bytes (1 MB by default). A rebuild gathers them in 64 MB instead: fewer, larger segments to
 * write and then merge (when the table held every term, 100,000 practices, 'rebuild' and 'optimize'
 * back to back on one database: 24.3 s with the default, 20.0 and 17.5 s with 64 MB). The memory is
 * FTS5's while it builds.
 */
const FTS5_DEFAULT_HASHSIZE = 1024 * 1024;
const FTS5_REBUILD_HASHSIZE = 64 * 1024 * 1024;
/**
 * One of FTS5's commands on it ('rebuild', 'optimize'...), or the setting of one of its options.
 * A setting's value goes as text: FTS5 takes only an integer, and a bound JavaScript number is a real.
 */
const ftsCommand = (knex: Knex, command: string, value?: number) =>
  value === undefined
    ? knex.raw(`INSERT INTO ??(??) VALUES (?)`, [FTS_TABLE, FTS_TABLE, command])
    : knex.raw(`INSERT INTO ??(??, rank) VALUES (?, ?)`, [FTS_TABLE, FTS_TABLE, command, String(value)]);

/**
 * On SQLite, what is derived from the index tables' rows and cheaper to build once from all of
 * them than row by row: the secondary indexes that are not unique, and the triggers that keep the
 * FTS5 table in step, each with the statement that creates it.
 */
async function derivedStructures(knex: Knex): Promise<{ type: string; name: string; create: string }[]> {
  if (!isSqlite(knex)) return [];
  return knex('sqlite_master')
    .select({ type: 'type', name: 'name', create: 'sql' })
    .whereIn('type', ['index', 'trigger'])
    .where('tbl_name', 'search_entries')
    .whereNotNull('sql')
    .whereNot('sql', 'like', 'CREATE UNIQUE%');
}

/**
 * Empties the index and returns a writer that fills it again (a rebuild, in the caller's
 * transaction). Entries are written as they come (rows made by the caller, see ./rebuild-analysis).
 * On SQLite the secondary
 * indexes and the FTS5 triggers are dropped, and at the end the indexes are built again and the
 * FTS5 table rebuilt from all the entries at once: at 10,000 practices its FTS5 part is 2.6 times
 * faster than the triggers' row by row (its one connection makes every other query wait for the
 * rebuild anyway). Not on PostgreSQL: a dropped index would lock the tables until the commit, so that
 * searches and writes on other connections would wait for the rebuild (and fill the pool) instead
 * of reading the index as it was; there settleAfterRebuild follows the commit.
 */
export async function rebuildEntries(knex: Knex): Promise<{ add: (rows: EntryRow[]) => Promise<void>; finish: () => Promise<void> }> {
  const derived = await derivedStructures(knex);
  for (const { type, name } of derived) await knex.raw(`DROP ${type.toUpperCase()} ??`, [name]);
  if (isSqlite(knex)) await ftsCommand(knex, 'delete-all');
  await knex('search_entries').delete();
  // Every node loads the index again: what the log said before is past.
  await knex(LOG).delete();
  await logChanges(knex, [{ type: EVERYTHING, document_id: '' }]);
  return {
    add: (rows) => writeEntries(knex, rows),
    async finish() {
      if (isSqlite(knex)) {
        // FTS5 merges its segments as they fill (automerge); one merge of them all at the end costs
        // less (measured when the table held every term, 100,000 practices, back to back: 'rebuild'
        // 33-39 s merging as it went, 19-20 s + 5 s to 'optimize' without) and leaves one segment.
        // Then back to FTS5's defaults for the writes to come.
        await ftsCommand(knex, 'automerge', 0);
        await ftsCommand(knex, 'hashsize', FTS5_REBUILD_HASHSIZE);
        await ftsCommand(knex, 'rebuild');
        await ftsCommand(knex, 'optimize');
        await ftsCommand(knex, 'hashsize', FTS5_DEFAULT_HASHSIZE);
        await ftsCommand(knex, 'automerge', FTS5_DEFAULT_AUTOMERGE);
      }
      for (const { create } of derived) await knex.raw(create);
    },
  };
}

/**
 * After a rebuild has committed, on PostgreSQL: VACUUM (ANALYZE) the index tables. The rebuild's
 * rows are fresh: until a vacuum, a lookup in the GIN index (now the records that name a related
 * one) walks its list of pending entries and visits every matching heap page to check visibility
 * (when searches counted there, 7,500 matches at 10,000 practices took 85 ms before, 8 ms after),
 * and the planner has no statistics of the new rows. VACUUM cannot run in a transaction, so a
 * rebuild inside one (an import) calls this after its commit. SQLite needs nothing: the rebuild
 * leaves its indexes built whole.
 */
export async function settleAfterRebuild(knex: Knex): Promise<void> {
  if (!isSqlite(knex)) await knex.raw('VACUUM (ANALYZE) search_entries');
}

export const countEntries = async (knex: Knex): Promise<number> => Number((await knex('search_entries').count({ n: '*' }).first())?.n ?? 0);

/**
 * Documents whose entries name this related record (a theme, a territory...) as a facet: its
 * filter words (`_theme_<documentId>`...), looked up in the full-text index like a search's filters.
 */
export async function documentsWithFacet(knex: Knex, documentId: string): Promise<{ type: SearchTypeName; documentId: string }[]> {
  const named = [FACET_KINDS.map((kind) => filterTerm(kind, documentId))];
  const rows = isSqlite(knex)
    ? await knex('search_fts')
        .join('search_entries as e', 'e.id', 'search_fts.rowid')
        .whereRaw('search_fts MATCH ?', [fts5Filter(named)])
        .distinct('e.type', 'e.document_id')
    : await knex('search_entries as e')
        .whereRaw('e.filter_tsv @@ ?::tsquery', [tsqueryFilter(named)])
        .distinct('e.type', 'e.document_id');
  return rows.map((row: any) => ({ type: row.type, documentId: row.document_id }));
}
