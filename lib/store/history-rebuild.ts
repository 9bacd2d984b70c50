import type { Log } from '../shared/log.js';
import {
  isHostStatus,
  type HostAck,
  type HostState,
  type HostStatus,
  type PendingChange,
} from '../monitor/host-state.js';
import { listHistoryFiles, monthOf, type HistoryFile } from './history-files.js';
import { readHistory } from './history-reader.js';
import type { HistoryRecord, SnapshotRecord } from './history-record.js';

/** What the history says about the monitor itself when it last ran. */
export interface LastSession {
  /** True when the last session never recorded a clean stop (crash, or cron runs that continue). */
  readonly open: boolean;
  /** The newest record's time: the last moment the monitor is known to have run. */
  readonly lastMarkAt: Date | null;
  /** The month (`YYYY-MM`) of the newest snapshot, so the recorder knows when the next one is due. */
  readonly snapshotMonth: string | null;
}

/** One recorded power-cycle attempt, as the power-cycle memory is rebuilt from it. */
export interface RecordedCycle {
  readonly at: number;
  readonly attempt: number;
  readonly result: string;
  readonly error?: string;
}

/** What the history says about power cycles (see `actionMemoryFrom`). */
export interface ActionHistory {
  /** Hosts recorded UP at least once in the history read. */
  readonly seenUp: ReadonlySet<string>;
  /** Per host: when it last became UP. */
  readonly lastUpAt: ReadonlyMap<string, number>;
  /** Per plug key (lower case): its power-cycle attempts, oldest first. */
  readonly cycles: ReadonlyMap<string, readonly RecordedCycle[]>;
  /** Per plug key: when "a person is needed" was last sent. */
  readonly gaveUpAt: ReadonlyMap<string, number>;
}

/** Host states rebuilt from the history, and the last session's marks. */
export interface RebuiltHistory {
  readonly states: ReadonlyMap<string, HostState>;
  readonly session: LastSession;
  readonly actions: ActionHistory;
}

/**
 * Rebuilds every host's state from the history in `dir`.
 *
 * Speed: the monitor writes a snapshot of all states into each monthly file, so only the files from the
 * newest one holding a snapshot onwards are read (normally just the current month), however many years
 * of history lie before it. Without any snapshot, everything is replayed.
 *
 * @param now records dated after it are counted in one warning and otherwise ignored
 */
export async function rebuildFromHistory(
  dir: string,
  log: Log,
  now: Date = new Date(8.64e15),
): Promise<RebuiltHistory> {
  const files = await listHistoryFiles(dir);
  const limit = now.getTime();
  // A month file from the future (the clock was ahead once) must not take over resume: start from the
  // newest snapshot at or before now. Later files are still read, only to count what they hold.
  let first = files.length - 1;
  while (first > 0 && files[first]!.month > monthOf(now)) first--;
  while (first > 0 && !(await holdsSnapshot(files[first]!, limit))) first--;
  const fold = new StateFold();
  let future = 0;
  // The power-cycle counters of an outage that began last month: its cycles and its triggers' last UP are
  // in the month file before the snapshot, which states otherwise never need.
  if (first > 0) {
    await readHistory([files[first - 1]!], quiet, (record, time) => {
      if (time <= limit) fold.applyActionsOnly(record, time);
    });
  }
  await readHistory(files.slice(Math.max(first, 0)), log, (record, time) => {
    // Records dated after now never decide state or alerts: a clock that jumped ahead and back wrote them.
    if (time > limit) future++;
    else fold.apply(record, time);
  });
  if (future > 0) log.warn(`history: ${future} records dated after now; the clock may have jumped`);
  return fold.result();
}

const quiet: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

async function holdsSnapshot(file: HistoryFile, limit: number): Promise<boolean> {
  // Quietly: the fold reads this file again and reports damaged lines once.
  let found = false;
  await readHistory([file], quiet, (record, time) => {
    if (record.kind === 'snapshot' && time <= limit) found = true;
  });
  return found;
}

interface MutableState {
  status: HostStatus;
  since: Date | null;
  lastAlertAt: Date | null;
  lastRttMs: number | null;
  ack?: HostAck;
  escalatedAt?: Date;
  pending?: PendingChange;
}

/** Replays records into host states (the same rules the monitor's state machine followed). */
class StateFold {
  private readonly states = new Map<string, MutableState>();
  private open = false;
  private lastMark = -Infinity;
  private snapshotMonth: string | null = null;
  private readonly seenUp = new Set<string>();
  private readonly lastUpAt = new Map<string, number>();
  private readonly cycles = new Map<string, RecordedCycle[]>();
  private readonly gaveUpAt = new Map<string, number>();
  /**
   * Hosts whose latest state record is DOWN with no alert record after it: the DOWN was held (the outbox
   * could not store it) when the monitor died, so nobody was told. Resume sends it then.
   */
  private readonly unalerted = new Set<string>();
  /**
   * Hosts whose announced outage ended in the latest state record (DOWN to UP or DEGRADED) with no alert
   * record after it: the RESTORED was held when the monitor died. Resume keeps the outage open, so the
   * first cycle that finds the host answering sends the RESTORED (with the outage's own start).
   */
  private readonly unrestored = new Map<string, MutableState>();

  /** Only what the power-cycle memory needs: cycles, give-ups, and when triggers were UP. */
  applyActionsOnly(record: HistoryRecord, time: number): void {
    if (record.kind === 'action') this.applyAction(record, time);
    else if (record.kind === 'state' && resumedStatus(record.state) === 'UP') {
      this.seenUp.add(record.host);
      this.lastUpAt.set(record.host, time);
    }
  }

  apply(record: HistoryRecord, time: number): void {
    this.lastMark = Math.max(this.lastMark, time);
    switch (record.kind) {
      case 'action':
        this.applyAction(record, time);
        break;
      case 'start':
        this.open = true;
        break;
      case 'stop':
        this.open = false;
        break;
      case 'snapshot':
        this.loadSnapshot(record);
        this.snapshotMonth = monthOf(new Date(time));
        break;
      case 'state': {
        const previous = this.states.get(record.host);
        const status = resumedStatus(record.state);
        if (status === 'UP') {
          this.seenUp.add(record.host);
          this.lastUpAt.set(record.host, time);
        }
        this.unrestored.delete(record.host);
        if (
          previous?.status === 'DOWN' &&
          (status === 'UP' || status === 'DEGRADED') &&
          !this.unalerted.has(record.host)
        ) {
          this.unrestored.set(record.host, { ...previous });
        }
        if (status === 'DOWN') this.unalerted.add(record.host);
        else this.unalerted.delete(record.host);
        this.states.set(record.host, {
          status,
          since: RESUME[status].since ? new Date(time) : null,
          lastAlertAt: null,
          lastRttMs: status === 'UP' || status === 'DEGRADED' ? record.rtt_ms : (previous?.lastRttMs ?? null),
        });
        break;
      }
      case 'alert': {
        // Any host alert after the DOWN state (DOWN, FLAPPING_STOPPED settled as DOWN...) was queued.
        this.unalerted.delete(record.host);
        this.unrestored.delete(record.host);
        const state = this.states.get(record.host);
        if (
          state &&
          (record.alert === 'DOWN' || record.alert === 'REMINDER') &&
          RESUME[state.status].lastAlert
        ) {
          state.lastAlertAt = new Date(time);
        }
        // The outage was escalated: a restart must not escalate it again.
        if (state?.status === 'DOWN' && record.alert === 'ESCALATION') state.escalatedAt = new Date(time);
        break;
      }
      case 'removed':
        this.unalerted.delete(record.host);
        this.unrestored.delete(record.host);
        this.states.delete(record.host);
        break;
      case 'maintenance': {
        // The failures seen inside a window: the DOWN after it is dated from the first of them.
        const state = this.states.get(record.host);
        if (state?.status !== 'MAINTENANCE') break;
        const since = typeof record.failing_since === 'string' ? Date.parse(record.failing_since) : NaN;
        if (Number.isNaN(since)) delete state.pending;
        else state.pending = { toward: 'DOWN', cycles: 1, since: new Date(since) };
        break;
      }
      case 'ack': {
        // The outage it acknowledged is still open: its reminders stay off after a restart.
        const state = this.states.get(record.host);
        if (state?.status === 'DOWN' && state.since !== null && state.since.getTime() <= time) {
          state.ack = { at: new Date(time), note: typeof record.note === 'string' ? record.note : null };
          // Someone acknowledged it, so someone knows: no DOWN to derive again after a restart.
          this.unalerted.delete(record.host);
        }
        break;
      }
      default:
        break;
    }
  }

  private applyAction(record: Extract<HistoryRecord, { kind: 'action' }>, time: number): void {
    const plug = typeof record.plug === 'string' ? record.plug.toLowerCase() : null;
    if (plug === null) return;
    if (record.action === 'power-cycle' && typeof record.attempt === 'number') {
      const list = this.cycles.get(plug) ?? [];
      list.push({
        at: time,
        attempt: record.attempt,
        result: String(record.result),
        ...(typeof record.error === 'string' && { error: record.error }),
      });
      this.cycles.set(plug, list);
    } else if (record.action === 'gave-up') {
      this.gaveUpAt.set(plug, time);
    }
  }

  result(): RebuiltHistory {
    const states = new Map<string, HostState>();
    for (const [host, state] of this.states) {
      const outage = this.unrestored.get(host);
      if (outage) states.set(host, { ...outage });
      else states.set(host, this.unalerted.has(host) ? unalertedDown(state) : { ...state });
    }
    return {
      states,
      session: {
        open: this.open,
        lastMarkAt: Number.isFinite(this.lastMark) ? new Date(this.lastMark) : null,
        snapshotMonth: this.snapshotMonth,
      },
      actions: {
        seenUp: this.seenUp,
        lastUpAt: this.lastUpAt,
        cycles: this.cycles,
        gaveUpAt: this.gaveUpAt,
      },
    };
  }

  private loadSnapshot(record: SnapshotRecord): void {
    // A snapshot is written from the monitor's memory, which counts a held DOWN as alerted; one that was
    // unalerted before the snapshot (same outage) stays so.
    const before = new Map(
      [...this.unalerted].map((host) => [host, this.states.get(host)?.since?.getTime()]),
    );
    this.unalerted.clear();
    this.unrestored.clear();
    this.states.clear();
    for (const [host, saved] of Object.entries(record.hosts)) {
      const status = resumedStatus(saved.state);
      if (status === 'UP') {
        this.seenUp.add(host);
        const since = toDate(saved.since)?.getTime();
        if (since !== undefined)
          this.lastUpAt.set(host, Math.max(since, this.lastUpAt.get(host) ?? -Infinity));
      }
      this.states.set(host, {
        status,
        since: RESUME[status].since ? toDate(saved.since) : null,
        lastAlertAt: RESUME[status].lastAlert ? toDate(saved.last_alert_at) : null,
        lastRttMs: saved.rtt_ms,
        ...escalatedOf(status, saved.escalated_at),
      });
      if (status === 'DOWN' && before.has(host) && before.get(host) === toDate(saved.since)?.getTime()) {
        this.unalerted.add(host);
      }
    }
  }
}

/**
 * A DOWN nobody was told about (its alert was held in memory and never stored when the monitor died):
 * resumed as a failure already confirmed, so the first cycle that still finds the host down sends the DOWN,
 * dated from the original start. A host that answers by then is simply UP: no RESTORED for an outage that
 * was never announced.
 */
function unalertedDown(state: MutableState): HostState {
  return {
    status: 'UNKNOWN',
    since: null,
    lastAlertAt: null,
    lastRttMs: state.lastRttMs,
    ...(state.since !== null && {
      pending: { toward: 'DOWN', cycles: Number.MAX_SAFE_INTEGER - 1, since: state.since },
    }),
  };
}

/**
 * What a resumed state keeps of its record, per status: every status resumes as it was recorded (an
 * UNREACHABLE child stays UNREACHABLE behind its parent, with its outage start and no alert, so a restart
 * neither reminds nor restores an outage nobody was told about); only DOWN has an alert time, which paces its
 * reminders.
 */
const RESUME = {
  UNKNOWN: { since: false, lastAlert: false },
  UP: { since: true, lastAlert: false },
  // Its quality window is not in the history: the loop rebuilds it from the quality series (monitor/
  // quality-resume.ts), so the first cycle judges over the real window, with no second DEGRADED message.
  DEGRADED: { since: true, lastAlert: false },
  // Its flap history too comes from the quality series; without one (no series, a route check) it stays
  // FLAPPING until 20 new results say otherwise.
  FLAPPING: { since: true, lastAlert: false },
  DOWN: { since: true, lastAlert: true },
  UNREACHABLE: { since: true, lastAlert: false },
  // Its window or snooze is judged again at the first cycle: still open, it stays MAINTENANCE from the
  // recorded start; over, the host is judged afresh (and told DOWN if it still does not answer).
  MAINTENANCE: { since: true, lastAlert: false },
} as const satisfies Record<HostStatus, { readonly since: boolean; readonly lastAlert: boolean }>;

/** A recorded status as the monitor resumes it; a status this version does not know resumes as UNKNOWN. */
function resumedStatus(state: unknown): HostStatus {
  return isHostStatus(state) ? state : 'UNKNOWN';
}

/** A snapshot's escalation time, kept for a DOWN host only. */
function escalatedOf(status: HostStatus, value: string | undefined): { escalatedAt?: Date } {
  const at = status === 'DOWN' && typeof value === 'string' ? toDate(value) : null;
  return at === null ? {} : { escalatedAt: at };
}

function toDate(value: string | null): Date | null {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}
