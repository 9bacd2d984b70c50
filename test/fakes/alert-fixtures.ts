import type { Alert, AlertBatch, HostLabel } from '../../lib/monitor/alert.js';

/**
 * An alert and a one-cycle batch about `target` at a fixed time, for the channel tests: the times come from
 * `t0` (never from today's date), the batch counts 12 hosts with `target` down.
 */
export function alertFixtures(target: HostLabel, t0 = new Date('2026-11-22T13:03:00Z')) {
  const alert = (kind: Alert['kind'], durationMs = 0, extra: Partial<Alert> = {}): Alert => ({
    kind,
    target,
    at: new Date(t0.getTime() + durationMs),
    downSince: t0,
    durationMs,
    attempts: 3,
    lastRttMs: 0.42,
    ...extra,
  });
  const batchOf = (...alerts: Alert[]): AlertBatch => ({
    at: t0,
    alerts,
    hosts: 12,
    down: [target],
    unreachable: 0,
  });
  return { t0, alert, batchOf };
}
