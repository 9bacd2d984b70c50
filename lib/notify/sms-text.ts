import type { Alert } from '../monitor/alert.js';
import { shortLabel, type Notification } from './notification.js';

/** An SMS holds 160 GSM characters; an email-to-SMS gateway cuts or splits anything longer. */
export const MAX_SMS = 160;

/** How times are shown in the short form. */
export interface SmsTextOptions {
  /** IANA zone for the time of day, e.g. `Europe/Berlin`; default the system zone. */
  readonly timeZone?: string;
}

/**
 * The short plain-text form of a notification for email-to-SMS gateways, at most {@link MAX_SMS}
 * characters, sent as the subject of an email with an empty body: `DOWN Cisco Router (10.1.1.254) since
 * 14:03`, or for a digest `2 DOWN, 1 RESTORED: DOWN Cisco Router (10.1.1.254); DOWN AP 3 (10.1.1.3); UP
 * Switch (10.1.1.2)`, cut with `…` when longer. Only ASCII-safe plain text, no links.
 */
export function smsText(notification: Notification, options: SmsTextOptions = {}): string {
  const alerts = notification.alerts;
  const text =
    alerts.length === 1
      ? lineOf(alerts[0]!, options)
      : `${countsOf(alerts)}: ${alerts.map((alert) => `${WORD[alert.kind]} ${label(alert)}`).join('; ')}`;
  return clip(text.replace(/\s+/g, ' ').trim(), MAX_SMS);
}

const WORD = {
  DOWN: 'DOWN',
  REMINDER: 'still DOWN',
  ESCALATION: 'UNACKED DOWN',
  RESTORED: 'UP',
  DEGRADED: 'DEGRADED',
  QUALITY_RESTORED: 'quality OK',
  FLAPPING: 'FLAPPING',
  FLAPPING_STOPPED: 'stopped flapping',
  POWER_CYCLE: 'power-cycling for',
  NEEDS_PERSON: 'PERSON NEEDED for',
  LINK_BACK: 'link back',
} as const satisfies Record<Alert['kind'], string>;

function lineOf(alert: Alert, options: SmsTextOptions): string {
  const since = timeOfDay(alert.downSince, options.timeZone);
  const base = `${WORD[alert.kind]} ${label(alert)}`;
  switch (alert.kind) {
    case 'DOWN':
    case 'REMINDER':
    case 'ESCALATION':
      return `${base} since ${since}`;
    case 'RESTORED':
      return `${base} after ${minutes(alert.durationMs)}`;
    default:
      return base;
  }
}

function label(alert: Alert): string {
  return shortLabel(alert.recovery?.triggers[0] ?? alert.target);
}

function countsOf(alerts: readonly Alert[]): string {
  const counts = new Map<string, number>();
  for (const alert of alerts) counts.set(alert.kind, (counts.get(alert.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

/** `14:03` in the zone. */
function timeOfDay(date: Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(timeZone !== undefined && { timeZone }),
  }).format(date);
}

/** `12m`, `3h 5m`: short enough for a text message. */
function minutes(ms: number): string {
  const total = Math.max(0, Math.round(ms / 60_000));
  if (total < 60) return `${total}m`;
  return `${Math.floor(total / 60)}h ${total % 60}m`;
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
