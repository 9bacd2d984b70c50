import type { Log, LogFields } from '../shared/log.js';
import { HOST_STATUSES, type HostStatus } from './host-state.js';
import type { CycleReport, MonitorObserver } from './monitor-loop.js';

/** Counted in every summary line, in this order; people and scripts read them. */
const ALWAYS_COUNTED: readonly HostStatus[] = ['UP', 'DOWN', 'UNKNOWN'];
const SUMMARY_ORDER = [
  ...ALWAYS_COUNTED,
  ...HOST_STATUSES.filter((status) => !ALWAYS_COUNTED.includes(status)),
];

/**
 * Logs what a cycle changed: one `state` line per status change, one line per removed target, and the
 * cycle's summary line (`cycle hosts=12 up=11 down=1 unknown=0 alerts=1 ms=2043`).
 */
export class CycleLog implements MonitorObserver {
  readonly name = 'cycle-log';

  constructor(private readonly log: Log) {}

  cycleFinished(report: CycleReport): void {
    const { log } = this;
    for (const { target, before, after, result } of report.changes) {
      // A target found up at its first probe is no news (the cycle line counts it); at info level it would
      // be one line per target at every start, 10,000 lines for 10,000 hosts.
      const level = before.status === 'UNKNOWN' && after.status === 'UP' ? 'debug' : 'info';
      log[level]('state', {
        host: target.id,
        from: before.status,
        to: after.status,
        description: target.label.description,
        location: target.label.location,
        attempts: result.attempts,
        // The same word as the alert lines use for "no reply".
        rtt_ms: result.rttMs ?? 'none',
        reason: result.error,
      });
    }
    for (const { id, state } of report.removed) {
      if (state.status === 'DOWN') {
        // Removing a target is the user's decision, not a recovery: close the outage in the log, no email.
        log.info('outage closed', { host: id, reason: 'removed', since: state.since?.toISOString() });
      } else {
        log.info('host removed', { host: id });
      }
    }
    const { hosts, counts, durationMs, alerts } = report.summary;
    const byStatus: LogFields = {};
    // Any other status only when it occurs.
    for (const status of SUMMARY_ORDER) {
      if (ALWAYS_COUNTED.includes(status) || counts[status] > 0)
        byStatus[status.toLowerCase()] = counts[status];
    }
    log.info('cycle', { hosts, ...byStatus, alerts: alerts.length, ms: durationMs });
  }
}
