import type { Clock } from '../../shared/clock.js';
import type { Log } from '../../shared/log.js';
import type { AlertBatch, AlertSink } from '../../monitor/alert.js';
import { composeDelivery, composeNotification, notificationId, type Notification } from '../notification.js';
import type { RoutedBatch } from '../routing/route-batch.js';
import type { Notifier } from '../notifier.js';
import { OutboxSender, type OutboxPolicy } from './outbox-sender.js';
import type { OutboxStore } from './outbox-store.js';

/** What the outbox is built from. */
export interface OutboxOptions {
  readonly store: OutboxStore;
  /** Each gets its own queue and sender. Names must be distinct. */
  readonly notifiers: readonly Notifier[];
  readonly clock: Clock;
  readonly log: Log;
  /** Read at every attempt, so a config reload applies at once. */
  readonly policy: () => OutboxPolicy;
  /** New message ids; tests pass their own. */
  readonly newId?: (at: Date) => string;
  /**
   * Splits a batch by destination (routes.csv, escalation, sms:); absent: every notifier gets the whole
   * batch as one message.
   */
  readonly route?: (batch: AlertBatch) => RoutedBatch;
}

/** One message of a batch, for one notifier. */
interface QueuedMessage {
  readonly notifier: string;
  readonly notification: Notification;
}

/**
 * The durable outbox: the loop's sink for everything that leaves the machine. A cycle's alerts become one
 * notification per destination (see {@link OutboxOptions.route}; without routing one shared by all),
 * written to the store for every enabled notifier BEFORE anything is sent; each notifier's
 * {@link OutboxSender} then delivers and retries on its own. A message survives restarts, goes out once
 * (removed only after the receiver accepted it) and keeps its real event times.
 */
export class Outbox implements AlertSink {
  readonly name = 'outbox';
  private readonly senders: OutboxSender[];
  /** Batches being stored, by identity: their id and the notifiers that have them on disk already. */
  private readonly partial = new WeakMap<
    AlertBatch,
    { id: string; stored: Set<string>; messages: readonly QueuedMessage[] }
  >();

  constructor(private readonly options: OutboxOptions) {
    this.senders = options.notifiers.map(
      (notifier) => new OutboxSender(notifier, options.store, options.clock, options.log, options.policy),
    );
  }

  /** Starts every sender; messages left by a previous run go first. */
  start(): void {
    for (const sender of this.senders) sender.start();
  }

  /** Stops every sender after its attempt in progress; unsent messages stay in the store. */
  async stop(): Promise<void> {
    await Promise.all(this.senders.map((sender) => sender.stop()));
  }

  /**
   * Queues one message with all of a cycle's alerts for every enabled notifier; resolves once it is stored
   * for all of them, rejects when any store fails (the caller holds the batch and calls again).
   */
  async sendBatch(batch: AlertBatch): Promise<void> {
    // A batch retried after a failed store (disk full) keeps its id and its routing, and entries already
    // on disk are not written again: the retry adds no duplicate.
    const earlier = this.partial.get(batch);
    const id = earlier?.id ?? (this.options.newId ?? notificationId)(batch.at);
    const stored = earlier?.stored ?? new Set<string>();
    const messages = earlier?.messages ?? this.messagesOf(batch, id);
    this.partial.set(batch, { id, stored, messages });
    const queuedFor: string[] = [];
    for (const { notifier, notification } of messages) {
      const sender = this.senders.find((one) => one.notifier.name === notifier);
      if (!sender) continue;
      if (sender.notifier.enabled && !sender.notifier.enabled()) continue;
      const key = `${notifier}/${notification.id}`;
      if (stored.has(key)) continue;
      await this.options.store.put({
        notifier,
        notification,
        attempts: 0,
        lastAttemptAt: null,
        lastError: null,
      });
      stored.add(key);
      queuedFor.push(notifier);
      sender.wake();
    }
    if (queuedFor.length > 0) {
      this.options.log.info('outbox queued', {
        id,
        notifiers: [...new Set(queuedFor)].join(','),
        messages: queuedFor.length,
        alerts: batch.alerts.length,
      });
    }
  }

  /**
   * The messages of a batch, each for one notifier: without routing, one notification shared by all;
   * routed, one per delivery, the second and later ones of a notifier with ids `ID-2`, `ID-3`...
   */
  private messagesOf(batch: AlertBatch, id: string): readonly QueuedMessage[] {
    const route = this.options.route;
    if (route === undefined) {
      const notification = composeNotification(batch, id);
      return this.senders.map((sender) => ({ notifier: sender.notifier.name, notification }));
    }
    const routed = route(batch);
    for (const { alert, route: row } of routed.quieted) {
      this.options.log.info('quiet hours: not sent to a route', {
        host: alert.target.host,
        kind: alert.kind,
        route: `routes.csv:${row.line}`,
        quiet: row.quiet?.text,
      });
    }
    const perNotifier = new Map<string, number>();
    return routed.deliveries.map((delivery) => {
      const n = (perNotifier.get(delivery.notifier) ?? 0) + 1;
      perNotifier.set(delivery.notifier, n);
      return {
        notifier: delivery.notifier,
        notification: composeDelivery(batch, delivery, n === 1 ? id : `${id}-${n}`),
      };
    });
  }

  /** Tries every queued message once per notifier, all notifiers at the same time (for `pingwarden once`). */
  async deliverPending(): Promise<void> {
    await Promise.all(this.senders.map((sender) => sender.deliverPending()));
  }
}
