import type { Log } from '../shared/log.js';
import { QualityAggregate } from '../store/quality/quality-aggregate.js';
import { readQualityWindow } from '../store/quality/quality-window.js';

/** One host's loss and RTT over the report window. */
export interface QualitySummary {
  readonly sent: number;
  readonly received: number;
  /** Unanswered echo requests in percent; null when none were sent. */
  readonly lossPercent: number | null;
  /** Mean RTT over every reply; null when none came. */
  readonly rttAvgMs: number | null;
  /** 95th percentile (nearest rank) of the cycles' average RTTs; null when none came. */
  readonly rttP95Ms: number | null;
  readonly rttMinMs: number | null;
  readonly rttMaxMs: number | null;
  /** False when part of the window came from rollups: the p95 is then good to one 10 % histogram bucket. */
  readonly p95Exact: boolean;
}

/** One column of the quality graph: the cycles of one column of the window. */
export interface QualityPoint {
  /** The time of the column's first cycle (or rollup period). */
  readonly start: number;
  /** The end of the column. */
  readonly end: number;
  readonly lossPercent: number | null;
  /** Median of the cycles' average RTTs; null when nothing answered. */
  readonly medianMs: number | null;
  readonly minMs: number | null;
  readonly maxMs: number | null;
}

/** What the quality series says about each host. */
export interface HostQuality {
  readonly summary: QualitySummary;
  /** Empty unless a graph was asked for. */
  readonly points: readonly QualityPoint[];
}

/**
 * Reads the quality series of `[since, until)` into a summary per host and, when `columns` > 0, that many
 * graph columns per host (empty columns left out).
 */
export async function readHostQuality(
  dir: string,
  since: number,
  until: number,
  log: Log,
  columns: number,
): Promise<Map<string, HostQuality>> {
  const totals = new Map<string, QualityAggregate>();
  const bins = new Map<string, (QualityAggregate | undefined)[]>();
  const firsts = new Map<string, number[]>();
  const span = Math.max(1, until - since);
  await readQualityWindow(dir, since, until, log, (slice) => {
    let total = totals.get(slice.host);
    if (!total) totals.set(slice.host, (total = new QualityAggregate()));
    if (slice.tier === 'raw') total.addSample(slice.sample);
    else total.merge(slice.aggregate);
    if (columns <= 0) return;
    let row = bins.get(slice.host);
    if (!row) bins.set(slice.host, (row = new Array<QualityAggregate | undefined>(columns)));
    const column = Math.min(columns - 1, Math.floor(((slice.at - since) / span) * columns));
    let first = firsts.get(slice.host);
    if (!first) firsts.set(slice.host, (first = new Array<number>(columns).fill(Infinity)));
    first[column] = Math.min(first[column]!, slice.at);
    const bin = (row[column] ??= new QualityAggregate());
    if (slice.tier === 'raw') bin.addSample(slice.sample);
    else bin.merge(slice.aggregate);
  });
  const hosts = new Map<string, HostQuality>();
  for (const [host, total] of totals) {
    const points: QualityPoint[] = [];
    (bins.get(host) ?? []).forEach((bin, column) => {
      if (!bin) return;
      points.push({
        start: firsts.get(host)![column]!,
        end: since + ((column + 1) / columns) * span,
        lossPercent: bin.lossPercent,
        medianMs: bin.percentile(50),
        minMs: bin.minMs,
        maxMs: bin.maxMs,
      });
    });
    hosts.set(host, { summary: summaryOf(total), points });
  }
  return hosts;
}

function summaryOf(total: QualityAggregate): QualitySummary {
  return {
    sent: total.sent,
    received: total.received,
    lossPercent: total.lossPercent,
    rttAvgMs: total.meanMs,
    rttP95Ms: total.percentile(95),
    rttMinMs: total.minMs,
    rttMaxMs: total.maxMs,
    p95Exact: total.exact,
  };
}
