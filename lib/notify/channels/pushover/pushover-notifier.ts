import { isBadNews } from '../../../monitor/alert.js';
import type { Notification } from '../../notification.js';
import type { DeliveryContext, Notifier } from '../../notifier.js';
import { pushText } from '../../push-text.js';
import { postJson } from '../post-json.js';

/** What {@link PushoverNotifier} is built from. */
export interface PushoverNotifierOptions {
  /** API base (`pushover_api_url`, default https://api.pushover.net). */
  readonly apiUrl: () => string;
  /** Application token (`pushover_app_token`); empty turns Pushover off. */
  readonly appToken: () => string;
  /** User or group key (`pushover_user_key`). */
  readonly userKey: () => string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/**
 * POSTs each message to Pushover's `/1/messages.json` (token, user, title ≤ 250, message ≤ 1024). Bad news
 * is priority 1 (high: bypasses quiet hours), good news 0 (normal).
 */
export class PushoverNotifier implements Notifier {
  readonly name = 'pushover';

  constructor(private readonly options: PushoverNotifierOptions) {}

  enabled(): boolean {
    return this.options.appToken() !== '' && this.options.userKey() !== '';
  }

  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    const base = this.options.apiUrl().replace(/\/+$/, '');
    const { title, message: body } = pushText(notification);
    await postJson(
      `${base}/1/messages.json`,
      {
        token: this.options.appToken(),
        user: this.options.userKey(),
        title: clip(title, 250),
        message: clip(body, 1024),
        priority: notification.alerts.some(isBadNews) ? 1 : 0,
        timestamp: Math.floor(notification.composedAt.getTime() / 1000),
      },
      {
        what: 'pushover',
        timeoutMs: this.options.timeoutMs ?? 10_000,
        now: context.now,
        ...(this.options.fetch && { fetch: this.options.fetch }),
      },
    );
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
