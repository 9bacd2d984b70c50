import type { Log } from '../../shared/log.js';
import { DROP_REASONS, type DropReason } from './heartbeat-verifier.js';

/** Heartbeat datagrams dropped so far, by reason, plus those accepted. Monotonic, for metrics. */
export interface HeartbeatCounters {
  accepted: number;
  dropped: Record<DropReason, number>;
}

/** Counters at zero. */
export function emptyCounters(): HeartbeatCounters {
  return {
    accepted: 0,
    dropped: Object.fromEntries(DROP_REASONS.map((reason) => [reason, 0])) as Record<DropReason, number>,
  };
}

/**
 * Logs dropped heartbeats without letting a flood fill the disk: the first drop is logged at once, later
 * ones are counted and summarised in one line at most every `everyMs` (and once more by {@link flush}).
 */
export class DropLog {
  private pending = new Map<DropReason, number>();
  private pendingTotal = 0;
  private lastLoggedAt: number | null = null;
  private last: { reason: DropReason; source: string; sensor: string | undefined } | null = null;

  constructor(
    private readonly log: Log,
    private readonly everyMs = 60_000,
  ) {}

  /** Counts one drop and logs a summary if the last one is at least `everyMs` old. */
  note(reason: DropReason, source: string, sensor: string | undefined, now: Date): void {
    this.pending.set(reason, (this.pending.get(reason) ?? 0) + 1);
    this.pendingTotal += 1;
    this.last = { reason, source, sensor };
    if (this.lastLoggedAt === null || now.getTime() - this.lastLoggedAt >= this.everyMs) this.flush(now);
  }

  /** Logs the drops counted since the last line once that line is `everyMs` old (called every cycle). */
  flushIfDue(now: Date): void {
    if (this.lastLoggedAt !== null && now.getTime() - this.lastLoggedAt >= this.everyMs) this.flush(now);
  }

  /** Logs what was counted since the last line, if anything. */
  flush(now: Date): void {
    if (this.pendingTotal === 0 || this.last === null) return;
    const counts = Object.fromEntries(DROP_REASONS.map((reason) => [reason, this.pending.get(reason)]));
    this.log.warn('heartbeats dropped', {
      total: this.pendingTotal,
      ...counts,
      last_reason: this.last.reason,
      last_source: this.last.source,
      last_sensor: this.last.sensor,
      // Says that more lines were held back, so a reader knows the log is summarising.
      next_summary_s: Math.round(this.everyMs / 1000),
    });
    this.pending = new Map();
    this.pendingTotal = 0;
    this.lastLoggedAt = now.getTime();
  }
}
