/**
 * The search index tables (created by the 2026.11.26T01 migration), read and written with knex.
 * Writes are the same on both engines (SQLite triggers and PostgreSQL's generated column keep
 * the full-text structures in step); only matching and ranking differ per engine. The vocabulary
 * (search_terms, with how many entries hold each term, and search_term_keys, each term under its
 * deletion keys) is kept in step by the same writes, so that it holds exactly the terms of the
 * published entries: typo tolerance can never reveal a term that no public record has.
 */
import type { Knex } from 'knex';
import type { Locale } from '../../content/locales/core';
import {
  FACET_KINDS,
  MAX_COMPLETIONS,
  TYPO_KEY_MIN_LENGTH,
  VOCABULARY_TYPES,
  deletionKeys,
  TITLE_MARK,
  filterGroups,
  filterTerm,
  fts5Expression,
  fts5Filter,
  hasTypos,
  snippet,
  withTypos,
  tsqueryFilter,
  tsqueryText,
  unindexedPrefixes,
  withCompletions,
  type QueryTerm,
  type SearchEntry,
  type SearchFilters,
  type SearchPage,
  type SearchTypeName,
} from './core';
import { preparedReadsOf, type KnexLike } from '../direct-reads/prepared';

export interface StoredHit {
  type: SearchTypeName;
  documentId: string;
  slug: string;
  title: string;
  /** Where the words are, in the text that holds the most of them (core snippet). */
  snippet: string;
  startDate: string | null;
  endDate: string | null;
  rank: number;
  titleHit: boolean;
  /** Matches the words as typed (not only through a tolerated typo). */
  exact: boolean;
}

export interface SearchQuery {
  plan: QueryTerm[];
  locale: string;
  filters: SearchFilters;
  page: SearchPage;
  /** PostgreSQL: run its statements named (prepared on the server), see direct-reads/prepared. */
  namedStatements: boolean;
  /**
   * Matches are counted up to this many; beyond, the total is this figure and not exact. An exact
   * count of every match of a common word visits every match (on PostgreSQL each matching row, for
   * its visibility): the cost that grows with the collection, which no page of results needs.
   */
  exactTotalUpTo: number;
  /**
   * Matches are ranked in blocks of this many, in the order the engine finds them: within the
   * matches of one kind (see Kind) the first block is ranked and comes first, then the next. A
   * search thus ranks at most this many records per page, never every match of a common word; a
   * kind with fewer matches is ranked exactly.
   */
  rankedBlock: number;
}

const isSqlite = (knex: Knex) => ['sqlite', 'sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

const TERM_COLUMNS = ['title_terms', 'body_terms', 'related_terms'] as const;
type TermRow = { locale: string } & Record<(typeof TERM_COLUMNS)[number], string>;

/** How many entries hold each term, per locale. */
export type Counts = Map<string, Map<string, number>>;

/** How many of these entries hold each term, per locale (a term counts once per entry), added to `into` times `sign`. */
export function countTerms(rows: TermRow[], sign = 1, into: Counts = new Map()): Counts {
  const counted = new Set<string>(); // this row's terms, one set for all rows: a rebuild counts 200,000 rows
  for (const row of rows) {
    const perLocale = into.get(row.locale) ?? into.set(row.locale, new Map()).get(row.locale)!;
    counted.clear();
    for (const column of TERM_COLUMNS)
      for (const term of row[column].split(' '))
        if (term && !counted.has(term)) {
          counted.add(term);
          perLocale.set(term, (perLocale.get(term) ?? 0) + sign);
        }
  }
  return into;
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/**
 * Applies a change of term counts to the vocabulary: new terms are filed under their deletion
 * keys, terms no entry holds any more leave it. Terms are written in sorted order, so that
 * concurrent writers lock vocabulary rows in one order.
 */
async function changeVocabulary(knex: Knex, delta: Counts): Promise<void> {
  for (const [locale, counts] of delta) {
    const terms = [...counts.keys()].filter((term) => counts.get(term) !== 0).sort();
    const added = terms.filter((term) => counts.get(term)! > 0);
    for (const chunk of chunks(added, 300)) {
      const stored: { term: string; entries: number | string }[] = await knex('search_terms')
        .insert(chunk.map((term) => ({ locale, term, entries: counts.get(term)! })))
        .onConflict(['locale', 'term'])
        .merge({ entries: knex.raw('search_terms.entries + excluded.entries') })
        .returning(['term', 'entries']);
      // A term whose count is just what this write added is new: file it under its keys.
      const fresh = stored.filter((row) => Number(row.entries) === counts.get(row.term) && [...row.term].length >= TYPO_KEY_MIN_LENGTH);
      const keys = fresh.flatMap(({ term }) => deletionKeys(term).map((key) => ({ locale, key, term })));
      // 500 rows: knex writes a multi-row insert on SQLite as a compound SELECT, which SQLite caps at 500 terms.
      for (const batch of chunks(keys, 500)) await knex('search_term_keys').insert(batch).onConflict(['locale', 'key', 'term']).ignore();
    }
    const removed = terms.filter((term) => counts.get(term)! < 0);
    const byCount = new Map<number, string[]>();
    for (const term of removed) byCount.set(-counts.get(term)!, [...(byCount.get(-counts.get(term)!) ?? []), term]);
    for (const [n, some] of byCount)
      for (const chunk of chunks(some, 500))
        await knex('search_terms').where('locale', locale).whereIn('term', chunk).decrement('entries', n);
    for (const chunk of chunks(removed, 500)) {
      const gone = knex('search_terms').select('term').where('locale', locale).whereIn('term', chunk).where('entries', '<=', 0);
      await knex('search_term_keys').where('locale', locale).whereIn('term', gone).delete();
      await knex('search_terms').where('locale', locale).whereIn('term', chunk).where('entries', '<=', 0).delete();
    }
  }
}

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
  const run = preparedReadsOf(isSqlite(knex) ? 'sqlite' : 'postgres');
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

/**
 * Replaces every entry of these documents (all locales) with `entries`; the vocabulary changes
 * only by the terms that came or went (a record re-indexed unchanged leaves it alone).
 */
export async function replaceEntries(knex: Knex, type: SearchTypeName, documentIds: string[], entries: SearchEntry[]): Promise<void> {
  if (!documentIds.length) return;
  const existing = knex('search_entries').where('type', type).whereIn('document_id', documentIds);
  const old: TermRow[] = await existing.clone().select('locale', ...TERM_COLUMNS);
  if (old.length) await existing.clone().delete();
  const rows = entries.map(entryRow);
  await writeEntries(knex, rows);
  await changeVocabulary(knex, countTerms(rows, 1, countTerms(old, -1)));
}

const INDEX_TABLES = ['search_term_keys', 'search_terms', 'search_entries'];
/** SQLite's FTS5 table over search_entries (external content, kept in step by triggers on it). */
const FTS_TABLE = 'search_fts';
const FTS5_DEFAULT_AUTOMERGE = 4;
/**
 * FTS5 writes the terms it has gathered in memory as a new segment whenever they pass `hashsize`
 * bytes (1 MB by default). A rebuild gathers them in 64 MB instead: fewer, larger segments to
 * write and then merge (100,000 practices, 'rebuild' and 'optimize' back to back on one database:
 * 24.3 s with the default, 20.0 and 17.5 s with 64 MB). The memory is FTS5's while it builds.
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
    .whereIn('tbl_name', INDEX_TABLES)
    .whereNotNull('sql')
    .whereNot('sql', 'like', 'CREATE UNIQUE%');
}

/**
 * Empties the index and returns a writer that fills it again (a rebuild, in the caller's
 * transaction). Entries are written as they come (rows made and their terms counted by the
 * caller, see ./rebuild-analysis) and the vocabulary once at the end, from those counts, instead
 * of an upsert per batch. On SQLite the secondary
 * indexes and the FTS5 triggers are dropped, and at the end the indexes are built again and the
 * FTS5 table rebuilt from all the entries at once: at 10,000 practices its FTS5 part is 2.6 times
 * faster than the triggers' row by row (its one connection makes every other query wait for the
 * rebuild anyway). Not on PostgreSQL: a dropped index would lock the tables until the commit, so that
 * searches and writes on other connections would wait for the rebuild (and fill the pool) instead
 * of reading the index as it was; there settleAfterRebuild follows the commit.
 */
export async function rebuildEntries(
  knex: Knex,
): Promise<{ add: (rows: EntryRow[]) => Promise<void>; finish: (counts: Counts) => Promise<void> }> {
  const derived = await derivedStructures(knex);
  for (const { type, name } of derived) await knex.raw(`DROP ${type.toUpperCase()} ??`, [name]);
  if (isSqlite(knex)) await ftsCommand(knex, 'delete-all');
  for (const table of INDEX_TABLES) await knex(table).delete();
  return {
    add: (rows) => writeEntries(knex, rows),
    async finish(counts) {
      for (const [locale, terms] of counts) {
        // 500 rows: knex writes a multi-row insert on SQLite as a compound SELECT, which SQLite caps at 500 terms.
        for (const chunk of chunks([...terms], 500))
          await knex('search_terms').insert(chunk.map(([term, entries]) => ({ locale, term, entries })));
        const keys = [...terms.keys()]
          .filter((term) => [...term].length >= TYPO_KEY_MIN_LENGTH)
          .flatMap((term) => deletionKeys(term).map((key) => ({ locale, key, term })));
        for (const chunk of chunks(keys, 500)) await knex('search_term_keys').insert(chunk);
      }
      if (isSqlite(knex)) {
        // FTS5 merges its segments as they fill (automerge); one merge of them all at the end costs
        // less (100,000 practices, back to back: 'rebuild' 33-39 s merging as it went, 19-20 s + 5 s
        // to 'optimize' without) and leaves one segment to search (left unmerged, search p95 45 -> 61 ms).
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
 * rows are fresh: until a vacuum, every search walks GIN's list of pending entries and visits every
 * matching heap page to check visibility (a count of 7,500 matches at 10,000 practices took 85 ms
 * before, 8 ms after). VACUUM cannot run in a transaction, so a rebuild inside one (an import)
 * calls this after its commit. SQLite needs nothing: the rebuild leaves its indexes built whole.
 */
export async function settleAfterRebuild(knex: Knex): Promise<void> {
  if (!isSqlite(knex)) await knex.raw(`VACUUM (ANALYZE) ${INDEX_TABLES.join(', ')}`);
}

/** The vocabulary's terms that share a deletion key with one of these stems, with how many entries hold them. */
async function termsNear(knex: Knex, run: Run, locale: string, stems: string[]): Promise<{ term: string; entries: number }[]> {
  const keys = [...new Set(stems.flatMap(deletionKeys))];
  if (!keys.length) return [];
  const rows = await run(
    knex('search_term_keys as k')
      .distinct('t.term', 't.entries')
      .join('search_terms as t', function on() {
        this.on('t.locale', 'k.locale').andOn('t.term', 'k.term');
      })
      .where('k.locale', locale)
      .whereIn('k.key', keys),
  );
  return rows.map((row: any) => ({ term: row.term, entries: Number(row.entries) }));
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
        .whereRaw('e.tsv @@ ?::tsquery', [tsqueryFilter(named)])
        .distinct('e.type', 'e.document_id');
  return rows.map((row: any) => ({ type: row.type, documentId: row.document_id }));
}

const TEXT_COLUMNS = TERM_COLUMNS.join(' ');

/** Runs a built statement in the snapshot; resolves to its rows. */
export type Run = (builder: Knex.QueryBuilder) => Promise<any[]>;
/** A Run over a connection's own way of running SQL text with its bindings. */
export const runWith =
  (execute: (sql: string, bindings: unknown[]) => unknown): Run =>
  async (builder) => {
    const { sql, bindings } = builder.toSQL().toNative();
    return (await execute(sql, bindings as unknown[])) as any[];
  };
/** Runs `body`'s statements in one snapshot: a transaction of the node's connection here, or of a reader thread's (../read-threads). */
export type Snapshot = <T>(body: (run: Run) => Promise<T>) => Promise<T>;

/** A transaction of the node's own connection, its statements prepared (parsed and planned once per connection: the same few shapes at every search). */
export const mainSnapshot =
  (knex: Knex, namedStatements: boolean): Snapshot =>
  (body) =>
    knex.transaction(async (trx) => {
      const sqlite = isSqlite(knex);
      // Matching goes through the GIN index, as a bitmap: tsquery selectivity would otherwise lead the planner to test @@
      // row by row (a scan of the table, or of the primary key in id order), reading every row's tsvector from TOAST
      // (37 ms for a block of title hits of a common word at 10,000 practices, 3 ms as a bitmap).
      // A bitmap scan returns the rows in the table's order; a parallel one would not (so none), nor would a sequential
      // scan joining another's (so none), and rows do not move under a snapshot: every statement finds the matches in one order.
      // One round trip: the snapshot's isolation (repeatable read: the count and the blocks see the same matches) with them.
      if (!sqlite)
        await trx.raw(
          'SET TRANSACTION ISOLATION LEVEL REPEATABLE READ; SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; SET LOCAL max_parallel_workers_per_gather = 0; SET LOCAL synchronize_seqscans = off',
        );
      const read = preparedReadsOf(sqlite ? 'sqlite' : 'postgres');
      return body(runWith((sql, bindings) => read(trx as unknown as KnexLike, sql, bindings, namedStatements)));
    });

/** One kind of match, in the order of the results: as typed or through a typo, title hit or not, knowledge or vocabulary. */
interface Kind {
  exact: boolean;
  title: boolean;
  vocabulary: boolean;
}

/**
 * Matching entries, title hits first, then by relevance, each with its snippet; and how many match
 * (see exactTotalUpTo). All in one snapshot: the words the vocabulary knows near those typed with a
 * tolerance (typos), then the matches (findPage). `knex` builds the statements; `inSnapshot` runs them.
 */
export async function findEntries(
  knex: Knex,
  query: SearchQuery,
  inSnapshot: Snapshot = mainSnapshot(knex, query.namedStatements),
): Promise<{ total: number; totalExact: boolean; hits: StoredHit[] }> {
  return inSnapshot(async (run) => {
    const tolerant = query.plan.flatMap((term) => (term.tolerant ? [term.tolerant] : []));
    const plan = tolerant.length ? withTypos(query.plan, await termsNear(knex, run, query.locale, tolerant)) : query.plan;
    return findPage(knex, run, { ...query, plan });
  });
}

/**
 * The filters are matched by the full-text index with the words. The matches are taken kind by
 * kind (see Kind) and, within a kind, in blocks (rankedBlock) in the order they are found, each
 * ranked on its own, until the page is full: a page ranks one or two blocks, never every match of
 * a common word. The page's wide rows (texts for the snippets) are read last.
 */
async function findPage(knex: Knex, run: Run, query: SearchQuery): Promise<{ total: number; totalExact: boolean; hits: StoredHit[] }> {
  const sqlite = isSqlite(knex);
  const { page, rankedBlock } = query;
  let { plan } = query; // on SQLite, completed in the snapshot (see withCompletions)
  const prefixes = sqlite ? unindexedPrefixes(plan) : [];
  const groups = filterGroups(query.locale, query.filters);
  if (groups.some((group) => !group.length)) return { total: 0, totalExact: true, hits: [] };
  const typos = hasTypos(plan);
  const { from, to } = query.filters;
  const dated = (builder: Knex.QueryBuilder) => {
    if (from || to) builder.whereNotNull('e.start_date');
    if (to) builder.where('e.start_date', '<=', to);
    if (from) builder.whereRaw('coalesce(e.end_date, e.start_date) >= ?', [from]);
    return builder;
  };
  const id = sqlite ? 'search_fts.rowid' : 'e.id';

  /** The matches of one kind, or of every kind (no kind), as a query to select from. */
  let matches: (kind?: Kind) => Knex.QueryBuilder;
  if (sqlite) {
    let expressions: Record<'words' | 'typed' | 'title', string> | undefined;
    const vocabulary = fts5Filter([VOCABULARY_TYPES.map((type) => filterTerm('type', type))]);
    const both = (a: string, b: string, yes: boolean) => `(${a}) ${yes ? 'AND' : 'NOT'} (${b})`;
    matches = (kind) => {
      const { words, typed, title } = (expressions ??= {
        words: fts5Expression(plan, TEXT_COLUMNS),
        typed: fts5Expression(plan, TEXT_COLUMNS, true),
        title: fts5Expression(plan, 'title_terms'),
      });
      // The words as typed are among the words: an exact kind matches them alone, so that FTS5 neither merges nor ranks the typos.
      let expression = `(${kind?.exact && typos ? typed : words}) AND (${fts5Filter(groups)})`;
      if (kind) {
        if (typos && !kind.exact) expression = both(expression, typed, false);
        expression = both(both(expression, title, kind.title), vocabulary, kind.vocabulary);
      }
      const builder = knex('search_fts').whereRaw('search_fts MATCH ?', [expression]);
      return from || to ? dated(builder.join('search_entries as e', 'e.id', 'search_fts.rowid')) : builder;
    };
  } else {
    // One tsquery per kind: the words, the filters, the title (marked terms) and the type, all looked up in the GIN index.
    const [words, typed, title] = [tsqueryText(plan), tsqueryText(plan, true), tsqueryText(plan, false, TITLE_MARK)];
    const vocabulary = tsqueryFilter([VOCABULARY_TYPES.map((type) => filterTerm('type', type))]);
    const both = (a: string, b: string, yes: boolean) => `(${a}) & ${yes ? '' : '!'}(${b})`;
    matches = (kind) => {
      let text = both(kind?.exact && typos ? typed : words, tsqueryFilter(groups), true);
      if (kind) {
        if (typos && !kind.exact) text = both(text, typed, false);
        text = both(both(text, title, kind.title), vocabulary, kind.vocabulary);
      }
      return dated(knex('search_entries as e').whereRaw('e.tsv @@ ?::tsquery', [text]));
    };
  }
  // A block of one kind's matches in the order they are found, with rank, type and slug. On SQLite, in rowid
  // order, FTS5's own, with type and slug from the covering index. On PostgreSQL, in the order the bitmap scan
  // visits the table's pages (the same in every statement of the snapshot: see the transaction below), so that
  // the scan stops at the block's end instead of visiting and sorting every match (a common word at 100,000
  // practices); ranked from the rows visited, without looking them up again (3.8 → 2.5 ms for a block of 500).
  const block = (kind: Kind, n: number) => {
    const ids = (builder: Knex.QueryBuilder) => (sqlite ? builder.orderBy(id) : builder).limit(rankedBlock).offset(n * rankedBlock);
    if (sqlite)
      return ids(
        (from || to ? matches(kind) : matches(kind).join('search_entries as e', 'e.id', 'search_fts.rowid')).select({
          id,
          type: 'e.type',
          slug: 'e.slug',
          rank: knex.raw('-bm25(search_fts, 10.0, 3.0, 1.0, 0.0)'),
        }),
      );
    return knex
      .select('b.id', 'b.type', 'b.slug', knex.raw('ts_rank(b.tsv, ?::tsquery) AS rank', [tsqueryText(plan)]))
      .from(ids(matches(kind).select('e.id', 'e.type', 'e.slug', 'e.tsv')).as('b'));
  };
  const count = async (builder: Knex.QueryBuilder) => Number((await run(builder.count({ n: '*' }).limit(1)))[0]?.n ?? 0);
  // The matches counted up to one more than exactTotalUpTo: the scan stops there.
  const countUpTo = async (builder: Knex.QueryBuilder) =>
    count(
      knex.from(
        builder
          .select(knex.raw('1'))
          .limit(query.exactTotalUpTo + 1)
          .as('m'),
      ),
    );
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

  const kinds: Kind[] = [];
  for (const exact of typos ? [true, false] : [true])
    for (const title of [true, false]) for (const vocabulary of [false, true]) kinds.push({ exact, title, vocabulary });

  if (prefixes.length) {
    const completions: string[] = [];
    for (const prefix of prefixes) {
      const terms = knex('search_terms')
        .select('term')
        .where('locale', query.locale)
        .where('term', '>=', prefix)
        .where('term', '<', `${prefix}{`) // terms are [a-z0-9]: '{' follows 'z'
        .limit(MAX_COMPLETIONS + 1);
      completions.push(...(await run(terms)).map((row: { term: string }) => row.term));
    }
    plan = withCompletions(plan, completions);
  }
  const counted = await countUpTo(matches());
  const exact = counted <= query.exactTotalUpTo;
  const matched = exact ? counted : Infinity;
  const end = page.offset + page.limit;
  const shown: { kind: Kind; id: number; rank: number; type: string; slug: string }[] = [];
  let at = 0; // where the current kind starts in the results
  for (const kind of kinds) {
    if (at >= Math.min(end, matched)) break;
    let size: number | undefined;
    if (page.offset > at) {
      size = await count(matches(kind));
      if (at + size <= page.offset) {
        at += size;
        continue;
      }
    }
    for (let n = Math.floor(Math.max(0, page.offset - at) / rankedBlock); at + n * rankedBlock < end; n += 1) {
      const rows = (await run(block(kind, n)))
        .map((row: any) => ({ kind, id: Number(row.id), rank: Number(row.rank), type: String(row.type), slug: String(row.slug) }))
        .sort(
          (a: { rank: number; type: string; slug: string }, b: { rank: number; type: string; slug: string }) =>
            b.rank - a.rank || byName(a.type, b.type) || byName(a.slug, b.slug),
        );
      const first = at + n * rankedBlock;
      shown.push(...rows.filter((_: unknown, i: number) => first + i >= page.offset && first + i < end));
      if (rows.length < rankedBlock) {
        size = n * rankedBlock + rows.length;
        break;
      }
    }
    // A kind that filled the page is the last one read: its size is never needed.
    if (size === undefined) break;
    at += size;
  }
  const rows = shown.length
    ? await run(
        knex('search_entries')
          .select('id', 'document_id', 'title', 'texts', 'start_date', 'end_date')
          .whereIn(
            'id',
            shown.map((hit) => hit.id),
          ),
      )
    : [];
  const byId = new Map(rows.map((row: any) => [Number(row.id), row]));
  return {
    total: Math.min(counted, query.exactTotalUpTo),
    totalExact: exact,
    hits: shown.map((hit) => {
      const row: any = byId.get(hit.id);
      return {
        type: hit.type as SearchTypeName,
        documentId: row.document_id,
        slug: hit.slug,
        title: row.title,
        snippet: snippet(JSON.parse(row.texts), query.plan, query.locale as Locale),
        startDate: row.start_date,
        endDate: row.end_date,
        rank: hit.rank,
        titleHit: hit.kind.title,
        exact: hit.kind.exact,
      };
    }),
  };
}
