/**
 * The search index tables (created by the 2026.11.26T01 migration), read and written with knex.
 * Writes are the same on both engines (SQLite triggers and PostgreSQL's generated column keep
 * the full-text structures in step); only matching and ranking differ per engine. The vocabulary
 * (search_terms, with how many entries hold each term, and search_term_keys, each term under its
 * deletion keys) is kept in step by the same writes, so that it holds exactly the terms of the
 * published entries: typo tolerance can never reveal a term that no public record has.
 */
import type { Knex } from 'knex';
import {
  TYPO_KEY_MIN_LENGTH,
  VOCABULARY_TYPES,
  deletionKeys,
  fts5Expression,
  hasTypos,
  tsqueryText,
  type QueryTerm,
  type SearchEntry,
  type SearchFilters,
  type SearchPage,
  type SearchTypeName,
} from './core';

export interface StoredHit {
  type: SearchTypeName;
  documentId: string;
  slug: string;
  title: string;
  texts: [string, string][];
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
}

const isSqlite = (knex: Knex) => ['sqlite', 'sqlite3', 'better-sqlite3'].includes(String(knex.client.config.client));

const TERM_COLUMNS = ['title_terms', 'body_terms', 'related_terms'] as const;
type TermRow = { locale: string } & Record<(typeof TERM_COLUMNS)[number], string>;

type Counts = Map<string, Map<string, number>>;

/** How many of these entries hold each term, per locale (a term counts once per entry), added to `into` times `sign`. */
function countTerms(rows: TermRow[], sign = 1, into: Counts = new Map()): Counts {
  for (const row of rows) {
    const perLocale = into.get(row.locale) ?? into.set(row.locale, new Map()).get(row.locale)!;
    for (const term of new Set(TERM_COLUMNS.flatMap((column) => row[column].split(' ')).filter(Boolean)))
      perLocale.set(term, (perLocale.get(term) ?? 0) + sign);
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

const entryRow = (entry: SearchEntry) => ({
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
});

async function writeEntries(knex: Knex, entries: SearchEntry[]): Promise<void> {
  for (const batch of chunks(entries, 200)) {
    const ids: { id: number }[] = await knex('search_entries').insert(batch.map(entryRow)).returning('id');
    const facets = batch.flatMap((entry, index) => entry.facets.map((facet) => ({ entry_id: ids[index].id, ...facet })));
    for (const some of chunks(facets, 300)) await knex('search_facets').insert(some);
  }
}

/**
 * Replaces every entry of these documents (all locales) with `entries`; the vocabulary changes
 * only by the terms that came or went (a record re-indexed unchanged leaves it alone).
 */
export async function replaceEntries(knex: Knex, type: SearchTypeName, documentIds: string[], entries: SearchEntry[]): Promise<void> {
  if (!documentIds.length) return;
  const existing = knex('search_entries').where('type', type).whereIn('document_id', documentIds);
  const old: (TermRow & { id: number })[] = await existing.clone().select('id', 'locale', ...TERM_COLUMNS);
  if (old.length) {
    for (const ids of chunks(
      old.map((row) => row.id),
      500,
    ))
      await knex('search_facets').whereIn('entry_id', ids).delete();
    await existing.clone().delete();
  }
  await writeEntries(knex, entries);
  await changeVocabulary(knex, countTerms(entries.map(entryRow), 1, countTerms(old, -1)));
}

/** Writes entries of documents that have none (a rebuild), and their terms. */
export async function insertEntries(knex: Knex, entries: SearchEntry[]): Promise<void> {
  for (const batch of chunks(entries, 200)) {
    await writeEntries(knex, batch);
    await changeVocabulary(knex, countTerms(batch.map(entryRow)));
  }
}

export async function clearEntries(knex: Knex): Promise<void> {
  await knex('search_term_keys').delete();
  await knex('search_terms').delete();
  await knex('search_facets').delete();
  await knex('search_entries').delete();
}

/** The vocabulary's terms that share a deletion key with one of these stems, with how many entries hold them. */
export async function termsNear(knex: Knex, locale: string, stems: string[]): Promise<{ term: string; entries: number }[]> {
  const keys = [...new Set(stems.flatMap(deletionKeys))];
  if (!keys.length) return [];
  const rows = await knex('search_term_keys as k')
    .distinct('t.term', 't.entries')
    .join('search_terms as t', function on() {
      this.on('t.locale', 'k.locale').andOn('t.term', 'k.term');
    })
    .where('k.locale', locale)
    .whereIn('k.key', keys);
  return rows.map((row: any) => ({ term: row.term, entries: Number(row.entries) }));
}

export const countEntries = async (knex: Knex): Promise<number> => Number((await knex('search_entries').count({ n: '*' }).first())?.n ?? 0);

/** Documents whose entries name this related record (a theme, a territory...) as a facet. */
export async function documentsWithFacet(knex: Knex, value: string): Promise<{ type: SearchTypeName; documentId: string }[]> {
  const rows = await knex('search_entries as e')
    .distinct('e.type', 'e.document_id')
    .join('search_facets as f', 'f.entry_id', 'e.id')
    .where('f.value', value);
  return rows.map((row: any) => ({ type: row.type, documentId: row.document_id }));
}

/** Matching entries, title hits first, then by relevance; and how many match in all. */
export async function findEntries(knex: Knex, query: SearchQuery): Promise<{ total: number; hits: StoredHit[] }> {
  const sqlite = isSqlite(knex);
  const base = sqlite
    ? knex('search_fts')
        .join('search_entries as e', 'e.id', 'search_fts.rowid')
        .whereRaw('search_fts MATCH ?', [fts5Expression(query.plan)])
    : knex('search_entries as e').whereRaw(`e.tsv @@ to_tsquery('simple', ?)`, [tsqueryText(query.plan)]);
  base.where('e.locale', query.locale);
  const { types, facets, from, to } = query.filters;
  if (types.length) base.whereIn('e.type', types);
  for (const [kind, values] of Object.entries(facets)) {
    if (values) base.whereIn('e.id', knex('search_facets').select('entry_id').where('kind', kind).whereIn('value', values));
  }
  if (from || to) base.whereNotNull('e.start_date');
  if (to) base.where('e.start_date', '<=', to);
  if (from) base.whereRaw('coalesce(e.end_date, e.start_date) >= ?', [from]);

  const [rank, titleHit] = sqlite
    ? [
        knex.raw('-bm25(search_fts, 10.0, 3.0, 1.0)'),
        knex.raw('e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)', [fts5Expression(query.plan, 'title_terms')]),
      ]
    : [
        knex.raw(`ts_rank(e.tsv, to_tsquery('simple', ?))`, [tsqueryText(query.plan)]),
        knex.raw(`e.tsv @@ to_tsquery('simple', ?)`, [tsqueryText(query.plan, 'A')]),
      ];
  // With typos tolerated, the records matching the words as typed come first.
  const typos = hasTypos(query.plan);
  const exact = !typos
    ? knex.raw('1')
    : sqlite
      ? knex.raw('e.id IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)', [fts5Expression(query.plan, undefined, true)])
      : knex.raw(`e.tsv @@ to_tsquery('simple', ?)`, [tsqueryText(query.plan, undefined, true)]);
  // Count and rank on narrow columns only (a covering index on SQLite); the wide rows (texts
  // for the snippets) are read afterwards, for the page alone. All three in one snapshot: an edit
  // committed between them would otherwise count, rank or drop entries that are gone.
  const snapshot = sqlite ? {} : { isolationLevel: 'repeatable read' as const };
  const { total, ranked, rows } = await knex.transaction(async (trx) => {
    const total = Number((await base.clone().transacting(trx).count({ n: '*' }).first())?.n ?? 0);
    if (!total || query.page.limit === 0) return { total, ranked: [], rows: [] };
    const ranked: any[] = await base
      .clone()
      .transacting(trx)
      .select(
        'e.id',
        knex.raw('? as rank', [rank]),
        knex.raw('? as title_hit', [titleHit]),
        knex.raw('? as exact_hit', [exact]),
        knex.raw(`CASE WHEN e.type IN (${VOCABULARY_TYPES.map(() => '?').join(', ')}) THEN 0 ELSE 1 END as knowledge`, VOCABULARY_TYPES),
      )
      .orderBy([
        ...(typos ? [{ column: 'exact_hit', order: 'desc' as const }] : []),
        { column: 'title_hit', order: 'desc' },
        { column: 'knowledge', order: 'desc' },
        { column: 'rank', order: 'desc' },
        { column: 'e.type' },
        { column: 'e.slug' },
      ])
      .offset(query.page.offset)
      .limit(query.page.limit);
    const rows = await trx('search_entries')
      .select('id', 'type', 'document_id', 'slug', 'title', 'texts', 'start_date', 'end_date')
      .whereIn(
        'id',
        ranked.map((row) => row.id),
      );
    return { total, ranked, rows };
  }, snapshot);
  if (!ranked.length) return { total, hits: [] };
  const byId = new Map(rows.map((row: any) => [Number(row.id), row]));
  return {
    total,
    hits: ranked.map((hit) => {
      const row: any = byId.get(Number(hit.id));
      return {
        type: row.type,
        documentId: row.document_id,
        slug: row.slug,
        title: row.title,
        texts: JSON.parse(row.texts),
        startDate: row.start_date,
        endDate: row.end_date,
        rank: Number(hit.rank),
        titleHit: Boolean(Number(hit.title_hit) || hit.title_hit === true),
        exact: Boolean(Number(hit.exact_hit) || hit.exact_hit === true),
      };
    }),
  };
}
