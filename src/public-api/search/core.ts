/**
 * Full-text search over the published knowledge: what gets indexed for each type, how a
 * partner's query becomes terms, how hits are scored and how the snippet is cut. Pure: the index
 * held in memory (./held-index.ts) matches and ranks the terms made here, on either engine.
 */
import { eachWord, firstLetter, fold, stem, termOf, terms, tokenize } from './analysis';
import type { Locale } from '../../content/locales/core';

export type SearchTypeName =
  'good-practice' | 'training' | 'thematic-table' | 'outcome' | 'event' | 'project' | 'organization' | 'person' | 'territory' | 'theme';
export const FACET_KINDS = ['theme', 'territory', 'project', 'organization', 'person', 'event', 'target-group', 'status'] as const;
export type FacetKind = (typeof FACET_KINDS)[number];

interface SearchTypeConfig {
  /** The GraphQL enum value partners pass in `types`. */
  graphql: string;
  /** The field shown as the hit's title (`title` unless said), and others matched as if they were in it (an acronym). */
  title?: string;
  alsoTitle?: string[];
  /** Localized texts, in the order a reader meets them; the snippet is cut from these. */
  texts: string[];
  /** Texts inside components, as `component.field`, after the texts. */
  componentTexts?: string[];
  /**
   * Relations (`name`, or `component.name` through a component) whose names are searchable and
   * whose ids are facets: people search for an event by its speakers, a practice by its lead.
   */
  relations: string[];
  dates?: [string, string];
  /** The record is a facet value of its own kind: a theme filter finds the theme itself, a region its provinces. */
  self?: FacetKind;
  /**
   * A vocabulary type (themes, territories) names many records, often in their titles: among
   * equal matches its entries come after the knowledge records (the table on minors before the theme).
   */
  vocabulary?: true;
}

export const SEARCH_TYPES: Record<SearchTypeName, SearchTypeConfig> = {
  'good-practice': {
    graphql: 'GOOD_PRACTICE',
    texts: ['summary', 'context', 'objectives', 'activities', 'results', 'lessonsLearned', 'transferability', 'resourcesNeeded'],
    relations: ['themes', 'territories', 'project', 'leadOrganization', 'partnerOrganizations'],
    dates: ['startDate', 'endDate'],
  },
  training: {
    graphql: 'TRAINING',
    texts: ['description', 'learningObjectives', 'audience'],
    relations: ['themes', 'territory', 'project', 'organizers', 'trainers'],
    dates: ['startDate', 'endDate'],
  },
  'thematic-table': {
    graphql: 'THEMATIC_TABLE',
    texts: ['scope', 'findings', 'recommendations'],
    relations: ['themes', 'event', 'participatingOrganizations', 'facilitators'],
  },
  outcome: {
    graphql: 'OUTCOME',
    texts: ['description', 'unit', 'evidence'],
    relations: ['themes', 'territory', 'project'],
    dates: ['periodStart', 'periodEnd'],
  },
  event: {
    graphql: 'EVENT',
    texts: ['description'],
    componentTexts: ['agenda.title'],
    relations: ['themes', 'territory', 'project', 'organizers', 'agenda.speakers'],
    dates: ['startDate', 'endDate'],
  },
  project: {
    graphql: 'PROJECT',
    alsoTitle: ['acronym'],
    texts: ['summary', 'objectives'],
    componentTexts: [
      'funding.fund',
      'funding.specificObjective',
      'funding.nationalObjective',
      'funding.action',
      'funding.call',
      'funding.legalBasis',
    ],
    relations: ['territories', 'coordinator', 'partners.organization'],
    dates: ['startDate', 'endDate'],
    self: 'project',
  },
  organization: {
    graphql: 'ORGANIZATION',
    title: 'name',
    alsoTitle: ['acronym'],
    texts: ['description'],
    relations: ['territory'],
    self: 'organization',
  },
  person: {
    graphql: 'PERSON',
    title: 'fullName',
    texts: ['bio'],
    componentTexts: ['affiliations.jobTitle'],
    relations: ['affiliations.organization'],
    self: 'person',
  },
  territory: {
    graphql: 'TERRITORY',
    title: 'name',
    texts: [],
    relations: ['parent'],
    self: 'territory',
    vocabulary: true,
  },
  theme: {
    graphql: 'THEME',
    title: 'name',
    texts: ['description'],
    relations: ['parent'],
    self: 'theme',
    vocabulary: true,
  },
};

export const SEARCH_TYPE_NAMES = Object.keys(SEARCH_TYPES) as SearchTypeName[];
export const VOCABULARY_TYPES = SEARCH_TYPE_NAMES.filter((type) => SEARCH_TYPES[type].vocabulary);
export const searchTypeUid = (type: SearchTypeName) => `api::${type}.${type}`;
export const searchTypeOfUid = (uid: string): SearchTypeName | undefined => SEARCH_TYPE_NAMES.find((type) => searchTypeUid(type) === uid);

/** What a related record contributes: its facet kind and the fields that name it. */
const RELATED: Record<string, { kind: FacetKind; names: string[] }> = {
  'api::theme.theme': { kind: 'theme', names: ['name'] },
  'api::territory.territory': { kind: 'territory', names: ['name'] },
  'api::project.project': { kind: 'project', names: ['acronym', 'title'] },
  'api::organization.organization': { kind: 'organization', names: ['name', 'acronym'] },
  'api::person.person': { kind: 'person', names: ['fullName'] },
  'api::event.event': { kind: 'event', names: ['title'] },
};

/** The content types whose changes can alter an indexed record (through its relations). */
export const RELATED_UIDS = Object.keys(RELATED);

/**
 * What, beyond being published, a record needs to be public. A person is public only with their
 * consent: the consent gate unpublishes a person who withdraws it, and the index checks it again,
 * for the person and for every record that names them.
 */
export const PUBLIC_ONLY: Record<string, Record<string, unknown>> = { 'api::person.person': { consentToPublish: true } };

/** The target content type of each relation path of a type (`agenda.speakers` -> the person type). */
export type RelationTargets = Record<string, string>;

/** The fields of a type that entryFor reads (besides the components and relations of populateFor). */
export function fieldsFor(type: SearchTypeName): string[] {
  const config = SEARCH_TYPES[type];
  return [
    'documentId',
    'locale',
    'slug',
    config.title ?? 'title',
    ...(config.alsoTitle ?? []),
    ...config.texts,
    ...(config.dates ?? []),
    ...(type === 'good-practice' ? ['implementationStatus'] : []),
  ];
}

/** One populate definition per searchable type: just what the index needs. */
export function populateFor(type: SearchTypeName, targets: RelationTargets): Record<string, any> {
  const config = SEARCH_TYPES[type];
  const populate: Record<string, any> = {};
  const at = (path: string, spec: Record<string, unknown> | true) => {
    const [head, name] = path.split('.');
    if (!name) populate[head] = spec;
    else {
      populate[head] = populate[head] === true || !populate[head] ? { populate: {} } : populate[head];
      if (spec !== true) populate[head].populate[name] = spec;
    }
  };
  for (const path of config.componentTexts ?? []) if (!populate[path.split('.')[0]]) at(path.split('.')[0], true);
  for (const path of config.relations) {
    const uid = targets[path];
    const related = RELATED[uid];
    // An event's dates and place also date and place its thematic tables.
    const extra = related.kind === 'event' ? ['startDate', 'endDate'] : [];
    at(path, {
      fields: ['documentId', ...related.names, ...extra],
      ...(PUBLIC_ONLY[uid] ? { filters: PUBLIC_ONLY[uid] } : {}),
      ...(related.kind === 'event' ? { populate: { territory: { fields: ['documentId', 'name'] }, inferences: true } } : {}),
    });
  }
  if (SEARCH_TYPES[type].dates) populate.inferences = true;
  if (type === 'good-practice') populate.targetGroups = true;
  if (type === 'training' || type === 'event') populate.venue = true;
  return populate;
}

export interface SearchEntry {
  type: SearchTypeName;
  documentId: string;
  locale: string;
  slug: string;
  title: string;
  /** The passages a snippet may come from, as [field, text]. */
  texts: [string, string][];
  titleTerms: string;
  bodyTerms: string;
  relatedTerms: string;
  startDate: string | null;
  endDate: string | null;
  /**
   * The locale, type and facets (the related records it names, its target groups and status) as
   * words (filterTerm), which the engines match in the full-text index itself.
   */
  filterTerms: string;
}

type Doc = Record<string, any>;
const asList = (value: unknown): Doc[] => (Array.isArray(value) ? value : value ? [value as Doc] : []);
/** The records (or component entries) at `a` or `a.b` of a document. */
const at = (doc: Doc, path: string): Doc[] =>
  path.split('.').reduce<Doc[]>((found, name) => found.flatMap((item) => asList(item[name])), [doc]);
const day = (value: unknown): string | null => (value ? String(value instanceof Date ? value.toISOString() : value).slice(0, 10) : null);
/** A date as the index keeps it: none when the editors inferred it, since a hit shows its date as a fact. */
const stated = (doc: Doc, field: string): string | null =>
  asList(doc.inferences).some((inference) => inference.field === field) ? null : day(doc[field]);

/** The index entry of one published document in one locale. */
export function entryFor(type: SearchTypeName, doc: Doc, targets: RelationTargets): SearchEntry {
  const config = SEARCH_TYPES[type];
  const locale = doc.locale as Locale;
  const title = String(doc[config.title ?? 'title'] ?? '');
  const texts: [string, string][] = config.texts.filter((field) => doc[field]).map((field) => [field, String(doc[field])]);
  for (const path of config.componentTexts ?? []) {
    const [component, field] = path.split('.');
    for (const item of asList(doc[component])) if (item[field]) texts.push([component, String(item[field])]);
  }

  const facets: { kind: FacetKind; value: string }[] = config.self ? [{ kind: config.self, value: doc.documentId }] : [];
  const related: string[] = [];
  let startDate = config.dates ? stated(doc, config.dates[0]) : null;
  let endDate = config.dates ? (stated(doc, config.dates[1]) ?? startDate) : null;
  for (const path of config.relations) {
    const { kind, names } = RELATED[targets[path]];
    for (const target of at(doc, path)) {
      facets.push({ kind, value: target.documentId });
      related.push(...names.map((field) => target[field]).filter(Boolean));
      if (kind === 'event') {
        startDate ??= stated(target, 'startDate');
        endDate ??= stated(target, 'endDate') ?? startDate;
        if (target.territory) facets.push({ kind: 'territory', value: target.territory.documentId });
      }
    }
  }
  for (const venue of asList(doc.venue)) related.push(...['name', 'city'].map((field) => venue[field]).filter(Boolean));
  for (const group of asList(doc.targetGroups)) facets.push({ kind: 'target-group', value: group.group });
  if (doc.implementationStatus) facets.push({ kind: 'status', value: doc.implementationStatus });

  const named = new Set(facets.map((facet) => filterTerm(facet.kind, facet.value)));
  return {
    type,
    documentId: doc.documentId,
    locale,
    slug: doc.slug,
    title,
    texts,
    titleTerms: terms([title, ...(config.alsoTitle ?? []).map((field) => doc[field] ?? '')].join('\n'), locale),
    bodyTerms: terms(texts.map(([, text]) => text).join('\n'), locale),
    relatedTerms: terms(related.join('\n'), locale),
    startDate,
    endDate,
    filterTerms: [filterTerm('locale', locale), filterTerm('type', type), ...named].join(' '),
  };
}

// ---------------------------------------------------------------------------------------------
// Queries

export interface Thesaurus {
  it: { words: string[] }[];
  en: { words: string[] }[];
}

/**
 * One word of the query: any of its alternatives must match; the last word also as a prefix.
 * A word of five letters or more also matches the index's terms one typo away from its stem
 * (`typos`, filled from the index's vocabulary by withTypos), ranked after the words as typed.
 */
export interface QueryTerm {
  alternatives: string[];
  prefix: boolean;
  /** The stem whose one-edit neighbours are tolerated (long words only). */
  tolerant?: string;
  typos?: string[];
}

export class SearchInputError extends Error {}

export const MAX_QUERY_LENGTH = 200;
export const MAX_QUERY_WORDS = 10;
/** Shorter words have too many neighbours one edit away for a typo to be told from another word. */
export const TYPO_MIN_LENGTH = 5;
/** At most this many terms stand in for one mistyped word (the commonest), so that a query stays cheap. */
export const MAX_TYPOS_PER_WORD = 12;

// Each thesaurus group as stems, worked out once per thesaurus (it is read once per node).
const STEMMED = new WeakMap<Thesaurus, Partial<Record<Locale, string[][]>>>();
function thesaurusStems(thesaurus: Thesaurus, locale: Locale): string[][] {
  let stemmed = STEMMED.get(thesaurus);
  if (!stemmed) STEMMED.set(thesaurus, (stemmed = {}));
  return (stemmed[locale] ??= thesaurus[locale].map((group) => group.words.map((word) => stem(fold(word), locale))));
}

/** The terms a query asks for: every word must match (or one of its thesaurus alternatives). */
export function planQuery(query: string, locale: Locale, thesaurus: Thesaurus): QueryTerm[] {
  if (query.length > MAX_QUERY_LENGTH) throw new SearchInputError(`The search query is too long: at most ${MAX_QUERY_LENGTH} characters.`);
  const words = tokenize(query, locale).filter((token) => token.term);
  if (!words.length)
    throw new SearchInputError('The search query has no searchable words: give at least one word that is not a stop word.');
  if (words.length > MAX_QUERY_WORDS) throw new SearchInputError(`The search query has too many words: at most ${MAX_QUERY_WORDS}.`);
  const groups = thesaurusStems(thesaurus, locale);
  const plan = words.map((word, index) => {
    const synonyms = groups.filter((group) => group.includes(word.term)).flat();
    const term: QueryTerm = { alternatives: [...new Set([word.term, ...synonyms])], prefix: index === words.length - 1 };
    if (word.folded.length >= TYPO_MIN_LENGTH && !/^\p{N}+$/u.test(word.folded)) term.tolerant = word.term;
    return term;
  });
  // The same word twice adds nothing but cost.
  return [...new Map(plan.map((term) => [JSON.stringify(term), term])).values()];
}

/** Terms shorter than this are never offered as typos: a term of two letters one edit from a word is noise more often than what was meant. */
export const TYPO_MIN_TERM_LENGTH = 3;

/** True when a and b differ by exactly one insertion, deletion, substitution or transposition of neighbours. */
export function oneEditApart(a: string, b: string): boolean {
  const [x, y] = [[...a], [...b]];
  if (Math.abs(x.length - y.length) > 1 || a === b) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i += 1;
  const rest = (p: number, q: number) => x.slice(p).join('') === y.slice(q).join('');
  if (x.length === y.length) return rest(i + 1, i + 1) || (x[i] === y[i + 1] && x[i + 1] === y[i] && rest(i + 2, i + 2));
  return x.length > y.length ? rest(i + 1, i) : rest(i, i + 1);
}

/** A beginning of the last word shorter than this is never taken for the stem of the word being typed (withBeginnings). */
export const BEGINNING_MIN_LENGTH = 4;

/**
 * The plan with each alternative of the last word that begins no term of the index replaced by
 * the longest term it begins (`beginning`, from ./held-index beginningOf): a stemmer cuts some
 * words shorter than the letters typed on the way to them ("initiative" is indexed as "initi", so
 * "initia" begins no term), and a word being typed finds what the whole word will.
 */
export function withBeginnings(plan: QueryTerm[], beginning: (prefix: string) => string | undefined): QueryTerm[] {
  return plan.map((q) =>
    q.prefix ? { ...q, alternatives: [...new Set(q.alternatives.map((alternative) => beginning(alternative) ?? alternative))] } : q,
  );
}

/**
 * The plan with each tolerant word's typos: the vocabulary's terms (./held-index termsNear) one
 * edit from its stem and not already matched by the word as typed, the commonest first.
 */
export function withTypos(plan: QueryTerm[], vocabulary: { term: string; entries: number }[]): QueryTerm[] {
  return plan.map((q) => {
    if (!q.tolerant) return q;
    const typos = vocabulary
      .filter(({ term }) => oneEditApart(q.tolerant!, term))
      .filter(({ term }) => !q.alternatives.some((alternative) => (q.prefix ? term.startsWith(alternative) : term === alternative)))
      .sort((a, b) => b.entries - a.entries || (a.term < b.term ? -1 : 1))
      .slice(0, MAX_TYPOS_PER_WORD)
      .map(({ term }) => term);
    return typos.length ? { ...q, typos } : q;
  });
}

/**
 * Whether a word of a text matches the plan (its term as typed, the last word as a prefix, or
 * through a typo); one answer per word, as the texts of a page repeat their words. Only a word
 * that begins as one of the plan's terms does is analysed: no other letter can begin a matching
 * term (./analysis firstLetter), and most words of a text are not.
 */
function wordMatcher(plan: QueryTerm[], locale: Locale): (text: string, start: number, end: number) => boolean {
  const all = plan.flatMap((q) => [
    ...q.alternatives.map((term) => ({ term, prefix: q.prefix })),
    ...(q.typos ?? []).map((term) => ({ term, prefix: false })),
  ]);
  const firstLetters = new Set(all.map((option) => option.term.codePointAt(0)!));
  // The same test for the ASCII characters a word may begin with, by code: most words.
  const asciiFirst = Uint8Array.from({ length: 128 }, (_, code) => (firstLetters.has(firstLetter(code)) ? 1 : 0));
  const known = new Map<string, boolean>();
  return (text, start, end) => {
    const first = text.charCodeAt(start);
    if (first < 128 ? asciiFirst[first] === 0 : !firstLetters.has(firstLetter(text.codePointAt(start)!))) return false;
    const word = text.slice(start, end);
    let found = known.get(word);
    if (found === undefined) {
      const term = termOf(word, locale);
      found = term !== '' && all.some((option) => (option.prefix ? term.startsWith(option.term) : term === option.term));
      known.set(word, found);
    }
    return found;
  };
}

/**
 * A filter as one word of the index: `_locale_it`, `_type_event`, `_theme_ab12…`. Filters are then
 * matched by the index like words (no join, no scan of the matches). Query terms are letters and
 * digits only, so no word or prefix a partner types can match a filter word.
 */
export const filterTerm = (kind: string, value: string): string =>
  `_${kind.replace(/[^a-z0-9]/g, '')}_${value.toLowerCase().replace(/[^a-z0-9]/g, '')}`;

/** What a search is narrowed to: every group must match, within a group any of its terms. */
export function filterGroups(locale: string, filters: SearchFilters): string[][] {
  const facets = Object.entries(filters.facets) as [FacetKind, string[] | undefined][];
  return [
    [filterTerm('locale', locale)],
    ...(filters.types.length ? [filters.types.map((type) => filterTerm('type', type))] : []),
    ...facets.flatMap(([kind, values]) => (values ? [values.map((value) => filterTerm(kind, value))] : [])),
  ];
}

/** The filter groups as an FTS5 expression on the filter column (the records that name a related one: store documentsWithFacet). */
export const fts5Filter = (groups: string[][]): string =>
  `{filter_terms} : (${groups.map((group) => `(${group.map((term) => `"${term}"`).join(' OR ')})`).join(' AND ')})`;

/** The filter groups as tsquery text (for a `::tsquery` cast, which takes lexemes as they are). */
export const tsqueryFilter = (groups: string[][]): string =>
  groups.map((group) => `(${group.map((term) => `'${term}'`).join(' | ')})`).join(' & ');

/**
 * A hit's score: title matches come first (1 + relevance), relevance is the rank (BM25,
 * held-index.ts) mapped into [0, 1). A record found only
 * by tolerating a typo scores 0: it comes after every record that matches the words as typed.
 */
export const score = (titleHit: boolean, rank: number, exact = true): number => {
  if (!exact) return 0;
  const relevance = Math.max(rank, 0) / (1 + Math.max(rank, 0));
  return Math.round(((titleHit ? 1 : 0) + relevance) * 10000) / 10000;
};

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

/**
 * The snippets of a page's entries: for an entry's texts, the passage that best matches the query,
 * HTML-escaped, with the matching words in <mark>. The title is shown by partners anyway, so a
 * passage of the body is preferred; with no match in the body the snippet is the opening of the
 * first text.
 */
export function snippets(plan: QueryTerm[], locale: Locale, words = 24): (texts: [string, string][]) => string {
  const matching = wordMatcher(plan, locale);
  return (texts) => {
    // The window holding the most matches, found from the word indexes of each text's matches.
    let best: { text: string; at: number; hits: number } | undefined;
    for (const [, text] of texts) {
      const hits: number[] = [];
      let index = 0;
      eachWord(text, (start, end) => {
        if (matching(text, start, end)) hits.push(index);
        index += 1;
      });
      for (let first = 0, last = 0; first < hits.length; first += 1) {
        while (last < hits.length && hits[last] < hits[first] + words) last += 1;
        if (!best || last - first > best.hits) best = { text, at: Math.max(0, hits[first] - 4), hits: last - first };
      }
    }
    const text = best?.text ?? texts[0]?.[1] ?? '';
    const at = best?.at ?? 0;
    // The window's words, and whether the text goes on after them.
    const window: { start: number; end: number }[] = [];
    let more = false;
    let index = 0;
    eachWord(text, (start, end) => {
      if (index === at + words) {
        more = true;
        return false;
      }
      if (index >= at) window.push({ start, end });
      index += 1;
      return true;
    });
    if (!window.length) return '';
    // Escaped a run at a time, from one marked word to the next.
    let html = at > 0 ? '… ' : '';
    let cursor = at > 0 ? window[0].start : 0;
    for (const { start, end } of window) {
      if (!matching(text, start, end)) continue;
      html += `${escapeHtml(text.slice(cursor, start))}<mark>${escapeHtml(text.slice(start, end))}</mark>`;
      cursor = end;
    }
    const last = window[window.length - 1].end;
    html += escapeHtml(text.slice(cursor, last));
    const rest = text.slice(last);
    html += more ? escapeHtml(rest.slice(0, rest.search(/\s|$/))) + ' …' : escapeHtml(rest);
    return html.trim();
  };
}

// ---------------------------------------------------------------------------------------------
// Filters

export interface TerritoryNode {
  documentId: string;
  slug: string;
  parent?: string | null;
}

/** The published records a filter names by slug, by documentId; a slug none has is the partner's error, named. */
export function namedBySlug(all: TerritoryNode[], slugs: string[], what: string): string[] {
  const unknown = slugs.filter((slug) => !all.some((node) => node.slug === slug));
  if (unknown.length) throw new SearchInputError(`Unknown ${what}: ${unknown.join(', ')}. Use the slug of a published ${what}.`);
  return all.filter((node) => slugs.includes(node.slug)).map((node) => node.documentId);
}

/** The territories named by slug and every territory inside them (a region holds its provinces...). */
export function territoriesWithin(all: TerritoryNode[], slugs: string[]): string[] {
  const found = new Set(namedBySlug(all, slugs, 'territory'));
  for (let grown = true; grown;) {
    grown = false;
    for (const node of all) {
      if (node.parent && found.has(node.parent) && !found.has(node.documentId)) {
        found.add(node.documentId);
        grown = true;
      }
    }
  }
  return [...found];
}

export interface SearchFilters {
  types: SearchTypeName[];
  /** Facet values required, per kind: a record matches when it holds any of them. */
  facets: Partial<Record<FacetKind, string[]>>;
  from?: string;
  to?: string;
}

export interface SearchPage {
  offset: number;
  limit: number;
}

export const DEFAULT_SEARCH_PAGE_SIZE = 10;

/** Strapi's PaginationArg ({ page, pageSize } or { start, limit }) as offset and limit. */
export function searchPage(pagination: { page?: number; pageSize?: number; start?: number; limit?: number } = {}): SearchPage {
  if (pagination.start !== undefined || pagination.limit !== undefined) {
    return { offset: Math.max(0, pagination.start ?? 0), limit: pagination.limit ?? DEFAULT_SEARCH_PAGE_SIZE };
  }
  const limit = pagination.pageSize ?? DEFAULT_SEARCH_PAGE_SIZE;
  return { offset: (Math.max(1, pagination.page ?? 1) - 1) * limit, limit };
}
