import type { LinkQuality, ProbeOptions } from './pinger.js';

/** The default of `packet_interval_ms`, for callers that set `packets` without an interval. */
export const DEFAULT_PACKET_INTERVAL_MS = 200;

/** The `packets` and `packetIntervalMs` of `options`, with their defaults, checked. */
export function packetsOf(options: ProbeOptions): { packets: number; intervalMs: number } {
  const packets = options.packets ?? 1;
  const intervalMs = options.packetIntervalMs ?? DEFAULT_PACKET_INTERVAL_MS;
  if (!Number.isInteger(packets) || packets < 1) {
    throw new RangeError(`packets must be a positive integer, got ${packets}`);
  }
  if (!Number.isInteger(intervalMs) || intervalMs < 1) {
    throw new RangeError(`packetIntervalMs must be a positive integer, got ${intervalMs}`);
  }
  return { packets, intervalMs };
}

/**
 * Loss and latency of `sent` echo requests whose replies took `rtts` milliseconds. mdev is the population
 * standard deviation, as iputils `ping` prints it (sqrt(mean(x²) − mean(x)²)).
 */
export function linkQuality(sent: number, rtts: readonly number[]): LinkQuality {
  if (rtts.length === 0) return { sent, received: 0, minMs: null, avgMs: null, maxMs: null, mdevMs: null };
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let squares = 0;
  for (const rtt of rtts) {
    if (rtt < min) min = rtt;
    if (rtt > max) max = rtt;
    sum += rtt;
    squares += rtt * rtt;
  }
  const avg = sum / rtts.length;
  const mdev = Math.sqrt(Math.max(0, squares / rtts.length - avg * avg));
  return {
    sent,
    received: rtts.length,
    minMs: round3(min),
    avgMs: round3(avg),
    maxMs: round3(max),
    mdevMs: round3(mdev),
  };
}

/** Both tools print microseconds; more digits are noise from the arithmetic. */
function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}
