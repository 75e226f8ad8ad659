/** The webhooks' pure core: subscriptions as saved, matching, the message body, the retry schedule. */
import {
  WebhookInputError,
  acknowledged,
  afterFailure,
  checkSubscription,
  dispatcherSettings,
  matches,
  messageBody,
  subscriptionFilter,
} from '../../src/public-api/webhooks/core';
import type { ChangeEntry } from '../../src/public-api/change-feed/core';

const entry: ChangeEntry = {
  cursor: 'ZmVlZDoxMjQ',
  type: 'GOOD_PRACTICE',
  documentId: 'abc',
  slug: 'rete',
  locale: 'en',
  action: 'UPDATED',
  at: '2026-12-01T10:00:00.000Z',
};

test('a subscription is checked and normalised as saved; an empty secret is generated', () => {
  const saved = checkSubscription(
    { url: ' https://partner.example.org/hook ', events: 'published updated', types: 'good-practice,EVENT', locale: '' },
    ['it', 'en'],
    true,
  );
  expect(saved).toMatchObject({
    url: 'https://partner.example.org/hook',
    events: 'PUBLISHED, UPDATED',
    types: 'GOOD_PRACTICE, EVENT',
    locale: null,
  });
  expect(saved.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  // An update checks only what it sends; a given secret is kept.
  expect(checkSubscription({ events: '' }, ['it', 'en'], false)).toEqual({ events: null });
  const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
  expect(checkSubscription({ secret }, ['it'], false)).toEqual({ secret });
  for (const input of [
    { url: 'javascript:alert(1)' },
    { url: 'https://user:pw@example.org/' },
    { events: 'CREATED' },
    { types: 'USER' },
    { locale: 'de' },
    { secret: 'whsec_short' },
  ])
    expect(() => checkSubscription({ url: 'https://example.org/', ...input }, ['it', 'en'], true)).toThrow(WebhookInputError);
});

test('matching: each filter narrows, empty means all', () => {
  const filter = (row: Record<string, string | null>) => subscriptionFilter({ events: null, types: null, locale: null, ...row });
  expect(matches(filter({}), entry)).toBe(true);
  expect(matches(filter({ events: 'UPDATED', types: 'GOOD_PRACTICE', locale: 'en' }), entry)).toBe(true);
  expect(matches(filter({ events: 'PUBLISHED' }), entry)).toBe(false);
  expect(matches(filter({ types: 'EVENT, THEME' }), entry)).toBe(false);
  expect(matches(filter({ locale: 'it' }), entry)).toBe(false);
});

test('the message body is the feed entry in the Standard Webhooks shape, and only that', () => {
  const leaky = { ...entry, title: 'secret draft title', consentToPublish: false } as ChangeEntry;
  expect(JSON.parse(messageBody(leaky))).toEqual({ type: 'change.updated', timestamp: entry.at, data: entry });
});

test('retries: full jitter under a doubling ceiling, capped, never past the deadline, then failed', () => {
  const schedule = { baseMs: 1000, maxDelayMs: 8000, giveUpAfterMs: 60_000 };
  const first = 1_000_000;
  // The ceiling doubles (1 s, 2 s, 4 s, 8 s, 8 s) and the delay is a random part of it.
  expect([1, 2, 3, 4, 5].map((n) => afterFailure(schedule, n, first, first, () => 0.999))).toEqual(
    [999, 1998, 3996, 7992, 7992].map((delay) => ({ status: 'pending', nextAttemptAt: first + delay })),
  );
  expect(afterFailure(schedule, 3, first, first, () => 0)).toEqual({ status: 'pending', nextAttemptAt: first });
  // Near the deadline the next try is the deadline itself; a failure at or after it is final.
  expect(afterFailure(schedule, 9, first, first + 59_000, () => 0.999)).toEqual({ status: 'pending', nextAttemptAt: first + 60_000 });
  expect(afterFailure(schedule, 10, first, first + 60_000, () => 0.5)).toEqual({ status: 'failed' });
  // Huge attempt counts do not overflow the ceiling.
  expect(afterFailure(schedule, 5000, first, first, () => 0.5)).toEqual({ status: 'pending', nextAttemptAt: first + 4000 });
});

test('settings: defaults for production, refusals for nonsense', () => {
  expect(dispatcherSettings({})).toEqual({
    enabled: true,
    pollMs: 1000,
    batch: 20,
    timeoutMs: 10_000,
    leaseMs: 60_000,
    baseMs: 30_000,
    maxDelayMs: 21_600_000,
    giveUpAfterMs: 86_400_000,
  });
  expect(dispatcherSettings({ WEBHOOKS_ENABLED: 'false' }).enabled).toBe(false);
  expect(() => dispatcherSettings({ WEBHOOK_POLL_MS: 'often' })).toThrow(/WEBHOOK_POLL_MS must be a number/);
  expect(() => dispatcherSettings({ WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_LEASE_MS: '5000' })).toThrow(
    /must be longer than WEBHOOK_TIMEOUT_MS/,
  );
  expect([200, 204, 299].map(acknowledged)).toEqual([true, true, true]);
  expect([199, 301, 404, 500].map(acknowledged)).toEqual([false, false, false, false]);
});
