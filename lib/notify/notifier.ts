import type { Notification } from './notification.js';

/** How a delivery attempt is made: the outbox tells the notifier when, and how many tries it took. */
export interface DeliveryContext {
  /** Now: the moment of sending, to say how long a message waited. */
  readonly now: Date;
  /** 1 for the first try; more means the message waited in the outbox. */
  readonly attempt: number;
  /**
   * The message was held back by failed deliveries: its own earlier attempts, or those of a message ahead of
   * it in the same queue. Messages then say when they were composed. Default: `attempt > 1`.
   */
  readonly queued?: boolean;
}

/** Whether a message should say it waited in the outbox (see {@link DeliveryContext.queued}). */
export function wasQueued(context: DeliveryContext): boolean {
  return context.queued ?? context.attempt > 1;
}

/**
 * One way of telling people (email, Discord, a webhook). Notifiers never send on their own: the outbox
 * hands them each queued {@link Notification}, retries when `sendNotification` rejects and marks the message
 * sent when it resolves. A notifier never stops the monitor.
 */
export interface Notifier {
  /** Short name for log lines and the outbox folder, e.g. `email`. */
  readonly name: string;
  /** Whether it is set up right now; the outbox queues messages only for notifiers that are. Default yes. */
  enabled?(): boolean;
  /**
   * Delivers one message; rejects when it was not accepted (a `RateLimitedError` to say when to try
   * again). `notification.id` identifies it to the receiver (Message-ID, idempotency key).
   */
  sendNotification(notification: Notification, context: DeliveryContext): Promise<void>;
  /** Releases connections and timers; called once at shutdown. */
  close?(): void | Promise<void>;
}
