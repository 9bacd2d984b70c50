import type { Target } from '../../lib/config/target.js';
import type { Settings } from '../../lib/config/types.js';
import type { ActionEvent, EffectRunner } from '../../lib/monitor/actions.js';
import {
  applyActionEvents,
  evaluateActions,
  initialActionMemory,
  type ActionMemory,
} from '../../lib/monitor/evaluate-actions.js';
import { cyclePolicy } from '../../lib/monitor/evaluate-cycle.js';
import type { HostState, HostStatus } from '../../lib/monitor/host-state.js';
import type { FakeLog } from './fake-log.js';

/**
 * The action half of the monitor loop, for effect-runner tests: the pure decisions of
 * {@link evaluateActions} carried out by real runners, with their events folded back in exactly as the
 * loop does (before the decisions of a cycle, and right after the runners were handed its actions).
 */
export class ActionRig {
  private memory: ActionMemory = initialActionMemory;
  private events: ActionEvent[] = [];

  constructor(
    private readonly targets: readonly Target[],
    private readonly settings: Settings,
    private readonly runners: readonly EffectRunner[],
    private readonly log: FakeLog,
    private readonly now: () => Date,
  ) {}

  /** One monitor cycle that found the targets in the given statuses (a target left out is UNKNOWN). */
  cycle(statuses: Readonly<Record<string, HostStatus>>): void {
    const states = new Map(
      Object.entries(statuses).map(([id, status]): [string, HostState] => [
        id,
        { status, since: this.now(), lastAlertAt: null, lastRttMs: null },
      ]),
    );
    const policy = cyclePolicy(this.settings, { powerCycles: true }).actions;
    const outcome = evaluateActions(
      this.targets,
      states,
      applyActionEvents(this.memory, this.take()),
      policy,
      this.now(),
    );
    for (const entry of outcome.logs) this.log[entry.level](entry.message, entry.fields);
    for (const runner of this.runners) runner.run(outcome.actions, (event) => this.events.push(event));
    this.memory = applyActionEvents(outcome.memory, this.take());
  }

  /** The notes waiting for the next alert of `id`, including what the runners reported since. */
  pendingFor(id: string): string[] {
    return (applyActionEvents(this.memory, this.events).notes.get(id) ?? []).map((note) => note.text);
  }

  private take(): ActionEvent[] {
    const events = this.events;
    this.events = [];
    return events;
  }
}
