/**
 * The search index held in memory (src/public-api/search/held-index.ts) against a reference that
 * ranks every match of every query by the rules written out plainly: random entries, random
 * queries (words, prefixes, alternatives, typos, filters, dates, pages), adds and removals.
 */
import { HeldIndex, idfOf, impactOfLevel, termsOf, type HeldEntry, type HeldQuery } from '../../src/public-api/search/held-index';
import { BEGINNING_MIN_LENGTH, TYPO_MIN_TERM_LENGTH, oneEditApart, type QueryTerm } from '../../src/public-api/search/core';
import { mulberry32 } from '../../src/publishing/synthetic/core';

const WORDS = [
  'casa',
  'cas',
  'lavoro',
  'lavor',
  'rete',
  'reti',
  'scuola',
  'minori',
  'mino',
  'salute',
  'sport',
  'donne',
  'corsi',
  'corso',
  'comune',
];
const TYPES = ['good-practice', 'training', 'event', 'theme', 'territory'];
const VOCABULARY = new Set(['theme', 'territory']);

function entries(random: () => number, count: number, firstId: number): HeldEntry[] {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const text = (max: number) => Array.from({ length: Math.floor(random() * max) }, () => pick(WORDS)).join(' ');
  return Array.from({ length: count }, (_, i) => {
    const type = pick(TYPES);
    const start = random() < 0.7 ? `2025-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}` : null;
    return {
      id: firstId + i,
      type,
      documentId: `d${firstId + i}`,
      locale: random() < 0.6 ? 'it' : 'en',
      // Slugs repeat across types and ids: ties are broken by type, then slug.
      slug: `s${Math.floor(random() * (count / 2))}-${firstId + i}`,
      vocabulary: VOCABULARY.has(type),
      titleTerms: text(4),
      bodyTerms: text(30),
      relatedTerms: text(3),
      filterTerms: [`_type_${type.replace(/-/g, '')}`, `_theme_t${Math.floor(random() * 3)}`, `_status_${pick(['a', 'b'])}`].join(' '),
      startDate: start,
      endDate: start && random() < 0.5 ? `2025-1${Math.floor(random() * 3)}-01` : null,
    };
  });
}

/** The reference: every live entry of the locale scored by the rules, sorted, then paged. */
function reference(live: HeldEntry[], query: HeldQuery) {
  const inLocale = live.filter((entry) => entry.locale === query.locale);
  const terms = new Map(inLocale.map((entry) => [entry.id, termsOf(entry)]));
  const holding = (term: string) => inLocale.filter((entry) => terms.get(entry.id)!.has(term)).length;
  const vocabulary = [...new Set(inLocale.flatMap((entry) => [...terms.get(entry.id)!.keys()]))];
  const forms = (q: QueryTerm, typos: boolean) => [
    ...q.alternatives.flatMap((alternative) => (q.prefix ? vocabulary.filter((term) => term.startsWith(alternative)) : [alternative])),
    ...(typos ? (q.typos ?? []) : []),
  ];
  const admitted = inLocale.filter((entry) => {
    const filters = entry.filterTerms.split(' ');
    if (!query.groups.every((group) => group.some((term) => filters.includes(term)))) return false;
    if (!query.from && !query.to) return true;
    if (!entry.startDate || (query.to && entry.startDate > query.to)) return false;
    return !query.from || (entry.endDate ?? entry.startDate) >= query.from;
  });
  const match = (entry: HeldEntry, typos: boolean) => {
    const held = terms.get(entry.id)!;
    let rank = 0;
    let title = true;
    for (const q of query.plan) {
      const found = forms(q, typos).filter((term) => held.has(term));
      if (!found.length) return undefined;
      rank += Math.max(...found.map((term) => idfOf(inLocale.length, holding(term)) * impactOfLevel(held.get(term)!.level)));
      title &&= found.some((term) => held.get(term)!.title);
    }
    return { entry, rank: typos ? 0 : rank, title, exact: !typos };
  };
  const exact = admitted.map((entry) => match(entry, false)).filter((m) => m !== undefined);
  const exactIds = new Set(exact.map((m) => m.entry.id));
  const tolerated = query.plan.some((q) => q.typos?.length)
    ? admitted
        .filter((entry) => !exactIds.has(entry.id))
        .map((entry) => match(entry, true))
        .filter((m) => m !== undefined)
    : [];
  const kind = (m: { title: boolean; exact: boolean; entry: HeldEntry }) =>
    (m.exact ? 0 : 4) + (m.title ? 0 : 2) + (m.entry.vocabulary ? 1 : 0);
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const all = [...exact, ...tolerated].sort(
    (a, b) => kind(a) - kind(b) || b.rank - a.rank || byName(a.entry.type, b.entry.type) || byName(a.entry.slug, b.entry.slug),
  );
  return {
    total: Math.min(all.length, query.exactTotalUpTo),
    totalExact: all.length <= query.exactTotalUpTo,
    hits: all.slice(query.offset, query.offset + query.limit).map((m) => ({
      id: m.entry.id,
      type: m.entry.type,
      slug: m.entry.slug,
      rank: m.rank,
      titleHit: m.title,
      exact: m.exact,
    })),
  };
}

function randomQuery(random: () => number): HeldQuery {
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)];
  const words = 1 + Math.floor(random() * (random() < 0.7 ? 1 : 3));
  const plan: QueryTerm[] = Array.from({ length: words }, (_, w) => {
    const word = pick(WORDS);
    const term: QueryTerm = { alternatives: random() < 0.2 ? [word, pick(WORDS)] : [word], prefix: w === words - 1 };
    if (term.prefix && random() < 0.5) term.alternatives = [word.slice(0, 2 + Math.floor(random() * 2))];
    if (random() < 0.2) term.typos = [pick(WORDS)];
    return term;
  });
  const groups: string[][] = [];
  if (random() < 0.3) groups.push([`_type_${pick(TYPES).replace(/-/g, '')}`, ...(random() < 0.5 ? ['_type_theme'] : [])]);
  if (random() < 0.3) groups.push([`_theme_t${Math.floor(random() * 3)}`]);
  if (random() < 0.1) groups.push(['_status_none']);
  const dated = random() < 0.15;
  return {
    locale: random() < 0.5 ? 'it' : 'en',
    plan,
    groups,
    ...(dated ? { from: '2025-04-01', to: random() < 0.5 ? '2025-08-01' : undefined } : {}),
    offset: pick([0, 0, 0, 3, 10, 25]),
    limit: pick([0, 1, 5, 10, 20]),
    exactTotalUpTo: pick([1000, 1000, 5, 30]),
  };
}

/** The reference's typos of a word: every live term of the locale one edit from it, with how many live entries hold it. */
function referenceNear(live: HeldEntry[], locale: string, word: string) {
  const held = live.filter((entry) => entry.locale === locale).map((entry) => termsOf(entry));
  const vocabulary = [...new Set(held.flatMap((terms) => [...terms.keys()]))];
  return vocabulary
    .filter((term) => oneEditApart(word, term) && [...term].length >= TYPO_MIN_TERM_LENGTH)
    .map((term) => ({ term, entries: held.filter((terms) => terms.has(term)).length }));
}

/** The reference's stand-in for a last word that begins no live term: the longest live term (long enough) it begins. */
function referenceBeginning(live: HeldEntry[], locale: string, prefix: string): string | undefined {
  const vocabulary = [...new Set(live.filter((entry) => entry.locale === locale).flatMap((entry) => [...termsOf(entry).keys()]))];
  if (vocabulary.some((term) => term.startsWith(prefix))) return undefined;
  return vocabulary
    .filter((term) => prefix.startsWith(term) && term !== prefix && [...term].length >= BEGINNING_MIN_LENGTH)
    .sort((a, b) => b.length - a.length)[0];
}

const byTerm = (list: { term: string }[]) => [...list].sort((a, b) => (a.term < b.term ? -1 : 1));

const compare = (index: HeldIndex, live: HeldEntry[], random: () => number, queries: number) => {
  for (let n = 0; n < queries; n += 1) {
    const query = randomQuery(random);
    const expected = reference(live, query);
    const found = index.search(query);
    expect({ query, ...found }).toEqual({ query, ...expected });
    // A word as typed, with two letters swapped or one changed (the typo of a typo): its typos as the vocabulary has them.
    const word = WORDS[Math.floor(random() * WORDS.length)];
    const at = Math.floor(random() * word.length);
    const swapped = `${word.slice(0, at)}${word.slice(at + 1, at + 2)}${word[at]}${word.slice(at + 2)}`;
    for (const typed of [word, swapped, `${word.slice(0, at)}${'aeiouxè'[n % 7]}${word.slice(at + 1)}`])
      expect({ typed, near: byTerm(index.termsNear(query.locale, [typed])) }).toEqual({
        typed,
        near: byTerm(referenceNear(live, query.locale, typed)),
      });
    // Typed past a term, or part of the way to one.
    for (const typed of [`${word}${'xae'[n % 3]}`, `${swapped}o`, word.slice(0, 2 + (n % 4))])
      expect({ typed, beginning: index.beginningOf(query.locale, typed) }).toEqual({
        typed,
        beginning: referenceBeginning(live, query.locale, typed),
      });
  }
};

test('every answer is the reference ranking of every match, for a bulk load and after adds and removals', () => {
  const random = mulberry32(18);
  const index = new HeldIndex();
  let live = entries(random, 400, 1);
  const bulk = index.bulk();
  bulk.add(live.slice(0, 250));
  bulk.add(live.slice(250));
  bulk.finish();
  compare(index, live, random, 300);
  // Edits as they come: a few entries replaced (new ids) or removed at a time, more than MAX_SMALL_SEGMENTS times.
  let next = 1000;
  for (let round = 0; round < 14; round += 1) {
    const gone = live.filter(() => random() < 0.03).map((entry) => entry.id);
    index.remove(gone);
    const added = entries(random, 1 + Math.floor(random() * 8), next);
    next += added.length;
    index.add(added);
    live = [...live.filter((entry) => !gone.includes(entry.id)), ...added];
    compare(index, live, random, 25);
  }
  // The same entries loaded afresh give the same answers: what a node answers does not depend on its history.
  const fresh = new HeldIndex();
  fresh.add(live);
  for (let n = 0; n < 200; n += 1) {
    const query = randomQuery(random);
    expect(fresh.search(query)).toEqual(index.search(query));
  }
});

test('an entry added again replaces the one held; removing what is not held changes nothing', () => {
  const random = mulberry32(7);
  const index = new HeldIndex();
  const [first, ...rest] = entries(random, 50, 1);
  index.add([first, ...rest]);
  const renamed = { ...first, titleTerms: 'sport sport', locale: 'it' };
  index.add([renamed]);
  index.remove([999999]);
  expect(index.size).toBe(50);
  // The replaced entry's place is kept until the index is made again (held-sync loads afresh past a bound).
  expect(index.retired).toBe(1);
  compare(index, [renamed, ...rest], random, 100);
  expect(() => {
    const bulk = index.bulk();
    bulk.add([first]);
    bulk.add([first]);
  }).toThrow(/given twice/);
});

test('a segment all of whose entries were replaced, or merged into another, is let go', async () => {
  // A full collection on demand, so that what the index still holds is all that survives.
  require('v8').setFlagsFromString('--expose-gc');
  const collect: () => void = require('vm').runInNewContext('gc');
  const random = mulberry32(3);
  const index = new HeldIndex();
  const held = entries(random, 50, 1).map((entry) => ({ ...entry, locale: 'it' }));
  index.add(held);
  const segmentsOf = () => (index as unknown as { locales: Map<string, { segments: object[] }> }).locales.get('it')!.segments;
  // One entry edited again and again, as an editor does: a new small segment each time, the small ones merged past MAX_SMALL_SEGMENTS.
  const made: WeakRef<object>[] = [];
  const seen = new WeakSet<object>();
  for (let edit = 0; edit < 40; edit += 1) {
    index.add([{ ...held[edit % 5], bodyTerms: `${held[edit % 5].bodyTerms} rete ${edit}` }]);
    for (const segment of segmentsOf())
      if (!seen.has(segment)) {
        seen.add(segment);
        made.push(new WeakRef(segment));
      }
  }
  expect(index.retired).toBe(40);
  await new Promise((resolve) => setTimeout(resolve, 0)); // weak references made in this job are kept until it ends
  collect();
  const kept = new Set(segmentsOf());
  expect(made.filter((ref) => ref.deref() && !kept.has(ref.deref()!))).toHaveLength(0);
  expect(made.length).toBeGreaterThan(kept.size + 30);
});
