import { FLAP_RESULTS, type FlapHistory } from './flapping.js';
import type { AlertPolicy, HostState } from './host-state.js';
import type { QualitySample } from './quality-window.js';

/** One host's packets in one past cycle, as the link quality series kept them. */
export interface QualityCycle {
  /** When the cycle ran, ms since the epoch. */
  readonly at: number;
  readonly sent: number;
  readonly received: number;
  /** Average RTT of the replies; null when none came back. */
  readonly avgMs: number | null;
}

/** Which past cycles to read back: the newest `cycles` cycles at or before `now`, none before `fromMs`. */
export interface RecentCyclesRequest {
  readonly now: Date;
  readonly cycles: number;
  readonly fromMs: number;
}

/**
 * Scratch columns that one host's recorded cycles are copied into, oldest first, reused from host to host:
 * a resume of 10,000 hosts then builds no object per cycle (it built 210,000, and their garbage collection
 * was a tenth of a cron run's own CPU).
 */
export class HostCycleBuffer {
  /** When each cycle ran, ms since the epoch. */
  readonly at: Float64Array;
  readonly sent: Uint32Array;
  readonly received: Uint32Array;
  /** Average RTT of the replies; NaN when none came back. */
  readonly avgMs: Float64Array;

  constructor(readonly capacity: number) {
    this.at = new Float64Array(capacity);
    this.sent = new Uint32Array(capacity);
    this.received = new Uint32Array(capacity);
    this.avgMs = new Float64Array(capacity);
  }
}

/** Per host, its newest recorded cycles, oldest first. */
export interface RecentQualityCycles {
  /** The most cycles a host can have: the capacity of a buffer {@link read} fills. */
  readonly cycleCount: number;
  /** Copies the host's cycles, oldest first, into `into`; returns how many (0: none recorded). */
  read(host: string, into: HostCycleBuffer): number;
}

/** The cycles of each host of a map as {@link RecentQualityCycles}: a source that already holds lists. */
export function listedCycles(lists: ReadonlyMap<string, readonly QualityCycle[]>): RecentQualityCycles {
  return {
    cycleCount: Math.max(0, ...[...lists.values()].map((cycles) => cycles.length)),
    read(host, into) {
      const cycles = lists.get(host) ?? [];
      cycles.forEach((cycle, i) => {
        into.at[i] = cycle.at;
        into.sent[i] = cycle.sent;
        into.received[i] = cycle.received;
        into.avgMs[i] = cycle.avgMs ?? NaN;
      });
      return cycles.length;
    },
  };
}

/**
 * The link quality series as the loop reads it back at start (issue 14). Implemented by the quality store;
 * a source that fails leaves the memory empty.
 */
export interface QualityMemorySource {
  recentCycles(request: RecentCyclesRequest): Promise<RecentQualityCycles>;
}

/** How many past cycles a resume needs: the flap history's 21 results, or a longer quality window. */
export function cyclesToResume(policy: AlertPolicy): number {
  return Math.max(FLAP_RESULTS + 1, (policy.qualityWindow ?? 3) + (policy.downAfterCycles ?? 1));
}

/**
 * How far back a resume reads: twice the probe interval per cycle needed. Older cycles (the monitor was off
 * for long, or cron ran seldom) say nothing about the link now, so a long pause starts both afresh.
 */
export function resumeFromMs(now: Date, cycles: number, intervalMs: number): number {
  return now.getTime() - 2 * (cycles + 1) * intervalMs;
}

/**
 * States resumed from the history, with the quality window and the flap history a running monitor would
 * have had, rebuilt from the host's past cycles (oldest first, none after `now`): so a restarted daemon and
 * consecutive `pingwarden once` runs judge DEGRADED and FLAPPING as one long-running daemon does.
 *
 * - The flap history is the answered/not of the newest cycles (a cycle answered when any reply came back).
 *   Flap detection off (`flapHighPercent` 0): none, as the state machine keeps none then.
 * - The window is kept for UP and DEGRADED hosts only (the other statuses have none): their newest answering
 *   cycles, at most `qualityWindow`, back to the last outage. A run of silent cycles at least
 *   `downAfterCycles` long was an outage, which empties the window, and the first `upAfterCycles` answering
 *   cycles after it were the recovery, which is never judged; a shorter run was a blip the window outlived.
 * - MAINTENANCE hosts keep neither (a window or snooze starts them afresh), and so do hosts without cycles.
 */
export function resumeQualityMemory(
  states: ReadonlyMap<string, HostState>,
  recent: RecentQualityCycles,
  policy: AlertPolicy,
): Map<string, HostState> {
  const resumed = new Map(states);
  const flapping = (policy.flapHighPercent ?? 0) > 0;
  const buffer = new HostCycleBuffer(recent.cycleCount);
  // forEach, not for-of: this runs once per process over every host, mostly before V8 optimises it, and
  // unoptimised for-of allocates an entry and a result object per host.
  states.forEach((state, host) => {
    if (state.status === 'MAINTENANCE') return;
    const windowed = state.status === 'UP' || state.status === 'DEGRADED';
    if (!flapping && !windowed) return;
    const count = recent.read(host, buffer);
    if (count === 0) return;
    // One new state per host, with no spread-in temporaries: this runs for every host of a cron run.
    const next: Mutable<HostState> = { ...state };
    if (flapping) next.flap = flapHistoryOf(buffer, count);
    if (windowed) next.window = windowOf(buffer, count, policy);
    resumed.set(host, next);
  });
  return resumed;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The answered/not of the newest cycles, as flapping.ts's `withResult` would have kept them cycle by cycle. */
function flapHistoryOf(cycles: HostCycleBuffer, count: number): FlapHistory {
  // As bits, then one string: appending a character per cycle made 21 strings per host.
  const from = Math.max(0, count - FLAP_RESULTS - 1);
  let bits = 1;
  for (let i = from; i < count; i++) bits = bits * 2 + (cycles.received[i]! > 0 ? 1 : 0);
  // The leading 1 keeps the leading zeros; FLAP_RESULTS + 2 bits fit a double exactly.
  return bits.toString(2).slice(1);
}

function windowOf(cycles: HostCycleBuffer, count: number, policy: AlertPolicy): QualitySample[] {
  const size = policy.qualityWindow ?? 3;
  const downAfter = policy.downAfterCycles ?? 1;
  const upAfter = policy.upAfterCycles ?? 1;
  // Up to `upAfter` more than the window holds: if an outage lies just before them, those were the recovery.
  const newestFirst: QualitySample[] = [];
  let silent = 0;
  let outage = false;
  for (let i = count - 1; i >= 0 && newestFirst.length < size + upAfter; i--) {
    const sent = cycles.sent[i]!;
    const received = cycles.received[i]!;
    if (sent <= 0) continue;
    if (received === 0) {
      silent++;
      if (silent >= downAfter) {
        outage = true;
        break;
      }
      continue;
    }
    silent = 0;
    const avgMs = cycles.avgMs[i]!;
    newestFirst.push({ sent, received, rttSumMs: (Number.isNaN(avgMs) ? 0 : avgMs) * received });
  }
  // The cycles that brought the host back from the outage were not judged, so they are not in the window.
  const judged = outage ? Math.max(0, newestFirst.length - upAfter) : newestFirst.length;
  // Cut and turned in place: one array per host, not three.
  newestFirst.length = Math.min(judged, size);
  return newestFirst.reverse();
}
