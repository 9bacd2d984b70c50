import type { Notification } from '../../notification.js';
import type { DeliveryContext, Notifier } from '../../notifier.js';
import { pushText } from '../../push-text.js';
import { postJson } from '../post-json.js';

/** What {@link TeamsNotifier} is built from. */
export interface TeamsNotifierOptions {
  /** The Teams Workflows webhook URL (`teams_webhook`); empty turns Teams off. */
  readonly url: () => string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/**
 * POSTs each message to a Microsoft Teams channel through a Workflows webhook ("Post to a channel when a
 * webhook request is received"), as a message with one Adaptive Card: the title in bold (red for bad news,
 * green for good news), then one line per event. The Office 365 connector webhooks this replaces took
 * MessageCards; the Workflows trigger takes this shape, and so do the connectors that still run.
 */
export class TeamsNotifier implements Notifier {
  readonly name = 'teams';

  constructor(private readonly options: TeamsNotifierOptions) {}

  enabled(): boolean {
    return this.options.url() !== '';
  }

  async sendNotification(notification: Notification, context: DeliveryContext): Promise<void> {
    await postJson(this.options.url(), teamsMessage(notification), {
      what: 'teams webhook',
      timeoutMs: this.options.timeoutMs ?? 10_000,
      now: context.now,
      ...(this.options.fetch && { fetch: this.options.fetch }),
    });
  }
}

/** The webhook body for one notification: a `message` carrying one Adaptive Card 1.2. */
export function teamsMessage(notification: Notification): unknown {
  const { title, message, urgent } = pushText(notification);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.2',
          body: [
            {
              type: 'TextBlock',
              text: title,
              weight: 'Bolder',
              size: 'Medium',
              color: urgent ? 'Attention' : 'Good',
              wrap: true,
            },
            // One TextBlock per line: a TextBlock's Markdown would join single newlines into one paragraph.
            ...message
              .split('\n')
              .map((line) => ({ type: 'TextBlock', text: line, wrap: true, spacing: 'None' })),
          ],
        },
      },
    ],
  };
}
