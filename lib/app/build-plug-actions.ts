import { IndicatorLamp } from '../actions/lamp/indicator-lamp.js';
import { cycleRules } from '../actions/power-cycle/plug-rules.js';
import { DryRunPlugSwitch } from '../actions/kasa/plug-switch.js';
import type { CycleAttempt } from '../actions/power-cycle/power-cycle-run.js';
import { PowerCycler } from '../actions/power-cycle/power-cycler.js';
import type { Clock } from '../shared/clock.js';
import type { Config } from '../config/types.js';
import type { Log } from '../shared/log.js';
import type { AlertSink } from '../monitor/alert.js';
import type { MonitorObserver } from '../monitor/monitor-loop.js';
import { AlertNotes } from '../notify/alert-notes.js';
import { NotedSink } from '../notify/noted-sink.js';
import type { Pinger } from '../probe/pinger.js';
import { buildPlugs } from './build-plugs.js';

/** The plug actions of the monitor: observers for the loop and the notifier wrapper for their notes. */
export interface PlugActions {
  readonly observers: readonly MonitorObserver[];
  /** Wraps alert sinks so alerts carry the notes of the actions taken (power cycles, lamp failures). */
  wrap(sinks: readonly AlertSink[]): AlertSink[];
  /** Ends running power cycles with their plugs on and waits for lamp commands; await before exit. */
  stop(): Promise<void>;
}

/** Options of {@link buildPlugActions}. */
export interface PlugActionsOptions {
  readonly config: Config;
  readonly logsDir: string;
  readonly clock: Clock;
  readonly pinger: Pinger;
  readonly log: Log;
  /** Log what would be done to plugs without doing it. */
  readonly dryRun: boolean;
  /** Power-cycle plugs (the daemon); `pingwarden once` only drives the lamp. */
  readonly powerCycles: boolean;
  /** Called for every finished power-cycle attempt (the outage history hooks in here). */
  readonly onCycleAttempt?: (attempt: CycleAttempt) => void;
}

/**
 * Builds the power cycler and the indicator lamp from real parts, and the NotedSink wrapping that puts their
 * notes into alerts. The one place that decides which plug actions a run has.
 */
export function buildPlugActions(options: PlugActionsOptions): PlugActions {
  const { config, clock, log, pinger } = options;
  const plugs = options.dryRun
    ? new DryRunPlugSwitch(log)
    : buildPlugs(config, options.logsDir, clock, log).plugs;
  const notes = new AlertNotes();
  const lamp = new IndicatorLamp({ plugs, log, notes });
  const observers: MonitorObserver[] = [lamp];
  let cycler: PowerCycler | null = null;
  if (options.powerCycles) {
    cycler = new PowerCycler({
      clock,
      plugs,
      pinger,
      log,
      notes,
      ...(options.onCycleAttempt ? { onAttempt: options.onCycleAttempt } : {}),
    });
    observers.push(cycler);
  } else if (cycleRules(config.hosts).length > 0) {
    log.warn('power cycling needs the daemon (pingwarden start); cycle: options are ignored by once');
  }
  if (options.dryRun) log.info('dry run: plugs will not be switched');
  return {
    observers,
    wrap: (sinks) => sinks.map((sink) => new NotedSink(sink, notes)),
    async stop() {
      await Promise.all([cycler?.stop(), lamp.stop()]);
    },
  };
}
