/**
 * Atom feeds of the records newly published and updated: the document, from what the adapter
 * read. Pure: the feed's facts and its entries in, Atom out (the `feed` library writes the XML).
 */
import { Feed } from 'feed';
import type { Locale } from '../../content/locales/core';
import type { Attributes, PublicType } from '../../content/model/core';
import { uidOf } from '../../content/paths/core';
import { UI } from '../site/core';
import { escapeHtml } from '../site/html';

/** Entries in a feed: the latest ones. A partner that needs every change reads the change feed. */
export const FEED_ENTRIES = 50;
export const ATOM_MEDIA_TYPE = 'application/atom+xml; charset=utf-8';

export const FEED_SUBTITLES: Record<Locale, string> = {
  it: `I record pubblicati o aggiornati di recente, l'ultimo per primo (fino a ${FEED_ENTRIES}).`,
  en: `Records published or updated lately, the latest first (up to ${FEED_ENTRIES}).`,
};

export interface FeedCategory {
  term: string;
  label: string;
  scheme?: string;
}

/** One published record in one language. */
export interface FeedEntry {
  /** The record's IRI, as its JSON-LD names it: the same whatever its slug or title becomes. */
  id: string;
  /** Its page. */
  link: string;
  title: string;
  summary?: string;
  /** Why the editors inferred the summary, when they did: the entry says so. */
  summaryInferred?: string;
  /** When its latest publication event happened (the system's clock, never an inferred date). */
  updated: Date;
  /** Its licence: the SPDX id and the licence's address when known. */
  license?: { id: string; url?: string };
  categories: FeedCategory[];
}

export interface FeedFacts {
  locale: Locale;
  /** The feed's own address (also its id). */
  self: string;
  /** The page that shows what the feed follows. */
  page: string;
  title: string;
  /** When what the feed follows last changed (an unpublication included). */
  updated: Date;
  /** Who publishes the knowledge base: the feed's author. */
  publisher: { name: string; uri: string };
}

/** The text of an entry's summary, marked when the editors inferred it. */
const summaryText = (entry: FeedEntry, locale: Locale) =>
  entry.summary && (entry.summaryInferred ? `${entry.summary} (${UI[locale].inferred}: ${entry.summaryInferred})` : entry.summary);

const rights = (license: FeedEntry['license']) => license && [license.id, license.url].filter(Boolean).join(' ');

/**
 * The Atom document. Titles and summaries are plain text: escaped, as the library writes them as
 * HTML; so are category labels, which it writes into attributes unescaped. The feed's rights are
 * its entries' licences.
 */
export function atomFeed(facts: FeedFacts, entries: FeedEntry[]): string {
  const feed = new Feed({
    copyright: [...new Set(entries.map((entry) => rights(entry.license)).filter(Boolean))].join(', '),
    id: facts.self,
    title: facts.title,
    description: FEED_SUBTITLES[facts.locale],
    link: facts.page,
    feed: facts.self,
    updated: facts.updated,
    author: { name: facts.publisher.name, link: facts.publisher.uri },
  });
  for (const entry of entries) {
    const summary = summaryText(entry, facts.locale);
    feed.addItem({
      id: entry.id,
      link: entry.link,
      title: escapeHtml(entry.title),
      description: summary ? escapeHtml(summary) : undefined,
      date: entry.updated,
      category: entry.categories.map((c) => ({ term: escapeHtml(c.term), name: escapeHtml(c.label), scheme: c.scheme })),
      copyright: rights(entry.license),
    });
  }
  // Atom names the language of its text with xml:lang, which the library does not write.
  return feed
    .atom1()
    .replace('<feed xmlns="http://www.w3.org/2005/Atom">', `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${facts.locale}">`);
}

/** Per type, its relations to `targetUid` (a theme, a territory): how a theme's or a territory's feed finds the records about it. */
export function relationsTo(models: Record<PublicType, Attributes>, targetUid: string): Map<PublicType, string[]> {
  const out = new Map<PublicType, string[]>();
  for (const [type, attributes] of Object.entries(models) as [PublicType, Attributes][]) {
    // A theme's own parent or children are no records about it.
    if (uidOf(type) === targetUid) continue;
    const fields = Object.entries(attributes)
      .filter(([, a]) => a.type === 'relation' && a.target === targetUid && !a.private)
      .map(([name]) => name);
    if (fields.length) out.set(type, fields);
  }
  return out;
}
