import { stringify } from 'csv-stringify/sync';

import type { Report } from './report-model.js';
import { allOutages } from './report-text.js';

// Whole seconds cut like the table's durations (formatDuration floors), so both show 17 s for 17.6 s.
const seconds = (ms: number | null) => (ms === null ? '' : Math.floor(ms / 1000));

/**
 * The report as CSV for spreadsheets: a per-host table, an empty line, then the outage table. Times are
 * ISO 8601 UTC and durations whole seconds, so a spreadsheet can compute with them.
 */
export function renderCsv(report: Report): string {
  const summary = stringify([
    [
      'host',
      'monitored_seconds',
      'up_seconds',
      'down_seconds',
      'unknown_seconds',
      'availability_percent',
      'outages',
      'longest_outage_seconds',
      'mean_time_to_recover_seconds',
      'description',
      'location',
    ],
    ...report.hosts.map((host) => [
      host.host,
      seconds(host.monitoredMs),
      seconds(host.upMs),
      seconds(host.downMs),
      seconds(host.unknownMs),
      host.availabilityPercent === null ? '' : host.availabilityPercent.toFixed(3),
      host.outages.length,
      seconds(host.longestOutageMs),
      seconds(host.meanTimeToRecoverMs),
      host.description,
      host.location,
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
    ],
    ...allOutages(report).map((outage) => [
      outage.host,
      outage.start.toISOString(),
      seconds(outage.startUncertaintyMs),
      outage.end === null ? 'ongoing' : outage.end.toISOString(),
      seconds(outage.endUncertaintyMs),
      seconds(outage.durationMs),
      outage.powerCycles,
    ]),
  ]);
  return `${summary}\n${outages}`;
}
