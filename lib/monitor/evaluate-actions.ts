import type { Target } from '../config/target.js';
import type { LogFields } from '../shared/log.js';
import type { Action, ActionEvent, PowerCycleSpec } from './actions.js';
import type { Alert, RecoveryAlertKind } from './alert.js';
import type { HostState, HostStatus } from './host-state.js';
import { addNote, NO_NOTES, type PendingNotes } from './pending-notes.js';
import { decideCycle, initialCyclePlugState, type CyclePlugState } from './power-cycle-decision.js';
import { cycleResultNote, cycleStartNote, giveUpNote, notArmedNote } from './power-cycle-notes.js';
import { cycleRules, lampTargets, plugKey, type CycleRule } from './power-cycle-rules.js';

/** What the cycle remembers about its actions between cycles. Plain data, replaced (never mutated). */
export interface ActionMemory {
  /** Power-cycle bookkeeping per plug (key: {@link plugKey}). */
  readonly plugs: ReadonlyMap<string, CyclePlugState>;
  /** Targets seen UP since start: a plug is armed once all its triggers were. */
  readonly seenUp: ReadonlySet<string>;
  /** Plugs whose "not armed" warning was given in the current outage. */
  readonly notArmedSaid: ReadonlySet<string>;
  /** Notes waiting for the next alert of a target. */
  readonly notes: PendingNotes;
  /** Recovery messages (NEEDS_PERSON...) decided but not yet handed to the outbox. */
  readonly outgoing: readonly Alert[];
}

/** Nothing remembered yet: the state at start. */
export const initialActionMemory: ActionMemory = {
  plugs: new Map(),
  seenUp: new Set(),
  notArmedSaid: new Set(),
  notes: NO_NOTES,
  outgoing: [],
};

/** The settings that govern actions, read once per cycle. */
export interface ActionPolicy {
  /** Power-cycle plugs at all (false: `cycle:` options are only reported). */
  readonly powerCycles: boolean;
  readonly maxPerOutage: number;
  readonly minGapMs: number;
  readonly offMs: number;
  readonly bootWaitMs: number;
  readonly pollMs: number;
  readonly timeoutSeconds: number;
  /** Plug name of the indicator lamp; empty: no lamp. */
  readonly lampPlug: string;
  /** Send a message of its own when a power cycle starts (`cycle_announce`). */
  readonly announceCycles: boolean;
  /** `start --dry-run`: plugs are not really switched; recovery messages say so. */
  readonly dryRun: boolean;
  /**
   * Start new power cycles (default true). False for the follow-up cycle of `pingwarden once`, which only
   * looks whether the power cycle it waited for brought the link back.
   */
  readonly startCycles?: boolean;
}

/** A log line the cycle asks for, as data. */
export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
  readonly fields?: LogFields;
}

/** What the actions of one cycle come to. */
export interface ActionOutcome {
  readonly actions: readonly Action[];
  readonly memory: ActionMemory;
  readonly logs: readonly LogEntry[];
}

/** Whether a status lights the indicator lamp. */
const LIGHTS_LAMP = {
  UNKNOWN: false,
  UP: false,
  // The lamp means "something is not answering"; DEGRADED is in the log, the alerts and the metrics.
  DEGRADED: false,
  DOWN: true,
  // Behind a down parent: the parent's outage lights it already.
  UNREACHABLE: false,
  // Not a steady outage: a lamp blinking with every flap would say nothing; the FLAPPING message does.
  FLAPPING: false,
  // Silenced on purpose: the work going on is no outage to light the lamp for.
  MAINTENANCE: false,
} as const satisfies Record<HostStatus, boolean>;

/**
 * Decides the power cycles and the lamp after the states of a cycle are known. Pure: every guardrail of
 * {@link decideCycle} (armed, running, max per outage, minimum gap) is judged on `now` and `memory`.
 */
export function evaluateActions(
  targets: readonly Target[],
  states: ReadonlyMap<string, HostState>,
  memory: ActionMemory,
  policy: ActionPolicy,
  now: Date,
  /** The states when the cycle started: a LINK_BACK message dates the outage from them. */
  startStates: ReadonlyMap<string, HostState> = states,
): ActionOutcome {
  const actions: Action[] = [];
  const logs: LogEntry[] = [];
  const seenUp = new Set(memory.seenUp);
  for (const [id, state] of states) if (state.status === 'UP') seenUp.add(id);
  const plugs = new Map(memory.plugs);
  const notArmedSaid = new Set(memory.notArmedSaid);
  let notes = memory.notes;
  const outgoing = [...memory.outgoing];

  for (const rule of policy.powerCycles ? cycleRules(targets) : []) {
    const key = plugKey(rule.plug);
    const ids = rule.triggers.map((target) => target.id);
    const statuses = ids.map((id) => states.get(id)?.status ?? 'UNKNOWN');
    const before = plugs.get(key) ?? initialCyclePlugState;
    // A trigger answering ends a boot wait at once, so the runner's result note reaches this cycle's RESTORED.
    if (before.running && statuses.includes('UP')) actions.push({ type: 'link-back', plug: rule.plug });
    const state: CyclePlugState = { ...before, armed: before.armed || ids.every((id) => seenUp.has(id)) };
    let decision = decideCycle(statuses, state, now, {
      maxPerOutage: policy.maxPerOutage,
      minGapMs: policy.minGapMs,
    });
    if (decision.kind === 'cycle' && policy.startCycles === false) decision = { kind: 'busy' };
    switch (decision.kind) {
      case 'recovered':
        if (state.gaveUp) outgoing.push(recoveryAlert('LINK_BACK', rule, startStates, state, policy, now));
        logs.push({
          level: 'info',
          message: 'power cycle: link back; counters reset',
          fields: { plug: rule.plug, cycles: state.attempts },
        });
        plugs.set(key, { ...state, attempts: 0, gaveUp: false, plugError: null });
        notArmedSaid.delete(key);
        break;
      case 'not-armed':
        if (!notArmedSaid.has(key)) {
          notArmedSaid.add(key);
          logs.push({
            level: 'warn',
            message: 'power cycle not armed: trigger hosts never answered since start',
            fields: { plug: rule.plug, hosts: ids.filter((id) => !seenUp.has(id)).join(' ') },
          });
          notes = addNote(notes, ids, notArmedNote(rule.plug));
        }
        plugs.set(key, state);
        break;
      case 'give-up':
        logs.push({
          level: 'warn',
          message: 'power cycle: giving up until the link comes back',
          fields: { plug: rule.plug, cycles: decision.attempts },
        });
        notes = addNote(notes, ids, giveUpNote(rule.plug, decision.attempts));
        outgoing.push(recoveryAlert('NEEDS_PERSON', rule, states, state, policy, now));
        plugs.set(key, { ...state, gaveUp: true });
        break;
      case 'cycle': {
        const spec: PowerCycleSpec = {
          plug: rule.plug,
          triggers: rule.triggers,
          attempt: decision.attempt,
          max: policy.maxPerOutage,
          offMs: policy.offMs,
          bootWaitMs: policy.bootWaitMs,
          pollMs: policy.pollMs,
          timeoutSeconds: policy.timeoutSeconds,
        };
        // The cycle's `now`, like that of every decision: gaps are judged on one clock.
        const started = { ...state, attempts: decision.attempt, lastStartAt: now, running: true };
        plugs.set(key, started);
        notes = addNote(notes, ids, cycleStartNote(spec), cycleNoteKey(rule.plug, decision.attempt));
        if (policy.announceCycles) {
          const alert = recoveryAlert('POWER_CYCLE', rule, states, started, policy, now);
          outgoing.push({ ...alert, notes: [cycleStartNote(spec)] });
        }
        actions.push({ type: 'power-cycle', spec });
        break;
      }
      default:
        plugs.set(key, state);
    }
  }

  if (policy.lampPlug !== '') {
    const down = lampTargets(targets).filter((id) => {
      const status = states.get(id)?.status;
      return status !== undefined && LIGHTS_LAMP[status];
    });
    actions.push({ type: 'lamp', plug: policy.lampPlug, on: down.length > 0, down });
  }
  return { actions, memory: { plugs, seenUp, notArmedSaid, notes, outgoing }, logs };
}

/** What {@link applyActionEvents} needs to tell a person at once: the cycle's config, states and time. */
export interface ActionContext {
  readonly targets: readonly Target[];
  readonly states: ReadonlyMap<string, HostState>;
  readonly policy: ActionPolicy;
  readonly now: Date;
}

/**
 * A recovery message about one plug. Its target is the plug's first trigger host (digests group by its
 * location); it dates the outage from the earliest trigger's `since`.
 */
export function recoveryAlert(
  kind: RecoveryAlertKind,
  rule: CycleRule,
  states: ReadonlyMap<string, HostState>,
  state: CyclePlugState,
  policy: ActionPolicy,
  now: Date,
): Alert {
  const since = rule.triggers
    .map((target) => states.get(target.id)?.since?.getTime())
    .filter((time): time is number => time !== undefined && time <= now.getTime());
  const downSince = new Date(since.length > 0 ? Math.min(...since) : now.getTime());
  const first = rule.triggers[0];
  return {
    kind,
    target: first ? first.label : { host: rule.plug, description: '', location: '' },
    at: now,
    downSince,
    durationMs: now.getTime() - downSince.getTime(),
    attempts: state.attempts,
    lastRttMs: null,
    recovery: {
      plug: rule.plug,
      cycles: state.attempts,
      max: policy.maxPerOutage,
      triggers: rule.triggers.map((target) => target.label),
      dryRun: policy.dryRun,
      ...(state.plugError === null ? {} : { plugError: state.plugError }),
    },
  };
}

/**
 * Folds what the effect runners reported into the memory: a power cycle's result becomes a note for the
 * next alert of its triggers (replacing its "started" note), its end frees the plug, a lamp failure is noted.
 */
export function applyActionEvents(
  memory: ActionMemory,
  events: readonly ActionEvent[],
  context?: ActionContext,
): ActionMemory {
  if (events.length === 0) return memory;
  let notes = memory.notes;
  const plugs = new Map(memory.plugs);
  const outgoing = [...memory.outgoing];
  for (const event of events) {
    switch (event.type) {
      case 'power-cycle-result': {
        const { attempt } = event;
        const key = plugKey(attempt.plug);
        const before = plugs.get(key);
        if (before) {
          // The gap to the next cycle counts from when the plug was really switched: the runner starts after
          // the cycle's traces, a variable while after the cycle's `now` that the decision recorded.
          const lastStartAt =
            before.lastStartAt === null || attempt.startedAt > before.lastStartAt
              ? attempt.startedAt
              : before.lastStartAt;
          plugs.set(key, {
            ...before,
            lastStartAt,
            ...(attempt.result === 'plug-failed' && {
              plugError: attempt.error ?? 'the plug did not answer',
            }),
          });
        }
        // The last allowed cycle failed: tell a person now, not with the next reminder an hour later.
        const failed = attempt.result === 'not-restored' || attempt.result === 'plug-failed';
        const state = plugs.get(key);
        const rule = context && cycleRules(context.targets).find((r) => plugKey(r.plug) === key);
        if (
          failed &&
          context &&
          rule &&
          state &&
          !state.gaveUp &&
          attempt.attempt >= context.policy.maxPerOutage
        ) {
          const gaveUp = { ...state, gaveUp: true };
          plugs.set(key, gaveUp);
          notes = addNote(notes, attempt.hosts, giveUpNote(attempt.plug, attempt.attempt));
          outgoing.push(
            recoveryAlert('NEEDS_PERSON', rule, context.states, gaveUp, context.policy, context.now),
          );
        }
        notes = addNote(
          notes,
          attempt.hosts,
          cycleResultNote(attempt, event.bootWaitMs),
          cycleNoteKey(attempt.plug, attempt.attempt),
        );
        break;
      }
      case 'power-cycle-ended': {
        const key = plugKey(event.plug);
        const state = plugs.get(key);
        if (state) plugs.set(key, { ...state, running: false });
        break;
      }
      case 'lamp-failed':
        notes = addNote(
          notes,
          event.down,
          `indicator lamp ${event.plug} could not be switched ${event.on ? 'on' : 'off'}: ${event.error}`,
        );
        break;
    }
  }
  return { ...memory, plugs, notes, outgoing };
}

function cycleNoteKey(plug: string, attempt: number): string {
  return `cycle:${plugKey(plug)}:${attempt}`;
}
