import { isHostStatus, type HostStatus } from '../monitor/host-state.js';
import type { HistoryRecord, StateRecord } from '../store/history-record.js';
import {
  isFaultLayer,
  traceFromJson,
  type FaultLayer,
  type TraceSnapshot,
} from '../shared/fault-evidence.js';

/** What a host was doing from `from` until the next span: a state, or `GONE` (not in hosts.csv). */
export interface HostSpan {
  readonly state: 'UP' | 'DEGRADED' | 'DOWN' | 'FLAPPING' | 'UNKNOWN' | 'MAINTENANCE' | 'GONE';
  readonly from: number;
}

/** A stretch of time the monitor is known to have been running, in ms since the epoch. */
export interface Session {
  readonly start: number;
  readonly end: number;
}

/** An outage as the fold sees it, before the report window is applied. */
export interface RawOutage {
  readonly start: number;
  end: number | null;
  endedBy: 'up' | 'removed' | 'maintenance' | 'flapping' | null;
  readonly startUncertaintyMs: number;
  endUncertaintyMs: number | null;
  powerCycles: number;
  /** `pingwarden ack` of this outage: when, and its note. */
  ack: { readonly at: number; readonly note: string | null } | null;
  /** The fault layer its DOWN record gave (issue 17); null when none did. */
  faultLayer: FaultLayer | null;
  faultReason: string | null;
  /** Path snapshots of its DOWN and UP records, oldest first. */
  readonly traces: TraceSnapshot[];
}

/** Everything the fold learnt about one host. */
export interface HostTrack {
  readonly host: string;
  readonly spans: HostSpan[];
  readonly outages: RawOutage[];
}

/** The fold's result: the monitor's sessions and every host's track. */
export interface HistoryTimeline {
  readonly sessions: readonly Session[];
  readonly hosts: ReadonlyMap<string, HostTrack>;
}

const DEFAULT_INTERVAL_MS = 300_000;

interface OpenSession {
  start: number;
  lastMark: number;
  intervalMs: number;
  aliveMs: number;
}

/**
 * Folds history records, oldest first, into sessions (when the monitor ran), per-host state spans and
 * outages. Pure and incremental: feed it records as they stream from disk, then call {@link finish}.
 *
 * Rules:
 * - A session runs from START to STOP. Without a STOP (a crash) it ends at its last record. The last
 *   session still counts up to `now` when its last record is recent (within two alive periods), as the
 *   monitor is then evidently still running.
 * - Records without a preceding START (a report that starts mid-history) open a session at their time.
 * - An event is known to within the time since the host's previous probe: one probe interval normally,
 *   or the whole gap when it is the first probe after the monitor was not running.
 */
export class HistoryTimelineFold {
  private readonly sessions: Session[] = [];
  private current: OpenSession | null = null;
  private previousEnd: number | null = null;
  private intervalMs = DEFAULT_INTERVAL_MS;
  private readonly hosts = new Map<string, HostTrack & { open: RawOutage | null }>();

  apply(record: HistoryRecord, time: number): void {
    if (record.kind === 'start') {
      this.closeSession(this.current?.lastMark ?? time);
      this.intervalMs = record.interval_s * 1000;
      this.current = {
        start: time,
        lastMark: time,
        intervalMs: this.intervalMs,
        aliveMs: Math.max(record.alive_s, record.interval_s) * 1000,
      };
      return;
    }
    if (record.kind === 'stop') {
      if (this.current) this.current.lastMark = Math.max(this.current.lastMark, time);
      this.closeSession(time);
      return;
    }
    this.current ??= { start: time, lastMark: time, intervalMs: this.intervalMs, aliveMs: this.intervalMs };
    this.current.lastMark = Math.max(this.current.lastMark, time);

    switch (record.kind) {
      case 'state':
        this.intervalMs = record.interval_s * 1000;
        this.changeState(record.host, spanState(record.state), time);
        this.addEvidence(record, time);
        break;
      case 'removed': {
        const track = this.track(record.host);
        track.spans.push({ state: 'GONE', from: time });
        if (track.open) {
          Object.assign(track.open, { end: time, endedBy: 'removed', endUncertaintyMs: 0 });
          track.open = null;
        }
        break;
      }
      case 'ack': {
        const open = this.hosts.get(record.host)?.open;
        if (open && open.ack === null) open.ack = { at: time, note: record.note ?? null };
        break;
      }
      case 'action':
        if (record.action !== 'power-cycle') break;
        // An attempt is recorded when it ends, often after the restore it brought about, so it is matched
        // to its outage by the time it started (`at`), not to whatever outage is open when it is read.
        for (const host of record.hosts) {
          const outage = this.hosts
            .get(host)
            ?.outages.findLast((o) => o.start <= time && (o.end ?? time) >= time);
          if (outage) outage.powerCycles++;
        }
        break;
      case 'snapshot':
        // Only seeds hosts this read has not met yet (a report that starts at a later monthly file).
        for (const [host, saved] of Object.entries(record.hosts)) {
          if (this.hosts.has(host)) continue;
          const track = this.track(host);
          const state = spanState(saved.state);
          track.spans.push({ state, from: time });
          if (state === 'DOWN') {
            const since = saved.since === null ? time : Date.parse(saved.since);
            track.open = this.newOutage(Number.isNaN(since) ? time : since, this.intervalMs);
            track.outages.push(track.open);
          }
        }
        break;
      default:
        break;
    }
  }

  /** Ends the fold at `now`; the fold must not be used afterwards. */
  finish(now: number): HistoryTimeline {
    if (this.current) {
      const { lastMark, aliveMs } = this.current;
      this.closeSession(now - lastMark <= 2 * aliveMs ? Math.max(now, lastMark) : lastMark);
    }
    return { sessions: this.sessions, hosts: this.hosts };
  }

  private changeState(host: string, state: HostSpan['state'], time: number): void {
    const track = this.track(host);
    track.spans.push({ state, from: time });
    if (state === 'DOWN' && !track.open) {
      track.open = this.newOutage(time, this.uncertaintyAt(time));
      track.outages.push(track.open);
    } else if (state !== 'DOWN' && track.open) {
      // A window or snooze that begins during an outage ends it: the time after is maintenance, not down.
      // Flapping ends it too (the host answers part of the time), but it is no recovery: see the report's MTTR.
      const endedBy = state === 'MAINTENANCE' ? 'maintenance' : state === 'FLAPPING' ? 'flapping' : 'up';
      Object.assign(track.open, { end: time, endedBy, endUncertaintyMs: this.uncertaintyAt(time) });
      track.open = null;
    }
  }

  private newOutage(start: number, uncertaintyMs: number): RawOutage {
    return {
      start,
      end: null,
      endedBy: null,
      startUncertaintyMs: uncertaintyMs,
      endUncertaintyMs: null,
      powerCycles: 0,
      ack: null,
      faultLayer: null,
      faultReason: null,
      traces: [],
    };
  }

  /**
   * A state record's fault layer and snapshot (issue 17) go to the outage it opened or is part of; an UP
   * record's `restored` snapshot to the outage it closed. A field of the wrong type is left out: the
   * line's other fields still count.
   */
  private addEvidence(record: StateRecord, time: number): void {
    const track = this.hosts.get(record.host);
    if (!track) return;
    const outage = track.open ?? track.outages.findLast((o) => o.end === time);
    if (!outage) return;
    if (isFaultLayer(record.cause) && outage.faultLayer === null) outage.faultLayer = record.cause;
    if (typeof record.cause_reason === 'string' && outage.faultReason === null) {
      outage.faultReason = record.cause_reason;
    }
    const trace = record.trace === undefined ? null : traceFromJson(record.trace);
    if (trace !== null) outage.traces.push(trace);
  }

  /** How long before `time` the host was last probed: across a gap, everything since the last session. */
  private uncertaintyAt(time: number): number {
    const session = this.current;
    const interval = session?.intervalMs ?? this.intervalMs;
    if (session && this.previousEnd !== null && time - session.start < interval) {
      return Math.max(interval, time - this.previousEnd);
    }
    return interval;
  }

  private closeSession(end: number): void {
    if (!this.current) return;
    this.sessions.push({ start: this.current.start, end: Math.max(end, this.current.start) });
    this.previousEnd = end;
    this.current = null;
  }

  private track(host: string): HostTrack & { open: RawOutage | null } {
    let track = this.hosts.get(host);
    if (!track) {
      track = { host, spans: [], outages: [], open: null };
      this.hosts.set(host, track);
    }
    return track;
  }
}

/**
 * How each status shows in the report: UNREACHABLE counts as down time (the host did not answer, whatever the
 * reason). A status this version does not know (a newer writer's) is UNKNOWN. DEGRADED and FLAPPING are
 * their own kinds of time; how they count in availability is the report's rule (host-summary.ts).
 */
const SPAN_STATE = {
  UNKNOWN: 'UNKNOWN',
  UP: 'UP',
  DEGRADED: 'DEGRADED',
  DOWN: 'DOWN',
  UNREACHABLE: 'DOWN',
  FLAPPING: 'FLAPPING',
  // Shown apart and left out of availability (maintenance.csv, `pingwarden snooze`).
  MAINTENANCE: 'MAINTENANCE',
} as const satisfies Record<HostStatus, HostSpan['state']>;

function spanState(state: unknown): HostSpan['state'] {
  return isHostStatus(state) ? SPAN_STATE[state] : 'UNKNOWN';
}
