import { QualityAggregate, rttBucket, type QualitySample } from './quality-aggregate.js';

/** No sample, or no reply: the cycle adds no RTT to the histogram. */
const NO_BUCKET = 255;

/**
 * The raw cycles of one host list within an hour, summed per host position in flat arrays: no object per
 * host while the hour is read, so a rollup of 10,000 hosts leaves the garbage collector little to copy
 * (the per-host aggregates with their histogram maps were most of a rollup cycle's CPU).
 */
class ListRun {
  readonly cycles: Uint32Array;
  readonly sent: Float64Array;
  readonly received: Float64Array;
  /** Shortest and longest RTT seen; NaN while none. */
  readonly minMs: Float64Array;
  readonly maxMs: Float64Array;
  readonly rttSumMs: Float64Array;
  /** Per cycle added, each host's histogram bucket ({@link NO_BUCKET}: none). */
  readonly buckets: Uint8Array[] = [];

  constructor(readonly hosts: readonly string[]) {
    const n = hosts.length;
    this.cycles = new Uint32Array(n);
    this.sent = new Float64Array(n);
    this.received = new Float64Array(n);
    this.minMs = new Float64Array(n).fill(NaN);
    this.maxMs = new Float64Array(n).fill(NaN);
    this.rttSumMs = new Float64Array(n);
  }

  /** One cycle's samples, in the list's order: what {@link QualityAggregate.addSample} does, per host. */
  add(samples: readonly (QualitySample | null)[]): void {
    const buckets = new Uint8Array(this.hosts.length).fill(NO_BUCKET);
    this.buckets.push(buckets);
    const count = Math.min(samples.length, this.hosts.length);
    for (let i = 0; i < count; i++) {
      const sample = samples[i];
      if (!sample || sample.sent <= 0) continue;
      this.cycles[i]!++;
      this.sent[i]! += sample.sent;
      this.received[i]! += sample.received;
      if (sample.received <= 0 || sample.avgMs === null) continue;
      const min = sample.minMs ?? sample.avgMs;
      const max = sample.maxMs ?? sample.avgMs;
      const oldMin = this.minMs[i]!;
      const oldMax = this.maxMs[i]!;
      this.minMs[i] = Number.isNaN(oldMin) ? min : Math.min(oldMin, min);
      this.maxMs[i] = Number.isNaN(oldMax) ? max : Math.max(oldMax, max);
      this.rttSumMs[i]! += sample.avgMs * sample.received;
      buckets[i] = rttBucket(sample.avgMs);
    }
  }

  /** Host `i`'s hour as a new aggregate (histogram only, as rollups keep it). */
  aggregate(i: number): QualityAggregate {
    const agg = new QualityAggregate();
    agg.values = null;
    return this.fill(i, agg);
  }

  /** Host `i`'s hour written into `agg`, whatever it held before. */
  fill(i: number, agg: QualityAggregate): QualityAggregate {
    agg.buckets.clear();
    agg.cycles = this.cycles[i]!;
    agg.sent = this.sent[i]!;
    agg.received = this.received[i]!;
    const min = this.minMs[i]!;
    const max = this.maxMs[i]!;
    agg.minMs = Number.isNaN(min) ? null : min;
    agg.maxMs = Number.isNaN(max) ? null : max;
    agg.rttSumMs = this.rttSumMs[i]!;
    for (const buckets of this.buckets) {
      const bucket = buckets[i]!;
      if (bucket !== NO_BUCKET) agg.buckets.set(bucket, (agg.buckets.get(bucket) ?? 0) + 1);
    }
    return agg;
  }
}

/**
 * One hour's raw cycles summed per host, for its rollup. The cycles of an hour nearly always share one host
 * list (the decoder hands the same array for each), so hosts are found by position; a list that changes
 * within the hour starts another run, merged by host at the end.
 */
export class HourRollup {
  private readonly runs: ListRun[] = [];

  /** Adds one raw cycle: `samples[i]` is `hosts[i]`'s, null when it had none. */
  add(hosts: readonly string[], samples: readonly (QualitySample | null)[]): void {
    let run = this.runs.find((candidate) => candidate.hosts === hosts);
    if (!run) {
      run = new ListRun(hosts);
      this.runs.push(run);
    }
    run.add(samples);
  }

  /**
   * The hosts with at least one sample in the hour and their aggregates, in the same order, to be read
   * once, in order (by the encoder): with one host list the same aggregate object is refilled for each
   * host, so a rollup allocates nothing per host.
   */
  result(): { readonly hosts: string[]; readonly aggregates: Iterable<QualityAggregate> } {
    const [only, ...more] = this.runs;
    if (only !== undefined && more.length === 0) {
      const positions: number[] = [];
      for (let i = 0; i < only.hosts.length; i++) if (only.cycles[i]! > 0) positions.push(i);
      return {
        hosts: positions.map((i) => only.hosts[i]!),
        aggregates: (function* () {
          const agg = new QualityAggregate();
          agg.values = null;
          for (const i of positions) yield only.fill(i, agg);
        })(),
      };
    }
    const merged = new Map<string, QualityAggregate>();
    for (const run of this.runs) {
      run.hosts.forEach((host, i) => {
        if (run.cycles[i] === 0) return;
        const agg = run.aggregate(i);
        const earlier = merged.get(host);
        if (earlier) earlier.merge(agg);
        else merged.set(host, agg);
      });
    }
    return { hosts: [...merged.keys()], aggregates: merged.values() };
  }
}
