import type { ProbeResult } from '../probe/pinger.js';
import type { Alert, HostLabel } from './alert.js';

/**
 * What the monitor believes about a host. UNKNOWN until its first probe result arrives. UNREACHABLE: not
 * answering while the host it sits behind (`parent:` in hosts.csv) is DOWN or UNREACHABLE itself, so its
 * silence says nothing about the host; it gets no alert of its own, the parent's alert lists it.
 */
export const HOST_STATUSES = ['UNKNOWN', 'UP', 'DOWN', 'UNREACHABLE'] as const;

/**
 * One of {@link HOST_STATUSES}. Every mapping from a status (history, report, metrics, texts, lamp) is a
 * `satisfies Record<HostStatus, ...>` table, so adding a status is a compile error wherever it must be handled.
 */
export type HostStatus = (typeof HOST_STATUSES)[number];

/**
 * Whether a status means "something is not answering": `pingwarden once` exits 1 when any target is in one.
 */
export const IS_OUTAGE = {
  UNKNOWN: false,
  UP: false,
  DOWN: true,
  UNREACHABLE: true,
} as const satisfies Record<HostStatus, boolean>;

/** Whether a text (a history record, an API value) names a status. */
export function isHostStatus(value: unknown): value is HostStatus {
  return typeof value === 'string' && (HOST_STATUSES as readonly string[]).includes(value);
}

/** Everything the state machine remembers about one host between cycles. Plain data, serialisable. */
export interface HostState {
  readonly status: HostStatus;
  /** When the current status began (the outage start while DOWN or UNREACHABLE); null while UNKNOWN. */
  readonly since: Date | null;
  /** When the last DOWN or REMINDER alert was emitted; the reminder cadence is timed from here. */
  readonly lastAlertAt: Date | null;
  /** Round-trip time of the last reply seen, kept through an outage so alerts can quote it. */
  readonly lastRttMs: number | null;
}

/** The state of a host nothing is known about yet (new, or just added to hosts.csv). */
export const unknownHostState: HostState = {
  status: 'UNKNOWN',
  since: null,
  lastAlertAt: null,
  lastRttMs: null,
};

/** Tunables of the state machine, from settings.csv. */
export interface AlertPolicy {
  /** Time between reminders while a host stays down; 0 turns reminders off. */
  readonly realertMs: number;
}

/** What the state machine needs to know about the rest of the network when it steps one host. */
export interface StepContext {
  /**
   * The host's parent is DOWN or UNREACHABLE after this cycle's step (parents are stepped first): a
   * failure is then UNREACHABLE rather than DOWN.
   */
  readonly parentDown?: boolean;
}

/** Something the loop must carry out. Plain data, so the machine stays pure and testable without timers. */
export type Effect = { readonly type: 'notify'; readonly alert: Alert };

/** The outcome of one step: the next state and the effects it calls for, in order. */
export interface StepOutcome {
  readonly next: HostState;
  readonly effects: readonly Effect[];
}

/**
 * Advances one host's state by one probe result.
 *
 * `now` is the time the cycle is judged at; reminders are due when `now - lastAlertAt >= realertMs`, so a
 * cadence that lines up with the probe interval is met on the dot rather than one interval late.
 * An outage starts at the first failed attempt (`result.startedAt`), not when it was noticed.
 *
 * With `context.parentDown`, a host that fails becomes UNREACHABLE quietly. A host already DOWN stays DOWN
 * (its alert went out before the parent failed). When the parent is back and the host still fails, it
 * becomes DOWN and alerts, its outage dated from when it became UNREACHABLE. UNREACHABLE to UP is quiet:
 * nobody was told it was down.
 */
export function step(
  state: HostState,
  result: ProbeResult,
  target: HostLabel,
  now: Date,
  policy: AlertPolicy,
  context: StepContext = {},
): StepOutcome {
  if (result.alive) {
    const next: HostState = {
      status: 'UP',
      since: state.status === 'UP' ? state.since : now,
      lastAlertAt: null,
      lastRttMs: result.rttMs,
    };
    if (state.status !== 'DOWN' || state.since === null) return { next, effects: [] };
    return { next, effects: [notify('RESTORED', target, now, state.since, result, result.rttMs)] };
  }

  if (context.parentDown && state.status !== 'DOWN') {
    const next: HostState = {
      status: 'UNREACHABLE',
      since: state.status === 'UNREACHABLE' && state.since !== null ? state.since : result.startedAt,
      lastAlertAt: null,
      lastRttMs: state.lastRttMs,
    };
    return { next, effects: [] };
  }

  if (state.status !== 'DOWN' || state.since === null) {
    const downSince = state.status === 'UNREACHABLE' && state.since !== null ? state.since : result.startedAt;
    const next: HostState = {
      status: 'DOWN',
      since: downSince,
      lastAlertAt: now,
      lastRttMs: state.lastRttMs,
    };
    return { next, effects: [notify('DOWN', target, now, downSince, result, state.lastRttMs)] };
  }

  const lastAlertAt = state.lastAlertAt ?? state.since;
  const reminderDue = policy.realertMs > 0 && now.getTime() - lastAlertAt.getTime() >= policy.realertMs;
  if (!reminderDue) return { next: state, effects: [] };
  return {
    next: { ...state, lastAlertAt: now },
    effects: [notify('REMINDER', target, now, state.since, result, state.lastRttMs)],
  };
}

function notify(
  kind: Alert['kind'],
  target: HostLabel,
  now: Date,
  downSince: Date,
  result: ProbeResult,
  lastRttMs: number | null,
): Effect {
  // A probe starts a few milliseconds after the cycle's `now`: an alert is never dated before the outage
  // it reports (a webhook's `at` before its `downSince` reads as a bug), and never lasts less than zero.
  const at = now.getTime() < downSince.getTime() ? downSince : now;
  const alert: Alert = {
    kind,
    target,
    at,
    downSince,
    durationMs: at.getTime() - downSince.getTime(),
    attempts: result.attempts,
    lastRttMs,
    ...(result.error === undefined ? {} : { reason: result.error }),
    ...(result.notes === undefined || result.notes.length === 0 ? {} : { notes: result.notes }),
  };
  return { type: 'notify', alert };
}
