import type { Target } from '../config/target.js';
import type { LogFields } from '../shared/log.js';
import type { Action, ActionEvent, PowerCycleSpec } from './actions.js';
import type { HostState, HostStatus } from './host-state.js';
import { addNote, NO_NOTES, type PendingNotes } from './pending-notes.js';
import { decideCycle, initialCyclePlugState, type CyclePlugState } from './power-cycle-decision.js';
import { cycleResultNote, cycleStartNote, giveUpNote, notArmedNote } from './power-cycle-notes.js';
import { cycleRules, lampTargets, plugKey } from './power-cycle-rules.js';

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
}

/** Nothing remembered yet: the state at start. */
export const initialActionMemory: ActionMemory = {
  plugs: new Map(),
  seenUp: new Set(),
  notArmedSaid: new Set(),
  notes: NO_NOTES,
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
): ActionOutcome {
  const actions: Action[] = [];
  const logs: LogEntry[] = [];
  const seenUp = new Set(memory.seenUp);
  for (const [id, state] of states) if (state.status === 'UP') seenUp.add(id);
  const plugs = new Map(memory.plugs);
  const notArmedSaid = new Set(memory.notArmedSaid);
  let notes = memory.notes;

  for (const rule of policy.powerCycles ? cycleRules(targets) : []) {
    const key = plugKey(rule.plug);
    const ids = rule.triggers.map((target) => target.id);
    const statuses = ids.map((id) => states.get(id)?.status ?? 'UNKNOWN');
    const before = plugs.get(key) ?? initialCyclePlugState;
    // A trigger answering ends a boot wait at once, so the runner's result note reaches this cycle's RESTORED.
    if (before.running && statuses.includes('UP')) actions.push({ type: 'link-back', plug: rule.plug });
    const state: CyclePlugState = { ...before, armed: before.armed || ids.every((id) => seenUp.has(id)) };
    const decision = decideCycle(statuses, state, now, {
      maxPerOutage: policy.maxPerOutage,
      minGapMs: policy.minGapMs,
    });
    switch (decision.kind) {
      case 'recovered':
        logs.push({
          level: 'info',
          message: 'power cycle: link back; counters reset',
          fields: { plug: rule.plug, cycles: state.attempts },
        });
        plugs.set(key, { ...state, attempts: 0, gaveUp: false });
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
        plugs.set(key, { ...state, attempts: decision.attempt, lastStartAt: now, running: true });
        notes = addNote(notes, ids, cycleStartNote(spec), cycleNoteKey(rule.plug, decision.attempt));
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
  return { actions, memory: { plugs, seenUp, notArmedSaid, notes }, logs };
}

/**
 * Folds what the effect runners reported into the memory: a power cycle's result becomes a note for the
 * next alert of its triggers (replacing its "started" note), its end frees the plug, a lamp failure is noted.
 */
export function applyActionEvents(memory: ActionMemory, events: readonly ActionEvent[]): ActionMemory {
  if (events.length === 0) return memory;
  let notes = memory.notes;
  const plugs = new Map(memory.plugs);
  for (const event of events) {
    switch (event.type) {
      case 'power-cycle-result': {
        const { attempt } = event;
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
  return { ...memory, plugs, notes };
}

function cycleNoteKey(plug: string, attempt: number): string {
  return `cycle:${plugKey(plug)}:${attempt}`;
}
