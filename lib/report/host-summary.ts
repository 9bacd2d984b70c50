import type { HostSpan, HostTrack, Session } from './history-timeline.js';
import type { HostReport, Outage, Segment, SegmentKind } from './report-model.js';

/** What hosts.csv says about a host, for people reading the report. */
export interface HostLabelText {
  readonly description: string;
  readonly location: string;
}

/** The report window, in ms since the epoch, and the time the report is made at. */
export interface ReportWindow {
  readonly since: number;
  readonly until: number;
  readonly now: number;
}

/** The part of the time line each span state fills (GONE spans are skipped before this is read). */
const SEGMENT_KIND = {
  UP: 'up',
  DEGRADED: 'degraded',
  DOWN: 'down',
  FLAPPING: 'flapping',
  UNKNOWN: 'unknown',
  MAINTENANCE: 'maintenance',
  GONE: 'unknown',
} as const satisfies Record<HostSpan['state'], SegmentKind>;

/**
 * Sums one host's time within the window: each state span, cut to the window, is split into the parts
 * inside a monitor session (up, down, or unknown when the host had no result yet) and outside (unknown).
 * Time before the host's first record or while it was not in hosts.csv is not monitored at all.
 */
export function summariseHost(
  track: HostTrack,
  sessions: readonly Session[],
  window: ReportWindow,
  label: HostLabelText = { description: '', location: '' },
): HostReport {
  const segments: Segment[] = [];
  const add = (start: number, end: number, kind: SegmentKind) => {
    if (end <= start) return;
    const last = segments[segments.length - 1];
    if (last && last.kind === kind && last.end === start) segments[segments.length - 1] = { ...last, end };
    else segments.push({ start, end, kind });
  };

  const spans = track.spans;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i]!;
    if (span.state === 'GONE') continue;
    const start = Math.max(span.from, window.since);
    const end = Math.min(spans[i + 1]?.from ?? Infinity, window.until);
    if (end <= start) continue;
    const known = SEGMENT_KIND[span.state];
    let cursor = start;
    for (let s = firstSessionEndingAfter(sessions, start); s < sessions.length; s++) {
      const session = sessions[s]!;
      if (session.start >= end) break;
      const from = Math.max(session.start, cursor);
      const to = Math.min(session.end, end);
      add(cursor, from, 'unknown');
      add(from, to, known);
      cursor = Math.max(cursor, to);
    }
    add(cursor, end, 'unknown');
  }

  const time = { up: 0, degraded: 0, down: 0, flapping: 0, unknown: 0, maintenance: 0 } satisfies Record<
    SegmentKind,
    number
  >;
  for (const segment of segments) time[segment.kind] += segment.end - segment.start;
  // The availability rule (README, "Statuses"): a DEGRADED host answered, so it was available; FLAPPING
  // time has answers and silences mixed with no record of which when, so it counts neither way.
  const availableMs = time.up + time.degraded;

  const outages: Outage[] = track.outages
    .filter((o) => o.start < window.until && (o.end ?? window.now) > window.since)
    .map((o) => ({
      host: track.host,
      start: new Date(o.start),
      end: o.end === null ? null : new Date(o.end),
      endedBy: o.endedBy,
      durationMs: Math.max(0, (o.end ?? window.now) - o.start),
      startUncertaintyMs: o.startUncertaintyMs,
      endUncertaintyMs: o.endUncertaintyMs,
      powerCycles: o.powerCycles,
      faultLayer: o.faultLayer,
      faultReason: o.faultReason,
      traces: o.traces,
      ack: o.ack === null ? null : { at: new Date(o.ack.at), note: o.ack.note },
    }));
  // An outage that turned into flapping did not recover: it is left out of the mean time to recover.
  const recovered = outages.filter((o) => o.endedBy === 'up');
  return {
    host: track.host,
    description: label.description,
    location: label.location,
    monitoredMs: Object.values(time).reduce((sum, ms) => sum + ms, 0),
    upMs: time.up,
    degradedMs: time.degraded,
    downMs: time.down,
    flappingMs: time.flapping,
    unknownMs: time.unknown,
    maintenanceMs: time.maintenance,
    availabilityPercent: availableMs + time.down > 0 ? (availableMs / (availableMs + time.down)) * 100 : null,
    outages,
    longestOutageMs: outages.length > 0 ? Math.max(...outages.map((o) => o.durationMs)) : null,
    meanTimeToRecoverMs:
      recovered.length > 0 ? recovered.reduce((sum, o) => sum + o.durationMs, 0) / recovered.length : null,
    segments,
    quality: null,
    qualityPoints: [],
  };
}

/** Index of the first session that ends after `time` (sessions are in time order and do not overlap). */
function firstSessionEndingAfter(sessions: readonly Session[], time: number): number {
  let low = 0;
  let high = sessions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sessions[middle]!.end <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}
