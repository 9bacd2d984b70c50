/** One host's echo requests in one cycle, as the quality series keeps them (RTTs null when none answered). */
export interface QualitySample {
  readonly sent: number;
  readonly received: number;
  readonly minMs: number | null;
  readonly avgMs: number | null;
  readonly maxMs: number | null;
}

/** RTTs are kept to a tenth of a millisecond. */
export const RTT_STEP_MS = 0.1;
/** Width of one RTT histogram bucket: each is 10 % wider than the one before, so a percentile is within ±5 %. */
const BUCKET_RATIO = 1.1;
const LOG_RATIO = Math.log(BUCKET_RATIO);
/** 0.1 ms × 1.1^250 is beyond any timeout: every RTT has a bucket. */
const MAX_BUCKET = 250;

/** The histogram bucket of a cycle's average RTT. */
export function rttBucket(ms: number): number {
  if (ms <= RTT_STEP_MS) return 0;
  return Math.min(MAX_BUCKET, Math.floor(Math.log(ms / RTT_STEP_MS) / LOG_RATIO));
}

/** The value a bucket stands for: its geometric middle. */
export function bucketValue(bucket: number): number {
  return RTT_STEP_MS * BUCKET_RATIO ** (bucket + 0.5);
}

/**
 * Loss and RTT of one host over any stretch of time: a cycle, an hour, a day, a report window. Merging two
 * aggregates gives the aggregate of both stretches, which is what makes hourly and daily rollups exact for
 * counts, min, max and mean, and close (one histogram bucket) for percentiles.
 *
 * Percentiles are over the cycles' average RTTs (one value per cycle that got any reply). While an aggregate
 * is built from raw cycles only, `values` keeps those averages and percentiles are exact.
 */
export class QualityAggregate {
  /** Cycles with a sample (probed with packets). */
  cycles = 0;
  sent = 0;
  received = 0;
  minMs: number | null = null;
  maxMs: number | null = null;
  /** Sum of the RTTs of every reply (a cycle's average × its replies): the mean RTT is this / received. */
  rttSumMs = 0;
  /** Histogram of cycle-average RTTs: bucket → cycles. */
  readonly buckets = new Map<number, number>();
  /** The exact cycle averages, while only raw cycles were added; null once a rollup was merged in. */
  values: number[] | null = [];

  /** Adds one cycle. */
  addSample(sample: QualitySample): void {
    if (sample.sent <= 0) return;
    this.cycles++;
    this.sent += sample.sent;
    this.received += sample.received;
    if (sample.received <= 0 || sample.avgMs === null) return;
    const min = sample.minMs ?? sample.avgMs;
    const max = sample.maxMs ?? sample.avgMs;
    this.minMs = this.minMs === null ? min : Math.min(this.minMs, min);
    this.maxMs = this.maxMs === null ? max : Math.max(this.maxMs, max);
    this.rttSumMs += sample.avgMs * sample.received;
    const bucket = rttBucket(sample.avgMs);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + 1);
    this.values?.push(sample.avgMs);
  }

  /** Adds another aggregate (a rollup); percentiles become histogram-based unless both were exact. */
  merge(other: QualityAggregate): void {
    if (other.cycles === 0) return;
    this.cycles += other.cycles;
    this.sent += other.sent;
    this.received += other.received;
    if (other.minMs !== null)
      this.minMs = this.minMs === null ? other.minMs : Math.min(this.minMs, other.minMs);
    if (other.maxMs !== null)
      this.maxMs = this.maxMs === null ? other.maxMs : Math.max(this.maxMs, other.maxMs);
    this.rttSumMs += other.rttSumMs;
    for (const [bucket, count] of other.buckets)
      this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + count);
    if (this.values !== null && other.values !== null) {
      for (const value of other.values) this.values.push(value);
    } else this.values = null;
  }

  /** Share of echo requests unanswered, in percent; null when none were sent. */
  get lossPercent(): number | null {
    return this.sent === 0 ? null : ((this.sent - this.received) / this.sent) * 100;
  }

  /** Mean RTT over every reply; null when none came. */
  get meanMs(): number | null {
    return this.received === 0 ? null : this.rttSumMs / this.received;
  }

  /** True while percentiles are computed from every cycle's value rather than from the histogram. */
  get exact(): boolean {
    return this.values !== null;
  }

  /**
   * The `p`-th percentile (0 < p ≤ 100, nearest rank) of the cycle-average RTTs; null without replies.
   * Exact over raw cycles; from rollups, the middle of the bucket holding that rank (within ±5 %).
   */
  percentile(p: number): number | null {
    const total = this.values?.length ?? [...this.buckets.values()].reduce((a, b) => a + b, 0);
    if (total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    if (this.values !== null) {
      const sorted = [...this.values].sort((a, b) => a - b);
      return sorted[rank - 1]!;
    }
    let seen = 0;
    for (const bucket of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(bucket)!;
      if (seen >= rank) return bucketValue(bucket);
    }
    return null;
  }
}
