import type { TraceSnapshot } from '../shared/fault-evidence.js';
import { formatDuration } from '../shared/format-duration.js';
import type { HostReport, Outage, Report } from './report-model.js';

/** A time as reports show it: `2026-11-22 13:05:09` (always UTC, which the report header says). */
export function formatReportTime(time: Date): string {
  return time.toISOString().slice(0, 19).replace('T', ' ');
}

/** A time with its uncertainty, as the old heartbeat report did: `2026-11-22 13:05:09 ±5m 0s`. */
export function formatUncertainTime(time: Date, uncertaintyMs: number): string {
  return `${formatReportTime(time)} ±${formatDuration(uncertaintyMs)}`;
}

/** A duration such as `1d 2h 3m 4s`, or `-` when there is none. */
export function durationText(ms: number | null): string {
  return ms === null ? '-' : formatDuration(ms);
}

/** `99.952%`, or `-` when nothing is known. Three decimals: a year holds 525,600 minutes. */
export function percentText(percent: number | null): string {
  return percent === null ? '-' : `${percent.toFixed(3)}%`;
}

/** The report's one-line title with its window. */
export function reportTitle(report: Report): string {
  return `pingwarden outage report, ${formatReportTime(report.since)} to ${formatReportTime(report.until)} UTC`;
}

/** A host's description and location as one cell: `Cisco Router, Bldg 6 MDF 101`. */
export function labelText(host: HostReport): string {
  return [host.description, host.location].filter((part) => part !== '').join(', ');
}

/**
 * Columns of the summary shown only when some host has such time, so reports without it keep their shape:
 * each is inserted after the column it names.
 */
const OCCASIONAL_COLUMNS: readonly {
  readonly title: string;
  readonly after: (typeof SUMMARY_HEADER)[number];
  readonly ms: (host: HostReport) => number;
}[] = [
  { title: 'degraded', after: 'up', ms: (host) => host.degradedMs },
  { title: 'flapping', after: 'down', ms: (host) => host.flappingMs },
  { title: 'maintenance', after: 'unknown', ms: (host) => host.maintenanceMs },
];

/**
 * The per-host summary as human-readable cells with its header; a `description` column follows the host
 * when hosts.csv gave any host a description or location, and degraded, flapping and maintenance columns
 * appear when some host spent time so.
 */
export function summaryTable(report: Report): { header: string[]; rows: string[][] } {
  const labelled = report.hosts.some((host) => labelText(host) !== '');
  const measured = report.hosts.some((host) => host.quality !== null);
  const occasional = OCCASIONAL_COLUMNS.filter((column) => report.hosts.some((host) => column.ms(host) > 0));
  const header: string[] = [...SUMMARY_HEADER];
  const rows = report.hosts.map((host) => summaryCells(host));
  // Inserted from the right, so each `after` index is still that of the fixed header.
  for (const column of [...occasional].reverse()) {
    const at = SUMMARY_HEADER.indexOf(column.after) + 1;
    header.splice(at, 0, column.title);
    report.hosts.forEach((host, i) => rows[i]!.splice(at, 0, formatDuration(column.ms(host))));
  }
  if (measured) {
    header.push(...QUALITY_HEADER);
    report.hosts.forEach((host, i) => rows[i]!.push(...qualityCells(host)));
  }
  if (labelled) {
    header.splice(1, 0, 'description');
    report.hosts.forEach((host, i) => rows[i]!.splice(1, 0, labelText(host)));
  }
  return { header, rows };
}

/** What the summary's kinds of time mean, for a note under it; degraded and flapping only when shown. */
export function timeKindsNote(report: Report): string {
  const parts = ['unknown = the monitor was not running'];
  if (report.hosts.some((host) => host.degradedMs > 0)) {
    parts.push('degraded = answering with loss or RTT over the thresholds, counted as available');
  }
  if (report.hosts.some((host) => host.flappingMs > 0)) {
    parts.push('flapping = answering and not by turns, counted neither way');
  }
  return parts.join('; ');
}

/** Column titles of the per-host summary, as the human formats show it. */
export const SUMMARY_HEADER = [
  'host',
  'monitored',
  'up',
  'down',
  'unknown',
  'availability',
  'outages',
  'longest outage',
  'mean time to recover',
] as const;

/** One host's summary as human-readable cells, in {@link SUMMARY_HEADER} order. */
export function summaryCells(host: HostReport): string[] {
  return [
    host.host,
    formatDuration(host.monitoredMs),
    formatDuration(host.upMs),
    formatDuration(host.downMs),
    formatDuration(host.unknownMs),
    percentText(host.availabilityPercent),
    String(host.outages.length),
    durationText(host.longestOutageMs),
    durationText(host.meanTimeToRecoverMs),
  ];
}

/** Columns added to the summary when the link quality series has data (issue 14). */
export const QUALITY_HEADER = ['loss', 'RTT avg', 'RTT p95'] as const;

/** `12.3 ms`, or `-`. A tenth of a millisecond is what the series keeps. */
export function rttText(ms: number | null): string {
  return ms === null ? '-' : `${ms.toFixed(1)} ms`;
}

/** One host's loss and RTT cells, in {@link QUALITY_HEADER} order; `-` without data. */
export function qualityCells(host: HostReport): string[] {
  const quality = host.quality;
  if (quality === null) return ['-', '-', '-'];
  const p95 = rttText(quality.rttP95Ms);
  return [
    quality.lossPercent === null ? '-' : `${quality.lossPercent.toFixed(2)}%`,
    rttText(quality.rttAvgMs),
    // From rollups the percentile is the middle of a 10 % histogram bucket.
    quality.p95Exact || quality.rttP95Ms === null ? p95 : `~${p95}`,
  ];
}

/** Column titles of the outage list, as the human formats show it. */
export const OUTAGE_HEADER = ['host', 'start (UTC)', 'end (UTC)', 'duration', 'power cycles'] as const;

/**
 * The outage list's header and rows; an `acknowledged` column is added when some outage was acked, and
 * `fault layer`, `why` and `path at failure` when some outage has a fault layer or a path snapshot.
 */
export function outageTable(outages: readonly Outage[]): { header: string[]; rows: string[][] } {
  const acked = outages.some((outage) => outage.ack !== null);
  const located = outages.some(hasFaultEvidence);
  const header: string[] = [...OUTAGE_HEADER];
  if (acked) header.push('acknowledged');
  if (located) header.push('fault layer', 'why', 'path at failure');
  const rows = outages.map((outage) => {
    const cells = outageCells(outage);
    if (acked) cells.push(ackText(outage));
    if (located) cells.push(outage.faultLayer ?? '-', outage.faultReason ?? '-', pathText(downTrace(outage)));
    return cells;
  });
  return { header, rows };
}

/** Whether the history gave an outage a fault layer, its reason or a path snapshot (issue 17). */
export function hasFaultEvidence(outage: Outage): boolean {
  return outage.faultLayer !== null || outage.faultReason !== null || outage.traces.length > 0;
}

/** The snapshot taken when the outage began, if one was. */
export function downTrace(outage: Outage): TraceSnapshot | null {
  return outage.traces.find((trace) => trace.phase === 'down') ?? null;
}

/** `198.18.64.2 > 198.18.64.10 > *`: a snapshot's hops on one line (`-` when none was taken). */
export function pathText(trace: TraceSnapshot | null): string {
  if (trace === null) return '-';
  if (trace.hops.length === 0) return 'no hops';
  return trace.hops.map((hop) => hop.address ?? '*').join(' > ');
}

/** `2026-11-22 13:20:00 (on it, ISP ticket 123)`, or `-`. */
export function ackText(outage: Outage): string {
  if (outage.ack === null) return '-';
  const note = outage.ack.note === null || outage.ack.note === '' ? '' : ` (${outage.ack.note})`;
  return `${formatReportTime(outage.ack.at)}${note}`;
}

/** One outage as human-readable cells, in {@link OUTAGE_HEADER} order. */
export function outageCells(outage: Outage): string[] {
  let end = 'ongoing';
  if (outage.end !== null) {
    end = formatUncertainTime(outage.end, outage.endUncertaintyMs ?? 0);
    if (outage.endedBy === 'removed') end += ' (removed)';
    if (outage.endedBy === 'maintenance') end += ' (maintenance)';
    if (outage.endedBy === 'flapping') end += ' (flapping)';
  }
  return [
    outage.host,
    formatUncertainTime(outage.start, outage.startUncertaintyMs),
    end,
    formatDuration(outage.durationMs),
    String(outage.powerCycles),
  ];
}

/** Every outage of the report, oldest first. */
export function allOutages(report: Report): Outage[] {
  return report.hosts
    .flatMap((host) => host.outages)
    .sort((a, b) => a.start.getTime() - b.start.getTime() || a.host.localeCompare(b.host));
}
