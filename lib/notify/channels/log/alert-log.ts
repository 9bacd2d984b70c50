import { formatDuration } from '../../../shared/format-duration.js';
import type { Log, LogFields } from '../../../shared/log.js';
import { isBadNews, type Alert } from '../../../monitor/alert.js';
import type { CycleReport, MonitorObserver } from '../../../monitor/monitor-loop.js';

/**
 * Writes each alert as one log line, e.g.
 * `alert kind=DOWN host=10.1.1.254 description="Cisco Router" location="Bldg 6 MDF 101"
 * since=2026-11-22T13:05:09.000Z duration="3m 0s" attempts=3 rtt_ms=0.42`.
 * It follows the loop as an observer, so the log holds every alert of every cycle whatever happens to the
 * channels (no SMTP server configured, mail failing). DOWN and REMINDER are warnings, RESTORED is info.
 */
export class AlertLog implements MonitorObserver {
  readonly name = 'log';

  constructor(private readonly log: Log) {}

  cycleFinished(report: CycleReport): void {
    for (const alert of report.alerts) this.write(alert);
  }

  private write(alert: Alert): void {
    const fields: LogFields = {
      kind: alert.kind,
      host: alert.target.host,
      description: alert.target.description,
      location: alert.target.location,
      since: alert.downSince.toISOString(),
      ...(alert.kind === 'RESTORED' && { restored: alert.at.toISOString() }),
      duration: Number.isFinite(alert.durationMs) ? formatDuration(alert.durationMs) : 'unknown',
      attempts: alert.attempts,
      rtt_ms: alert.lastRttMs ?? 'none',
      reason: alert.reason,
      notes: alert.notes && alert.notes.length > 0 ? alert.notes.join('; ') : undefined,
      unreachable_children: alert.unreachableChildren?.length,
      loss_pct: alert.quality?.lossPercent,
      avg_ms: alert.quality === undefined ? undefined : (alert.quality.avgMs ?? 'none'),
      packets: alert.quality?.packets,
      flap_pct: alert.flapPercent,
      now: alert.settledAs,
    };
    if (!isBadNews(alert)) this.log.info('alert', fields);
    else this.log.warn('alert', fields);
  }
}
