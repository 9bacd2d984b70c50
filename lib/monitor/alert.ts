/** What kind of message a state change calls for. */
export type AlertKind = 'DOWN' | 'REMINDER' | 'RESTORED';

/** The host as a person knows it: address plus the description and location from hosts.csv. */
export interface HostLabel {
  readonly host: string;
  readonly description: string;
  readonly location: string;
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
   * DOWN and REMINDER: the hosts behind this one (`parent:`, at any depth) that are UNREACHABLE because of
   * it and get no alert of their own. Absent when there are none.
   */
  readonly unreachableChildren?: readonly HostLabel[];
}

/**
 * Where the loop hands alerts. Declared here, beside the alert, so the monitor does not depend on the
 * notify room; every notifier (notify/notifier.ts) is one.
 */
export interface AlertSink {
  /** Short name for log lines, e.g. `email`. */
  readonly name: string;
  /** Rejects when delivery failed; the loop logs it and carries on. */
  send(alert: Alert): Promise<void>;
}
