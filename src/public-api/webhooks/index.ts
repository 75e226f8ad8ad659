/**
 * Strapi adapter of webhooks for partners. Subscriptions and deliveries are content types only
 * administrators see in the admin (no REST routes, no GraphQL, no role but the super admin's).
 * Every change-feed entry becomes, in the write's own transaction, one delivery (the outbox row)
 * per matching active subscription; each node's dispatcher claims due deliveries for a lease (on
 * PostgreSQL with FOR UPDATE SKIP LOCKED, so exactly one node sends each), posts them signed
 * per Standard Webhooks outside any transaction, and records the answer: delivered, a retry
 * later, or failed after a day. A node that dies mid-delivery leaves its lease to expire and
 * another node sends the message again, with the same webhook-id.
 */
import os from 'os';
import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import type { Knex } from 'knex';
import { Webhook } from 'standardwebhooks';
import { CONTENT_LOCALES } from '../../content/locales/core';
import { instanceState } from '../../edge/shared-state';
import { onFeedAppend } from '../change-feed';
import {
  DELIVERY_UID,
  SUBSCRIPTION_UID,
  WebhookInputError,
  acknowledged,
  afterFailure,
  checkSubscription,
  dispatcherSettings,
  eventSummary,
  matches,
  messageBody,
  newMessageId,
  subscriptionFilter,
  type DispatcherSettings,
} from './core';

const DELIVERIES = 'webhook_deliveries';
/** The delivery fields an attempt writes, and their columns (the dispatcher writes with plain SQL). */
const COLUMNS: Record<string, string> = {
  deliveryStatus: 'delivery_status',
  attempts: 'attempts',
  nextAttemptAt: 'next_attempt_at',
  firstFailedAt: 'first_failed_at',
  deliveredAt: 'delivered_at',
  lastResponseStatus: 'last_response_status',
  lastError: 'last_error',
};
const isPostgres = (knex: Knex) => ['postgres', 'pg'].includes(String(knex.client.config.client));
const locales = () => CONTENT_LOCALES.map((locale) => locale.code);

/**
 * At register: the content types stay out of the public GraphQL schema, subscriptions are
 * checked as they are saved, the delivery log only takes a redelivery from the admin, and
 * every change-feed entry fills the outbox.
 */
export function registerWebhooks(strapi: Core.Strapi): void {
  const extension = strapi.plugin('graphql').service('extension');
  for (const uid of [SUBSCRIPTION_UID, DELIVERY_UID]) extension.shadowCRUD(uid).disable();

  strapi.documents.use(async (context, next) => {
    if (context.uid === SUBSCRIPTION_UID && ['create', 'update'].includes(context.action)) {
      const params = context.params as { data?: Record<string, unknown> };
      try {
        params.data = { ...params.data, ...checkSubscription(params.data ?? {}, locales(), context.action === 'create') };
      } catch (error) {
        if (error instanceof WebhookInputError) throw new errors.ValidationError(error.message);
        throw error;
      }
    }
    if (context.uid === DELIVERY_UID) {
      if (['create', 'clone'].includes(context.action))
        throw new errors.ValidationError(
          'Webhook deliveries are written by the knowledge base when content is published; they cannot be created by hand.',
        );
      if (context.action === 'update') {
        const params = context.params as { documentId?: string; data?: Record<string, unknown> };
        const current = await strapi.db
          .query(DELIVERY_UID)
          .findOne({ where: { documentId: params.documentId }, select: ['deliveryStatus'] });
        // The log records what happened: the only change it takes is "to deliver" again, which starts the attempts over.
        params.data =
          params.data?.deliveryStatus === 'pending' && current && current.deliveryStatus !== 'pending'
            ? { deliveryStatus: 'pending', attempts: 0, nextAttemptAt: new Date(), firstFailedAt: null, lockedUntil: null }
            : {};
      }
    }
    return next();
  });

  onFeedAppend(strapi, async (entries) => {
    const subscriptions = await strapi.db
      .query(SUBSCRIPTION_UID)
      .findMany({ where: { active: true }, select: ['id', 'events', 'types', 'locale'], orderBy: { id: 'asc' } });
    if (!subscriptions.length) return;
    const now = new Date();
    let queued = 0;
    for (const entry of entries) {
      for (const subscription of subscriptions) {
        if (!matches(subscriptionFilter(subscription), entry)) continue;
        // Inside the feed's transaction (Strapi's ambient one): the message exists if and only if the change does.
        await strapi.db.query(DELIVERY_UID).create({
          data: {
            messageId: newMessageId(),
            subscription: subscription.id,
            event: eventSummary(entry),
            payload: messageBody(entry),
            deliveryStatus: 'pending',
            attempts: 0,
            nextAttemptAt: now,
            publishedAt: now,
          },
        });
        queued += 1;
      }
    }
    // This node sends them as soon as they are committed; the others find them at their next poll.
    if (queued) await strapi.db.transaction(({ onCommit }) => onCommit(() => dispatchers.get(strapi)?.wake()));
  });
}

interface Claimed {
  id: number;
  messageId: string;
  payload: string;
  attempts: number;
  firstFailedAt: string | null;
  subscription: { url: string; secret: string; active: boolean } | null;
  /** This claim's mark on the row: the outcome is written only while the row still bears it. */
  lease: string;
}

/** One node's sender of due deliveries: a poll loop, woken early by this node's own commits. */
class Dispatcher {
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private leases = 0;
  private readonly node = `${os.hostname()}:${process.pid}`;

  constructor(
    private readonly strapi: Core.Strapi,
    private readonly settings: DispatcherSettings,
  ) {}

  private get knex(): Knex {
    return this.strapi.db.connection as unknown as Knex;
  }

  start(): void {
    this.schedule(this.settings.pollMs);
  }

  wake(): void {
    if (this.stopped) return;
    if (this.round) this.again = true;
    else this.schedule(0);
  }

  /** Stops polling and waits for the deliveries in flight (each bounded by the HTTP timeout). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.round;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.round = this.run().finally(() => {
        this.round = null;
        // A full batch, or a wake-up during the round: there may be more due at once.
        this.schedule(this.again ? 0 : this.settings.pollMs);
      });
    }, delay);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    this.again = false;
    try {
      const claimed = await this.claim();
      if (claimed.length === this.settings.batch) this.again = true;
      await Promise.all(claimed.map((delivery) => this.deliver(delivery)));
    } catch (error) {
      // The database is away (an outage, a restart): the next poll tries again.
      this.strapi.log.warn(`[webhooks] dispatcher round failed: ${(error as Error).message}`);
    }
  }

  /**
   * Takes due deliveries for a lease, in a short transaction of its own. On PostgreSQL the rows
   * are locked while claimed and rows another node is claiming are skipped: each row goes to one
   * node. A row whose lease ran out (its node died) is due again.
   */
  private async claim(): Promise<Claimed[]> {
    const now = new Date();
    const lease = `${this.node}:${(this.leases += 1)}`;
    const ids = await this.knex.transaction(async (trx) => {
      const due = trx(DELIVERIES)
        .select('id')
        .where('delivery_status', 'pending')
        .where((q) => q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', now))
        .where((q) => q.whereNull('locked_until').orWhere('locked_until', '<', now))
        .orderBy('id')
        .limit(this.settings.batch);
      if (isPostgres(trx)) due.forUpdate().skipLocked();
      const rows = (await due).map((row: { id: number }) => Number(row.id));
      if (rows.length)
        await trx(DELIVERIES)
          .whereIn('id', rows)
          .update({ locked_until: new Date(now.getTime() + this.settings.leaseMs), lease });
      return rows;
    });
    if (!ids.length) return [];
    const rows = await this.strapi.db.query(DELIVERY_UID).findMany({
      where: { id: { $in: ids } },
      select: ['id', 'messageId', 'payload', 'attempts', 'firstFailedAt', 'lease'],
      populate: { subscription: { select: ['url', 'secret', 'active'] } },
      orderBy: { id: 'asc' },
    });
    // Only the rows still held by this claim (a slow read could see a later claim of another node).
    return (rows as Claimed[]).filter((row) => row.lease === lease);
  }

  private async deliver(delivery: Claimed): Promise<void> {
    const { subscription } = delivery;
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    if (!subscription || !subscription.active) {
      return this.record(delivery, {
        deliveryStatus: 'failed',
        lastError: subscription ? 'The subscription is not active.' : 'The subscription was deleted.',
      });
    }
    try {
      const timestamp = new Date();
      const signature = new Webhook(subscription.secret).sign(delivery.messageId, timestamp, delivery.payload);
      const res = await fetch(subscription.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Com.In.4.0-knowledge-base-webhooks',
          'webhook-id': delivery.messageId,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        body: delivery.payload,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      status = res.status;
      await res.body?.cancel();
      if (!acknowledged(status)) error = `HTTP ${status}`;
    } catch (caught) {
      const cause = (caught as { cause?: { code?: string; message?: string } }).cause;
      error =
        (caught as Error).name === 'TimeoutError'
          ? `No answer within ${this.settings.timeoutMs} ms`
          : (cause?.code ?? cause?.message ?? (caught as Error).message);
    }
    const now = Date.now();
    if (!error)
      return this.record(delivery, {
        deliveryStatus: 'delivered',
        deliveredAt: new Date(now),
        lastResponseStatus: status,
        lastError: null,
        attempts: delivery.attempts + 1,
      });
    const firstFailedAt = delivery.firstFailedAt ? new Date(delivery.firstFailedAt).getTime() : started;
    const next = afterFailure(this.settings, delivery.attempts + 1, firstFailedAt, now, Math.random);
    return this.record(delivery, {
      deliveryStatus: next.status,
      nextAttemptAt: next.status === 'pending' ? new Date(next.nextAttemptAt) : null,
      firstFailedAt: new Date(firstFailedAt),
      lastResponseStatus: status,
      lastError: error.slice(0, 1000),
      attempts: delivery.attempts + 1,
    });
  }

  /** Writes an attempt's outcome, only while this claim still holds the row (its lease did not pass to another node). */
  private async record(delivery: Claimed, outcome: Record<string, unknown>): Promise<void> {
    const row: Record<string, unknown> = { locked_until: null, updated_at: new Date() };
    for (const [field, value] of Object.entries(outcome)) row[COLUMNS[field]] = value;
    await this.knex(DELIVERIES).where({ id: delivery.id, lease: delivery.lease }).update(row);
  }
}

const dispatchers = instanceState<Dispatcher>('webhook-dispatcher');

/** At the end of bootstrap: this node starts sending (unless WEBHOOKS_ENABLED=false). */
export function startWebhookDispatcher(strapi: Core.Strapi): void {
  const settings = dispatcherSettings(process.env);
  if (!settings.enabled) return;
  const dispatcher = new Dispatcher(strapi, settings);
  dispatchers.set(strapi, dispatcher);
  dispatcher.start();
}

/** At destroy, before the database closes: no new claims, and the deliveries in flight finish. */
export async function stopWebhookDispatcher(strapi: Core.Strapi): Promise<void> {
  await dispatchers.get(strapi)?.stop();
}
