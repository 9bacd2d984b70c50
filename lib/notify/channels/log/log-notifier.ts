import { formatDuration } from '../../../shared/format-duration.js';
import type { Log, LogFields } from '../../../shared/log.js';
import type { Alert, AlertSink } from '../../../monitor/alert.js';

/**
 * Writes each alert as one log line, e.g.
 * `alert kind=DOWN host=10.1.1.254 description="Cisco Router" location="Bldg 6 MDF 101"
 * since=2026-11-22T13:05:09.000Z duration="3m 0s" attempts=3 rtt_ms=0.42`.
 * It is the only notifier when no SMTP server is configured and runs beside email otherwise, so the log
 * holds every alert even when mail fails. DOWN and REMINDER are warnings, RESTORED is info.
 */
export class LogNotifier implements AlertSink {
  readonly name = 'log';

  constructor(private readonly log: Log) {}

  send(alert: Alert): Promise<void> {
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
    };
    if (alert.kind === 'RESTORED') this.log.info('alert', fields);
    else this.log.warn('alert', fields);
    return Promise.resolve();
  }
}
