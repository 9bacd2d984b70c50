import { isBadNews, type Alert } from '../monitor/alert.js';
import { formatDuration } from '../shared/format-duration.js';
import { formatUtcTime } from './alert-text.js';
import { shortLabel, type Notification } from './notification.js';

/** A notification as a phone shows it: what the push channels and webhook templates send. */
export interface PushText {
  /** One event: `DOWN Cisco Router (10.1.1.254)`; a digest: `3 events: 2 DOWN, 1 UP`. Plain UTF-8. */
  readonly title: string;
  /** One line per event, at most {@link MAX_PUSH_MESSAGE} characters. */
  readonly message: string;
  /** Some event is bad news (a host down, a person needed): worth breaking through do-not-disturb. */
  readonly urgent: boolean;
}

/** ntfy caps a body at 4096 bytes, the strictest of the push services; well under it a phone shows it whole. */
export const MAX_PUSH_MESSAGE = 3500;

/** The phone-sized text of a notification. */
export function pushText(notification: Notification): PushText {
  const alerts = notification.alerts;
  const title =
    alerts.length === 1 ? `${WORD[alerts[0]!.kind]} ${shortLabel(alerts[0]!.target)}` : digestTitle(alerts);
  let message = alerts.map((alert) => lineOf(alert, alerts.length > 1)).join('\n');
  if (message.length > MAX_PUSH_MESSAGE) message = `${message.slice(0, MAX_PUSH_MESSAGE - 1)}…`;
  return { title, message, urgent: alerts.some(isBadNews) };
}

const WORD = {
  DOWN: 'DOWN',
  REMINDER: 'Still DOWN',
  ESCALATION: 'Not acknowledged, DOWN',
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
    case 'ESCALATION':
      return `${name}down for ${formatDuration(alert.durationMs)}, since ${since}`;
    default:
      return `${name}since ${since}${alert.target.location ? ` — ${alert.target.location}` : ''}`;
  }
}
