import type { HostLabel } from '../config/target.js';
import type { PooledSummary } from './quality-window.js';

export type { HostLabel };

/** Every kind of alert, in the order digests count them. */
export const ALERT_KINDS = [
  'DOWN',
  'REMINDER',
  'RESTORED',
  'DEGRADED',
  'QUALITY_RESTORED',
  'FLAPPING',
  'FLAPPING_STOPPED',
] as const;

/**
 * What kind of message a state change calls for. DEGRADED: answering with too much loss or latency;
 * QUALITY_RESTORED: back under both thresholds (`downSince` is then when DEGRADED began). FLAPPING: started
 * flapping (no DOWN/RESTORED per change while it lasts); FLAPPING_STOPPED: stopped, now {@link Alert.settledAs}
 * (`downSince` is then when the flapping began).
 */
export type AlertKind = (typeof ALERT_KINDS)[number];

/** Loss and latency pooled over the quality window, quoted by RESTORED, DEGRADED and QUALITY_RESTORED. */
export type AlertQuality = PooledSummary;

/** One event worth telling people about, as plain data: notifiers turn it into an email, a log line, ... */
export interface Alert {
  readonly kind: AlertKind;
  readonly target: HostLabel;
  /** When the event was detected (end of the probe that showed it). */
  readonly at: Date;
  /** Start of the outage: the first failed attempt of the first failing cycle. */
  readonly downSince: Date;
  /** Outage length so far (DOWN, REMINDER) or in total (RESTORED), in milliseconds. */
  readonly durationMs: number;
  /** Echo requests sent in the probe that produced this event. */
  readonly attempts: number;
  /** Last round-trip time seen: before the outage for DOWN/REMINDER, the restoring reply for RESTORED. */
  readonly lastRttMs: number | null;
  /** Why the probe failed when it could tell (e.g. the name did not resolve). */
  readonly reason?: string;
  /**
   * More about the event, one sentence each: what pingwarden did (a power cycle of the modem plug), what a
   * sensor reported (a reboot).
   */
  readonly notes?: readonly string[];
  /**
   * DOWN and REMINDER: the hosts behind this one (`parent:`, at any depth) that are UNREACHABLE because of
   * it and get no alert of their own. Absent when there are none.
   */
  readonly unreachableChildren?: readonly HostLabel[];
  /** The pooled loss and RTT when the host answered (absent without packets to pool). */
  readonly quality?: AlertQuality;
  /** FLAPPING: the weighted share of state changes over the last 20 results, in percent. */
  readonly flapPercent?: number;
  /** FLAPPING_STOPPED: the status the host settled in. */
  readonly settledAs?: 'UP' | 'DEGRADED' | 'DOWN' | 'UNREACHABLE' | 'UNKNOWN';
}

/** Whether an alert tells of something wrong (red) rather than of something over (green). */
export function isBadNews(alert: Alert): boolean {
  switch (alert.kind) {
    case 'DOWN':
    case 'REMINDER':
    case 'DEGRADED':
    case 'FLAPPING':
      return true;
    case 'RESTORED':
    case 'QUALITY_RESTORED':
      return false;
    case 'FLAPPING_STOPPED':
      return alert.settledAs === 'DOWN';
  }
}

/** Every alert of one cycle, with the counts a digest opens with ("3 of 12 hosts down: ..."). */
export interface AlertBatch {
  /** When the cycle started. */
  readonly at: Date;
  /** In the order the cycle found them (parents before their children). */
  readonly alerts: readonly Alert[];
  /** Hosts monitored in the cycle. */
  readonly hosts: number;
  /** Hosts DOWN after the cycle, in hosts.csv order. */
  readonly down: readonly HostLabel[];
  /** Hosts UNREACHABLE behind a down parent after the cycle. */
  readonly unreachable: number;
}

/**
 * Where the loop hands each cycle's alerts: the durable outbox (notify/outbox). Declared here, beside the
 * alert, so the monitor does not depend on the notify room.
 */
export interface AlertSink {
  /** Short name for log lines, e.g. `outbox`. */
  readonly name: string;
  /**
   * Takes all alerts of a cycle at once (one digest). Resolves once they are committed (stored durably);
   * rejects when they could not be, which the loop logs.
   */
  sendBatch(batch: AlertBatch): Promise<void>;
}
