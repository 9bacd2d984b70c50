import { isBadNews } from '../../../monitor/alert.js';
import type { Notification } from '../../notification.js';
import type { DeliveryContext, Notifier } from '../../notifier.js';
import { pushText } from '../../push-text.js';
import { postJson } from '../post-json.js';

/** What {@link TelegramNotifier} is built from. */
export interface TelegramNotifierOptions {
  /** Bot API base URL (`telegram_api_url`, default https://api.telegram.org). */
  readonly apiUrl: () => string;
  /** `telegram_bot_token`; empty turns Telegram off. */
  readonly botToken: () => string;
  /** `telegram_chat_id`: a numeric id or `@channelname`. */
  readonly chatId: () => string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/** The sendMessage parameters we use (Bot API: chat_id and text required). */
export interface TelegramSendMessage {
  readonly chat_id: string;
  readonly text: string;
  readonly disable_notification: boolean;
  readonly link_preview_options: { readonly is_disabled: true };
}

/** Telegram's limit for one message text. */
const MAX_TEXT = 4096;

/**
 * Sends each message with the Bot API's `sendMessage` (POST `<api>/bot<token>/sendMessage`, JSON). Plain
 * text, no parse_mode, so host descriptions never break Markdown. Good news (UP, quality restored) is sent
 * silently; bad news rings. A 429 carries `parameters.retry_after` (seconds), which the outbox honours.
 */
export class TelegramNotifier implements Notifier {
  readonly name = 'telegram';

  constructor(private readonly options: TelegramNotifierOptions) {}

  enabled(): boolean {
    return this.options.botToken() !== '' && this.options.chatId() !== '';
  }

  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    const base = this.options.apiUrl().replace(/\/+$/, '');
    await postJson(
      `${base}/bot${this.options.botToken()}/sendMessage`,
      telegramMessage(notification, this.options.chatId()),
      {
        what: 'telegram',
        timeoutMs: this.options.timeoutMs ?? 10_000,
        now: context.now,
        ...(this.options.fetch && { fetch: this.options.fetch }),
        retryAfterFromBody: (body) => {
          const seconds = (body as { parameters?: { retry_after?: unknown } } | null)?.parameters
            ?.retry_after;
          return typeof seconds === 'number' && seconds >= 0 ? Math.ceil(seconds * 1000) : null;
        },
      },
    );
  }
}

/** The sendMessage body for one notification: the short title, a blank line, one line per event. */
export function telegramMessage(notification: Notification, chatId: string): TelegramSendMessage {
  const { title, message } = pushText(notification);
  const text = `${title}\n\n${message}`;
  return {
    chat_id: chatId,
    text: text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`,
    disable_notification: !notification.alerts.some(isBadNews),
    link_preview_options: { is_disabled: true },
  };
}
