/** The change feed's pure core: cursors, events of a write, relation paths, input and retention. */
import {
  ChangeFeedInputError,
  CursorExpiredError,
  cursorProblem,
  decodeCursor,
  documentEvents,
  documentsThrough,
  encodeCursor,
  feedQuery,
  populateThrough,
  relationPaths,
  retentionCutoff,
  retentionDays,
  whereThrough,
  type PublishedVersion,
} from '../../src/public-api/change-feed/core';
import type { Model } from '../../src/content/model/core';

const versions = (entries: [string, number, number?][]) =>
  new Map<string, PublishedVersion>(entries.map(([locale, id, updatedAt = 1]) => [locale, { id, updatedAt, slug: 's' }]));
const actions = (before: [string, number, number?][], after: [string, number, number?][], drafts: string[]) =>
  documentEvents('theme', 'd', versions(before), versions(after), new Set(drafts)).map((e) => `${e.locale} ${e.action}`);

test('cursors are opaque, round-trip, and refuse anything the feed did not issue', () => {
  for (const id of [0, 1, 42, 123456789]) expect(decodeCursor(encodeCursor(id))).toBe(id);
  expect(encodeCursor(42)).not.toContain('42');
  for (const bad of [
    '',
    '42',
    'abc',
    Buffer.from('feed:-1').toString('base64url'),
    Buffer.from('feed:01').toString('base64url'),
    `${encodeCursor(42)}=`,
  ])
    expect(() => decodeCursor(bad)).toThrow(ChangeFeedInputError);
});

test('a write gives one event per locale whose public view changed, and a draft save none', () => {
  expect(actions([], [['it', 2]], ['it'])).toEqual(['it PUBLISHED']);
  expect(actions([['it', 2]], [['it', 5]], ['it'])).toEqual(['it UPDATED']);
  expect(actions([['it', 2]], [['it', 2]], ['it'])).toEqual([]); // a draft save, a discarded draft
  // Publishing Italian rewrote the fields English shares with it in the English published version.
  expect(
    actions(
      [
        ['it', 2],
        ['en', 3, 1],
      ],
      [
        ['it', 5],
        ['en', 3, 2],
      ],
      ['it', 'en'],
    ),
  ).toEqual(['it UPDATED', 'en UPDATED']);
  expect(
    actions(
      [['it', 2]],
      [
        ['it', 2],
        ['en', 7],
      ],
      ['it', 'en'],
    ),
  ).toEqual(['en PUBLISHED']);
  expect(
    actions(
      [
        ['it', 2],
        ['en', 7],
      ],
      [['en', 7]],
      ['it', 'en'],
    ),
  ).toEqual(['it UNPUBLISHED']);
  expect(
    actions(
      [
        ['it', 2],
        ['en', 7],
      ],
      [['it', 2]],
      ['it'],
    ),
  ).toEqual(['en DELETED']); // a locale removed
  expect(
    actions(
      [
        ['it', 2],
        ['en', 7],
      ],
      [],
      [],
    ),
  ).toEqual(['it DELETED', 'en DELETED']);
  expect(actions([], [], ['it'])).toEqual([]); // a draft created
});

test('records show others through relations on either side and inside components', () => {
  const models: Record<string, Model> = {
    'api::event.event': {
      uid: 'api::event.event',
      attributes: {
        agenda: { type: 'component', component: 'event.agenda-item', repeatable: true },
        themes: { type: 'relation', relation: 'manyToMany', target: 'api::theme.theme' },
        localizations: { type: 'relation', relation: 'oneToMany', target: 'api::event.event' },
        createdBy: { type: 'relation', relation: 'oneToOne', target: 'admin::user' },
      },
    },
    'event.agenda-item': {
      uid: 'event.agenda-item',
      attributes: { speakers: { type: 'relation', relation: 'oneToMany', target: 'api::person.person' } },
    },
    'api::theme.theme': {
      uid: 'api::theme.theme',
      attributes: { events: { type: 'relation', relation: 'manyToMany', target: 'api::event.event', mappedBy: 'themes' } },
    },
  };
  const paths = relationPaths([models['api::event.event'], models['api::theme.theme']], (uid) => models[uid]);
  expect(paths.get('api::person.person')).toEqual([{ uid: 'api::event.event', path: ['agenda', 'speakers'] }]);
  expect(paths.get('api::theme.theme')).toEqual([{ uid: 'api::event.event', path: ['themes'] }]);
  expect(paths.get('api::event.event')).toEqual([{ uid: 'api::theme.theme', path: ['events'] }]);
  expect(whereThrough(['agenda', 'speakers'], 'p1')).toEqual({ agenda: { speakers: { documentId: 'p1' } } });
  expect(populateThrough(['agenda', 'speakers'])).toEqual({ agenda: { populate: { speakers: { select: ['documentId'] } } } });
  expect(populateThrough(['themes'])).toEqual({ themes: { select: ['documentId'] } });
  const event = { agenda: [{ speakers: [{ documentId: 'p1' }, { documentId: 'p2' }] }, { speakers: [] }, { speakers: null }] };
  expect(documentsThrough(event, ['agenda', 'speakers'])).toEqual(['p1', 'p2']);
  expect(documentsThrough({ territory: { documentId: 't1' } }, ['territory'])).toEqual(['t1']);
  expect(documentsThrough({ territory: null }, ['territory'])).toEqual([]);
});

test('input: defaults, limits and names', () => {
  expect(feedQuery({}, ['it', 'en'])).toEqual({ since: 0, types: [], locale: undefined, first: 100 });
  expect(feedQuery({ since: encodeCursor(9), types: ['GOOD_PRACTICE'], locale: 'en', first: 1000 }, ['it', 'en'])).toEqual({
    since: 9,
    types: ['good-practice'],
    locale: 'en',
    first: 1000,
  });
  for (const bad of [{ first: 0 }, { first: 1001 }, { first: 1.5 }, { first: '10' }, { locale: 'fr' }, { types: ['GOODPRACTICE'] }])
    expect(() => feedQuery(bad, ['it', 'en'])).toThrow(ChangeFeedInputError);
});

test('a cursor behind a removed tombstone expires; one ahead of the feed is refused; the beginning always works', () => {
  expect(cursorProblem(0, 50, 100, 730)).toBeNull();
  expect(cursorProblem(50, 50, 100, 730)).toBeNull();
  expect(cursorProblem(49, 50, 100, 730)).toBeInstanceOf(CursorExpiredError);
  expect(cursorProblem(101, 50, 100, 730)).toBeInstanceOf(ChangeFeedInputError);
  expect(String(cursorProblem(49, 50, 100, 730)?.message)).toMatch(/730 days.*Sync again from the beginning/);
});

test('retention: two years by default, FEED_RETENTION_DAYS otherwise', () => {
  expect(retentionDays(undefined)).toBe(730);
  expect(retentionDays('30')).toBe(30);
  expect(() => retentionDays('soon')).toThrow(/FEED_RETENTION_DAYS/);
  expect(retentionCutoff(new Date('2026-12-01T00:00:00.000Z'), 730)).toBe('2024-12-01T00:00:00.000Z');
});
