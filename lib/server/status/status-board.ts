import type { HostState, HostStatus } from '../../monitor/host-state.js';
import type { CycleReport, MonitorObserver } from '../../monitor/monitor-loop.js';
import {
  availabilityRecord,
  availabilityText,
  type Availability,
  type AvailabilityRecord,
} from './availability-book.js';

/** How many cycles the heartbeat bar of each host shows. */
export const BAR_CYCLES = 90;

/** How bad a status is: the page sorts worst first. */
export const STATUS_RANK = {
  DOWN: 0,
  UNREACHABLE: 1,
  FLAPPING: 2,
  DEGRADED: 3,
  UNKNOWN: 4,
  MAINTENANCE: 5,
  UP: 6,
} as const satisfies Record<HostStatus, number>;

/** What the page knows of one target after the last cycle. Plain data: the JSON API sends it as is. */
export interface TargetStatus {
  readonly host: string;
  readonly description: string;
  readonly location: string;
  readonly kind: 'host' | 'sensor';
  readonly status: HostStatus;
  /** ISO time the status began; null while UNKNOWN. */
  readonly since: string | null;
  readonly rtt_ms: number | null;
  readonly loss_percent: number | null;
  /** Percent available over 24 h, 7 d and 30 d; null when the history is not kept. */
  readonly availability: AvailabilityRecord | null;
  /** The statuses of the last {@link BAR_CYCLES} cycles, oldest first. */
  readonly bar: readonly HostStatus[];
  /**
   * The word the page shows when it says more than the status: `SNOOZED` (MAINTENANCE by a snooze rather
   * than a window), `DOWN, ACKED` (an acknowledged outage). Absent: the status itself.
   */
  readonly word?: string;
}

/** The word of {@link TargetStatus.word} for a state, or undefined when the status says it all. */
export function statusWord(state: HostState | undefined): string | undefined {
  if (state?.status === 'MAINTENANCE' && state.suppression?.kind === 'snooze') return 'SNOOZED';
  if (state?.status === 'DOWN' && state.ack !== undefined) return 'DOWN, ACKED';
  return undefined;
}

/** One point of the latency/loss chart: a cycle (or a column of the quality series). */
export interface ChartPoint {
  /** Milliseconds since the epoch. */
  readonly at: number;
  /** The RTT (median of the column for the quality series); null when nothing answered. */
  readonly rttMs: number | null;
  /** Shortest and longest RTT of the point's replies, when known. */
  readonly minMs?: number | null;
  readonly maxMs?: number | null;
  readonly lossPercent: number | null;
}

/** One server-sent event: what changed in one cycle. */
export interface StatusEvent {
  readonly id: number;
  readonly at: string;
  readonly changed: readonly TargetStatus[];
  readonly removed: readonly string[];
  readonly counts: Readonly<Record<HostStatus, number>>;
}

/** Receives every cycle's event. */
export type StatusListener = (event: StatusEvent) => void;

/** How many events the board keeps at most so that a reconnecting client (Last-Event-ID) can catch up. */
const KEPT_EVENTS = 64;

/**
 * The live picture of every target for the status page, the JSON API, SSE and badges: a monitor observer
 * that keeps the last state, RTT, loss and a bar of the last cycles per target, numbers its cycles and
 * tells listeners what changed. Memory is bounded: {@link BAR_CYCLES} statuses per target, and at most
 * {@link KEPT_EVENTS} events holding no more rows in all than the board has targets (see
 * {@link StatusBoard.keepEvent}).
 */
export class StatusBoard implements MonitorObserver {
  readonly name = 'status-board';
  private readonly targets = new Map<string, TargetStatus>();
  /** RTT and loss of the last {@link BAR_CYCLES} cycles per target: the chart when no series store is wired. */
  private readonly points = new Map<string, ChartPoint[]>();
  private readonly events: StatusEvent[] = [];
  /** Changed and removed rows over {@link events}. */
  private keptRows = 0;
  private readonly listeners = new Set<StatusListener>();
  private sequence = 0;
  private generatedAt: Date | null = null;

  /**
   * @param availabilityOf a target id's 24 h / 7 d / 30 d availability after the cycle (an
   *   {@link AvailabilityBook} that observes the cycle before the board); absent: none shown.
   */
  constructor(private readonly availabilityOf?: (id: string) => Availability | undefined) {}

  cycleFinished(report: CycleReport): void {
    const changed: TargetStatus[] = [];
    const results = new Map(report.results.map((result) => [result.host, result]));
    const wanted = new Set<string>();
    for (const target of report.config.targets) {
      wanted.add(target.id);
      const state = report.states.get(target.id);
      const status: HostStatus = state?.status ?? 'UNKNOWN';
      const before = this.targets.get(target.id);
      const quality = results.get(target.id)?.quality;
      const loss =
        quality && quality.sent > 0
          ? Math.round((1000 * (quality.sent - quality.received)) / quality.sent) / 10
          : null;
      const bar = [...(before?.bar ?? []), status].slice(-BAR_CYCLES);
      const next: TargetStatus = {
        host: target.label.host,
        description: target.label.description,
        location: target.label.location,
        kind: target.check.kind === 'heartbeat' ? 'sensor' : 'host',
        status,
        since: state?.since?.toISOString() ?? null,
        rtt_ms: quality?.avgMs ?? state?.lastRttMs ?? null,
        loss_percent: loss,
        availability: this.availabilityOf
          ? availabilityRecord(this.availabilityOf(target.id) ?? [null, null, null])
          : null,
        bar,
        ...(statusWord(state) !== undefined && { word: statusWord(state) }),
      };
      this.targets.set(target.id, next);
      // A host in maintenance is judged by its own answer: its status says nothing about the link.
      const answered =
        status === 'MAINTENANCE'
          ? results.get(target.id)?.alive === true
          : status === 'UP' || status === 'DEGRADED' || status === 'FLAPPING';
      const point: ChartPoint = {
        at: report.at.getTime(),
        rttMs: answered ? next.rtt_ms : null,
        minMs: answered ? (quality?.minMs ?? null) : null,
        maxMs: answered ? (quality?.maxMs ?? null) : null,
        lossPercent: loss ?? (results.has(target.id) && !answered ? 100 : null),
      };
      this.points.set(target.id, [...(this.points.get(target.id) ?? []), point].slice(-BAR_CYCLES));
      if (!before || !sameStatus(before, next)) changed.push(next);
    }
    const removed: string[] = [];
    for (const id of this.targets.keys())
      if (!wanted.has(id)) {
        this.targets.delete(id);
        this.points.delete(id);
        removed.push(id);
      }
    this.generatedAt = report.at;
    const event: StatusEvent = {
      id: ++this.sequence,
      at: report.at.toISOString(),
      changed,
      removed,
      counts: this.counts(),
    };
    this.keepEvent(event);
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Keeps `event` for catch-ups, dropping the oldest while more than {@link KEPT_EVENTS} are kept or their
   * rows outnumber the board's targets. Replaying more rows than a snapshot holds costs a reconnecting client
   * more than the snapshot it then gets instead, and each kept row holds its own bar: without the row budget,
   * 10,000 hosts whose RTT changes every cycle kept 64 × 10,000 rows (hundreds of MB). The newest event is
   * always kept, so a client one cycle behind still catches up.
   */
  private keepEvent(event: StatusEvent): void {
    const rowsOf = (kept: StatusEvent) => kept.changed.length + kept.removed.length;
    this.events.push(event);
    this.keptRows += rowsOf(event);
    while (
      this.events.length > KEPT_EVENTS ||
      (this.events.length > 1 && this.keptRows > Math.max(this.targets.size, 1))
    )
      this.keptRows -= rowsOf(this.events.shift()!);
  }

  /** Every target, worst first, then by location and host. */
  list(): TargetStatus[] {
    return [...this.targets.values()].sort(
      (a, b) =>
        STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
        a.location.localeCompare(b.location) ||
        a.host.localeCompare(b.host),
    );
  }

  /** One target by the host (or sensor name) as the user wrote it. */
  get(host: string): TargetStatus | undefined {
    for (const status of this.targets.values()) if (status.host === host) return status;
    return undefined;
  }

  /** The per-cycle RTT and loss kept for `host` (as the user wrote it), oldest first. */
  recentPoints(host: string): readonly ChartPoint[] {
    for (const [id, status] of this.targets) if (status.host === host) return this.points.get(id) ?? [];
    return [];
  }

  /** Targets per status. */
  counts(): Record<HostStatus, number> {
    const counts: Record<HostStatus, number> = {
      UNKNOWN: 0,
      UP: 0,
      DEGRADED: 0,
      DOWN: 0,
      UNREACHABLE: 0,
      FLAPPING: 0,
      MAINTENANCE: 0,
    } satisfies Record<HostStatus, number>;
    for (const status of this.targets.values()) counts[status.status]++;
    return counts;
  }

  /** When the last cycle started; null before the first. */
  lastCycleAt(): Date | null {
    return this.generatedAt;
  }

  /** The number of the last event (0 before the first cycle). */
  lastEventId(): number {
    return this.sequence;
  }

  /** The events after `id`, or null when they are no longer kept (the client needs a snapshot). */
  eventsSince(id: number): StatusEvent[] | null {
    if (id >= this.sequence) return [];
    const first = this.events[0];
    if (!first || first.id > id + 1) return null;
    return this.events.filter((event) => event.id > id);
  }

  /** Calls `listener` after every cycle until the returned function is called. */
  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many listeners are subscribed (SSE clients). */
  listenerCount(): number {
    return this.listeners.size;
  }
}

function sameStatus(a: TargetStatus, b: TargetStatus): boolean {
  return (
    a.status === b.status &&
    a.word === b.word &&
    a.since === b.since &&
    a.rtt_ms === b.rtt_ms &&
    a.loss_percent === b.loss_percent &&
    // What the row shows: a change in the second decimal sends the row to open pages, finer ones do not.
    (a.availability === null || b.availability === null
      ? a.availability === b.availability
      : availabilityText(a.availability) === availabilityText(b.availability)) &&
    a.description === b.description &&
    a.location === b.location
  );
}
