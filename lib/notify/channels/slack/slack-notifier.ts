import type { Notification } from '../../notification.js';
import type { DeliveryContext, Notifier } from '../../notifier.js';
import { pushText } from '../../push-text.js';
import { postJson } from '../post-json.js';

/** What {@link SlackNotifier} is built from. */
export interface SlackNotifierOptions {
  /** Incoming-webhook URL (`slack_webhook`); empty turns Slack off. */
  readonly url: () => string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/**
 * POSTs each message to a Slack incoming webhook as `{"text": ...}`: the title in bold, then one line per
 * event. `&`, `<` and `>` are escaped as Slack asks, so a host description cannot make a mention or a link.
 */
export class SlackNotifier implements Notifier {
  readonly name = 'slack';

  constructor(private readonly options: SlackNotifierOptions) {}

  enabled(): boolean {
    return this.options.url() !== '';
  }

  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    await postJson(this.options.url(), slackPayload(notification), {
      what: 'slack webhook',
      timeoutMs: this.options.timeoutMs ?? 10_000,
      now: context.now,
      ...(this.options.fetch && { fetch: this.options.fetch }),
    });
  }
}

/** The webhook body for one notification. */
export function slackPayload(notification: Notification): { readonly text: string } {
  const { title, message } = pushText(notification);
  const text = `*${escape(title)}*\n${escape(message)}`;
  return { text };
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
