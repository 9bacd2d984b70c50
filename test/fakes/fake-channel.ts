import type { Notification } from '../../lib/notify/notification.js';
import type { DeliveryContext, Notifier } from '../../lib/notify/notifier.js';

/** A notifier the outbox can deliver to; fails while `failWith` is set, and records what it accepted. */
export class FakeChannel implements Notifier {
  readonly delivered: { notification: Notification; context: DeliveryContext }[] = [];
  /** Every attempt, failed or not: `id#attempt`. */
  readonly attempts: string[] = [];
  failWith: Error | null = null;
  isEnabled = true;

  constructor(readonly name = 'fake') {}

  enabled(): boolean {
    return this.isEnabled;
  }

  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    this.attempts.push(`${notification.id}#${context.attempt}`);
    if (this.failWith) throw this.failWith;
    this.delivered.push({ notification, context });
  }
}
