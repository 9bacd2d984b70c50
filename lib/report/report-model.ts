import type { FaultLayer, TraceSnapshot } from '../shared/fault-evidence.js';
import type { QualityPoint, QualitySummary } from './quality-summary.js';

/**
 * How a stretch of a host's monitored time is classed. Unknown: the monitor was not running. Degraded:
 * answering with loss or RTT over the thresholds (counts as available). Flapping: answering and not by
 * turns (counts neither way, like unknown and maintenance).
 */
export type SegmentKind = 'up' | 'degraded' | 'down' | 'flapping' | 'unknown' | 'maintenance';

/** One stretch of a host's timeline, in milliseconds since the epoch, end exclusive. */
export interface Segment {
  readonly start: number;
  readonly end: number;
  readonly kind: SegmentKind;
}

/** One outage: from the DOWN record to the UP record (or removal), or still ongoing. */
export interface Outage {
  readonly host: string;
  readonly start: Date;
  /** null while the outage is ongoing. */
  readonly end: Date | null;
  /** How it ended: the host answered again, or it was removed from hosts.csv; null while ongoing. */
  readonly endedBy: 'up' | 'removed' | 'maintenance' | 'flapping' | null;
  /** End (or now, while ongoing) minus start. */
  readonly durationMs: number;
  /** The real start lies within this long before `start`: the time since the host's previous probe. */
  readonly startUncertaintyMs: number;
  /** The same for `end`; null while ongoing. */
  readonly endUncertaintyMs: number | null;
  /** Power-cycle actions recorded for this host while the outage was open. */
  readonly powerCycles: number;
  /** Where the break was (issue 17); null when not known (older records, or no rule applied). */
  readonly faultLayer: FaultLayer | null;
  /** Why that layer, in one line ("all 3 internet anchors down, gateway 192.168.1.1 up, last hop 100.64.0.1"). */
  readonly faultReason: string | null;
  /** Path snapshots taken when the outage began and when it ended, oldest first; empty when none. */
  readonly traces: readonly TraceSnapshot[];
  /** `pingwarden ack` of this outage (reminders stopped): when, and its note; null when not acknowledged. */
  readonly ack: { readonly at: Date; readonly note: string | null } | null;
}

/** Everything the report says about one host within the report window. */
export interface HostReport {
  readonly host: string;
  /** From hosts.csv when the report could read it; empty otherwise. */
  readonly description: string;
  readonly location: string;
  /**
   * Time the host was listed in hosts.csv within the window: up + degraded + down + flapping + unknown +
   * maintenance.
   */
  readonly monitoredMs: number;
  /** UP time only (DEGRADED time is {@link HostReport.degradedMs}). */
  readonly upMs: number;
  /** Answering, but with pooled loss or RTT over the thresholds: counts as available. */
  readonly degradedMs: number;
  /** DOWN and UNREACHABLE time. */
  readonly downMs: number;
  /** Answering and not by turns: counts neither way in availability, like unknown. */
  readonly flappingMs: number;
  readonly unknownMs: number;
  /** Time in a maintenance window or snoozed: counts neither way in availability. */
  readonly maintenanceMs: number;
  /**
   * (up + degraded) / (up + degraded + down), in percent; null when nothing is known. Flapping, unknown and
   * maintenance count neither way.
   */
  readonly availabilityPercent: number | null;
  /** Outages that overlap the window, oldest first. */
  readonly outages: readonly Outage[];
  readonly longestOutageMs: number | null;
  /** Mean duration of the outages that ended with the host answering again; null when none did. */
  readonly meanTimeToRecoverMs: number | null;
  /** The host's timeline within the window, for pictures. */
  readonly segments: readonly Segment[];
  /** Loss and RTT from the quality series; null when it holds nothing for the host in the window. */
  readonly quality: QualitySummary | null;
  /** The quality graph's columns (HTML only; empty otherwise). */
  readonly qualityPoints: readonly QualityPoint[];
}

/** A whole report: its window and one entry per host. */
export interface Report {
  readonly generatedAt: Date;
  readonly since: Date;
  readonly until: Date;
  readonly hosts: readonly HostReport[];
}
