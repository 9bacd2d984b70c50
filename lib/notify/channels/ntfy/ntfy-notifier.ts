import { isBadNews, type Alert } from '../../../monitor/alert.js';
import { formatDuration } from '../../../shared/format-duration.js';
import { formatUtcTime } from '../../alert-text.js';
import type { Notification } from '../../notification.js';
import { shortLabel } from '../../notification.js';
import type { DeliveryContext, Notifier } from '../../notifier.js';
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

/** ntfy caps the body at 4096 bytes; keep well under it so a phone shows it whole. */
const MAX_BODY = 3500;

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
  const alerts = notification.alerts;
  const bad = alerts.some(isBadNews);
  const title =
    alerts.length === 1 ? `${WORD[alerts[0]!.kind]} ${shortLabel(alerts[0]!.target)}` : digestTitle(alerts);
  const lines = alerts.map((alert) => lineOf(alert, alerts.length > 1));
  let body = lines.join('\n');
  if (body.length > MAX_BODY) body = `${body.slice(0, MAX_BODY - 1)}…`;
  return {
    headers: {
      'content-type': 'text/plain; charset=utf-8',
      // Header values must be ISO-8859-1; ntfy decodes RFC 2047 encoded words, so non-Latin text survives.
      title: headerSafe(title),
      priority: bad ? 'high' : 'default',
      tags: bad ? 'rotating_light' : 'white_check_mark',
    },
    body,
  };
}

const WORD = {
  DOWN: 'DOWN',
  REMINDER: 'Still DOWN',
  RESTORED: 'UP',
  DEGRADED: 'DEGRADED',
  FLAPPING: 'FLAPPING',
  FLAPPING_STOPPED: 'Stopped flapping',
  QUALITY_RESTORED: 'Quality restored',
  POWER_CYCLE: 'Power-cycling for',
  NEEDS_PERSON: 'A person is needed for',
  LINK_BACK: 'Link back',
} as const satisfies Record<Alert['kind'], string>;

function digestTitle(alerts: readonly Alert[]): string {
  const counts = new Map<string, number>();
  for (const alert of alerts) counts.set(WORD[alert.kind], (counts.get(WORD[alert.kind]) ?? 0) + 1);
  return `${alerts.length} events: ${[...counts].map(([word, n]) => `${n} ${word}`).join(', ')}`;
}

function lineOf(alert: Alert, withName: boolean): string {
  const name = withName ? `${WORD[alert.kind]} ${shortLabel(alert.target)}: ` : '';
  const since = formatUtcTime(alert.downSince);
  switch (alert.kind) {
    case 'RESTORED':
      return `${name}was down for ${formatDuration(alert.durationMs)}, since ${since}`;
    case 'REMINDER':
      return `${name}down for ${formatDuration(alert.durationMs)}, since ${since}`;
    default:
      return `${name}since ${since}${alert.target.location ? ` — ${alert.target.location}` : ''}`;
  }
}

function headerSafe(text: string): string {
  const clipped = text.length > 200 ? `${text.slice(0, 199)}…` : text;
  if (/^[\x20-\x7e]*$/.test(clipped)) return clipped;
  return `=?UTF-8?B?${Buffer.from(clipped, 'utf8').toString('base64')}?=`;
}
