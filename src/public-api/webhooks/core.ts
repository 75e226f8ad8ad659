/**
 * Webhooks for partners, the pure parts: what a subscription asks for (events, types, locale),
 * which change-feed entries it gets, the message a partner receives (the public feed entry and
 * nothing else), the retry schedule (exponential backoff with full jitter until a deadline, then
 * dead-lettered) and the dispatcher's settings. No Strapi here.
 */
import { randomBytes, randomUUID } from 'crypto';
import { CHANGE_ACTIONS, FEED_TYPE_NAMES, type ChangeAction, type ChangeEntry } from '../change-feed/core';

export const SUBSCRIPTION_UID = 'api::webhook-subscription.webhook-subscription';
export const DELIVERY_UID = 'api::webhook-delivery.webhook-delivery';

/** Bad subscription input (from the admin): a 400 naming what is wrong. */
export class WebhookInputError extends Error {}

/** What a subscription asks for; an empty list (or no locale) means all. */
export interface SubscriptionFilter {
  events: ChangeAction[];
  types: string[];
  locale: string | null;
}

/** "published, updated" or "PUBLISHED UPDATED" → ['PUBLISHED', 'UPDATED']; empty → []. Throws on an unknown name. */
export function parseList<T extends string>(text: string | null | undefined, allowed: readonly T[], field: string): T[] {
  const names = (text ?? '')
    .split(/[\s,;]+/)
    .filter(Boolean)
    .map((name) => name.toUpperCase().replace(/-/g, '_'));
  for (const name of names) {
    if (!allowed.includes(name as T))
      throw new WebhookInputError(`Unknown value "${name}" in "${field}". Allowed: ${allowed.join(', ')} (empty: all).`);
  }
  return [...new Set(names)] as T[];
}

export interface SubscriptionInput {
  url?: unknown;
  secret?: unknown;
  events?: unknown;
  types?: unknown;
  locale?: unknown;
}

/** A new Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

const SECRET = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

/**
 * A subscription as saved: the URL must be http(s), events and types known names (stored
 * normalised, comma-separated), the locale a content locale; an empty secret is generated. Only
 * the fields given are checked and returned (an update may send some of them).
 */
export function checkSubscription(input: SubscriptionInput, locales: readonly string[], isNew: boolean): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  if ('url' in input || isNew) {
    const url = typeof input.url === 'string' ? input.url.trim() : '';
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      // reported below
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.username || parsed.password)
      throw new WebhookInputError(
        `"url" must be an http or https address without user name or password (got ${JSON.stringify(input.url)}).`,
      );
    out.url = url;
  }
  if ('secret' in input || isNew) {
    const secret = typeof input.secret === 'string' ? input.secret.trim() : '';
    if (secret && !SECRET.test(secret))
      throw new WebhookInputError(
        '"secret" must be a Standard Webhooks secret (whsec_ and at least 24 bytes in base64), or empty to generate one.',
      );
    out.secret = secret || newSecret();
  }
  const text = (value: unknown) => (value == null ? '' : String(value));
  if ('events' in input) out.events = parseList(text(input.events), CHANGE_ACTIONS, 'events').join(', ') || null;
  if ('types' in input) out.types = parseList(text(input.types), FEED_TYPE_NAMES, 'types').join(', ') || null;
  if ('locale' in input) {
    const locale = text(input.locale).trim();
    if (locale && !locales.includes(locale))
      throw new WebhookInputError(`Unknown locale "${locale}". Available: ${locales.join(', ')} (empty: all).`);
    out.locale = locale || null;
  }
  return out;
}

/** The filter of a stored subscription. */
export const subscriptionFilter = (row: { events?: string | null; types?: string | null; locale?: string | null }): SubscriptionFilter => ({
  events: parseList(row.events, CHANGE_ACTIONS, 'events'),
  types: parseList(row.types, FEED_TYPE_NAMES, 'types'),
  locale: row.locale || null,
});

export const matches = (filter: SubscriptionFilter, entry: ChangeEntry): boolean =>
  (!filter.events.length || filter.events.includes(entry.action)) &&
  (!filter.types.length || filter.types.includes(entry.type)) &&
  (!filter.locale || filter.locale === entry.locale);

/** A message id as Standard Webhooks has it: unique per message, the same at every retry. */
export const newMessageId = (): string => `msg_${randomUUID().replace(/-/g, '')}`;

/**
 * The body a partner receives, in the Standard Webhooks payload shape (type, timestamp, data):
 * `data` is exactly the change-feed entry, public fields only, built field by field so that
 * nothing else can slip in. The partner fetches the record itself through the public API.
 */
export function messageBody(entry: ChangeEntry): string {
  const { cursor, type, documentId, slug, locale, action, at } = entry;
  return JSON.stringify({
    type: `change.${action.toLowerCase()}`,
    timestamp: at,
    data: { cursor, type, documentId, slug, locale, action, at },
  });
}

/** How the admin's log names a message: `PUBLISHED GOOD_PRACTICE slug (it)`. */
export const eventSummary = (entry: ChangeEntry): string => `${entry.action} ${entry.type} ${entry.slug} (${entry.locale})`;

export interface RetrySchedule {
  /** First retry delay's ceiling; each further retry doubles it. */
  baseMs: number;
  /** Ceiling of any one delay. */
  maxDelayMs: number;
  /** After this long since the first failure the message is dead-lettered (the last try is at this moment). */
  giveUpAfterMs: number;
}

export interface DispatcherSettings extends RetrySchedule {
  /** How often each node looks for due messages. */
  pollMs: number;
  /** Messages a node claims, and sends concurrently, per round. */
  batch: number;
  /** How long one HTTP call may take. */
  timeoutMs: number;
  /** How long a claim lasts: after it a message held by a node that died is delivered by another. */
  leaseMs: number;
  enabled: boolean;
}

function envNumber(env: Record<string, string | undefined>, name: string, fallback: number, min: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isFinite(number) || number < min) throw new Error(`${name} must be a number, at least ${min} (got "${value}").`);
  return number;
}

/** The dispatcher's settings from the environment (.env.example, docs/deployment.md). */
export function dispatcherSettings(env: Record<string, string | undefined>): DispatcherSettings {
  const timeoutMs = envNumber(env, 'WEBHOOK_TIMEOUT_MS', 10_000, 100);
  const settings = {
    enabled: env.WEBHOOKS_ENABLED !== 'false',
    pollMs: envNumber(env, 'WEBHOOK_POLL_MS', 1000, 10),
    batch: envNumber(env, 'WEBHOOK_BATCH', 20, 1),
    timeoutMs,
    // The lease outlasts the HTTP call: a node that is alive always finishes before another may take over.
    leaseMs: envNumber(env, 'WEBHOOK_LEASE_MS', Math.max(60_000, 2 * timeoutMs), 1),
    baseMs: envNumber(env, 'WEBHOOK_RETRY_BASE_MS', 30_000, 1),
    maxDelayMs: envNumber(env, 'WEBHOOK_RETRY_MAX_DELAY_MS', 6 * 3_600_000, 1),
    giveUpAfterMs: envNumber(env, 'WEBHOOK_GIVE_UP_AFTER_MS', 24 * 3_600_000, 0),
  };
  if (settings.leaseMs <= settings.timeoutMs)
    throw new Error(`WEBHOOK_LEASE_MS (${settings.leaseMs}) must be longer than WEBHOOK_TIMEOUT_MS (${settings.timeoutMs}).`);
  return settings;
}

export type RetryDecision = { status: 'pending'; nextAttemptAt: number } | { status: 'failed' };

/**
 * After a failed attempt (the `failures`-th in a row, the first at `firstFailedAt`): the next
 * attempt, at a random moment up to base·2^(failures-1) later (full jitter, so that many nodes
 * and messages retrying together spread out), never past the deadline a day (`giveUpAfterMs`)
 * after the first failure, which is itself the last try; a failure at or after it is final.
 */
export function afterFailure(
  schedule: RetrySchedule,
  failures: number,
  firstFailedAt: number,
  now: number,
  random: () => number,
): RetryDecision {
  const deadline = firstFailedAt + schedule.giveUpAfterMs;
  if (now >= deadline) return { status: 'failed' };
  const ceiling = Math.min(schedule.maxDelayMs, schedule.baseMs * 2 ** Math.min(failures - 1, 40));
  return { status: 'pending', nextAttemptAt: Math.min(deadline, now + Math.floor(random() * ceiling)) };
}

/** Whether an HTTP status is an acknowledgement: any 2xx. Anything else, or no answer, is retried. */
export const acknowledged = (status: number): boolean => status >= 200 && status < 300;
