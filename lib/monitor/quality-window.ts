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
  if (size < 1) return [];
  // Built at its final length: this runs for every answering host every cycle.
  const kept = Math.min(window.length, size - 1);
  const next = new Array<QualitySample>(kept + 1);
  for (let i = 0; i < kept; i++) next[i] = window[window.length - kept + i] as QualitySample;
  next[kept] = sample;
  return next;
}

/** Loss and average RTT pooled over a window's packets; see {@link pooledQuality}. */
export class PooledQuality {
  constructor(
    private readonly sent: number,
    private readonly lossPercent: number,
    private readonly avgMs: number | null,
  ) {}

  /** What an alert quotes, rounded to one decimal. Built when asked: only an alert asks. */
  get summary(): PooledSummary {
    const { sent, lossPercent, avgMs } = this;
    return {
      packets: sent,
      lossPercent: Math.round(lossPercent * 10) / 10,
      avgMs: avgMs === null ? null : Math.round(avgMs * 10) / 10,
    };
  }

  /** Whether the pooled loss or average RTT reaches `thresholds` (nothing sent never does). */
  exceeds({ lossPercent: lossLimit, rttMs }: QualityThresholds): boolean {
    const { sent, lossPercent, avgMs } = this;
    return (
      sent > 0 &&
      ((lossLimit > 0 && lossPercent >= lossLimit) || (rttMs > 0 && avgMs !== null && avgMs >= rttMs))
    );
  }
}

/** Loss and average RTT over every packet of `window`, and whether they reach a host's thresholds. */
export function pooledQuality(window: readonly QualitySample[]): PooledQuality {
  let sent = 0;
  let received = 0;
  let rttSum = 0;
  for (const sample of window) {
    sent += sample.sent;
    received += sample.received;
    rttSum += sample.rttSumMs;
  }
  const lossPercent = sent === 0 ? 0 : ((sent - received) * 100) / sent;
  return new PooledQuality(sent, lossPercent, received === 0 ? null : rttSum / received);
}
