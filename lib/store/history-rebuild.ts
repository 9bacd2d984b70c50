import type { Log } from '../shared/log.js';
import type { HostState, HostStatus } from '../monitor/host-state.js';
import { listHistoryFiles, monthOf, type HistoryFile } from './history-files.js';
import { readHistory } from './history-reader.js';
import type { HistoryRecord, RecordedState, SnapshotRecord } from './history-record.js';

/** What the history says about the monitor itself when it last ran. */
export interface LastSession {
  /** True when the last session never recorded a clean stop (crash, or cron runs that continue). */
  readonly open: boolean;
  /** The newest record's time: the last moment the monitor is known to have run. */
  readonly lastMarkAt: Date | null;
  /** The month (`YYYY-MM`) of the newest snapshot, so the recorder knows when the next one is due. */
  readonly snapshotMonth: string | null;
}

/** Host states rebuilt from the history, and the last session's marks. */
export interface RebuiltHistory {
  readonly states: ReadonlyMap<string, HostState>;
  readonly session: LastSession;
}

/**
 * Rebuilds every host's state from the history in `dir`.
 *
 * Speed: the monitor writes a snapshot of all states into each monthly file, so only the files from the
 * newest one holding a snapshot onwards are read (normally just the current month), however many years
 * of history lie before it. Without any snapshot, everything is replayed.
 */
export async function rebuildFromHistory(dir: string, log: Log): Promise<RebuiltHistory> {
  const files = await listHistoryFiles(dir);
  let first = files.length - 1;
  while (first > 0 && !(await holdsSnapshot(files[first]!))) first--;
  const fold = new StateFold();
  await readHistory(files.slice(Math.max(first, 0)), log, (record, time) => fold.apply(record, time));
  return fold.result();
}

const quiet: Log = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

async function holdsSnapshot(file: HistoryFile): Promise<boolean> {
  // Quietly: the fold reads this file again and reports damaged lines once.
  let found = false;
  await readHistory([file], quiet, (record) => {
    if (record.kind === 'snapshot') found = true;
  });
  return found;
}

interface MutableState {
  status: HostStatus;
  since: Date | null;
  lastAlertAt: Date | null;
  lastRttMs: number | null;
}

/** Replays records into host states (the same rules the monitor's state machine followed). */
class StateFold {
  private readonly states = new Map<string, MutableState>();
  private open = false;
  private lastMark = -Infinity;
  private snapshotMonth: string | null = null;

  apply(record: HistoryRecord, time: number): void {
    this.lastMark = Math.max(this.lastMark, time);
    switch (record.kind) {
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
        const status = coreStatus(record.state);
        this.states.set(record.host, {
          status,
          since: status === 'UNKNOWN' ? null : new Date(time),
          lastAlertAt: null,
          lastRttMs: status === 'UP' ? record.rtt_ms : (previous?.lastRttMs ?? null),
        });
        break;
      }
      case 'alert': {
        const state = this.states.get(record.host);
        if (state && record.alert !== 'RESTORED') state.lastAlertAt = new Date(time);
        break;
      }
      case 'removed':
        this.states.delete(record.host);
        break;
      default:
        break;
    }
  }

  result(): RebuiltHistory {
    const states = new Map<string, HostState>();
    for (const [host, state] of this.states) states.set(host, { ...state });
    return {
      states,
      session: {
        open: this.open,
        lastMarkAt: Number.isFinite(this.lastMark) ? new Date(this.lastMark) : null,
        snapshotMonth: this.snapshotMonth,
      },
    };
  }

  private loadSnapshot(record: SnapshotRecord): void {
    this.states.clear();
    for (const [host, saved] of Object.entries(record.hosts)) {
      this.states.set(host, {
        status: coreStatus(saved.state),
        since: toDate(saved.since),
        lastAlertAt: toDate(saved.last_alert_at),
        lastRttMs: saved.rtt_ms,
      });
    }
  }
}

/** The core state machine knows UP/DOWN/UNKNOWN; later states map onto the nearest of them. */
function coreStatus(state: RecordedState): HostStatus {
  if (state === 'DOWN' || state === 'UNREACHABLE') return 'DOWN';
  if (state === 'UP' || state === 'DEGRADED') return 'UP';
  return 'UNKNOWN';
}

function toDate(value: string | null): Date | null {
  if (value === null) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time);
}
