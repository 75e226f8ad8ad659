/**
 * The search index held in a node's memory: posting lists in impact order, so that the best
 * matches of a word come first and a page of results reads only the head of the lists (top-k with
 * early termination), where the engines' full-text search would rank every match of a common word.
 * Pure: entries come from search_entries (./held-sync.ts), with the terms made by ./analysis, and
 * the same entries give the same answers on every node, whatever the order in which they came.
 * A query walks its words' lists, best first, and scores each entry it meets from that entry's own
 * terms (its forward lists), until the page is full, no entry further down could rank in it, and
 * enough matches are counted (the threshold algorithm).
 *
 * Scoring is BM25 over the fields of an entry (title 10, body 3, related names 1), with a fixed
 * length pivot (AVERAGE_LENGTH) instead of the collection's mean length, so that a posting's
 * impact never changes and its list never needs sorting again; a word scores its best-matching
 * form (the word as typed, a thesaurus alternative, a completion of the last word typed). Results
 * come by kind (KINDS: as typed before typo-only, title hits first, knowledge before vocabulary),
 * within a kind by score, then type and slug.
 *
 * The index is a list of segments, each immutable once built; an entry added later goes into a new
 * small segment, an entry removed is marked dead. Small segments are merged when there are many.
 */
import { BEGINNING_MIN_LENGTH, TYPO_MIN_TERM_LENGTH, type QueryTerm } from './core';

export interface HeldEntry {
  id: number;
  type: string;
  documentId: string;
  locale: string;
  slug: string;
  /** A vocabulary type's entry (theme, territory): after the knowledge records of its kind. */
  vocabulary: boolean;
  titleTerms: string;
  bodyTerms: string;
  relatedTerms: string;
  filterTerms: string;
  startDate: string | null;
  endDate: string | null;
}

export interface HeldQuery {
  locale: string;
  plan: QueryTerm[];
  /** Filter groups without the locale's (core filterGroups minus its first): every group must match, within one any term. */
  groups: string[][];
  from?: string;
  to?: string;
  offset: number;
  limit: number;
  exactTotalUpTo: number;
}

export interface HeldHit {
  id: number;
  type: string;
  slug: string;
  rank: number;
  titleHit: boolean;
  exact: boolean;
}

const FIELD_WEIGHTS = { title: 10, body: 3, related: 1 } as const;
const K1 = 1.2;
const B = 0.75;
/** The length (in terms) an entry's is weighed against: BM25's mean length, fixed. */
export const AVERAGE_LENGTH = 250;
/**
 * A count of matches tells whether an entry holds the other words by marks when their postings are
 * at most this many times the postings it reads (a mark costs a fraction of a search of an entry's
 * forward lists, but every posting of those words is marked).
 */
const MARKS_PER_CHECK = 8;
/** More small segments than this are merged into one. */
const MAX_SMALL_SEGMENTS = 8;
/** A segment of at most this many entries keeps them, to be merged with others. */
const SMALL_SEGMENT = 5000;

/**
 * An entry's impact for a term, in 65,535 levels of BM25's term part (0 to K1 + 1): lists are
 * sorted by level with one native sort of numbers, and the score is computed from the level.
 */
const LEVELS = 65535;
const levelOf = (weighted: number, length: number) =>
  Math.round((weighted / (weighted + K1 * (1 - B + (B * length) / AVERAGE_LENGTH))) * LEVELS);
export const impactOfLevel = (level: number) => (level * (K1 + 1)) / LEVELS;
export const idfOf = (total: number, holding: number) => Math.log(1 + (total - holding + 0.5) / (holding + 0.5));

interface Postings {
  /** The term's place in its segment's sorted vocabulary (the forward lists hold these). */
  number: number;
  /** Ordinals, best impact first (ties: type, then slug). */
  docs: Int32Array;
  /** Each posting's impact level (impactOfLevel). */
  levels: Uint16Array;
  /** 1 where the term is in the entry's title. */
  titled: Uint8Array;
  /** The ordinals whose title holds the term. */
  titleDocs: Int32Array;
}

/**
 * Each entry's terms (their numbers, Postings.number) with their impact levels, by the entry's
 * place in its segment (LocaleIndex.placeOf): its title terms from `starts[p]` to `titleEnds[p]`,
 * the others on to `starts[p + 1]`, each part in the order of the numbers, so that a word's forms
 * (the completions of a prefix are neighbours) are found by binary search.
 */
interface Forward {
  starts: Int32Array;
  titleEnds: Int32Array;
  numbers: Uint16Array | Int32Array;
  levels: Uint16Array;
}

/** A word's forms in one segment: their numbers (ascending) with each one's IDF, and where each run of consecutive numbers begins (then the count). */
interface SegmentForms {
  numbers: number[];
  idfs: number[];
  runs: number[];
}

interface Segment {
  terms: Map<string, Postings>;
  filters: Map<string, Int32Array>;
  ordinals: Int32Array;
  forward: Forward;
  /** Kept by small segments, to be merged. */
  entries?: HeldEntry[];
}

/** An entry's terms, each with its impact level and whether the title holds it. */
export function termsOf(entry: HeldEntry): Map<string, { level: number; title: boolean }> {
  const weighted = new Map<string, { weighted: number; title: boolean }>();
  let length = 0;
  for (const [field, text] of [
    ['title', entry.titleTerms],
    ['body', entry.bodyTerms],
    ['related', entry.relatedTerms],
  ] as const) {
    for (const term of text.split(' ')) {
      if (!term) continue;
      length += 1;
      let held = weighted.get(term);
      if (!held) weighted.set(term, (held = { weighted: 0, title: false }));
      held.weighted += FIELD_WEIGHTS[field];
      if (field === 'title') held.title = true;
    }
  }
  return new Map([...weighted].map(([term, { weighted: w, title }]) => [term, { level: levelOf(w, length), title }]));
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A term's postings while a segment is built, in typed arrays that double as they fill. */
class Growing {
  docs = new Int32Array(4);
  levels = new Uint16Array(4);
  titled = new Uint8Array(4);
  length = 0;
  titles = 0;

  push(ordinal: number, level: number, title: boolean) {
    if (this.length === this.docs.length) {
      const double = <T extends Int32Array | Uint16Array | Uint8Array>(array: T): T => {
        const next = new (array.constructor as any)(array.length * 2) as T;
        next.set(array);
        return next;
      };
      this.docs = double(this.docs);
      this.levels = double(this.levels);
      this.titled = double(this.titled);
    }
    this.docs[this.length] = ordinal;
    this.levels[this.length] = level;
    this.titled[this.length] = title ? 1 : 0;
    this.length += 1;
    if (title) this.titles += 1;
  }
}

/** The entries of one locale: what every segment's ordinals point to, and the statistics of the live ones. */
class LocaleIndex {
  ids: number[] = [];
  types: string[] = [];
  slugs: string[] = [];
  vocabulary: boolean[] = [];
  starts: (string | null)[] = [];
  ends: (string | null)[] = [];
  alive = new Uint8Array(1024);
  segments: Segment[] = [];
  /** Each live entry's segment and its place there (its forward lists); a removed entry's is let go (retire). */
  private segmentOf: (Segment | undefined)[] = [];
  private placeOf = new Int32Array(1024);
  /** Live entries holding each term, as last counted (holdingOf). */
  holding = new Map<string, number>();
  /** Removals so far, and the removal as of which each term's count is exact. */
  removals = 0;
  private countedAt = new Map<string, number>();
  live = 0;
  /** Vocabulary entries' own terms with their impacts: a handful of entries, ranked whole. */
  vocabularyTerms = new Map<number, Map<string, { impact: number; title: boolean }>>();
  private sortedTerms: string[] | undefined;
  private termLetters: string[] | undefined;
  // Scratch space of a search, reused (a node answers one search at a time on its thread).
  private stamps = new Uint32Array(1024);
  private stamp = 0;
  private mask = new Uint32Array(1024);
  private maskStamp = 0;
  private wordStamps = new Uint32Array(1024);
  private titles = new Uint16Array(1024);
  /** Of the last wordScore: whether the title holds the word; of the last scoreOf: whether it holds every word. */
  private heldInTitle = false;
  private scoredAllTitled = false;

  private grow(size: number) {
    if (size <= this.alive.length) return;
    let length = this.alive.length;
    while (length < size) length *= 2;
    const bigger = <T extends Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array>(array: T): T => {
      const next = new (array.constructor as any)(length) as T;
      next.set(array);
      return next;
    };
    this.alive = bigger(this.alive);
    this.stamps = bigger(this.stamps);
    this.mask = bigger(this.mask);
    this.wordStamps = bigger(this.wordStamps);
    this.titles = bigger(this.titles);
    this.placeOf = bigger(this.placeOf);
  }

  /**
   * An entry's place, retired: it matches nothing from now on. Its segment is no longer held for
   * it, so a segment goes from memory once it is dropped (all its entries gone, or merged into a
   * bigger one): held by its retired places, each edit kept one until the index was loaded afresh.
   */
  retire(ordinal: number): void {
    this.alive[ordinal] = 0;
    this.live -= 1;
    this.vocabularyTerms.delete(ordinal);
    this.segmentOf[ordinal] = undefined;
  }

  /** The order of entries of equal score: by type, then slug. */
  byTypeAndSlug = (a: number, b: number): number => byName(this.types[a], this.types[b]) || byName(this.slugs[a], this.slugs[b]);

  /** A builder of a new segment: entries added one at a time (with the ordinals the caller gave them), sorted at the end. */
  builder(): { add: (entry: HeldEntry, ordinal: number) => void; finish: () => Segment } {
    const lists = new Map<string, Growing>();
    const filters = new Map<string, number[]>();
    const ordinals: number[] = [];
    const entries: HeldEntry[] = [];
    return {
      add: (entry, ordinal) => {
        ordinals.push(ordinal);
        if (entries.length <= SMALL_SEGMENT) entries.push(entry);
        const terms = termsOf(entry);
        for (const [term, { level, title }] of terms) {
          let list = lists.get(term);
          if (!list) lists.set(term, (list = new Growing()));
          list.push(ordinal, level, title);
        }
        for (const term of entry.filterTerms.split(' ')) if (term) (filters.get(term) ?? filters.set(term, []).get(term)!).push(ordinal);
        if (entry.vocabulary)
          this.vocabularyTerms.set(
            ordinal,
            new Map([...terms].map(([term, { level, title }]) => [term, { impact: impactOfLevel(level), title }])),
          );
      },
      finish: () => {
        this.grow(this.ids.length);
        // Each posting as one number, (best level first, then type and slug, then title), sorted natively.
        const byNames = [...ordinals].sort(this.byTypeAndSlug);
        const nameRank = new Map(byNames.map((ordinal, rank) => [ordinal, rank]));
        const places = ordinals.length;
        ordinals.forEach((ordinal, place) => (this.placeOf[ordinal] = place));
        // The forward lists' room: each entry's count of terms, and of title terms, first.
        const starts = new Int32Array(places + 1);
        const titleEnds = new Int32Array(places);
        for (const list of lists.values())
          for (let i = 0; i < list.length; i += 1) {
            const place = this.placeOf[list.docs[i]];
            starts[place + 1] += 1;
            titleEnds[place] += list.titled[i];
          }
        for (let p = 0; p < places; p += 1) starts[p + 1] += starts[p];
        const nextTitle = starts.slice(0, places);
        for (let p = 0; p < places; p += 1) titleEnds[p] += starts[p];
        const nextOther = titleEnds.slice();
        // Terms numbered in their sorted order and filed in it: each part of an entry's forward list comes sorted.
        const vocabulary = [...lists.keys()].sort(byName);
        const postingCount = starts[places];
        const forward: Forward = {
          starts,
          titleEnds,
          numbers: vocabulary.length <= 0x10000 ? new Uint16Array(postingCount) : new Int32Array(postingCount),
          levels: new Uint16Array(postingCount),
        };
        const terms = new Map<string, Postings>();
        for (const [number, term] of vocabulary.entries()) {
          const list = lists.get(term)!;
          // The growing arrays go as soon as their term's postings are built: at 100,000 practices they are hundreds of MB.
          lists.delete(term);
          this.count(term, list.length);
          for (let i = 0; i < list.length; i += 1) {
            const place = this.placeOf[list.docs[i]];
            const at = list.titled[i] ? nextTitle[place]++ : nextOther[place]++;
            forward.numbers[at] = number;
            forward.levels[at] = list.levels[i];
          }
          const keys = new Float64Array(list.length);
          for (let i = 0; i < list.length; i += 1)
            keys[i] = ((LEVELS - list.levels[i]) * byNames.length + nameRank.get(list.docs[i])!) * 2 + list.titled[i];
          keys.sort();
          const postings: Postings = {
            number,
            docs: new Int32Array(list.length),
            levels: new Uint16Array(list.length),
            titled: new Uint8Array(list.length),
            titleDocs: new Int32Array(list.titles),
          };
          let t = 0;
          keys.forEach((key, i) => {
            const titled = key % 2;
            const rest = (key - titled) / 2;
            const ordinal = byNames[rest % byNames.length];
            postings.docs[i] = ordinal;
            postings.levels[i] = LEVELS - Math.floor(rest / byNames.length);
            postings.titled[i] = titled;
            if (titled) postings.titleDocs[t++] = ordinal;
          });
          terms.set(term, postings);
        }
        this.forget();
        const segment: Segment = {
          terms,
          filters: new Map([...filters].map(([term, docs]) => [term, Int32Array.from(docs)])),
          ordinals: Int32Array.from(ordinals),
          forward,
          ...(entries.length <= SMALL_SEGMENT ? { entries } : {}),
        };
        for (const ordinal of ordinals) this.segmentOf[ordinal] = segment;
        return segment;
      },
    };
  }

  /** Adds to a term's count of live entries (exact if it was). */
  count(term: string, added: number) {
    const exact = !this.holding.has(term) || this.countedAt.get(term) === this.removals;
    this.holding.set(term, (this.holding.get(term) ?? 0) + added);
    if (exact) this.countedAt.set(term, this.removals);
  }

  /**
   * How many live entries hold a term. Adds count exactly, but a removal only marks its entries
   * dead (the index keeps no list of each entry's terms, and finding them in every list took
   * 150 ms per edit at 100,000 entries): a term's count is made again from its lists the first
   * time it is asked after a removal.
   */
  holdingOf(term: string): number {
    if (this.countedAt.get(term) !== this.removals) {
      let live = 0;
      for (const { docs } of this.postings(term)) for (let i = 0; i < docs.length; i += 1) live += this.alive[docs[i]];
      this.holding.set(term, live);
      this.countedAt.set(term, this.removals);
    }
    return this.holding.get(term) ?? 0;
  }

  /**
   * Every term of the live entries, sorted (for completions and typos); since the last removals,
   * perhaps some that only dead entries hold (their counts are not made again for this list): a
   * completion that matches no live entry changes no answer.
   */
  vocabularyList(): string[] {
    return (this.sortedTerms ??= [...this.holding.keys()].filter((term) => this.holding.get(term)! > 0).sort());
  }

  /** Every letter of those terms (each once): what a typo may have put in or replaced. */
  letters(): string[] {
    return (this.termLetters ??= [...new Set(this.vocabularyList().flatMap((term) => [...term]))]);
  }

  /**
   * The live terms (of TYPO_MIN_TERM_LENGTH letters or more) one insertion, deletion, substitution
   * or transposition of neighbours from `word` (./core oneEditApart), with how many live entries
   * hold each: every such string is made from the vocabulary's letters and looked up, a few
   * hundred lookups whatever the vocabulary's size.
   */
  near(word: string): { term: string; entries: number }[] {
    const letters = [...word];
    // Each string made is looked up at once; only the terms found are remembered (most strings are no term).
    const found = new Map<string, number>();
    const consider = (term: string) => {
      if (term === word || found.has(term) || !this.holding.has(term)) return;
      found.set(term, [...term].length < TYPO_MIN_TERM_LENGTH ? 0 : this.holdingOf(term));
    };
    for (let i = 0; i <= letters.length; i += 1) {
      const head = letters.slice(0, i).join('');
      const tail = letters.slice(i).join('');
      const after = letters.slice(i + 1).join('');
      if (i < letters.length) consider(head + after);
      if (i + 1 < letters.length) consider(head + letters[i + 1] + letters[i] + letters.slice(i + 2).join(''));
      for (const letter of this.letters()) {
        consider(head + letter + tail);
        if (i < letters.length) consider(head + letter + after);
      }
    }
    return [...found].flatMap(([term, entries]) => (entries > 0 ? [{ term, entries }] : []));
  }

  /**
   * When no live term begins with `prefix`: the longest live term, of BEGINNING_MIN_LENGTH letters
   * or more, that `prefix` begins with (./core withBeginnings); otherwise undefined.
   */
  beginningOf(prefix: string): string | undefined {
    const vocabulary = this.vocabularyList();
    for (let i = firstFrom(vocabulary, prefix); i < vocabulary.length && vocabulary[i].startsWith(prefix); i += 1)
      if (this.holdingOf(vocabulary[i]) > 0) return undefined;
    const letters = [...prefix];
    for (let length = letters.length - 1; length >= BEGINNING_MIN_LENGTH; length -= 1) {
      const term = letters.slice(0, length).join('');
      if (this.holding.has(term) && this.holdingOf(term) > 0) return term;
    }
    return undefined;
  }

  forget() {
    this.sortedTerms = undefined;
    this.termLetters = undefined;
  }

  // --- a search's scratch ---

  /** Makes sure the next `n` stamps come without starting over (which would confuse one search's stamps). */
  private reserve(n: number) {
    if (this.stamp + n < 0xffffffff) return;
    this.stamps.fill(0);
    this.wordStamps.fill(0);
    this.stamp = 0;
  }

  private nextStamp(): number {
    this.reserve(1);
    return ++this.stamp;
  }

  /** Marks the entries every filter group holds; returns a test of one ordinal (filters, dates, alive). */
  admits(groups: string[][], from?: string, to?: string): (ordinal: number) => boolean {
    let pass = 0;
    if (groups.length) {
      if (this.maskStamp + groups.length >= 0xffffffff) {
        this.mask.fill(0);
        this.maskStamp = 0;
      }
      const base = this.maskStamp;
      groups.forEach((group, g) => {
        for (const segment of this.segments)
          for (const term of group) {
            const docs = segment.filters.get(term);
            // Marks older than `base` are earlier searches': the first group marks over them.
            if (docs)
              for (let i = 0; i < docs.length; i += 1) if (g === 0 || this.mask[docs[i]] === base + g) this.mask[docs[i]] = base + g + 1;
          }
      });
      pass = base + groups.length;
      this.maskStamp = pass;
    }
    const { alive, mask, starts, ends } = this;
    return (ordinal) => {
      if (!alive[ordinal] || (pass && mask[ordinal] !== pass)) return false;
      if (!from && !to) return true;
      const start = starts[ordinal];
      if (!start) return false;
      if (to && start > to) return false;
      return !from || (ends[ordinal] ?? start) >= from;
    };
  }

  /** The postings of a term in every segment. */
  postings(term: string): Postings[] {
    const found: Postings[] = [];
    for (const segment of this.segments) {
      const postings = segment.terms.get(term);
      if (postings) found.push(postings);
    }
    return found;
  }

  idf(term: string): number {
    return idfOf(this.live, this.holdingOf(term));
  }

  /** A word's forms as one segment holds them (SegmentForms). */
  private formsIn(segment: Segment, forms: string[]): SegmentForms {
    const held = forms.flatMap((term) => {
      const postings = segment.terms.get(term);
      return postings ? [{ number: postings.number, idf: this.idf(term) }] : [];
    });
    held.sort((a, b) => a.number - b.number);
    const runs = held.flatMap(({ number }, i) => (i === 0 || held[i - 1].number !== number - 1 ? [i] : []));
    return { numbers: held.map((form) => form.number), idfs: held.map((form) => form.idf), runs: [...runs, held.length] };
  }

  /**
   * The best score of a word's forms in one entry (IDF times impact; -1 if it holds none), from its
   * forward list: its title part only if `titleOnly`. Sets heldInTitle: whether the title holds one.
   */
  private wordScore(ordinal: number, forms: SegmentForms, titleOnly: boolean): number {
    const { numbers, levels, starts, titleEnds } = this.segmentOf[ordinal]!.forward;
    const place = this.placeOf[ordinal];
    let best = -1;
    this.heldInTitle = false;
    for (let r = 0; r + 1 < forms.runs.length; r += 1) {
      const first = forms.runs[r];
      const low = forms.numbers[first];
      const high = forms.numbers[forms.runs[r + 1] - 1];
      const parts = titleOnly ? 1 : 2;
      for (let part = 0; part < parts; part += 1) {
        const to = part === 0 ? titleEnds[place] : starts[place + 1];
        let k = part === 0 ? starts[place] : titleEnds[place];
        // The first of the part's numbers not below `low`.
        for (let end = to; k < end;) {
          const middle = (k + end) >> 1;
          if (numbers[middle] < low) k = middle + 1;
          else end = middle;
        }
        for (; k < to && numbers[k] <= high; k += 1) {
          const score = forms.idfs[first + numbers[k] - low] * impactOfLevel(levels[k]);
          if (score > best) best = score;
          if (part === 0) this.heldInTitle = true;
        }
      }
    }
    return best;
  }

  /**
   * An entry's score for several words (each word's best form, summed in the words' order), or -1 if
   * it lacks one. Sets scoredAllTitled: whether its title holds every word.
   */
  private scoreOf(ordinal: number, words: Map<Segment, SegmentForms[]>): number {
    let sum = 0;
    this.scoredAllTitled = true;
    for (const forms of words.get(this.segmentOf[ordinal]!)!) {
      const score = this.wordScore(ordinal, forms, false);
      if (score < 0) return -1;
      sum += score;
      this.scoredAllTitled &&= this.heldInTitle;
    }
    return sum;
  }

  /** Whether an entry's title holds every word (any of its forms). */
  private titleHoldsAll(ordinal: number, words: Map<Segment, SegmentForms[]>): boolean {
    return words.get(this.segmentOf[ordinal]!)!.every((forms) => this.wordScore(ordinal, forms, true) >= 0);
  }

  /**
   * The word whose forms have the fewest postings (or title postings) in every segment, how many,
   * and how many all the others have: a walk or count starts from it.
   */
  private fewestPostings(words: string[][], list: 'docs' | 'titleDocs'): { word: number; postings: number; others: number } {
    const totals = words.map((forms) => {
      let total = 0;
      for (const term of forms) for (const postings of this.postings(term)) total += postings[list].length;
      return total;
    });
    const postings = Math.min(...totals);
    return { word: totals.indexOf(postings), postings, others: totals.reduce((sum, total) => sum + total, 0) - postings };
  }

  /**
   * The knowledge entries matching the words (each any of its forms) that a page of `end` needs,
   * best first, scored into `ranks`: those whose title holds every word (`titled`, counted first,
   * as far as `end`, from the title lists of the word whose are shortest: when fewer, all of them,
   * scored there), then, after `vocabularyTitled` vocabulary entries, the others (`text`). Found
   * by walking every word's lists
   * in impact order (the word whose next posting scores most goes next), each entry met scored
   * whole from its forward lists (the threshold algorithm); once neither kind can gain an entry not
   * yet met (none scores more than the sum of the words' next postings), the rest are only counted
   * (countRest), up to `upTo`.
   */
  matchWords(
    words: string[][],
    admits: (ordinal: number) => boolean,
    page: { end: number; vocabularyTitled: number; upTo: number },
    ranks: Map<number, number>,
  ): { titled: number[]; titledCount: number; text: number[]; textCount: number; counted: number } {
    const bySegment = new Map(this.segments.map((segment) => [segment, words.map((forms) => this.formsIn(segment, forms))]));
    // The entries whose title holds every word, counted as far as the page's end: then how many of the others it needs is known.
    const titleLead = this.fewestPostings(words, 'titleDocs').word;
    const titledMet: number[] = [];
    // The stamps this walk takes (two, and countRest's marks), so that none starts the stamps over midway.
    this.reserve(2 + words.length);
    const counting = this.nextStamp();
    for (const term of words[titleLead])
      for (const { titleDocs } of this.postings(term))
        for (let i = 0; i < titleDocs.length && titledMet.length < page.end; i += 1) {
          const d = titleDocs[i];
          if (this.stamps[d] === counting) continue;
          this.stamps[d] = counting;
          if (!this.vocabulary[d] && admits(d) && this.titleHoldsAll(d, bySegment)) titledMet.push(d);
        }
    const titledCount = titledMet.length;
    const order = (a: number, b: number) => ranks.get(b)! - ranks.get(a)! || this.byTypeAndSlug(a, b);
    const seen = this.nextStamp();
    // Fewer than the page's end: every one was met above, so they are scored there and that kind is
    // settled before the walk (one low in every word's lists would otherwise hold the walk until it came to it).
    const allTitled = titledCount < page.end;
    if (allTitled)
      for (const d of titledMet) {
        ranks.set(d, this.scoreOf(d, bySegment));
        this.stamps[d] = seen;
      }
    const kinds = [
      allTitled
        ? { kept: titledMet.sort(order), wanted: titledCount, met: titledCount, of: titledCount }
        : { kept: [] as number[], wanted: page.end, met: 0, of: Infinity },
      { kept: [] as number[], wanted: Math.max(0, page.end - titledCount - page.vocabularyTitled), met: 0, of: Infinity },
    ];
    /** The score an entry not yet met must exceed to change the answer: each kind's last kept once it is full, none once all are met. */
    const needed = () =>
      Math.min(
        ...kinds.map((k) =>
          k.met === k.of || (k.kept.length === k.wanted && k.wanted === 0)
            ? Infinity
            : k.kept.length === k.wanted
              ? ranks.get(k.kept[k.wanted - 1])!
              : -Infinity,
        ),
      );
    let threshold = needed();
    const streams = words.map((forms) => this.merged(forms));
    let [counted, exhausted] = [allTitled ? titledCount : 0, false];
    for (;;) {
      let lead = 0;
      let bound = 0;
      for (let w = 0; w < streams.length && !exhausted; w += 1) {
        const head = streams[w].head();
        exhausted = head < 0;
        bound += head;
        if (head > streams[lead].head()) lead = w;
      }
      if (exhausted) break;
      // No entry not yet met scores more than `bound` (a margin for the rounding of the sums): once
      // none can change the page, the rest are only counted.
      if (threshold > bound * (1 + 1e-9)) {
        counted = this.countRest(words, admits, bySegment, seen, counted, page.upTo);
        break;
      }
      const d = streams[lead].next();
      if (this.stamps[d] === seen) continue;
      this.stamps[d] = seen;
      if (this.vocabulary[d] || !admits(d)) continue;
      const score = this.scoreOf(d, bySegment);
      if (score < 0) continue;
      counted += 1;
      const kind = kinds[this.scoredAllTitled ? 0 : 1];
      kind.met += 1;
      const { kept, wanted } = kind;
      ranks.set(d, score);
      if (wanted > 0 && (kept.length < wanted || order(d, kept[wanted - 1]) < 0)) {
        kept.splice(sortedPlace(kept, d, order), 0, d);
        if (kept.length > wanted) ranks.delete(kept.pop()!);
        threshold = needed();
      } else {
        ranks.delete(d);
        if (kind.met === kind.of) threshold = needed();
      }
    }
    const [titled, text] = kinds;
    return { titled: titled.kept, titledCount, text: text.kept, textCount: text.met, counted };
  }

  /**
   * `counted` and the matches not yet met (not stamped `seen`), up to `upTo`: the lists of the word
   * with the fewest postings read in their stored order, each entry checked against the filters and
   * the other words (an entry of a single word's lists matches them all). The other words are told
   * by marks when their lists are not much longer than that word's (MARKS_PER_CHECK): every entry
   * of theirs marked once, then a read of a mark per entry; otherwise each entry's forward lists are
   * searched for them.
   */
  private countRest(
    words: string[][],
    admits: (ordinal: number) => boolean,
    bySegment: Map<Segment, SegmentForms[]>,
    seen: number,
    counted: number,
    upTo: number,
  ): number {
    const lead = this.fewestPostings(words, 'docs');
    const others = words.filter((_, w) => w !== lead.word);
    const marked = others.length > 0 && lead.others <= MARKS_PER_CHECK * lead.postings ? this.markHolders(others) : 0;
    const { stamps, vocabulary, wordStamps } = this;
    for (const term of words[lead.word])
      for (const { docs } of this.postings(term))
        for (let i = 0; i < docs.length && counted < upTo; i += 1) {
          const d = docs[i];
          if (stamps[d] === seen) continue;
          stamps[d] = seen;
          if (vocabulary[d] || !admits(d)) continue;
          if (others.length === 0 || (marked ? wordStamps[d] === marked : this.scoreOf(d, bySegment) >= 0)) counted += 1;
        }
    return counted;
  }

  /** Marks (in wordStamps) the entries holding every one of the words (each any of its forms); returns the mark. */
  private markHolders(words: string[][]): number {
    const { wordStamps } = this;
    let previous = 0;
    words.forEach((forms, w) => {
      const mark = this.nextStamp();
      for (const term of forms)
        for (const { docs } of this.postings(term))
          for (let i = 0; i < docs.length; i += 1) if (w === 0 || wordStamps[docs[i]] === previous) wordStamps[docs[i]] = mark;
      previous = mark;
    });
    return previous;
  }

  /**
   * Every entry matching all the words (each any of its forms), by kind (KINDS: whether its title
   * holds every word, whether it is vocabulary), unscored: term at a time over whole lists (for the
   * matches found only through typos, which all score 0).
   */
  matchAll(words: string[][], admits: (ordinal: number) => boolean): number[][] {
    const { wordStamps, titles, stamps } = this;
    this.reserve(words.length);
    let previous = 0;
    let touched: number[] = [];
    words.forEach((forms, w) => {
      const stamp = this.nextStamp();
      const reached: number[] = [];
      for (const term of forms)
        for (const { docs, titled } of this.postings(term))
          for (let i = 0; i < docs.length; i += 1) {
            const d = docs[i];
            // Past the first word, only the entries that matched every word before.
            if (w > 0 ? wordStamps[d] !== previous : !admits(d)) continue;
            if (stamps[d] !== stamp) {
              stamps[d] = stamp;
              if (w === 0) titles[d] = 0;
              reached.push(d);
            }
            if (titled[i]) titles[d] |= 1 << Math.min(w, 15);
          }
      for (const d of reached) wordStamps[d] = stamp;
      previous = stamp;
      touched = reached;
    });
    const all = (1 << Math.min(words.length, 16)) - 1;
    const kinds: number[][] = KINDS.map(() => []);
    for (const d of touched) kinds[kindOf((titles[d] & all) === all, this.vocabulary[d])].push(d);
    return kinds;
  }

  /** The postings of one word's forms in every segment, best first (Merged). */
  merged(forms: string[]): Merged {
    const cursors: Cursor[] = [];
    for (const term of forms) {
      const idf = this.idf(term);
      for (const postings of this.postings(term)) {
        const cursor = { postings, idf, at: 0, score: 0 };
        cursor.score = cursorScore(cursor);
        cursors.push(cursor);
      }
    }
    return new Merged(cursors, this.byTypeAndSlug);
  }

  /**
   * The vocabulary entries matching every word (each any of its forms), scored into `ranks` as
   * matchAll scores: whose title holds every word, and the others.
   */
  vocabularyMatches(words: string[][], admits: (ordinal: number) => boolean, ranks: Map<number, number>): [number[], number[]] {
    const [inTitle, inText]: number[][] = [[], []];
    for (const [ordinal, terms] of this.vocabularyTerms) {
      const held = words.map((forms) => forms.filter((form) => terms.has(form)));
      if (held.some((forms) => !forms.length) || !admits(ordinal)) continue;
      ranks.set(
        ordinal,
        held.reduce((sum, forms) => sum + Math.max(...forms.map((form) => this.idf(form) * terms.get(form)!.impact)), 0),
      );
      (held.every((forms) => forms.some((form) => terms.get(form)!.title)) ? inTitle : inText).push(ordinal);
    }
    return [inTitle, inText];
  }
}

interface Cursor {
  postings: Postings;
  idf: number;
  at: number;
  /** The score of the posting at `at` (IDF times impact). */
  score: number;
}

const cursorScore = (c: Cursor) => c.idf * impactOfLevel(c.postings.levels[c.at]);

/** Postings of several lists in one order, best score (IDF times impact) first, ties by the entries' order: a binary heap of the lists. */
class Merged {
  private heap: Cursor[];

  constructor(
    cursors: Cursor[],
    private order: (a: number, b: number) => number,
  ) {
    this.heap = cursors.filter((c) => c.postings.docs.length > 0);
    for (let i = Math.floor(this.heap.length / 2) - 1; i >= 0; i -= 1) this.down(i);
  }

  private before(a: Cursor, b: Cursor): boolean {
    return a.score !== b.score ? a.score > b.score : this.order(a.postings.docs[a.at], b.postings.docs[b.at]) < 0;
  }

  private down(i: number): void {
    const { heap } = this;
    for (;;) {
      const left = 2 * i + 1;
      let top = i;
      if (left < heap.length && this.before(heap[left], heap[top])) top = left;
      if (left + 1 < heap.length && this.before(heap[left + 1], heap[top])) top = left + 1;
      if (top === i) return;
      const moved = heap[i];
      heap[i] = heap[top];
      heap[top] = moved;
      i = top;
    }
  }

  /** The next posting's score; -1 when every list is read. */
  head(): number {
    return this.heap.length ? this.heap[0].score : -1;
  }

  /** The next posting's entry (perhaps met before, through another list); only while head() is not -1. */
  next(): number {
    const { heap } = this;
    const cursor = heap[0];
    const d = cursor.postings.docs[cursor.at];
    cursor.at += 1;
    if (cursor.at < cursor.postings.docs.length) cursor.score = cursorScore(cursor);
    else {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    if (heap.length) this.down(0);
    return d;
  }
}

/** The place of the first of the sorted `terms` not before `prefix`: where its completions begin. */
function firstFrom(terms: string[], prefix: string): number {
  let low = 0;
  let high = terms.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (terms[middle] < prefix) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The forms a word matches as typed: its alternatives, the last word's as prefixes of the vocabulary's terms. */
function formsOf(q: QueryTerm, vocabulary: string[]): string[] {
  if (!q.prefix) return q.alternatives;
  const forms = new Set<string>();
  for (const prefix of q.alternatives)
    for (let i = firstFrom(vocabulary, prefix); i < vocabulary.length && vocabulary[i].startsWith(prefix); i += 1) forms.add(vocabulary[i]);
  return [...forms];
}

/** Where `item` goes in the sorted `kept`: after every one not after it in `order`. */
function sortedPlace(kept: number[], item: number, order: (a: number, b: number) => number): number {
  let low = 0;
  let high = kept.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (order(kept[middle], item) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first `n` of `list` in `order`, sorted: one comparison with the last kept for most items of a long list. */
function bestOf(list: number[], n: number, order: (a: number, b: number) => number): number[] {
  const kept: number[] = [];
  for (const item of list) {
    if (kept.length === n && order(item, kept[n - 1]) >= 0) continue;
    kept.splice(sortedPlace(kept, item, order), 0, item);
    if (kept.length > n) kept.pop();
  }
  return kept;
}

/** The kinds of exact (or of typo) matches in the order of the results: title hits first, knowledge before vocabulary. */
const KINDS = [
  { title: true, vocabulary: false },
  { title: true, vocabulary: true },
  { title: false, vocabulary: false },
  { title: false, vocabulary: true },
] as const;
const kindOf = (title: boolean, vocabulary: boolean) => (title ? 0 : 2) + (vocabulary ? 1 : 0);

export class HeldIndex {
  private locales = new Map<string, LocaleIndex>();
  private where = new Map<number, { locale: LocaleIndex; ordinal: number }>();

  private localeIndex(locale: string): LocaleIndex {
    let index = this.locales.get(locale);
    if (!index) this.locales.set(locale, (index = new LocaleIndex()));
    return index;
  }

  get size(): number {
    return this.where.size;
  }

  /** Places of entries removed or replaced since the index was made: kept until it is made again (a node loads afresh past a bound). */
  get retired(): number {
    let places = 0;
    for (const index of this.locales.values()) places += index.ids.length;
    return places - this.where.size;
  }

  /** Adds entries (an entry already held is replaced), as one new segment per locale. */
  add(entries: HeldEntry[]): void {
    const bulk = this.bulk();
    bulk.add(entries);
    bulk.finish();
  }

  /**
   * Adds entries a page at a time, searchable from `finish` on, as one segment per locale built
   * then (a node's first load: the pages need not all be in memory at once).
   */
  bulk(): { add: (entries: HeldEntry[]) => void; finish: () => void } {
    const builders = new Map<LocaleIndex, ReturnType<LocaleIndex['builder']>>();
    const added = new Set<number>();
    return {
      add: (entries) => {
        for (const { id } of entries) {
          if (added.has(id)) throw new Error(`Search entry ${id} given twice to one index update.`);
          added.add(id);
        }
        this.remove(entries.filter((entry) => this.where.has(entry.id)).map((entry) => entry.id));
        for (const entry of entries) {
          const index = this.localeIndex(entry.locale);
          let builder = builders.get(index);
          if (!builder) builders.set(index, (builder = index.builder()));
          const ordinal = index.ids.length;
          index.ids.push(entry.id);
          index.types.push(entry.type);
          index.slugs.push(entry.slug);
          index.vocabulary.push(entry.vocabulary);
          index.starts.push(entry.startDate);
          index.ends.push(entry.endDate);
          this.where.set(entry.id, { locale: index, ordinal });
          builder.add(entry, ordinal);
        }
      },
      finish: () => {
        for (const [index, builder] of builders) {
          const segment = builder.finish();
          index.segments.push(segment);
          for (const ordinal of segment.ordinals) index.alive[ordinal] = 1;
          index.live += segment.ordinals.length;
          this.mergeSmall(index);
        }
      },
    };
  }

  /** Removes entries by id (ids not held are ignored). */
  remove(ids: number[]): void {
    const dead = new Set<LocaleIndex>();
    for (const id of ids) {
      const held = this.where.get(id);
      if (!held) continue;
      this.where.delete(id);
      held.locale.retire(held.ordinal);
      dead.add(held.locale);
    }
    for (const index of dead) {
      // Every term's count is made again when next asked (holdingOf).
      index.removals += 1;
      for (const segment of index.segments)
        if (segment.entries) segment.entries = segment.entries.filter((entry) => this.where.has(entry.id));
      // The sorted vocabulary is kept: no term came, and one that went matches no live entry.
      index.segments = index.segments.filter((segment) => segment.ordinals.some((ordinal) => index.alive[ordinal]));
    }
  }

  /** Many small segments become one: a search merges fewer lists. */
  private mergeSmall(index: LocaleIndex): void {
    const small = index.segments.filter((segment) => segment.entries);
    if (small.length <= MAX_SMALL_SEGMENTS) return;
    const entries = small.flatMap((segment) => segment.entries!);
    const ordinals = entries.map((entry) => this.where.get(entry.id)!.ordinal);
    // Built again from their entries: the builder counts their terms again, so they are taken off first.
    for (const entry of entries) for (const term of termsOf(entry).keys()) index.count(term, -1);
    const builder = index.builder();
    entries.forEach((entry, i) => builder.add(entry, ordinals[i]));
    index.segments = [...index.segments.filter((segment) => !segment.entries), builder.finish()];
  }

  /** The live terms of a locale one edit from each of these stems, with how many live entries hold each (typos: ./core withTypos). */
  termsNear(locale: string, stems: string[]): { term: string; entries: number }[] {
    const index = this.locales.get(locale);
    if (!index) return [];
    return [...new Map(stems.flatMap((stem) => index.near(stem)).map((near) => [near.term, near])).values()];
  }

  /** The longest live term of a locale that the last word's `prefix` begins, when it begins none (LocaleIndex.beginningOf). */
  beginningOf(locale: string, prefix: string): string | undefined {
    return this.locales.get(locale)?.beginningOf(prefix);
  }

  /** A page of results and how many match (see HeldQuery.exactTotalUpTo), kind by kind (KINDS), typo-only matches last. */
  search(query: HeldQuery): { total: number; totalExact: boolean; hits: HeldHit[] } {
    const index = this.locales.get(query.locale);
    if (!index || !query.plan.length) return { total: 0, totalExact: true, hits: [] };
    const admits = index.admits(query.groups, query.from, query.to);
    const vocabulary = index.vocabularyList();
    const exactForms = query.plan.map((q) => formsOf(q, vocabulary));
    const end = query.offset + query.limit;
    const shown: HeldHit[] = [];
    let at = 0;
    /** A kind's place in the results: its part of the page, sorted (of a long list, only the best `end - at`). */
    const take = (list: number[], rankOf: (ordinal: number) => number, title: boolean, exact: boolean, count = list.length) => {
      const wanted = end - at;
      if (wanted > 0) {
        const order = (a: number, b: number) => rankOf(b) - rankOf(a) || index.byTypeAndSlug(a, b);
        const best = bestOf(list, wanted, order);
        for (const d of best.slice(Math.max(0, query.offset - at), wanted))
          shown.push({ id: index.ids[d], type: index.types[d], slug: index.slugs[d], rank: rankOf(d), titleHit: title, exact });
      }
      at += count;
    };

    const ranks = new Map<number, number>();
    const rankOf = (ordinal: number) => ranks.get(ordinal)!;
    // The vocabulary's few entries, whole; the knowledge entries as far as the page and the count need.
    const [inTitle, inText] = index.vocabularyMatches(exactForms, admits, ranks);
    const found = index.matchWords(exactForms, admits, { end, vocabularyTitled: inTitle.length, upTo: query.exactTotalUpTo + 1 }, ranks);
    take(found.titled, rankOf, true, true, found.titledCount);
    take(inTitle, rankOf, true, true);
    take(found.text, rankOf, false, true, found.textCount);
    take(inText, rankOf, false, true);
    let matched = found.counted + inTitle.length + inText.length;

    // Typos: the records found only through a tolerated typo, after every exact match, scored 0.
    if (query.plan.some((q) => q.typos?.length) && (at < end || matched <= query.exactTotalUpTo)) {
      const exact = new Set(index.matchAll(exactForms, admits).flat());
      const tolerated = index.matchAll(
        query.plan.map((q, w) => [...exactForms[w], ...(q.typos ?? [])]),
        admits,
      );
      KINDS.forEach((kind, k) => {
        const list = tolerated[k].filter((d) => !exact.has(d));
        matched += list.length;
        take(list, () => 0, kind.title, false);
      });
    }
    return { total: Math.min(matched, query.exactTotalUpTo), totalExact: matched <= query.exactTotalUpTo, hits: shown };
  }
}
