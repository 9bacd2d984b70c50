import type { Notification } from '../../notification.js';
import type { DeliveryContext, Notifier } from '../../notifier.js';
import { pushText } from '../../push-text.js';
import { postJson } from '../post-json.js';

/** What {@link NtfyNotifier} is built from. */
export interface NtfyNotifierOptions {
  /** The topic URL in force (`ntfy_url`); empty turns ntfy off. */
  readonly url: () => string;
  /** Access token (`ntfy_token`); empty sends no Authorization header. */
  readonly token: () => string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** The request ntfy's publish API takes: a plain-text body plus Title, Priority and Tags headers. */
export interface NtfyRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Publishes each message to an ntfy topic (POST to the topic URL). A phone shows the title
 * (`DOWN Cisco Router (10.1.1.254)`, or `3 events: 2 DOWN, 1 UP` for a digest) and one line per event; bad
 * news is priority `high` (4), good news `default` (3), so DOWN alerts can break through do-not-disturb.
 */
export class NtfyNotifier implements Notifier {
  readonly name = 'ntfy';

  constructor(private readonly options: NtfyNotifierOptions) {}

  enabled(): boolean {
    return this.options.url() !== '';
  }

  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    const request = ntfyRequest(notification);
    const token = this.options.token();
    await postJson(this.options.url(), request.body, {
      what: 'ntfy',
      raw: true,
      headers: { ...request.headers, ...(token && { authorization: `Bearer ${token}` }) },
      timeoutMs: this.options.timeoutMs ?? 10_000,
      now: context.now,
      ...(this.options.fetch && { fetch: this.options.fetch }),
    });
  }
}

/** The headers and body for one notification: exported for tests and the README example. */
export function ntfyRequest(notification: Notification): NtfyRequest {
  const { title, message, urgent } = pushText(notification);
  return {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      // Header values must be ISO-8859-1; ntfy decodes RFC 2047 encoded words, so non-Latin text survives.
      title: headerSafe(title),
      priority: urgent ? 'high' : 'default',
      tags: urgent ? 'rotating_light' : 'white_check_mark',
    },
    body: message,
  };
}

function headerSafe(text: string): string {
  const clipped = text.length > 200 ? `${text.slice(0, 199)}…` : text;
  if (/^[\x20-\x7e]*$/.test(clipped)) return clipped;
  return `=?UTF-8?B?${Buffer.from(clipped, 'utf8').toString('base64')}?=`;
}
