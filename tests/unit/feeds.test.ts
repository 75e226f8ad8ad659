import { parseFeed } from '@rowanmanning/feed-parser';
import { feedAddress, feedPath, type FeedAddress } from '../../src/content/paths/core';
import { atomFeed, relationsTo, type FeedEntry, type FeedFacts } from '../../src/publishing/feeds/core';
import type { Attributes, PublicType } from '../../src/content/model/core';

test('feed addresses: every kind round-trips; locale, type, folder and extension in any case; the slug as written', () => {
  const feeds: FeedAddress[] = [
    { kind: 'all', locale: 'it' },
    { kind: 'type', locale: 'en', type: 'thematic-table' },
    { kind: 'theme', locale: 'it', slug: 'integrazione-sociale' },
    { kind: 'territory', locale: 'en', slug: 'basilicata' },
  ];
  for (const feed of feeds) expect(feedAddress(feedPath(feed))).toEqual(feed);
  expect(feedPath(feeds[2])).toBe('/feeds/it/themes/integrazione-sociale.atom');
  expect(feedAddress('/FEEDS/EN/Territories/Basilicata.ATOM/')).toEqual({ kind: 'territory', locale: 'en', slug: 'Basilicata' });
  expect(feedAddress('/feeds/%69t.atom')).toEqual({ kind: 'all', locale: 'it' });
  for (const [path, problem] of [
    ['/feeds/de.atom', /Unknown locale "de"/],
    ['/feeds/it/practices.atom', /Unknown type "practices"/],
    ['/feeds/it/places/x.atom', /Unknown feed folder "places"/],
    ['/feeds/it/themes/.atom', /No theme slug/],
    ['/feeds/it', /No feed at this address/],
    ['/feeds/it/themes/a/b.atom', /No feed at this address/],
    ['/feeds/it/%E0%A4%A.atom', /percent-encoding/],
    ['/it/good-practice', /No feed at this address/],
  ] as const)
    expect(feedAddress(path)).toEqual({ problem: expect.stringMatching(problem) });
});

const facts: FeedFacts = {
  locale: 'en',
  self: 'https://kb.example.org/feeds/en.atom',
  page: 'https://kb.example.org/?lang=en',
  title: 'Knowledge base – <What> & "new"',
  updated: new Date('2026-01-02T03:04:05.000Z'),
  publisher: { name: 'Partners & co.', uri: 'https://kb.example.org' },
};
const entry: FeedEntry = {
  id: 'https://kb.example.org/api/good-practices/abc?locale=en',
  link: 'https://kb.example.org/en/good-practice/a-b',
  title: 'Rules <b>& tools</b> ]]>',
  summary: 'Fourteen meetings & more.',
  summaryInferred: 'The article gives no date.',
  updated: new Date('2026-01-01T00:00:00.000Z'),
  license: { id: 'CC-BY-4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
  categories: [
    { term: 'good-practice', label: 'Good practice' },
    { term: 'work', label: 'Work & "jobs" <here>', scheme: 'https://kb.example.org/api/themes?locale=en' },
  ],
};

test('an Atom document: text read back as written, whatever it holds; an inferred summary marked; dates given, never the clock', () => {
  const xml = atomFeed(facts, [entry]);
  expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
  const feed = parseFeed(xml);
  expect(feed).toMatchObject({ title: facts.title, language: 'en', self: facts.self, url: facts.page });
  expect(feed.updated?.toISOString()).toBe(facts.updated.toISOString());
  expect(feed.authors[0]).toMatchObject({ name: facts.publisher.name, url: facts.publisher.uri });
  const [item] = feed.items;
  expect(item).toMatchObject({ id: entry.id, url: entry.link, title: entry.title });
  expect(item.description).toBe('Fourteen meetings & more. (inferred: The article gives no date.)');
  expect(item.updated?.toISOString()).toBe(entry.updated.toISOString());
  expect(item.categories.map((c) => [c.term, c.label])).toEqual([
    ['good-practice', 'Good practice'],
    ['work', 'Work & "jobs" <here>'],
  ]);
  expect(xml).toContain('<rights>CC-BY-4.0 https://creativecommons.org/licenses/by/4.0/</rights>');
  // An empty feed: still a feed, with the time it was given.
  const empty = parseFeed(atomFeed(facts, []));
  expect(empty.items).toEqual([]);
  expect(empty.updated?.toISOString()).toBe(facts.updated.toISOString());
});

test("a theme's or a territory's records: the relations of other types to it", () => {
  const models = {
    'good-practice': {
      themes: { type: 'relation', target: 'api::theme.theme' },
      territories: { type: 'relation', target: 'api::territory.territory' },
    },
    event: { territory: { type: 'relation', target: 'api::territory.territory' }, title: { type: 'string' } },
    theme: { parent: { type: 'relation', target: 'api::theme.theme' } },
    territory: { parent: { type: 'relation', target: 'api::territory.territory' } },
  } as unknown as Record<PublicType, Attributes>;
  expect([...relationsTo(models, 'api::theme.theme')]).toEqual([['good-practice', ['themes']]]);
  expect([...relationsTo(models, 'api::territory.territory')]).toEqual([
    ['good-practice', ['territories']],
    ['event', ['territory']],
  ]);
});
