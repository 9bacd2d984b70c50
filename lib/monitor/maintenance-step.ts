import type { ProbeResult } from '../probe/pinger.js';
import { unknownHostState, type HostAck, type HostState, type PendingChange } from './host-state.js';
import type { Suppression } from './suppression.js';

/**
 * More failed cycles than any `down_after_cycles`: an outage that was already DOWN when its window began
 * needs no fresh confirmation when the window ends.
 */
const CONFIRMED = 1_000_000;

/**
 * One cycle of a host inside a maintenance window or a snooze: no alerts, no power cycles. The host is
 * MAINTENANCE from the first such cycle (its `since`); the failures it shows are kept as a pending DOWN
 * dated from the first failed attempt (or from the start of an outage already open when the window
 * began), so that {@link resumedState} can date a DOWN from the real start. An answer clears them.
 */
export function stepSuppressed(
  state: HostState,
  result: ProbeResult,
  now: Date,
  suppression: Suppression,
): HostState {
  const entering = state.status !== 'MAINTENANCE';
  const since = entering || state.since === null ? now : state.since;
  const lastRttMs = result.rttMs ?? state.lastRttMs;
  const base: HostState = { status: 'MAINTENANCE', since, lastAlertAt: null, lastRttMs, suppression };
  if (result.alive) return base;
  const failing = state.pending?.toward === 'DOWN' ? state.pending : undefined;
  const outageStart =
    (state.status === 'DOWN' || state.status === 'UNREACHABLE') && state.since !== null ? state.since : null;
  const pending: PendingChange =
    failing !== undefined && (state.status === 'MAINTENANCE' || outageStart === null)
      ? { toward: 'DOWN', cycles: failing.cycles + 1, since: failing.since }
      : outageStart !== null
        ? { toward: 'DOWN', cycles: CONFIRMED, since: outageStart }
        : { toward: 'DOWN', cycles: 1, since: result.startedAt };
  return { ...base, pending };
}

/**
 * The state a host leaves maintenance with, to be stepped with the cycle's result as usual: nothing told
 * (UNKNOWN), with the failures seen in the window still pending. A host that still fails then goes DOWN
 * (once confirmed) with its outage dated from the first failure; one that answers is UP without a message.
 */
export function resumedState(state: HostState): HostState {
  return {
    ...unknownHostState,
    lastRttMs: state.lastRttMs,
    ...(state.pending?.toward === 'DOWN' && { pending: state.pending }),
  };
}

/**
 * `state` with the ack applied when it acknowledges the host's current outage: the host is DOWN, not yet
 * acknowledged, and the ack was given after the outage began (an older one was for an earlier outage).
 * Null when it does not apply.
 */
export function acknowledged(state: HostState, ack: HostAck): HostState | null {
  if (state.status !== 'DOWN' || state.since === null || state.ack !== undefined) return null;
  if (ack.at.getTime() < state.since.getTime()) return null;
  return { ...state, ack };
}
