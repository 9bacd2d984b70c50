import type { HostStatus } from './host-state.js';

/** What the power cycler remembers about one plug between monitor cycles. */
export interface CyclePlugState {
  /** Cycles started in the current outage (reset when a trigger host answers again). */
  readonly attempts: number;
  /** Start of the last cycle, for the minimum gap between two cycles. */
  readonly lastStartAt: Date | null;
  /** A cycle is in progress. */
  readonly running: boolean;
  /** The give-up message for this outage has been given. */
  readonly gaveUp: boolean;
  /** Every trigger host has answered at least once since pingwarden started. */
  readonly armed: boolean;
  /** The plug did not answer in this outage: its last error (said in the "a person is needed" message). */
  readonly plugError: string | null;
}

/** The power cycler's state for a plug nothing has happened to yet. */
export const initialCyclePlugState: CyclePlugState = {
  attempts: 0,
  lastStartAt: null,
  running: false,
  gaveUp: false,
  armed: false,
  plugError: null,
};

/** Limits from settings.csv. */
export interface CyclePolicy {
  readonly maxPerOutage: number;
  readonly minGapMs: number;
}

/**
 * What a trigger's status says about the link it watches: `down` counts towards a power cycle, `up` ends
 * the outage (counters reset), `unknown` does neither.
 */
const TRIGGER_VIEW = {
  UNKNOWN: 'unknown',
  UP: 'up',
  // Answering: a power cycle would cut a working (if lossy) link; DEGRADED never power-cycles.
  DEGRADED: 'up',
  DOWN: 'down',
  // Behind a down parent: the trigger's own link cannot be judged.
  UNREACHABLE: 'unknown',
  // Neither up nor down for long enough to act on: no power cycle starts or ends on a flapping trigger.
  FLAPPING: 'unknown',
  // Maintenance or a snooze: no power cycle (the work may be on the modem itself), the outage count holds.
  MAINTENANCE: 'unknown',
} as const satisfies Record<HostStatus, 'down' | 'up' | 'unknown'>;

/** What to do about one plug after a monitor cycle. */
export type CycleDecision =
  /** Not all triggers are DOWN and there is no outage to close: nothing to do. */
  | { readonly kind: 'idle' }
  /** A trigger answers again after cycles or a give-up: the outage is over, counters start afresh. */
  | { readonly kind: 'recovered' }
  /** All triggers are DOWN, but a cycle is already running. */
  | { readonly kind: 'busy' }
  /** All triggers are DOWN, but they have never all been seen UP since start: cycling is not armed. */
  | { readonly kind: 'not-armed' }
  /** All triggers are DOWN and the last cycle started less than the minimum gap ago. */
  | { readonly kind: 'wait'; readonly untilMs: number }
  /** The limit of cycles per outage has just been reached: say so, once. */
  | { readonly kind: 'give-up'; readonly attempts: number }
  /** The limit was reached and said; wait for the link to come back. */
  | { readonly kind: 'gave-up' }
  /** Cycle the plug now; `attempt` counts from 1 within the outage. */
  | { readonly kind: 'cycle'; readonly attempt: number };

/**
 * Decides whether to power-cycle a plug, from the statuses of its trigger hosts after a monitor cycle.
 * Pure: the same inputs give the same answer, so every guardrail is tested without timers.
 *
 * The plug is cycled only when every trigger is DOWN, cycling is armed, no cycle is running, fewer than
 * `maxPerOutage` cycles ran in this outage, and the last one started at least `minGapMs` ago.
 */
export function decideCycle(
  triggers: readonly HostStatus[],
  state: CyclePlugState,
  now: Date,
  policy: CyclePolicy,
): CycleDecision {
  const views = triggers.map((status) => TRIGGER_VIEW[status]);
  const allDown = views.length > 0 && views.every((view) => view === 'down');
  if (!allDown) {
    const outageOpen = state.attempts > 0 || state.gaveUp;
    return outageOpen && views.includes('up') ? { kind: 'recovered' } : { kind: 'idle' };
  }
  if (state.running) return { kind: 'busy' };
  if (!state.armed) return { kind: 'not-armed' };
  if (state.attempts >= policy.maxPerOutage) {
    return state.gaveUp ? { kind: 'gave-up' } : { kind: 'give-up', attempts: state.attempts };
  }
  if (state.lastStartAt !== null) {
    const untilMs = state.lastStartAt.getTime() + policy.minGapMs;
    if (now.getTime() < untilMs) return { kind: 'wait', untilMs };
  }
  return { kind: 'cycle', attempt: state.attempts + 1 };
}
