import type { HostLabel } from '../config/target.js';
import type { FaultLabel, TraceSnapshot } from '../shared/fault-evidence.js';
import type { PooledSummary } from './quality-window.js';

export type { HostLabel };

/**
 * The kinds of message a host's state change calls for. DEGRADED: answering with too much loss or latency
 * (or a prober warning such as a certificate close to expiry); QUALITY_RESTORED: back under both thresholds
 * (`downSince` is then when DEGRADED began). FLAPPING: started flapping (no DOWN/RESTORED per change while it
 * lasts); FLAPPING_STOPPED: stopped, now {@link Alert.settledAs} (`downSince` is then when the flapping began).
 * ESCALATION: still DOWN and not acknowledged `escalate_after_seconds` after the outage began; told once per
 * outage, to `escalate_to` only.
 */
export const HOST_ALERT_KINDS = [
  'DOWN',
  'REMINDER',
  'ESCALATION',
  'RESTORED',
  'DEGRADED',
  'QUALITY_RESTORED',
  'FLAPPING',
  'FLAPPING_STOPPED',
] as const;

/**
 * The kinds of message self-healing calls for (issue 17): a power cycle starts (`cycle_announce`), the last
 * allowed power cycle did not bring the link back and a person is needed, and the link is back after that.
 */
export const RECOVERY_ALERT_KINDS = ['POWER_CYCLE', 'NEEDS_PERSON', 'LINK_BACK'] as const;

/** Every kind of message, in the order digests count them. */
export const ALERT_KINDS = [...HOST_ALERT_KINDS, ...RECOVERY_ALERT_KINDS] as const;

/** What kind of message an event calls for. */
export type AlertKind = (typeof ALERT_KINDS)[number];

/** A message about a host's state. */
export type HostAlertKind = (typeof HOST_ALERT_KINDS)[number];

/** A message about automatic recovery (power cycles). */
export type RecoveryAlertKind = (typeof RECOVERY_ALERT_KINDS)[number];

/** Loss and latency pooled over the quality window, quoted by RESTORED, DEGRADED and QUALITY_RESTORED. */
export type AlertQuality = PooledSummary;

/** Whether an alert is about a host's state (recorded as an `alert` in the history) or about recovery. */
export const IS_HOST_ALERT = {
  DOWN: true,
  REMINDER: true,
  ESCALATION: true,
  RESTORED: true,
  DEGRADED: true,
  QUALITY_RESTORED: true,
  FLAPPING: true,
  FLAPPING_STOPPED: true,
  POWER_CYCLE: false,
  NEEDS_PERSON: false,
  LINK_BACK: false,
} as const satisfies Record<AlertKind, boolean>;

/** What a recovery alert is about: one plug's power cycles in the current outage of its trigger hosts. */
export interface RecoveryInfo {
  /** The plug's name as written in hosts.csv (`cycle:Modem`). */
  readonly plug: string;
  /** Power cycles started in this outage (POWER_CYCLE: the one starting now). */
  readonly cycles: number;
  /** `cycle_max_per_outage`. */
  readonly max: number;
  /** The trigger hosts whose outage the power cycles answer. */
  readonly triggers: readonly HostLabel[];
  /** `start --dry-run`: the plug was never really switched. */
  readonly dryRun: boolean;
  /** The plug did not answer in this outage: what it said last. */
  readonly plugError?: string;
}

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
  /** DOWN: where the break most likely is (README, "Fault layer"); absent when it was not judged. */
  readonly fault?: FaultLabel;
  /** DOWN, RESTORED: the path snapshot taken as the outage began or ended; absent when none was taken. */
  readonly trace?: TraceSnapshot;
  /** POWER_CYCLE, NEEDS_PERSON, LINK_BACK: the plug and its cycles. `target` is the first trigger host. */
  readonly recovery?: RecoveryInfo;
}

/** Whether an alert tells of something wrong (red) rather than of something over (green). */
export function isBadNews(alert: Alert): boolean {
  switch (alert.kind) {
    case 'DOWN':
    case 'REMINDER':
    case 'ESCALATION':
    case 'DEGRADED':
    case 'FLAPPING':
    case 'POWER_CYCLE':
    case 'NEEDS_PERSON':
      return true;
    case 'RESTORED':
    case 'QUALITY_RESTORED':
    case 'LINK_BACK':
      return false;
    case 'FLAPPING_STOPPED':
      return alert.settledAs === 'DOWN';
  }
}

/**
 * Whether an alert must reach people at any hour: route quiet hours (routes.csv `quiet=`) hold back only the
 * others. A host down or back, flapping, a person needed, an escalation are urgent; a reminder of what they
 * know, a quality change and the start of a power cycle are not.
 */
export const IS_URGENT = {
  DOWN: true,
  REMINDER: false,
  ESCALATION: true,
  RESTORED: true,
  DEGRADED: false,
  QUALITY_RESTORED: false,
  FLAPPING: true,
  FLAPPING_STOPPED: true,
  POWER_CYCLE: false,
  NEEDS_PERSON: true,
  LINK_BACK: true,
} as const satisfies Record<AlertKind, boolean>;

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
