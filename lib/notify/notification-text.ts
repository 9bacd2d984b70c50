import { formatDuration } from '../shared/format-duration.js';
import { ALERT_KINDS, type Alert } from '../monitor/alert.js';
import { alertBody, alertSubject, formatLocalTime, targetLabel } from './alert-text.js';
import type { MessageText, MessageTextOptions } from './alert-text.js';
import type { Notification } from './notification.js';
import { wasQueued, type DeliveryContext } from './notifier.js';

/**
 * Subject and body of the message for a notification. One alert keeps the single-event subject
 * (`[pingwarden] DOWN Cisco Router (10.1.1.254) — Bldg 6 MDF 101`); several make a digest:
 * `[pingwarden] 2 DOWN, 1 RESTORED: 3 of 12 hosts down: ...`, a body that opens with the overview and
 * groups the events by location. A message that waited in the outbox says so first; its event times are
 * always the real ones.
 */
export function notificationText(
  notification: Notification,
  context: DeliveryContext,
  options: MessageTextOptions = {},
): MessageText {
  const queued = queuedNote(notification, context, options);
  const [only] = notification.alerts;
  if (notification.alerts.length === 1 && only) {
    return { subject: alertSubject(only), text: queued + eventText(only, options) };
  }
  const groups = new Map<string, Alert[]>();
  for (const alert of notification.alerts) {
    const location = alert.target.location.replace(/\s+/g, ' ').trim() || '(no location)';
    groups.set(location, [...(groups.get(location) ?? []), alert]);
  }
  const sections = [...groups].map(
    ([location, alerts]) => `== ${location} ==\n\n${alerts.map((a) => eventText(a, options)).join('\n')}`,
  );
  return {
    subject: `[pingwarden] ${kindCounts(notification.alerts)}: ${notification.overview}`,
    text: `${queued}${capitalise(notification.overview)}.\n\n${sections.join('\n')}`,
  };
}

/** `2 DOWN, 1 RESTORED`: how many events of each kind, in a fixed order. */
export function kindCounts(alerts: readonly Alert[]): string {
  return ALERT_KINDS.map((kind) => [kind, alerts.filter((a) => a.kind === kind).length] as const)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${count} ${kind}`)
    .join(', ');
}

/**
 * The line a delayed message opens with, e.g. `Queued: composed at 2026-11-22 14:03:10 CET, sent at
 * 2026-11-22 14:41:02 CET once delivery worked again (38m 12s later, attempt 9).`; empty for a message that
 * went out at the first try.
 */
export function queuedNote(
  notification: Notification,
  context: DeliveryContext,
  options: MessageTextOptions = {},
): string {
  if (!wasQueued(context)) return '';
  const waited = Math.max(0, context.now.getTime() - notification.composedAt.getTime());
  return (
    `Queued: composed at ${formatLocalTime(notification.composedAt, options.timeZone)}, sent at ` +
    `${formatLocalTime(context.now, options.timeZone)} once delivery worked again ` +
    `(${formatDuration(waited)} later, attempt ${context.attempt}). The times below are when things happened.\n\n`
  );
}

/** One event: the single-alert body plus the hosts unreachable behind it. */
function eventText(alert: Alert, options: MessageTextOptions): string {
  const children = alert.unreachableChildren ?? [];
  if (children.length === 0) return alertBody(alert, options);
  const list = children.map((child) => `  - ${targetLabel(child)}`).join('\n');
  return `${alertBody(alert, options)}\nUnreachable behind it (${children.length}):\n${list}\n`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
