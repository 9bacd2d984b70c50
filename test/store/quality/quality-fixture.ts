import { DEFAULT_SETTINGS } from '../../../lib/config/settings-table.js';
import type { Config } from '../../../lib/config/types.js';
import type { CycleReport } from '../../../lib/monitor/monitor-loop.js';
import type { LinkQuality, ProbeResult } from '../../../lib/probe/pinger.js';

/** A fixture time on 2026-11-01 (UTC) or later: `at('10:05')`, `at('10:05', 1)` for the next day. */
export function at(time: string, dayOffset = 0): Date {
  return new Date(Date.parse(`2026-11-01T${time}:00Z`) + dayOffset * 86_400_000);
}

/** A measured result: `quality(5, 4, 10, 12, 15)`. */
export function measured(
  host: string,
  sent: number,
  received: number,
  min: number | null = null,
  avg: number | null = null,
  max: number | null = null,
): ProbeResult {
  const quality: LinkQuality = { sent, received, minMs: min, avgMs: avg, maxMs: max, mdevMs: null };
  return { host, alive: received > 0, attempts: sent, rttMs: avg, startedAt: new Date(0), quality };
}

/**
 * A cycle report with just what the quality recorder reads (time, results, settings): the rest of a real
 * report (states, changes, alerts) is the monitor's business and left empty.
 */
export function cycleReport(time: Date, results: readonly ProbeResult[], rawDays = 2): CycleReport {
  const config = {
    settings: { ...DEFAULT_SETTINGS, qualityRawDays: rawDays },
    targets: [],
  } as unknown as Config;
  return {
    at: time,
    config,
    results,
    changes: [],
    removed: [],
    alerts: [],
    states: new Map(),
    summary: {} as CycleReport['summary'],
  };
}
