import type { HostAlertKind } from '../monitor/alert.js';
import type { HostStatus } from '../monitor/host-state.js';
import type { FaultLayer, TraceJson } from '../shared/fault-evidence.js';

/**
 * The records of the outage history: one JSON object per line in `logs/history/history-YYYY-MM.jsonl`.
 *
 * Every record has `v` (format version, now 1), `kind` and `at` (ISO 8601 UTC). Readers skip kinds they do
 * not know, so later features (DEGRADED states, flap marks, traceroute snapshots) can add kinds and fields
 * without breaking older readers or rewriting old files.
 */
export const HISTORY_FORMAT_VERSION = 1;

/**
 * A host state as recorded: exactly the monitor's {@link HostStatus}, so a status added to `HOST_STATUSES` is
 * recorded as it is. A reader still checks the text with `isHostStatus` (a file written by a newer version may
 * name a status this one does not know; no version ever wrote one outside `HOST_STATUSES`).
 */
export type RecordedState = HostStatus;

/** A host changed state. `at` is when the new state began (for DOWN: the first failed attempt). */
export interface StateRecord {
  readonly v: 1;
  readonly kind: 'state';
  readonly at: string;
  readonly host: string;
  readonly state: RecordedState;
  readonly from: RecordedState;
  readonly attempts: number;
  readonly rtt_ms: number | null;
  /** The probe interval in effect: an event is only known to within it. */
  readonly interval_s: number;
  /** Why no reply could be waited for (name did not resolve...), when known. */
  readonly reason?: string;
  /**
   * A DOWN that begins an outage: the fault layer (`LAN`, `gateway`, `modem-WAN`, `ISP`, `remote`); absent
   * when no rule applied (then `cause_reason` says why) or in records written before issue 17.
   */
  readonly cause?: FaultLayer;
  /** The one-line reason for `cause` ("ISP outage: all 3 internet anchors down, ..."). */
  readonly cause_reason?: string;
  /** The path snapshot taken as the outage began (DOWN) or ended (UP), when one was taken. */
  readonly trace?: TraceJson;
}

/** The monitor began a session: a daemon start, or a cron run after a gap. */
export interface StartRecord {
  readonly v: 1;
  readonly kind: 'start';
  readonly at: string;
  readonly mode: 'daemon' | 'once';
  readonly interval_s: number;
  /** The longest the monitor lets pass between two records while it runs (see `history_alive_seconds`). */
  readonly alive_s: number;
  readonly hosts: number;
  readonly pid: number;
}

/** The monitor stopped cleanly. */
export interface StopRecord {
  readonly v: 1;
  readonly kind: 'stop';
  readonly at: string;
}

/** The monitor was still running at `at`: without it, time after the last record would be unknown. */
export interface AliveRecord {
  readonly v: 1;
  readonly kind: 'alive';
  readonly at: string;
}

/** A host left hosts.csv: it is no longer monitored (an open outage ends here, without a recovery). */
export interface RemovedRecord {
  readonly v: 1;
  readonly kind: 'removed';
  readonly at: string;
  readonly host: string;
}

/** An alert was emitted for a host; DOWN and REMINDER times pace reminders after a restart. */
export interface AlertRecord {
  readonly v: 1;
  readonly kind: 'alert';
  readonly at: string;
  readonly host: string;
  readonly alert: HostAlertKind;
}

/**
 * `pingwarden ack`: the host's outage open at `at` was acknowledged; its reminders stop, its RESTORED still
 * goes out. `since` is when that outage began.
 */
export interface AckRecord {
  readonly v: 1;
  readonly kind: 'ack';
  readonly at: string;
  readonly host: string;
  readonly since: string;
  readonly note: string | null;
}

/**
 * A host in MAINTENANCE stopped answering (`failing_since`: its first failed attempt) or answers again
 * (null). Written only when that changes, so that a restart or the next cron run still dates the DOWN
 * after the window from the real start.
 */
export interface MaintenanceRecord {
  readonly v: 1;
  readonly kind: 'maintenance';
  readonly at: string;
  readonly host: string;
  readonly failing_since: string | null;
}

/** Something the monitor did about an outage, such as power-cycling a modem's smart plug. */
export interface ActionRecord {
  readonly v: 1;
  readonly kind: 'action';
  readonly at: string;
  /** What was done: `power-cycle`, later perhaps `lamp-on`. */
  readonly action: string;
  /** The plug's name (kasa.csv / hosts.csv `cycle:`), when the action concerns a plug. */
  readonly plug?: string;
  /** The hosts whose outage the action answers; each such outage counts it as a power cycle. */
  readonly hosts: readonly string[];
  /** Which try this was (1-based) and how many are allowed. */
  readonly attempt?: number;
  readonly max?: number;
  /** `ok`, `failed`, `skipped`... and a message when it failed. */
  readonly result: string;
  readonly error?: string;
}

/** One host's state in a {@link SnapshotRecord}. */
export interface SnapshotHost {
  readonly state: RecordedState;
  readonly since: string | null;
  readonly last_alert_at: string | null;
  readonly rtt_ms: number | null;
  /** DOWN: when the outage was escalated (`escalate_after_seconds`); absent when it was not. */
  readonly escalated_at?: string;
}

/**
 * Every host's state at `at`, written in the monitor's first batch of each monthly file. Restart resume
 * starts from the newest snapshot instead of replaying the whole history, and a report over recent months
 * can start from the first file it needs.
 */
export interface SnapshotRecord {
  readonly v: 1;
  readonly kind: 'snapshot';
  readonly at: string;
  readonly hosts: Readonly<Record<string, SnapshotHost>>;
}

/** Every record kind this version writes and understands. */
export type HistoryRecord =
  | StateRecord
  | StartRecord
  | StopRecord
  | AliveRecord
  | RemovedRecord
  | AlertRecord
  | ActionRecord
  | AckRecord
  | MaintenanceRecord
  | SnapshotRecord;

/** A record before its version is stamped on: what callers of `HistoryWriter.append` pass. */
export type NewHistoryRecord = HistoryRecord extends unknown ? DistributiveOmitV<HistoryRecord> : never;

type DistributiveOmitV<R> = R extends unknown ? Omit<R, 'v'> : never;

const KINDS: ReadonlySet<string> = new Set([
  'state',
  'start',
  'stop',
  'alive',
  'removed',
  'alert',
  'action',
  'ack',
  'maintenance',
  'snapshot',
]);

/** What one history line holds. */
export type ParsedLine =
  | { readonly type: 'record'; readonly record: HistoryRecord; readonly time: number }
  /** Valid, but of a kind or version this reader does not know: skipped quietly. */
  | { readonly type: 'foreign' }
  /** Not a record at all (a torn write, or damage): skipped with a warning. */
  | { readonly type: 'invalid' };

/** Serialises one record as one line (with its newline). */
export function formatRecord(record: NewHistoryRecord): string {
  return `${JSON.stringify({ v: HISTORY_FORMAT_VERSION, ...record })}\n`;
}

/**
 * Reads one line: the envelope (`v`, `kind`, a valid `at`) and the type of every field the readers use, so
 * a damaged or hand-edited line (a snapshot entry `null`, a state that is a number) is skipped with a
 * warning instead of crashing a command or the daemon's first cycle.
 */
export function parseRecordLine(line: string): ParsedLine {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { type: 'invalid' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { type: 'invalid' };
  const fields = data as Record<string, unknown>;
  if (typeof fields.v !== 'number' || typeof fields.kind !== 'string' || typeof fields.at !== 'string') {
    return { type: 'invalid' };
  }
  if (fields.v !== HISTORY_FORMAT_VERSION || !KINDS.has(fields.kind)) return { type: 'foreign' };
  const time = Date.parse(fields.at);
  if (Number.isNaN(time)) return { type: 'invalid' };
  if (!FIELDS_OK[fields.kind as HistoryRecord['kind']](fields)) return { type: 'invalid' };
  return { type: 'record', record: data as HistoryRecord, time };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isTextOrNull = (value: unknown) => value === null || value === undefined || typeof value === 'string';
const isNumberOrNull = (value: unknown) => value === null || value === undefined || typeof value === 'number';

function snapshotHostOk(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.state === 'string' &&
    isTextOrNull(value.since) &&
    isTextOrNull(value.last_alert_at) &&
    isNumberOrNull(value.rtt_ms)
  );
}

/** Per kind, whether the fields the readers rely on have their types. */
const FIELDS_OK = {
  state: (f) =>
    typeof f.host === 'string' &&
    typeof f.state === 'string' &&
    isTextOrNull(f.from) &&
    isNumberOrNull(f.rtt_ms),
  start: () => true,
  stop: () => true,
  alive: () => true,
  removed: (f) => typeof f.host === 'string',
  alert: (f) => typeof f.host === 'string' && typeof f.alert === 'string',
  ack: (f) => typeof f.host === 'string' && isTextOrNull(f.note),
  maintenance: (f) => typeof f.host === 'string' && isTextOrNull(f.failing_since),
  action: (f) => Array.isArray(f.hosts) && f.hosts.every((host) => typeof host === 'string'),
  snapshot: (f) => isObject(f.hosts) && Object.values(f.hosts).every(snapshotHostOk),
} as const satisfies Record<HistoryRecord['kind'], (fields: Record<string, unknown>) => boolean>;
