import type { Log } from '../../shared/log.js';
import { errorMessage } from '../../shared/errors.js';
import type { HostStatus } from '../../monitor/host-state.js';
import type { CycleReport, MonitorObserver } from '../../monitor/monitor-loop.js';

const DAY_MS = 86_400_000;

/** The windows the overview rows show: 24 h, 7 d and 30 d. */
export const AVAILABILITY_WINDOWS = [
  { name: '24h', ms: DAY_MS },
  { name: '7d', ms: 7 * DAY_MS },
  { name: '30d', ms: 30 * DAY_MS },
] as const;

/** The longest window: spans older than it are dropped. */
const KEPT_MS = 30 * DAY_MS;

/** Availability in percent for each of {@link AVAILABILITY_WINDOWS}; null when nothing is known in it. */
export type Availability = readonly [number | null, number | null, number | null];

/** Availability as the status JSON and the rows carry it: percent per window, null when not known. */
export type AvailabilityRecord = Readonly<
  Record<(typeof AVAILABILITY_WINDOWS)[number]['name'], number | null>
>;

/** The JSON form of {@link Availability}, rounded to 3 decimals. */
export function availabilityRecord(values: Availability): AvailabilityRecord {
  const round = (v: number | null) => (v === null ? null : Math.round(v * 1000) / 1000);
  return { '24h': round(values[0]), '7d': round(values[1]), '30d': round(values[2]) };
}

/** "100%", "99.95%": two decimals, none when whole; "–" when not known. */
export function percentText(value: number | null): string {
  if (value === null) return '–';
  const text = value.toFixed(2);
  // 99.999 would round up to "100.00": say 99.99 so a host that was down is never shown as 100 %.
  if (text === '100.00') return value < 100 ? '99.99%' : '100%';
  return `${text}%`;
}

/** "24h 100% 7d 99.95% 30d 99.99%": what a row shows. */
export function availabilityText(availability: AvailabilityRecord): string {
  return AVAILABILITY_WINDOWS.map((w) => `${w.name} ${percentText(availability[w.name])}`).join(' ');
}

/** Time a host was up or down; time in no span is not known (the monitor was not running, or UNKNOWN). */
export interface AvailabilitySpan {
  readonly start: number;
  readonly end: number;
  readonly kind: 'up' | 'down';
}

/**
 * How each status counts, the same as the report counts it: UNREACHABLE is down time (the host did not
 * answer, whatever the reason), DEGRADED answered, FLAPPING is neither.
 */
const KIND = {
  UNKNOWN: null,
  UP: 'up',
  DEGRADED: 'up',
  DOWN: 'down',
  UNREACHABLE: 'down',
  FLAPPING: null,
  // Maintenance windows and snoozes are left out of availability, as in the report.
  MAINTENANCE: null,
} as const satisfies Record<HostStatus, AvailabilitySpan['kind'] | null>;

/** Reads every host's up and down spans between two times from the history, keyed by target id. */
export type AvailabilitySeed = (
  since: Date,
  until: Date,
) => Promise<ReadonlyMap<string, readonly AvailabilitySpan[]>>;

/**
 * Availability over 24 h, 7 d and 30 d for every target, for the overview rows of the status page. Reading
 * 30 days of history for 1,000 hosts on every page view would cost seconds, so the history is read once (at
 * the first cycle, through `seed`, up to that cycle) and every later cycle adds its own time: from the
 * previous cycle to this one, split where a status changed. The three numbers per host are computed at most
 * once per cycle, when a page first asks for them. Memory: the spans of the last 30 days per host (one per
 * status change).
 */
export class AvailabilityBook implements MonitorObserver {
  readonly name = 'availability';
  private readonly spans = new Map<string, AvailabilitySpan[]>();
  private readonly statuses = new Map<string, HostStatus>();
  /** Target id by the host as the user wrote it (what the page asks with). */
  private readonly ids = new Map<string, string>();
  private previousAt: number | null = null;
  /** The first cycle this process saw: the seed covers the time before it. */
  private ownFrom: number | null = null;
  private cache: Map<string, Availability> | null = null;
  private seeding: Promise<void> | null = null;

  constructor(
    private readonly seed?: AvailabilitySeed,
    private readonly log?: Log,
  ) {}

  cycleFinished(report: CycleReport): void {
    const at = report.at.getTime();
    if (this.ownFrom === null) {
      this.ownFrom = at;
      if (this.seed) this.seeding = this.loadSeed(at);
    }
    const previous = this.previousAt;
    // A long gap (a stalled loop, the clock jumping forward) or the clock going back: that time is not
    // known, rather than counted as whatever the status was before it.
    const intervalMs = report.config.settings.intervalSeconds * 1000;
    const accrue = previous !== null && at > previous && at - previous <= Math.max(3 * intervalMs, 600_000);
    this.ids.clear();
    for (const target of report.config.targets) {
      this.ids.set(target.label.host, target.id);
      const state = report.states.get(target.id);
      const status: HostStatus = state?.status ?? 'UNKNOWN';
      const before = this.statuses.get(target.id);
      if (accrue && before !== undefined) {
        let boundary = previous;
        // The change happened at `since` (for DOWN: the first failed attempt, possibly cycles ago).
        const since = state?.since?.getTime();
        if (status !== before && since !== undefined) boundary = Math.min(at, Math.max(since, this.ownFrom));
        if (boundary > previous) this.paint(target.id, previous, boundary, KIND[before]);
        this.paint(target.id, boundary, at, KIND[status]);
      }
      this.statuses.set(target.id, status);
    }
    for (const { id } of report.removed) {
      this.statuses.delete(id);
      this.spans.delete(id);
    }
    this.trim(at - KEPT_MS);
    this.previousAt = at;
    this.cache = null;
  }

  /** Resolves once the history has been read (or could not be); for tests and the bench. */
  async ready(): Promise<void> {
    await this.seeding;
  }

  /** 24 h / 7 d / 30 d availability of `host` (as the user wrote it), as of the last cycle. */
  forHost(host: string): Availability | undefined {
    const id = this.ids.get(host);
    return id === undefined ? undefined : this.forId(id);
  }

  /** 24 h / 7 d / 30 d availability of a target id, as of the last cycle (computed once per cycle). */
  forId(id: string): Availability | undefined {
    if (this.previousAt === null) return undefined;
    this.cache ??= this.computeAll(this.previousAt);
    return this.cache.get(id);
  }

  /** The spans kept for a target id (oldest first); for tests. */
  spansOf(id: string): readonly AvailabilitySpan[] {
    return this.spans.get(id) ?? [];
  }

  private async loadSeed(until: number): Promise<void> {
    try {
      const seeded = await this.seed!(new Date(until - KEPT_MS), new Date(until));
      for (const [id, history] of seeded) {
        // Only what came before this process's first cycle: from then on the cycles count themselves.
        const before = history
          .filter((span) => span.start < until)
          .map((span) => (span.end > until ? { ...span, end: until } : span));
        this.spans.set(id, [...before, ...(this.spans.get(id) ?? [])]);
      }
      if (this.previousAt !== null) this.trim(this.previousAt - KEPT_MS);
      this.cache = null;
    } catch (error) {
      this.log?.warn('status page: could not read the history for availability', {
        error: errorMessage(error),
      });
    }
  }

  /** Marks `[from, to)` of a target as `kind` (null: not known), replacing whatever was there. */
  private paint(id: string, from: number, to: number, kind: AvailabilitySpan['kind'] | null): void {
    if (to <= from) return;
    const list = this.spans.get(id) ?? [];
    while (list.length > 0 && list[list.length - 1]!.start >= from) list.pop();
    const last = list[list.length - 1];
    if (last && last.end > from) list[list.length - 1] = { ...last, end: from };
    if (kind !== null) {
      const tail = list[list.length - 1];
      if (tail && tail.kind === kind && tail.end === from) list[list.length - 1] = { ...tail, end: to };
      else list.push({ start: from, end: to, kind });
    }
    if (list.length > 0) this.spans.set(id, list);
    else this.spans.delete(id);
  }

  private trim(cutoff: number): void {
    for (const [id, list] of this.spans) {
      let drop = 0;
      while (drop < list.length && list[drop]!.end <= cutoff) drop++;
      if (drop === list.length) this.spans.delete(id);
      else if (drop > 0) list.splice(0, drop);
    }
  }

  private computeAll(now: number): Map<string, Availability> {
    const all = new Map<string, Availability>();
    for (const id of this.statuses.keys()) {
      const list = this.spans.get(id) ?? [];
      const values = AVAILABILITY_WINDOWS.map(({ ms }) => {
        const since = now - ms;
        let up = 0;
        let down = 0;
        for (let i = list.length - 1; i >= 0; i--) {
          const span = list[i]!;
          if (span.end <= since) break;
          const length = Math.min(span.end, now) - Math.max(span.start, since);
          if (length <= 0) continue;
          if (span.kind === 'up') up += length;
          else down += length;
        }
        return up + down > 0 ? (100 * up) / (up + down) : null;
      });
      all.set(id, values as unknown as Availability);
    }
    return all;
  }
}
