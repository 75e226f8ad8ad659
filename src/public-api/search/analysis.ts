/**
 * Text analysis shared by the index and the queries, so both engines see the same terms:
 * words are lower-cased, accents folded (perché = perche), Italian and English stop words
 * dropped and the rest reduced to their Snowball stem (formativi -> format). Pure.
 */
import type { Locale } from '../../content/locales/core';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package ships no type declarations
const snowball = require('snowball-stemmers');

const STEMMERS: Record<Locale, { stem: (word: string) => string }> = {
  it: snowball.newStemmer('italian'),
  en: snowball.newStemmer('english'),
};

// Short, high-frequency words only: anything that carries meaning in this domain stays searchable.
const STOP_WORDS: Record<Locale, Set<string>> = {
  it: new Set(
    'a ad ai al alla alle allo agli anche che chi ci come con cui da dai dal dalla dalle dagli degli dei del della delle dello di e ed gli ha hanno ho i il in la le lo loro ma ne negli nei nel nella nelle nello non o per piu se si sia sono su sua sue sui sul sulla sulle suo suoi tra fra un una uno essere stato questo questa questi queste quello quella'.split(
      ' ',
    ),
  ),
  en: new Set(
    'a an and are as at be by for from has have in into is it its of on or that the their this to was were which who will with'.split(' '),
  ),
};

export interface Token {
  /** The word as it appears in the text. */
  word: string;
  start: number;
  end: number;
  /** Lower-case, accent-free form. */
  folded: string;
  /** The stem used for matching; empty for stop words. */
  term: string;
}

export const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

/** `compute`, with its answers remembered (at most `limit`; then it starts afresh, so that odd input cannot grow it without end). */
function remembered<K, V>(limit: number, compute: (key: K) => V): (key: K) => V {
  const known = new Map<K, V>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      if (known.size >= limit) known.clear();
      known.set(key, (value = compute(key)));
    }
    return value;
  };
}

// A word is a run of letters and digits (Unicode's \p{L} and \p{N}). Each UTF-16 unit of the
// Basic Multilingual Plane is told once by the expression and then read from a table (1: word
// character, 2: not; 0: not yet met), a character beyond it (a surrogate pair) by the expression
// each time: a text is scanned without an object per word or a lookup per character.
const WORD_CHARACTER = /^[\p{L}\p{N}]$/u;
const BMP_WORD_UNITS = new Uint8Array(0x10000);

/** Whether a UTF-16 unit (a character of the Basic Multilingual Plane, or a lone surrogate: never) is a letter or digit. */
function isWordUnit(code: number): boolean {
  let known = BMP_WORD_UNITS[code];
  if (known === 0) BMP_WORD_UNITS[code] = known = WORD_CHARACTER.test(String.fromCharCode(code)) ? 1 : 2;
  return known === 1;
}

/** Calls `visit` with the start and end of every word of the text, in order, until it returns false. */
export function eachWord(text: string, visit: (start: number, end: number) => boolean | void): void {
  let start = -1;
  for (let i = 0; i < text.length; i += 1) {
    let code = text.charCodeAt(i);
    let word: boolean;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      code = text.codePointAt(i)!;
      word = code > 0xffff ? WORD_CHARACTER.test(String.fromCodePoint(code)) : isWordUnit(code);
    } else word = isWordUnit(code);
    if (word) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (visit(start, i) === false) return;
      start = -1;
    }
    if (code > 0xffff) i += 1;
  }
  if (start >= 0) visit(start, text.length);
}

/** Every word of the text with its position and its term (empty for stop words). */
export function tokenize(text: string, locale: Locale): Token[] {
  const tokens: Token[] = [];
  eachWord(text, (start, end) => {
    const word = text.slice(start, end);
    const { folded, term } = analyse(word, locale);
    tokens.push({ word, start, end, folded, term });
  });
  return tokens;
}

/** The stem of one folded word; numbers and very short words are kept as they are. */
export function stem(folded: string, locale: Locale): string {
  if (folded.length <= 2 || /^\p{N}+$/u.test(folded)) return folded;
  return STEMMERS[locale].stem(folded);
}

// Analysis dominates indexing time and a knowledge base has a small vocabulary: each word's
// analysis is remembered, per locale.
const analysedIn = (locale: Locale) =>
  remembered(200_000, (word: string) => {
    const folded = fold(word);
    return { folded, term: STOP_WORDS[locale].has(folded) ? '' : stem(folded, locale) };
  });
const ANALYSED: Record<Locale, (word: string) => { folded: string; term: string }> = { it: analysedIn('it'), en: analysedIn('en') };
const analyse = (word: string, locale: Locale) => ANALYSED[locale](word);

/** The term of every word of the text, in order (empty for stop words): tokenize without positions, for the hot paths. */
export function wordTerms(text: string, locale: Locale): string[] {
  const list: string[] = [];
  eachWord(text, (start, end) => {
    list.push(analyse(text.slice(start, end), locale).term);
  });
  return list;
}

/** The term of one word as it appears in a text (empty for a stop word). */
export const termOf = (word: string, locale: Locale): string => analyse(word, locale).term;

/**
 * The code point a word's term begins with, if it has one, from the word's first (`first`): the
 * stemmers change only the ends of words, so a term always begins with its word's folded first
 * letter (checked over every word of the content and random words in tests/unit/search.test.ts).
 * Lets a snippet skip the analysis of every word that cannot match.
 */
export const firstLetter = (first: number): number =>
  first < 128 ? (first >= 65 && first <= 90 ? first | 32 : first) : otherFirstLetter(first);
const otherFirstLetter = remembered(10_000, (first: number): number => fold(String.fromCodePoint(first)).codePointAt(0) ?? -1);

/** The searchable terms of a text, space-separated: what the engines index. */
export const terms = (text: string, locale: Locale): string => wordTerms(text, locale).filter(Boolean).join(' ');
