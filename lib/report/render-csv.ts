import { stringify } from 'csv-stringify/sync';

import type { QualitySummary } from './quality-summary.js';
import type { Report } from './report-model.js';
import { allOutages, downTrace, hasFaultEvidence, pathText } from './report-text.js';

/** Loss and RTT as numbers (3 and 1 decimals); empty cells when the series has nothing. */
function qualityColumns(quality: QualitySummary | null): (string | number)[] {
  if (quality === null) return ['', '', '', '', '', '', ''];
  const fixed = (value: number | null, digits: number) => (value === null ? '' : value.toFixed(digits));
  return [
    quality.sent,
    quality.received,
    fixed(quality.lossPercent, 3),
    fixed(quality.rttAvgMs, 1),
    fixed(quality.rttP95Ms, 1),
    fixed(quality.rttMinMs, 1),
    fixed(quality.rttMaxMs, 1),
  ];
}

// Whole seconds cut like the table's durations (formatDuration floors), so both show 17 s for 17.6 s.
const seconds = (ms: number | null) => (ms === null ? '' : Math.floor(ms / 1000));

/**
 * The report as CSV for spreadsheets: a per-host table, an empty line, then the outage table. Times are
 * ISO 8601 UTC and durations whole seconds, so a spreadsheet can compute with them. Degraded and flapping
 * seconds are always there (0 without any), so a spreadsheet's formulas keep their columns.
 */
export function renderCsv(report: Report): string {
  // Columns for maintenance and acks only when the report has some: other reports keep their shape.
  const maintained = report.hosts.some((host) => host.maintenanceMs > 0);
  const outageList = allOutages(report);
  const acked = outageList.some((outage) => outage.ack !== null);
  const located = outageList.some(hasFaultEvidence);
  const summary = stringify([
    [
      'host',
      'monitored_seconds',
      'up_seconds',
      'degraded_seconds',
      'down_seconds',
      'flapping_seconds',
      'unknown_seconds',
      ...(maintained ? ['maintenance_seconds'] : []),
      'availability_percent',
      'outages',
      'longest_outage_seconds',
      'mean_time_to_recover_seconds',
      'description',
      'location',
      'packets_sent',
      'packets_received',
      'loss_percent',
      'rtt_avg_ms',
      'rtt_p95_ms',
      'rtt_min_ms',
      'rtt_max_ms',
    ],
    ...report.hosts.map((host) => [
      host.host,
      seconds(host.monitoredMs),
      seconds(host.upMs),
      seconds(host.degradedMs),
      seconds(host.downMs),
      seconds(host.flappingMs),
      seconds(host.unknownMs),
      ...(maintained ? [seconds(host.maintenanceMs)] : []),
      host.availabilityPercent === null ? '' : host.availabilityPercent.toFixed(3),
      host.outages.length,
      seconds(host.longestOutageMs),
      seconds(host.meanTimeToRecoverMs),
      host.description,
      host.location,
      ...qualityColumns(host.quality),
    ]),
  ]);
  const outages = stringify([
    [
      'host',
      'start',
      'start_uncertainty_seconds',
      'end',
      'end_uncertainty_seconds',
      'duration_seconds',
      'power_cycles',
      ...(acked ? ['acknowledged_at', 'ack_note'] : []),
      ...(located ? ['fault_layer', 'fault_reason', 'path_at_failure'] : []),
    ],
    ...outageList.map((outage) => [
      outage.host,
      outage.start.toISOString(),
      seconds(outage.startUncertaintyMs),
      outage.end === null ? 'ongoing' : outage.end.toISOString(),
      seconds(outage.endUncertaintyMs),
      seconds(outage.durationMs),
      outage.powerCycles,
      ...(acked ? [outage.ack?.at.toISOString() ?? '', outage.ack?.note ?? ''] : []),
      ...(located
        ? [
            outage.faultLayer ?? '',
            outage.faultReason ?? '',
            downTrace(outage) ? pathText(downTrace(outage)) : '',
          ]
        : []),
    ]),
  ]);
  return `${summary}\n${outages}`;
}
