import type { Notification } from '../../notification.js';
import type { DeliveryContext, Notifier } from '../../notifier.js';
import { pushText } from '../../push-text.js';
import { postJson } from '../post-json.js';

/** What {@link GotifyNotifier} is built from. */
export interface GotifyNotifierOptions {
  /** Server URL (`gotify_url`); empty turns Gotify off. */
  readonly url: () => string;
  /** Application token (`gotify_token`), sent as `X-Gotify-Key`. */
  readonly token: () => string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** Gotify priorities: 8 and up make the Android app pop up; 5 is its normal default. */
const HIGH = 8;
const NORMAL = 5;

/** POSTs each message to `<server>/message` as JSON {title, message, priority}, token in `X-Gotify-Key`. */
export class GotifyNotifier implements Notifier {
  readonly name = 'gotify';

  constructor(private readonly options: GotifyNotifierOptions) {}

  enabled(): boolean {
    return this.options.url() !== '' && this.options.token() !== '';
  }

  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    const base = this.options.url().replace(/\/+$/, '');
    const push = pushText(notification);
    await postJson(
      `${base}/message`,
      {
        title: push.title,
        message: push.message,
        priority: push.urgent ? HIGH : NORMAL,
        extras: { 'client::display': { contentType: 'text/plain' } },
      },
      {
        what: 'gotify',
        headers: { 'x-gotify-key': this.options.token() },
        timeoutMs: this.options.timeoutMs ?? 10_000,
        now: context.now,
        ...(this.options.fetch && { fetch: this.options.fetch }),
      },
    );
  }
}
