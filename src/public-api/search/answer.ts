/**
 * A search's answer from what a source gives it: the held index, the filters' vocabulary and the
 * page's texts. Pure of Strapi, so that the search thread (./thread.ts) answers exactly as the
 * node's main thread does when it searches itself (./index.ts).
 */
import { unknownLocale } from '../public-access/core';
import { CONTENT_LOCALES, type Locale } from '../../content/locales/core';
import {
  SearchInputError,
  filterGroups,
  namedBySlug,
  planQuery,
  score,
  snippets,
  territoriesWithin,
  withBeginnings,
  withTypos,
  type FacetKind,
  type SearchPage,
  type SearchTypeName,
  type Thesaurus,
} from './core';
import type { HeldState, HeldSync } from './held-sync';
import { batchedShown, type ShownRead } from './shown-batches';
import { keptVocabulary, type VocabularyAt, type VocabularyRead } from './kept-vocabulary';

export interface SearchArgs {
  query: string;
  locale?: string | null;
  types?: SearchTypeName[] | null;
  filters?: {
    themes?: string[] | null;
    territories?: string[] | null;
    targetGroups?: string[] | null;
    implementationStatus?: string[] | null;
    from?: string | null;
    to?: string | null;
  } | null;
  page: SearchPage;
  /** How many matches a search counts at most (`performance.searchExactTotalUpTo`). */
  exactTotalUpTo: number;
}

export interface SearchSource {
  held: HeldSync;
  /** A vocabulary's published records in a locale as of the index's log row `seq` or later, each with its parent's documentId where it has one (./kept-vocabulary). */
  vocabulary: VocabularyAt;
  /** What the page shows of each entry, by id (others too), and whether the index was written to after the log's row `seq` (store.ts shownEntries, ./shown-batches). */
  shown: ShownRead;
  thesaurus: Thesaurus;
}

/**
 * A source over a connection's reads, shared by the searches in flight: the texts of those that
 * overlap read together (./shown-batches), the vocabulary once per position of the index's log
 * (./kept-vocabulary). The node's thread and the search thread build theirs here.
 */
export const searchSource = (reads: {
  held: HeldSync;
  vocabulary: VocabularyRead;
  shown: ShownRead;
  thesaurus: Thesaurus;
}): SearchSource => ({ ...reads, vocabulary: keptVocabulary(reads.vocabulary), shown: batchedShown(reads.shown) });

const locales = () => CONTENT_LOCALES.map((locale) => locale.code);

/** Published records matching the query, best first, with snippets. */
export async function answerSearch(source: SearchSource, args: SearchArgs) {
  const locale = (args.locale ?? locales()[0]) as Locale;
  if (!locales().includes(locale)) throw new SearchInputError(unknownLocale(locale, locales()));
  const planned = planQuery(args.query, locale, source.thesaurus);
  const { filters } = args;
  if (filters?.from && filters?.to && filters.from > filters.to) throw new SearchInputError('filters.from is after filters.to.');

  /** The filters, a theme's or territory's slug named by the vocabulary as of the index's log row `seq`. */
  const facetsAt = async (seq: number) => {
    const facets: Partial<Record<FacetKind, string[]>> = {};
    if (filters?.themes?.length) facets.theme = namedBySlug(await source.vocabulary('themes', locale, seq), filters.themes, 'theme');
    if (filters?.territories?.length)
      facets.territory = territoriesWithin(await source.vocabulary('territories', locale, seq), filters.territories);
    if (filters?.targetGroups?.length) facets['target-group'] = filters.targetGroups;
    if (filters?.implementationStatus?.length) facets.status = filters.implementationStatus;
    return facets;
  };
  const pageOf = async ({ index, seq }: HeldState) => {
    const searchFilters = {
      types: args.types ?? [],
      facets: await facetsAt(seq),
      from: filters?.from ?? undefined,
      to: filters?.to ?? undefined,
    };
    const typed = withBeginnings(planned, (prefix) => index.beginningOf(locale, prefix));
    const tolerant = typed.flatMap((term) => (term.tolerant ? [term.tolerant] : []));
    const plan = tolerant.length ? withTypos(typed, index.termsNear(locale, tolerant)) : typed;
    const found = index.search({
      locale,
      plan,
      groups: filterGroups(locale, searchFilters).slice(1),
      from: searchFilters.from,
      to: searchFilters.to,
      offset: args.page.offset,
      limit: args.page.limit,
      exactTotalUpTo: args.exactTotalUpTo,
    });
    return {
      plan,
      ...found,
      ...(await source.shown(
        found.hits.map((hit) => hit.id),
        seq,
      )),
    };
  };
  // The index as applied so far; when the texts' snapshot says it has been written to since, the
  // index catches up with the log and the search runs again (the snapshot then may be newer still).
  // A slug the vocabulary as applied does not name may have been published since: asked again once
  // the index has caught up.
  const applied = await source.held.applied();
  let page = await pageOf(applied).catch(async (error) => {
    if (!(error instanceof SearchInputError)) throw error;
    const synced = await source.held.synced();
    if (synced.seq === applied.seq) throw error;
    return pageOf(synced);
  });
  if (page.moved) page = await pageOf(await source.held.synced());
  const { total, totalExact, hits, plan, entries: shown } = page;
  const snippetOf = snippets(plan, locale);
  return {
    total,
    totalExact,
    offset: args.page.offset,
    limit: args.page.limit,
    items: hits
      .filter((hit) => shown.has(hit.id))
      .map((hit) => {
        const entry = shown.get(hit.id)!;
        return {
          type: hit.type,
          documentId: entry.documentId,
          slug: hit.slug,
          title: entry.title,
          locale,
          startDate: entry.startDate,
          endDate: entry.endDate,
          snippet: snippetOf(entry.texts),
          score: score(hit.titleHit, hit.rank, hit.exact),
        };
      }),
  };
}

export type SearchAnswer = Awaited<ReturnType<typeof answerSearch>>;
