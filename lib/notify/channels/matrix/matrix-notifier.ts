import type { Notification } from '../../notification.js';
import type { DeliveryContext, Notifier } from '../../notifier.js';
import { pushText } from '../../push-text.js';
import { postJson } from '../post-json.js';

/** What {@link MatrixNotifier} is built from. */
export interface MatrixNotifierOptions {
  /** Homeserver base URL (`matrix_homeserver`), e.g. `https://matrix.example.org`; empty turns Matrix off. */
  readonly homeserver: () => string;
  /** Room ID (`matrix_room_id`), `!opaque:server`. */
  readonly roomId: () => string;
  /** Access token of the account that posts (`matrix_access_token`), sent as `Authorization: Bearer`. */
  readonly accessToken: () => string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/**
 * Sends each message into a Matrix room through the client-server API:
 * `PUT <homeserver>/_matrix/client/v3/rooms/<room>/send/m.room.message/<txnId>` with `{msgtype, body}`.
 *
 * The transaction id is derived from the notification id, so when the outbox retries a message whose first
 * attempt reached the server but whose answer was lost, the homeserver recognises the retry and does not
 * post it twice. The message type is `m.text`, not the `m.notice` bots often use: Element's default push
 * rules silence notices, and an outage alert has to notify.
 */
export class MatrixNotifier implements Notifier {
  readonly name = 'matrix';

  constructor(private readonly options: MatrixNotifierOptions) {}

  enabled(): boolean {
    return (
      this.options.homeserver() !== '' && this.options.roomId() !== '' && this.options.accessToken() !== ''
    );
  }

  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    const base = this.options.homeserver().replace(/\/+$/, '');
    const room = encodeURIComponent(this.options.roomId());
    const transaction = encodeURIComponent(`pingwarden-${notification.id}`);
    await postJson(
      `${base}/_matrix/client/v3/rooms/${room}/send/m.room.message/${transaction}`,
      matrixMessage(notification),
      {
        what: 'matrix',
        method: 'PUT',
        headers: { authorization: `Bearer ${this.options.accessToken()}` },
        timeoutMs: this.options.timeoutMs ?? 10_000,
        now: context.now,
        retryAfterFromBody: retryAfterMs,
        ...(this.options.fetch && { fetch: this.options.fetch }),
      },
    );
  }
}

/** The `m.room.message` content of one notification: plain text, the title on the first line. */
export function matrixMessage(notification: Notification): {
  readonly msgtype: 'm.text';
  readonly body: string;
} {
  const { title, message } = pushText(notification);
  return { msgtype: 'm.text', body: `${title}\n${message}` };
}

/** A Matrix 429 (`M_LIMIT_EXCEEDED`) says how long to wait in `retry_after_ms`. */
function retryAfterMs(body: unknown): number | null {
  if (typeof body !== 'object' || body === null) return null;
  const wait = (body as { retry_after_ms?: unknown }).retry_after_ms;
  return typeof wait === 'number' && Number.isFinite(wait) && wait >= 0 ? wait : null;
}
