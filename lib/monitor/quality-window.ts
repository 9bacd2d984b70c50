import type { LinkQuality } from '../probe/pinger.js';

/** One answering cycle's packets, as kept in the host's state: enough to pool loss and average RTT. */
export interface QualitySample {
  readonly sent: number;
  readonly received: number;
  /** Sum of the received packets' RTTs, in milliseconds (received × average). */
  readonly rttSumMs: number;
}

/** When a host is DEGRADED; 0 turns a threshold off. */
export interface QualityThresholds {
  /** Pooled loss in percent at or above which the host is DEGRADED. */
  readonly lossPercent: number;
  /** Pooled average RTT in milliseconds at or above which the host is DEGRADED. */
  readonly rttMs: number;
}

/** The pooled numbers an alert quotes: "35 % loss, avg 412 ms over 15 packets". */
export interface PooledSummary {
  readonly packets: number;
  readonly lossPercent: number;
  /** Null when nothing answered in the window. */
  readonly avgMs: number | null;
}

/** `window` with `quality` appended, keeping the newest `size` samples. */
export function withSample(
  window: readonly QualitySample[],
  quality: LinkQuality,
  size: number,
): QualitySample[] {
  const sample: QualitySample = {
    sent: quality.sent,
    received: quality.received,
    rttSumMs: (quality.avgMs ?? 0) * quality.received,
  };
  const next = [...window, sample];
  return next.length > size ? next.slice(next.length - size) : next;
}

/** Loss and average RTT over every packet of `window`, and whether they reach a host's thresholds. */
export function pooledQuality(window: readonly QualitySample[]): {
  summary: PooledSummary;
  exceeds(thresholds: QualityThresholds): boolean;
} {
  let sent = 0;
  let received = 0;
  let rttSum = 0;
  for (const sample of window) {
    sent += sample.sent;
    received += sample.received;
    rttSum += sample.rttSumMs;
  }
  const lossPercent = sent === 0 ? 0 : ((sent - received) * 100) / sent;
  const avgMs = received === 0 ? null : rttSum / received;
  return {
    summary: {
      packets: sent,
      lossPercent: Math.round(lossPercent * 10) / 10,
      avgMs: avgMs === null ? null : Math.round(avgMs * 10) / 10,
    },
    exceeds: ({ lossPercent: lossLimit, rttMs }) =>
      sent > 0 &&
      ((lossLimit > 0 && lossPercent >= lossLimit) || (rttMs > 0 && avgMs !== null && avgMs >= rttMs)),
  };
}
