import type { Clock } from '../shared/clock.js';
import type { Log } from '../shared/log.js';
import { IS_HOST_ALERT, type Alert, type HostAlertKind, type RecoveryAlertKind } from '../monitor/alert.js';
import type { HostState } from '../monitor/host-state.js';
import type { CycleReport, MonitorObserver, StateStore } from '../monitor/monitor-loop.js';
import { monthOf } from './history-files.js';
import type { Target } from '../config/target.js';
import { initialActionMemory, type ActionMemory, type ActionPolicy } from '../monitor/evaluate-actions.js';
import { actionMemoryFrom } from './action-memory-rebuild.js';
import { rebuildFromHistory, type ActionHistory, type LastSession } from './history-rebuild.js';
import type { NewHistoryRecord, SnapshotHost, StateRecord } from './history-record.js';
import type { OutageEvidence } from '../monitor/outage-evidence.js';
import { traceToJson } from '../shared/fault-evidence.js';
import type { HistoryWriter } from './history-writer.js';

/** How the recorder is run and what it writes with. */
export interface HistoryRecorderOptions {
  /** The history folder, `<logs>/history`. */
  readonly dir: string;
  readonly writer: HistoryWriter;
  readonly clock: Clock;
  readonly log: Log;
  /** `daemon`: START at the first cycle, STOP on a clean stop. `once`: one cron run of a longer session. */
  readonly mode: 'daemon' | 'once';
  readonly pid: number;
}

/**
 * Keeps the outage history: the monitor's state store (states are rebuilt from the history at start, so the
 * history is the one source of truth) and its observer (each cycle's state changes, alerts and removals,
 * plus START/ALIVE/STOP marks, go to disk in one batched write per cycle).
 *
 * Cron runs (`once`) continue the previous run's session when it ended at most two probe intervals ago;
 * otherwise they begin a new one, so the time cron did not run counts as unknown.
 */
export class HistoryRecorder implements StateStore, MonitorObserver {
  readonly name = 'history';
  private session: LastSession = { open: false, lastMarkAt: null, snapshotMonth: null };
  private started = false;
  private lastMarkAt = -Infinity;
  private actions: ActionHistory | null = null;
  /** Per host in MAINTENANCE, the failing start last recorded (ISO) or null while it answers. */
  private readonly failing = new Map<string, string | null>();

  constructor(private readonly options: HistoryRecorderOptions) {}

  async load(): Promise<ReadonlyMap<string, HostState>> {
    const rebuilt = await rebuildFromHistory(this.options.dir, this.options.log, this.options.clock.now());
    this.session = rebuilt.session;
    this.actions = rebuilt.actions;
    for (const [host, state] of rebuilt.states) {
      if (state.status === 'MAINTENANCE') this.failing.set(host, failingSince(state));
    }
    return rebuilt.states;
  }

  loadActionMemory(targets: readonly Target[], policy: ActionPolicy): ActionMemory {
    return this.actions ? actionMemoryFrom(this.actions, targets, policy) : initialActionMemory;
  }

  async cycleFinished(report: CycleReport): Promise<void> {
    const at = report.at.toISOString();
    const now = report.at.getTime();
    const { intervalSeconds, historyAliveSeconds } = report.config.settings;
    const records: NewHistoryRecord[] = [];
    if (!this.started) {
      const last = this.session.lastMarkAt?.getTime();
      const continues =
        this.options.mode === 'once' &&
        this.session.open &&
        last !== undefined &&
        now - last <= 2 * intervalSeconds * 1000;
      if (!continues) {
        records.push({
          kind: 'start',
          at,
          mode: this.options.mode,
          interval_s: intervalSeconds,
          alive_s: this.options.mode === 'once' ? intervalSeconds : historyAliveSeconds,
          hosts: report.config.targets.length,
          pid: this.options.pid,
        });
      }
    }
    const month = monthOf(report.at);
    if (month !== this.session.snapshotMonth) {
      records.push({ kind: 'snapshot', at, hosts: snapshotBefore(report) });
    }
    for (const change of report.changes) {
      const result = change.result;
      // Leaving maintenance still down: the alert quotes the real start, but the time before the window
      // ended was maintenance, so the history's DOWN (and the report's down time) starts at the end.
      const since = change.after.since ?? report.at;
      const left = change.before.status === 'MAINTENANCE' && since.getTime() < now;
      records.push({
        kind: 'state',
        at: (left ? report.at : since).toISOString(),
        host: change.target.id,
        state: change.after.status,
        from: change.before.status,
        attempts: result.attempts,
        rtt_ms: result.rttMs,
        interval_s: intervalSeconds,
        ...(result.error === undefined ? {} : { reason: result.error }),
        ...evidenceFields(report.evidence?.get(change.target.id)),
      });
    }
    for (const { id } of report.removed) records.push({ kind: 'removed', at, host: id });
    for (const [host, state] of report.states) {
      if (state.status !== 'MAINTENANCE') {
        this.failing.delete(host);
        continue;
      }
      const since = failingSince(state);
      if ((this.failing.get(host) ?? null) === since) continue;
      this.failing.set(host, since);
      records.push({ kind: 'maintenance', at, host, failing_since: since });
    }
    for (const { target, since, ack } of report.acked ?? []) {
      records.push({
        kind: 'ack',
        at: ack.at.toISOString(),
        host: target.id,
        since: since.toISOString(),
        note: ack.note,
      });
    }
    for (const alert of report.alerts) records.push(alertRecord(alert));
    // Any record shows the monitor ran; a quiet cycle needs an explicit mark only now and then. A cron run
    // always leaves one, as the next run judges from it whether the session went on.
    const markDue = this.options.mode === 'once' || now - this.lastMarkAt >= historyAliveSeconds * 1000;
    if (records.length === 0 && markDue) records.push({ kind: 'alive', at });
    if (records.length === 0) return;
    try {
      await this.options.writer.append(records);
    } finally {
      // Written, or held by the writer and written first next time (disk full): either way not repeated.
      this.started = true;
      this.lastMarkAt = now;
      this.session = { ...this.session, snapshotMonth: month };
    }
  }

  /** Records a clean stop (daemon only: a cron run is part of a longer session) and closes the file. */
  async stop(): Promise<void> {
    try {
      if (this.started && this.options.mode === 'daemon') {
        await this.options.writer.append([{ kind: 'stop', at: this.options.clock.now().toISOString() }]);
      }
    } finally {
      await this.options.writer.close();
    }
  }
}

/**
 * A host alert as an `alert` record (its time paces reminders after a restart); a recovery message
 * (NEEDS_PERSON...) as an `action` mark of its plug, so it never counts as a host's alert.
 */
export function alertRecord(alert: Alert): NewHistoryRecord {
  const at = alert.at.toISOString();
  if (IS_HOST_ALERT[alert.kind] || !alert.recovery) {
    return { kind: 'alert', at, host: alert.target.host, alert: alert.kind as HostAlertKind };
  }
  const info = alert.recovery;
  return {
    kind: 'action',
    action: RECOVERY_ACTION[alert.kind as RecoveryAlertKind],
    at,
    plug: info.plug,
    hosts: info.triggers.map((trigger) => trigger.host),
    attempt: info.cycles,
    max: info.max,
    result: 'notified',
  };
}

/** The `action` of a recovery message's mark. */
const RECOVERY_ACTION = {
  POWER_CYCLE: 'power-cycle-announced',
  NEEDS_PERSON: 'gave-up',
  LINK_BACK: 'link-back',
} as const satisfies Record<RecoveryAlertKind, string>;

/** A state record's fault-layer and snapshot fields (issue 17); none when the change has no evidence. */
function evidenceFields(evidence: OutageEvidence | undefined): Partial<StateRecord> {
  if (evidence === undefined) return {};
  return {
    ...(evidence.fault?.layer != null && { cause: evidence.fault.layer }),
    ...(evidence.fault !== undefined && { cause_reason: evidence.fault.reason }),
    ...(evidence.trace !== undefined && { trace: traceToJson(evidence.trace) }),
  };
}

/** The first failed attempt a MAINTENANCE state holds (ISO), or null while it answers. */
function failingSince(state: HostState): string | null {
  return state.pending?.toward === 'DOWN' ? state.pending.since.toISOString() : null;
}

/** Every host's state as it was before this cycle: the snapshot leads the batch, the changes follow it. */
function snapshotBefore(report: CycleReport): Record<string, SnapshotHost> {
  const before = new Map(report.states);
  for (const change of report.changes) before.set(change.target.id, change.before);
  for (const { id, state } of report.removed) before.set(id, state);
  const hosts: Record<string, SnapshotHost> = {};
  for (const [host, state] of before) {
    if (state.status === 'UNKNOWN') continue;
    hosts[host] = {
      state: state.status,
      since: state.since?.toISOString() ?? null,
      last_alert_at: state.lastAlertAt?.toISOString() ?? null,
      rtt_ms: state.lastRttMs,
      ...(state.escalatedAt !== undefined && { escalated_at: state.escalatedAt.toISOString() }),
    };
  }
  return hosts;
}
