import type { ProbeResult } from '../probe/pinger.js';
import type { Suppression } from './suppression.js';
import type { Alert, AlertQuality, HostLabel } from './alert.js';
import { flapPercent, isFull, withResult, type FlapHistory } from './flapping.js';
import { pooledQuality, withSample, type QualitySample, type QualityThresholds } from './quality-window.js';

/**
 * What the monitor believes about a host. UNKNOWN until its first probe result arrives. UNREACHABLE: not
 * answering while the host it sits behind (`parent:` in hosts.csv) is DOWN or UNREACHABLE itself, so its
 * silence says nothing about the host; it gets no alert of its own, the parent's alert lists it.
 * DEGRADED: answering, but its loss or average RTT over the last `quality_window` cycles reached a threshold
 * (`degraded_loss_percent`, `degraded_rtt_ms`, or the host's own `degraded-loss:` / `degraded-rtt:`).
 * FLAPPING: changing between answering and not so often (Icinga's weighted share of changes over the last
 * 20 results above `flap_high_percent`) that each change is not told; it ends below `flap_low_percent`.
 * MAINTENANCE: inside a maintenance window (maintenance.csv) or a snooze (`pingwarden snooze`): probed, but
 * no alerts and no power cycles, and left out of availability; see monitor/maintenance-step.ts.
 */
export const HOST_STATUSES = [
  'UNKNOWN',
  'UP',
  'DEGRADED',
  'DOWN',
  'UNREACHABLE',
  'FLAPPING',
  'MAINTENANCE',
] as const;

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
  // Answering: `once` exits 0 for it (README, "pingwarden once"); the log and metrics show it.
  DEGRADED: false,
  DOWN: true,
  UNREACHABLE: true,
  // Not answering part of the time: `once` exits 1 for it, as for an outage (README, "pingwarden once").
  FLAPPING: true,
  // Silenced on purpose: `once` exits 0 for it (README, "Maintenance, snooze and ack").
  MAINTENANCE: false,
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
  /**
   * Packets of the last answering cycles, newest last, at most `quality_window` of them; what DEGRADED is
   * judged from. Emptied by an outage (a dead cycle is DOWN's business, not loss). Absent = empty.
   */
  readonly window?: readonly QualitySample[];
  /**
   * A change waiting for confirmation (`down_after_cycles`, `up_after_cycles`): `cycles` results in a row
   * pointed `toward` it, the first at `since` (for DOWN, the first failed attempt: the outage's start once
   * confirmed). Absent: nothing pending.
   */
  readonly pending?: PendingChange;
  /** The answers of the last cycles, for flap detection (see flapping.ts). Absent = none yet. */
  readonly flap?: FlapHistory;
  /**
   * Set by `pingwarden ack` for the current outage only (issue 16): reminders and escalation stop, RESTORED
   * still goes out. Cleared when the outage ends. Absent: not acknowledged.
   */
  readonly ack?: HostAck;
  /**
   * DOWN only: when this outage was escalated (`escalate_after_seconds`), so it is escalated once. Absent:
   * not escalated.
   */
  readonly escalatedAt?: Date;
  /**
   * MAINTENANCE only: whether a window or a snooze silences the host, until when, and its note. While
   * MAINTENANCE, {@link HostState.pending} toward DOWN holds the failures seen, so a host still down at the
   * end gets its DOWN dated from the real start.
   */
  readonly suppression?: Suppression;
}

/** An acknowledgement of a host's current outage: when, and the note given with it. */
export interface HostAck {
  readonly at: Date;
  readonly note: string | null;
}

/** See {@link HostState.pending}. */
export interface PendingChange {
  readonly toward: 'DOWN' | 'UP';
  readonly cycles: number;
  readonly since: Date;
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
  /** An unacknowledged outage this old is escalated, once (`escalate_after_seconds`); 0 or absent = off. */
  readonly escalateAfterMs?: number;
  /** Cycles pooled to judge DEGRADED (`quality_window`); default 3. */
  readonly qualityWindow?: number;
  /** Send DEGRADED and QUALITY_RESTORED alerts (`alert_degraded`); default true. */
  readonly alertDegraded?: boolean;
  /** Failed cycles in a row before a host is DOWN (`down_after_cycles`); default 1. */
  readonly downAfterCycles?: number;
  /** Answering cycles in a row before a DOWN host is RESTORED (`up_after_cycles`); default 1. */
  readonly upAfterCycles?: number;
  /** FLAPPING above this weighted share of state changes (`flap_high_percent`); 0 or absent = off. */
  readonly flapHighPercent?: number;
  /** FLAPPING ends below this share (`flap_low_percent`). */
  readonly flapLowPercent?: number;
}

/** What the state machine needs to know about the rest of the network when it steps one host. */
export interface StepContext {
  /**
   * The host's parent is DOWN or UNREACHABLE after this cycle's step (parents are stepped first): a
   * failure is then UNREACHABLE rather than DOWN.
   */
  readonly parentDown?: boolean;
  /** This host's DEGRADED thresholds (its own, else the settings'); absent = never DEGRADED. */
  readonly thresholds?: QualityThresholds;
}

/** Something the loop must carry out. Plain data, so the machine stays pure and testable without timers. */
export type Effect = { readonly type: 'notify'; readonly alert: Alert };

/** No effects: shared by every step that calls for none (nearly all of them). */
const NO_EFFECTS: readonly Effect[] = Object.freeze([]);

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
  const high = policy.flapHighPercent ?? 0;
  if (high <= 0) {
    if (state.status !== 'FLAPPING') return stepStatus(state, result, target, now, policy, context);
    // Flap detection was turned off while the host flapped: it settles at once.
    return settle(state, result, target, now, policy, context, state.flap ?? '');
  }
  const flap = withResult(state.flap, result.alive);
  const percent = flapPercent(flap);
  if (state.status === 'FLAPPING') {
    // A resumed FLAPPING host without a flap history in the quality series (a route check, a lost series)
    // starts with none: it stays FLAPPING until a full one says otherwise.
    if (!isFull(flap) || percent >= (policy.flapLowPercent ?? high)) {
      return { next: { ...state, flap, lastRttMs: result.rttMs ?? state.lastRttMs }, effects: NO_EFFECTS };
    }
    return settle(state, result, target, now, policy, context, flap);
  }
  if (percent > high && state.status !== 'UNKNOWN' && !context.parentDown) {
    const next: HostState = {
      status: 'FLAPPING',
      since: now,
      lastAlertAt: null,
      lastRttMs: result.rttMs ?? state.lastRttMs,
      flap,
    };
    const effect = notify('FLAPPING', target, now, now, result, next.lastRttMs);
    return { next, effects: [{ ...effect, alert: { ...effect.alert, flapPercent: round1(percent) } }] };
  }
  const outcome = stepStatus(state, result, target, now, policy, context);
  // A host whose history did not change (up or down all along) often keeps its very state: no copy then.
  if (outcome.next.flap === flap) return outcome;
  return { next: { ...outcome.next, flap }, effects: outcome.effects };
}

/**
 * The end of flapping: the host takes the status this result gives on its own (UP, DEGRADED or DOWN, no
 * confirmation wait: the flapping was the wait), with one FLAPPING_STOPPED message saying which. Stopped
 * as DOWN, the outage is dated from this cycle's first failed attempt and reminders are paced from here.
 */
function settle(
  state: HostState,
  result: ProbeResult,
  target: HostLabel,
  now: Date,
  policy: AlertPolicy,
  context: StepContext,
  flap: FlapHistory,
): StepOutcome {
  const fresh: HostState = { ...unknownHostState, lastRttMs: state.lastRttMs };
  const quiet: AlertPolicy = { ...policy, downAfterCycles: 1, upAfterCycles: 1, alertDegraded: false };
  const { next } = stepStatus(fresh, result, target, now, quiet, context);
  const settled: HostState = {
    ...next,
    lastAlertAt: next.status === 'DOWN' ? now : null,
    flap,
  };
  const since = state.since ?? now;
  const effect = notify('FLAPPING_STOPPED', target, now, since, result, settled.lastRttMs);
  return {
    next: settled,
    effects: [
      {
        ...effect,
        alert: {
          ...effect.alert,
          settledAs:
            settled.status === 'FLAPPING' || settled.status === 'MAINTENANCE' ? 'UNKNOWN' : settled.status,
        },
      },
    ],
  };
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** {@link step} without flap detection. */
function stepStatus(
  state: HostState,
  result: ProbeResult,
  target: HostLabel,
  now: Date,
  policy: AlertPolicy,
  context: StepContext,
): StepOutcome {
  if (result.alive) return stepAlive(state, result, target, now, policy, context);

  if (context.parentDown && state.status !== 'DOWN') {
    const next: HostState = {
      status: 'UNREACHABLE',
      since: state.status === 'UNREACHABLE' && state.since !== null ? state.since : result.startedAt,
      lastAlertAt: null,
      lastRttMs: state.lastRttMs,
    };
    return { next, effects: NO_EFFECTS };
  }

  if (state.status !== 'DOWN' || state.since === null) {
    const failing = state.pending?.toward === 'DOWN' ? state.pending : undefined;
    const firstFailure = failing?.since ?? result.startedAt;
    const cycles = (failing?.cycles ?? 0) + 1;
    // Behind a parent that was down, the host has been failing all along: no fresh confirmation.
    if (state.status !== 'UNREACHABLE' && cycles < (policy.downAfterCycles ?? 1)) {
      return {
        next: { ...state, pending: { toward: 'DOWN', cycles, since: firstFailure } },
        effects: NO_EFFECTS,
      };
    }
    const downSince =
      state.status === 'UNREACHABLE' && state.since !== null
        ? state.since
        : notBefore(firstFailure, state.since);
    const next: HostState = {
      status: 'DOWN',
      since: downSince,
      lastAlertAt: now,
      lastRttMs: state.lastRttMs,
    };
    return { next, effects: [notify('DOWN', target, now, downSince, result, state.lastRttMs)] };
  }

  const lastAlertAt = state.lastAlertAt ?? state.since;
  // An acknowledged outage gets no more reminders (`pingwarden ack`); its RESTORED still goes out.
  const reminderDue =
    state.ack === undefined &&
    policy.realertMs > 0 &&
    now.getTime() - lastAlertAt.getTime() >= policy.realertMs;
  // Escalated once per outage, and never once someone acknowledged it: then someone knows.
  const escalateAfterMs = policy.escalateAfterMs ?? 0;
  const escalationDue =
    state.ack === undefined &&
    state.escalatedAt === undefined &&
    escalateAfterMs > 0 &&
    now.getTime() - state.since.getTime() >= escalateAfterMs;
  // A failure while a recovery waited for confirmation starts that count again. Copied only then: most
  // cycles of an outage change nothing, and a host that stays down keeps its very state.
  if (!reminderDue && !escalationDue) {
    return { next: state.pending === undefined ? state : withoutPending(state), effects: NO_EFFECTS };
  }
  const down = withoutPending(state);
  const effects: Effect[] = [];
  if (reminderDue) effects.push(notify('REMINDER', target, now, state.since, result, state.lastRttMs));
  if (escalationDue) effects.push(notify('ESCALATION', target, now, state.since, result, state.lastRttMs));
  return {
    next: {
      ...down,
      ...(reminderDue && { lastAlertAt: now }),
      ...(escalationDue && { escalatedAt: now }),
    },
    effects,
  };
}

/**
 * An answering host: UP, or DEGRADED when the pooled window reaches a threshold. From DOWN it is RESTORED
 * (and may be DEGRADED from that very cycle on, without a second message: the RESTORED one quotes the
 * quality). UP → DEGRADED sends DEGRADED, DEGRADED → UP sends QUALITY_RESTORED, both unless
 * `alertDegraded` is false. From UNKNOWN or UNREACHABLE nobody was told anything, so only entering DEGRADED
 * is told.
 */
function stepAlive(
  state: HostState,
  result: ProbeResult,
  target: HostLabel,
  now: Date,
  policy: AlertPolicy,
  context: StepContext,
): StepOutcome {
  if (state.status === 'DOWN' && state.since !== null) {
    const recovering = state.pending?.toward === 'UP' ? state.pending : undefined;
    const cycles = (recovering?.cycles ?? 0) + 1;
    if (cycles < (policy.upAfterCycles ?? 1)) {
      const pending: PendingChange = { toward: 'UP', cycles, since: recovering?.since ?? now };
      return { next: { ...state, pending }, effects: NO_EFFECTS };
    }
  }
  const answeringBefore = state.status === 'UP' || state.status === 'DEGRADED';
  const sampled =
    result.quality === undefined
      ? ((answeringBefore ? state.window : undefined) ?? [])
      : withSample(answeringBefore ? (state.window ?? []) : [], result.quality, policy.qualityWindow ?? 3);
  // The first cycle after an outage straddles it (packets lost while the link came back): it is quoted in
  // the RESTORED alert but never judged, or every outage would end in a DEGRADED and a "quality restored".
  const returning = state.status === 'DOWN' || state.status === 'UNREACHABLE';
  const window = returning ? [] : sampled;
  const pooled = pooledQuality(window);
  // A warning from the prober (a certificate close to expiry) is DEGRADED whatever the link's quality.
  const degraded =
    result.warning !== undefined || (context.thresholds !== undefined && pooled.exceeds(context.thresholds));
  const status: HostStatus = degraded ? 'DEGRADED' : 'UP';
  const next: HostState = {
    status,
    // A clock stepped back while running must not date an outage's end before its start.
    since: state.status === status && state.since !== null ? state.since : notBefore(now, state.since),
    lastAlertAt: null,
    lastRttMs: result.rttMs,
    window,
  };
  // What an alert quotes; its summary is worked out only for an alert, as most cycles send none.
  const quoted = returning ? pooledQuality(sampled) : pooled;
  if (state.status === 'DOWN' && state.since !== null) {
    const alert = notify('RESTORED', target, now, state.since, result, result.rttMs, quoted.summary);
    return { next, effects: [alert] };
  }
  if (policy.alertDegraded === false || status === state.status) return { next, effects: NO_EFFECTS };
  if (status === 'DEGRADED') {
    return { next, effects: [notify('DEGRADED', target, now, now, result, result.rttMs, quoted.summary)] };
  }
  if (state.status === 'DEGRADED' && state.since !== null) {
    const alert = notify('QUALITY_RESTORED', target, now, state.since, result, result.rttMs, quoted.summary);
    return { next, effects: [alert] };
  }
  return { next, effects: NO_EFFECTS };
}

/** `state` without its pending change. */
function withoutPending(state: HostState): HostState {
  const { pending, ...rest } = state;
  return rest;
}

function notify(
  kind: Alert['kind'],
  target: HostLabel,
  now: Date,
  downSince: Date,
  result: ProbeResult,
  lastRttMs: number | null,
  quality?: AlertQuality,
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
    ...(result.warning === undefined ? {} : { reason: result.warning }),
    ...(result.notes === undefined || result.notes.length === 0 ? {} : { notes: result.notes }),
    ...(quality === undefined || quality.packets === 0 ? {} : { quality }),
  };
  return { type: 'notify', alert };
}

/** `time`, or `floor` when the clock stepped back behind it: a state never begins before the one it ends. */
function notBefore(time: Date, floor: Date | null): Date {
  return floor !== null && time.getTime() < floor.getTime() ? floor : time;
}
