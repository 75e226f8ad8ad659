/**
 * The filters' vocabulary (published themes, territories with their parents) read once per
 * position of the index's log, not by every filtered search. Themes and territories are written
 * through the index: a publish, an edit or an unpublish adds a row to its log. So a read begun once
 * the index reflected row `seq` holds for a search on the index at `seq` whose texts' snapshot
 * then finds no row past it (./answer.ts); a search that finds one runs again at the new position,
 * with the vocabulary read again.
 */
import type { Locale } from '../../content/locales/core';
import type { TerritoryNode } from './core';

export type Vocabulary = 'themes' | 'territories';
export type VocabularyRead = (vocabulary: Vocabulary, locale: Locale) => Promise<TerritoryNode[]>;
/** A vocabulary as of the index's log row `seq` or later. */
export type VocabularyAt = (vocabulary: Vocabulary, locale: Locale, seq: number) => Promise<TerritoryNode[]>;

export function keptVocabulary(read: VocabularyRead): VocabularyAt {
  const kept = new Map<string, { seq: number; records: Promise<TerritoryNode[]> }>();
  return (vocabulary, locale, seq) => {
    const key = `${vocabulary} ${locale}`;
    const known = kept.get(key);
    if (known?.seq === seq) return known.records;
    const records = read(vocabulary, locale);
    // A search still on an older position reads for itself, and does not replace the newer read.
    if (!known || known.seq < seq) {
      kept.set(key, { seq, records });
      records.catch(() => kept.get(key)?.records === records && kept.delete(key));
    }
    return records;
  };
}
