import type {
  Action,
  ActionEvent,
  CycleAttempt,
  EffectRunner,
  PowerCycleSpec,
} from '../../monitor/actions.js';
import { plugKey } from '../../monitor/power-cycle-rules.js';
import type { Clock } from '../../shared/clock.js';
import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { PlugSwitch } from '../kasa/plug-switch.js';
import { PowerCycleRun, type ProbeTargets } from './power-cycle-run.js';

/** What the {@link PowerCycleRunner} is built from. */
export interface PowerCycleRunnerDeps {
  readonly clock: Clock;
  readonly plugs: PlugSwitch;
  readonly probe: ProbeTargets;
  readonly log: Log;
  /** Called once per finished cycle attempt, e.g. to record it in the outage history. */
  readonly onAttempt?: (attempt: CycleAttempt) => void;
  /**
   * `start --dry-run`: the plugs are a dry-run switch, so nothing was done. The attempt is logged as
   * `result=dry-run` and `onAttempt` is not called: the history must not count a cycle that never happened.
   */
  readonly dryRun?: boolean;
}

/**
 * Carries out the cycle's `power-cycle` and `link-back` actions. The decision to cycle (every guardrail:
 * armed, max per outage, minimum gap) was made by the pure cycle; this runs the procedure in the
 * background, so the monitor never waits for one, and reports the result and the end of each run.
 * {@link stop} ends running cycles with the plug switched back on; the daemon awaits it before exiting.
 */
export class PowerCycleRunner implements EffectRunner {
  readonly name = 'power-cycle';
  private readonly runs = new Map<string, PowerCycleRun>();
  private readonly stopping = new AbortController();

  constructor(private readonly deps: PowerCycleRunnerDeps) {}

  run(actions: readonly Action[], report: (event: ActionEvent) => void): void {
    for (const action of actions) {
      if (action.type === 'link-back') this.runs.get(plugKey(action.plug))?.linkBack();
      else if (action.type === 'power-cycle' && !this.stopping.signal.aborted)
        this.start(action.spec, report);
    }
  }

  /**
   * Waits for the running cycles to end on their own (the boot wait included): `pingwarden once` waits
   * for the power cycle it started, then exits with the result. True when any was running.
   */
  async idle(): Promise<boolean> {
    const runs = [...this.runs.values()];
    await Promise.all(runs.map((run) => run.done));
    return runs.length > 0;
  }

  /** Ends running cycles (each switches its plug back on first) and waits for them. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }

  private start(spec: PowerCycleSpec, report: (event: ActionEvent) => void): void {
    const key = plugKey(spec.plug);
    if (this.runs.has(key)) return;
    const { clock, plugs, probe, log } = this.deps;
    const run = new PowerCycleRun(spec, { clock, plugs, probe, log }, this.stopping.signal, (attempt) => {
      this.finished(attempt);
      report({ type: 'power-cycle-result', attempt, bootWaitMs: spec.bootWaitMs });
    });
    this.runs.set(key, run);
    // The plug counts as busy until the procedure has ended with it on, even when the result came earlier.
    void run.done.then(() => {
      this.runs.delete(key);
      report({ type: 'power-cycle-ended', plug: spec.plug });
    });
  }

  private finished(attempt: CycleAttempt): void {
    const { log, onAttempt } = this.deps;
    if (this.deps.dryRun === true) {
      log.info('dry run: power cycle not done', {
        plug: attempt.plug,
        attempt: `${attempt.attempt}/${attempt.max}`,
        result: 'dry-run',
        hosts: attempt.hosts.join(' '),
      });
      return;
    }
    const fields = {
      plug: attempt.plug,
      attempt: `${attempt.attempt}/${attempt.max}`,
      result: attempt.result,
      hosts: attempt.hosts.join(' '),
      off_ms: attempt.offMs ?? undefined,
      restored_after_ms: attempt.restoredAfterMs ?? undefined,
      restored_in: attempt.restoredIn,
      error: attempt.error,
    };
    if (attempt.result === 'restored') log.info('power cycle done', fields);
    else log.warn('power cycle done', fields);
    try {
      onAttempt?.(attempt);
    } catch (error) {
      log.error('power cycle listener failed', { error: errorMessage(error) });
    }
  }
}
