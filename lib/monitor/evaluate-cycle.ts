import type { Target } from '../config/target.js';
import type { Settings } from '../config/types.js';
import type { ProbeResult } from '../probe/pinger.js';
import type { Action } from './actions.js';
import type { Alert } from './alert.js';
import { dependencyOrder, isParentDown, parentsOf, withUnreachableChildren } from './dependency-tree.js';
import type { QualityThresholds } from './quality-window.js';
import { evaluateActions, type ActionMemory, type ActionPolicy, type LogEntry } from './evaluate-actions.js';
import {
  HOST_STATUSES,
  step,
  unknownHostState,
  type AlertPolicy,
  type Effect,
  type HostAck,
  type HostState,
  type HostStatus,
  type StepContext,
} from './host-state.js';
import { acknowledged, resumedState, stepSuppressed } from './maintenance-step.js';
import type { AckRequest, Suppression } from './suppression.js';

/** Every tunable of one cycle, read from the settings in force when it starts. */
export interface CyclePolicy {
  readonly alerts: AlertPolicy;
  readonly actions: ActionPolicy;
  /** DEGRADED thresholds of targets that set none of their own; absent = never DEGRADED. */
  readonly quality?: QualityThresholds;
}

/** A target's DEGRADED thresholds: its own `degraded-loss:` / `degraded-rtt:`, else the policy's. */
export function thresholdsOf(
  target: Target,
  defaults: QualityThresholds | undefined,
): QualityThresholds | undefined {
  const own = target.degraded;
  if (own === undefined) return defaults;
  return {
    lossPercent: own.lossPercent ?? defaults?.lossPercent ?? 0,
    rttMs: own.rttMs ?? defaults?.rttMs ?? 0,
  };
}

/** The policy the settings give; `powerCycles` false leaves `cycle:` rows unacted on. */
export function cyclePolicy(
  settings: Settings,
  options: { readonly powerCycles: boolean; readonly dryRun?: boolean; readonly startCycles?: boolean },
): CyclePolicy {
  return {
    alerts: {
      realertMs: settings.realertSeconds * 1000,
      escalateAfterMs: settings.escalateAfterSeconds * 1000,
      qualityWindow: settings.qualityWindow,
      alertDegraded: settings.alertDegraded,
      downAfterCycles: settings.downAfterCycles,
      upAfterCycles: settings.upAfterCycles,
      flapHighPercent: settings.flapHighPercent,
      flapLowPercent: settings.flapLowPercent,
    },
    quality: { lossPercent: settings.degradedLossPercent, rttMs: settings.degradedRttMs },
    actions: {
      powerCycles: options.powerCycles,
      maxPerOutage: settings.cycleMaxPerOutage,
      minGapMs: settings.cycleMinGapSeconds * 1000,
      offMs: settings.cycleOffSeconds * 1000,
      bootWaitMs: settings.cycleBootWaitSeconds * 1000,
      pollMs: settings.cyclePollSeconds * 1000,
      timeoutSeconds: settings.timeoutSeconds,
      lampPlug: settings.indicatorLamp,
      announceCycles: settings.cycleAnnounce,
      dryRun: options.dryRun ?? false,
      ...(options.startCycles === false && { startCycles: false }),
    },
  };
}

/**
 * The log line of a host waiting for confirmation (`state=waiting toward=DOWN cycle=1/2`), or of a wait
 * that ended without the change (`a one-cycle blip ignored`); null when neither.
 */
function confirmationLog(
  host: string,
  before: HostState,
  next: HostState,
  policy: CyclePolicy['alerts'],
): LogEntry | null {
  const pending = next.pending;
  if (pending !== undefined) {
    const needed = pending.toward === 'DOWN' ? (policy.downAfterCycles ?? 1) : (policy.upAfterCycles ?? 1);
    return {
      level: 'info',
      message: 'waiting for confirmation',
      fields: {
        host,
        state: next.status,
        toward: pending.toward,
        cycle: `${pending.cycles}/${needed}`,
        since: pending.since.toISOString(),
      },
    };
  }
  const was = before.pending;
  if (
    was === undefined ||
    next.status === was.toward ||
    (was.toward === 'UP' && next.status === 'DEGRADED')
  ) {
    return null;
  }
  return {
    level: 'info',
    message: 'not confirmed',
    fields: {
      host,
      state: next.status,
      toward: was.toward,
      cycles: was.cycles,
      since: was.since.toISOString(),
    },
  };
}

/** What one cycle is judged from. */
export interface CycleInput {
  /** Every tracked target's state when the cycle started. */
  readonly states: ReadonlyMap<string, HostState>;
  readonly results: readonly ProbeResult[];
  /** The targets of the configuration in force, in file order. */
  readonly targets: readonly Target[];
  readonly policy: CyclePolicy;
  /** When the cycle started: the time every change of the cycle is judged at. */
  readonly now: Date;
  readonly memory: ActionMemory;
  /**
   * Targets in a maintenance window or snoozed at `now` (see `suppressionsAt`): stepped without alerts or
   * power cycles. Absent: none.
   */
  readonly suppressed?: ReadonlyMap<string, Suppression>;
  /** Acks given by `pingwarden ack` (each applies once, to the outage open when it was given). */
  readonly acks?: readonly AckRequest[];
}

/** An outage acknowledged in this cycle. */
export interface AckedOutage {
  readonly target: Target;
  /** When the outage began. */
  readonly since: Date;
  readonly ack: HostAck;
}

/** One target whose status changed in a cycle. */
export interface StateChange {
  readonly target: Target;
  readonly before: HostState;
  readonly after: HostState;
  readonly result: ProbeResult;
}

/** A target no longer configured, with its last state (an open outage closes as "removed", no alert). */
export interface RemovedTarget {
  readonly id: string;
  readonly state: HostState;
}

/** Everything a cycle decided, as data; the loop carries it out. */
export interface CycleOutcome {
  /** The state of every configured target after the cycle. */
  readonly states: ReadonlyMap<string, HostState>;
  readonly changes: readonly StateChange[];
  readonly removed: readonly RemovedTarget[];
  /** In the order found (parents before their children), without the notes of actions yet. */
  readonly alerts: readonly Alert[];
  readonly actions: readonly Action[];
  readonly memory: ActionMemory;
  readonly logs: readonly LogEntry[];
  /** Targets per status after the cycle. */
  readonly counts: Readonly<Record<HostStatus, number>>;
  /** Outages acknowledged in this cycle (history records them). */
  readonly acked: readonly AckedOutage[];
}

/**
 * Judges one cycle: steps every target's state machine with its result (parents first, so a child sees
 * its parent's status of this very cycle), lists the UNREACHABLE children in their parent's alerts, and
 * decides power cycles and the lamp. Pure: no clock, no I/O; the same input gives the same outcome.
 * A target without a result (not probed, a sensor not heard from yet) keeps its state.
 */
export function evaluateCycle(input: CycleInput): CycleOutcome {
  const { targets, results, now, policy } = input;
  // Indexed loops and forEach rather than for-of over the targets: a cron run judges once, mostly before
  // V8 optimises this, and unoptimised for-of allocates a result object (and for a map an entry) per host.
  const startStates = new Map<string, HostState>();
  for (let i = 0; i < targets.length; i++) {
    const id = (targets[i] as Target).id;
    startStates.set(id, input.states.get(id) ?? unknownHostState);
  }
  const removed: RemovedTarget[] = [];
  input.states.forEach((state, id) => {
    if (!startStates.has(id)) removed.push({ id, state });
  });
  const states = new Map(startStates);
  const parents = parentsOf(targets);
  const resultsById = new Map<string, ProbeResult>();
  for (let i = 0; i < results.length; i++) {
    const result = results[i] as ProbeResult;
    resultsById.set(result.host, result);
  }
  const contexts = new StepContexts(policy.quality);
  const changes: StateChange[] = [];
  const confirmations: LogEntry[] = [];
  const acked: AckedOutage[] = [];
  const acksByHost = new Map((input.acks ?? []).map((ack) => [ack.host, ack]));
  let alerts: Alert[] = [];
  const ordered = dependencyOrder(targets);
  for (let i = 0; i < ordered.length; i++) {
    const target = ordered[i] as Target;
    const result = resultsById.get(target.id);
    if (!result) continue;
    let before = states.get(target.id) ?? unknownHostState;
    const request = acksByHost.get(target.id);
    const withAck =
      request === undefined ? null : acknowledged(before, { at: request.at, note: request.note });
    if (withAck !== null && withAck.ack !== undefined && withAck.since !== null) {
      before = withAck;
      states.set(target.id, before);
      acked.push({ target, since: withAck.since, ack: withAck.ack });
      confirmations.push({
        level: 'info',
        message: 'outage acknowledged; no more reminders',
        fields: { host: target.id, since: withAck.since.toISOString(), note: withAck.ack.note ?? '' },
      });
    }
    const suppression = input.suppressed?.get(target.id);
    if (suppression !== undefined) {
      const next = stepSuppressed(before, result, now, suppression);
      states.set(target.id, next);
      if (before.status !== 'MAINTENANCE') {
        confirmations.push({
          level: 'info',
          message: suppression.kind === 'snooze' ? 'snoozed: no alerts' : 'maintenance window: no alerts',
          fields: {
            host: target.id,
            until: suppression.until.toISOString(),
            ...(suppression.note !== null && { note: suppression.note }),
          },
        });
        changes.push({ target, before, after: next, result });
      }
      continue;
    }
    // Out of its window or snooze: judged afresh, with the failures seen in it still counting.
    const from = before.status === 'MAINTENANCE' ? resumedState(before) : before;
    if (from !== before) {
      confirmations.push({
        level: 'info',
        message: `${before.suppression?.kind === 'snooze' ? 'snooze' : 'maintenance'} over`,
        fields: { host: target.id, answering: result.alive ? 'yes' : 'no' },
      });
    }
    const parentDown = isParentDown(target.id, parents, states, startStates);
    const { next, effects } = step(
      from,
      result,
      target.label,
      now,
      policy.alerts,
      contexts.of(target, parentDown),
    );
    states.set(target.id, next);
    const waiting = confirmationLog(target.id, from, next, policy.alerts);
    if (waiting !== null) confirmations.push(waiting);
    if (next.status !== before.status) changes.push({ target, before, after: next, result });
    for (let e = 0; e < effects.length; e++) {
      const { alert } = effects[e] as Effect;
      // Held by a window or snooze: the message says why it comes only now.
      const held = from !== before && alert.kind === 'DOWN';
      alerts.push(held ? withNote(alert, heldNote(before)) : alert);
    }
  }
  alerts = withUnreachableChildren(alerts, targets, states);

  const decided = evaluateActions(targets, states, input.memory, policy.actions, now, startStates);
  const counts = Object.fromEntries(HOST_STATUSES.map((status) => [status, 0])) as Record<HostStatus, number>;
  states.forEach((state) => counts[state.status]++);
  return {
    states,
    changes,
    removed,
    alerts,
    actions: decided.actions,
    memory: decided.memory,
    logs: [...confirmations, ...decided.logs],
    counts,
    acked,
  };
}

/**
 * The step context of each target: shared by every target that has the default thresholds (nearly all), so
 * judging 10,000 hosts does not build 10,000 of them.
 */
class StepContexts {
  private readonly shared: readonly [StepContext, StepContext];

  constructor(private readonly defaults: QualityThresholds | undefined) {
    this.shared = [StepContexts.make(false, defaults), StepContexts.make(true, defaults)];
  }

  of(target: Target, parentDown: boolean): StepContext {
    if (target.degraded === undefined) return this.shared[parentDown ? 1 : 0];
    return StepContexts.make(parentDown, thresholdsOf(target, this.defaults));
  }

  private static make(parentDown: boolean, thresholds: QualityThresholds | undefined): StepContext {
    return thresholds === undefined ? { parentDown } : { parentDown, thresholds };
  }
}

function withNote(alert: Alert, note: string): Alert {
  return { ...alert, notes: [...(alert.notes ?? []), note] };
}

/** The note of a DOWN held back by a maintenance window or a snooze until it ended. */
function heldNote(state: HostState): string {
  const kind = state.suppression?.kind;
  // After a restart the state no longer knows which of the two it was.
  const what =
    kind === 'snooze'
      ? 'snooze'
      : kind === 'maintenance'
        ? 'maintenance window'
        : 'maintenance window or snooze';
  return `It stopped answering during a ${what}; this DOWN was held until the ${what} ended.`;
}
