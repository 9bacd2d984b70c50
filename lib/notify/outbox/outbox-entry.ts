import {
  ALERT_KINDS,
  type Alert,
  type AlertKind,
  type AlertQuality,
  type HostLabel,
} from '../../monitor/alert.js';
import { isFaultLayer, traceFromJson, type FaultLabel } from '../../shared/fault-evidence.js';
import type { Notification } from '../notification.js';

/** One message waiting in the outbox for one notifier. */
export interface OutboxEntry {
  /** The notifier it waits for, e.g. `email`. */
  readonly notifier: string;
  readonly notification: Notification;
  /** Failed delivery attempts so far. */
  readonly attempts: number;
  readonly lastAttemptAt: Date | null;
  /** Why the last attempt failed, for `pingwarden outbox` and the log. */
  readonly lastError: string | null;
}

/** The outbox file format version; a file with another one is left alone. */
const VERSION = 1;

/**
 * The JSON an entry is stored as (one file per message and notifier). Dates are ISO 8601 strings; alert
 * fields this version does not know are kept as they are, so a newer field survives a round trip.
 */
export function entryToJson(entry: OutboxEntry): string {
  return `${JSON.stringify({ version: VERSION, ...entry }, null, 1)}\n`;
}

/** Reads {@link entryToJson}'s output back; null when the text is not a valid entry. */
export function entryFromJson(text: string): OutboxEntry | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(data) || data.version !== VERSION || typeof data.notifier !== 'string') return null;
  const notification = isRecord(data.notification) ? readNotification(data.notification) : null;
  if (notification === null || typeof data.attempts !== 'number') return null;
  return {
    notifier: data.notifier,
    notification,
    attempts: data.attempts,
    lastAttemptAt: toDate(data.lastAttemptAt),
    lastError: typeof data.lastError === 'string' ? data.lastError : null,
  };
}

function readNotification(data: Record<string, unknown>): Notification | null {
  const composedAt = toDate(data.composedAt);
  if (typeof data.id !== 'string' || !/^[\w.-]+$/.test(data.id) || composedAt === null) return null;
  if (typeof data.overview !== 'string' || !Array.isArray(data.alerts) || data.alerts.length === 0)
    return null;
  const alerts: Alert[] = [];
  for (const raw of data.alerts as unknown[]) {
    const alert = isRecord(raw) ? readAlert(raw) : null;
    if (alert === null) return null;
    alerts.push(alert);
  }
  const recipients = data.recipients;
  if (
    recipients !== undefined &&
    !(Array.isArray(recipients) && recipients.every((r) => typeof r === 'string'))
  )
    return null;
  return {
    id: data.id,
    composedAt,
    overview: data.overview,
    alerts,
    ...(recipients !== undefined && { recipients: recipients as string[] }),
  };
}

const KINDS: readonly AlertKind[] = ALERT_KINDS;

function readAlert(raw: Record<string, unknown>): Alert | null {
  const at = toDate(raw.at);
  const downSince = toDate(raw.downSince);
  const target = readLabel(raw.target);
  if (!KINDS.includes(raw.kind as AlertKind) || at === null || downSince === null || target === null) {
    return null;
  }
  if (typeof raw.durationMs !== 'number' || typeof raw.attempts !== 'number') return null;
  const children = Array.isArray(raw.unreachableChildren) ? raw.unreachableChildren.map(readLabel) : [];
  if (children.some((child) => child === null)) return null;
  const { quality: rawQuality, trace: rawTrace, fault: rawFault, ...rest } = raw;
  const fault = readFault(rawFault);
  const quality = readQuality(rawQuality);
  // The snapshot's time went to JSON as text; a damaged snapshot is dropped, the alert still goes out.
  const trace = traceFromJson(rawTrace);
  return {
    ...rest,
    ...(quality !== null && { quality }),
    ...(trace !== null && { trace }),
    ...(fault !== null && { fault }),
    kind: raw.kind as AlertKind,
    target,
    at,
    downSince,
    durationMs: raw.durationMs,
    attempts: raw.attempts,
    lastRttMs: typeof raw.lastRttMs === 'number' ? raw.lastRttMs : null,
    ...(children.length > 0 && { unreachableChildren: children as HostLabel[] }),
  };
}

function readQuality(raw: unknown): AlertQuality | null {
  if (!isRecord(raw)) return null;
  const { packets, lossPercent, avgMs } = raw;
  if (typeof packets !== 'number' || typeof lossPercent !== 'number') return null;
  return { packets, lossPercent, avgMs: typeof avgMs === 'number' ? avgMs : null };
}

function readFault(raw: unknown): FaultLabel | null {
  if (!isRecord(raw) || typeof raw.reason !== 'string') return null;
  return { layer: isFaultLayer(raw.layer) ? raw.layer : null, reason: raw.reason };
}

function readLabel(raw: unknown): HostLabel | null {
  if (!isRecord(raw)) return null;
  const { host, description, location } = raw;
  if (typeof host !== 'string' || typeof description !== 'string' || typeof location !== 'string')
    return null;
  return { host, description, location };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
