import { LampRunner } from '../actions/lamp/lamp-runner.js';
import { DryRunPlugSwitch } from '../actions/kasa/plug-switch.js';
import type { ProbeTargets } from '../actions/power-cycle/power-cycle-run.js';
import { PowerCycleRunner } from '../actions/power-cycle/power-cycle-runner.js';
import type { CycleAttempt, EffectRunner } from '../monitor/actions.js';
import { cycleRules } from '../monitor/power-cycle-rules.js';
import type { Clock } from '../shared/clock.js';
import type { Config } from '../config/types.js';
import type { Log } from '../shared/log.js';
import { buildPlugs } from './build-plugs.js';

/** The plug actions of the monitor: the effect runners of the loop. */
export interface PlugActions {
  readonly effects: readonly EffectRunner[];
  /** Ends running power cycles with their plugs on and waits for lamp commands; await before exit. */
  stop(): Promise<void>;
  /** Waits for running power cycles to end on their own; true when any was running (`once`). */
  idle(): Promise<boolean>;
}

/** Options of {@link buildPlugActions}. */
export interface PlugActionsOptions {
  readonly config: Config;
  readonly logsDir: string;
  readonly clock: Clock;
  /** Probes the trigger targets during a boot wait (the prober registry). */
  readonly probe: ProbeTargets;
  readonly log: Log;
  /** Log what would be done to plugs without doing it. */
  readonly dryRun: boolean;
  /** Power-cycle plugs (false: the lamp only). */
  readonly powerCycles: boolean;
  /** Called for every finished power-cycle attempt (the outage history hooks in here). */
  readonly onCycleAttempt?: (attempt: CycleAttempt) => void;
}

/**
 * Builds the power-cycle and lamp runners from real parts: the one place that decides which plug actions a
 * run has.
 */
export function buildPlugActions(options: PlugActionsOptions): PlugActions {
  const { config, clock, log, probe } = options;
  const plugs = options.dryRun
    ? new DryRunPlugSwitch(log)
    : buildPlugs(config, options.logsDir, clock, log).plugs;
  const effects: EffectRunner[] = [new LampRunner({ plugs, log })];
  const cycler = options.powerCycles
    ? new PowerCycleRunner({
        clock,
        plugs,
        probe,
        log,
        dryRun: options.dryRun,
        // A dry run switched nothing: the history records no power cycle (it is logged as dry-run).
        ...(options.onCycleAttempt && !options.dryRun ? { onAttempt: options.onCycleAttempt } : {}),
      })
    : null;
  if (cycler) effects.push(cycler);
  else if (cycleRules(config.targets).length > 0) {
    log.warn('power cycling is off; cycle: options are ignored');
  }
  if (options.dryRun) log.info('dry run: plugs will not be switched');
  return {
    effects,
    async stop() {
      await Promise.all(effects.map((effect) => effect.stop()));
    },
    idle: () => cycler?.idle() ?? Promise.resolve(false),
  };
}
