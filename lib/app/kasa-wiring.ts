import path from 'node:path';

import { LampRunner } from '../actions/lamp/lamp-runner.js';
import { PlugCache } from '../actions/kasa/plug-cache.js';
import { PlugDirectory } from '../actions/kasa/plug-directory.js';
import { cycleRules } from '../monitor/power-cycle-rules.js';
import { DryRunPlugSwitch, VerifiedPlugSwitch, type PlugSwitch } from '../actions/kasa/plug-switch.js';
import type { ProbeTargets } from '../actions/power-cycle/power-cycle-run.js';
import { PowerCycleRunner } from '../actions/power-cycle/power-cycle-runner.js';
import type { CycleAttempt, EffectRunner } from '../monitor/actions.js';
import { TplinkKasaNetwork } from '../actions/kasa/tplink-network.js';
import type { Clock } from '../shared/clock.js';
import type { Config } from '../config/types.js';
import type { Log } from '../shared/log.js';

/** Discovery runs at most this often when the daemon looks for a plug by name. */
const MIN_DISCOVERY_GAP_MS = 5 * 60_000;
/** Pause between two tries of a plug command. */
const RETRY_DELAY_MS = 1_000;

/** The plug directory and switch built from a configuration. */
export interface WiredPlugs {
  readonly directory: PlugDirectory;
  readonly plugs: PlugSwitch;
}

/** Builds the real Kasa plug access: tplink-smarthome-api, the cache file in the logs folder, discovery. */
export function wirePlugs(config: Config, logsDir: string, clock: Clock, log: Log): WiredPlugs {
  const { settings } = config;
  const network = new TplinkKasaNetwork({ timeoutMs: settings.kasaTimeoutSeconds * 1000, log, clock });
  const directory = new PlugDirectory({
    network,
    cache: new PlugCache(path.join(logsDir, 'kasa-cache.json'), log),
    clock,
    log,
    fixed: config.kasaPlugs ?? [],
    discovery: {
      broadcast: settings.kasaDiscoveryBroadcast,
      hosts: settings.kasaDiscoveryHosts.split(' ').filter((host) => host !== ''),
      durationMs: settings.kasaDiscoverySeconds * 1000,
    },
    minDiscoveryGapMs: MIN_DISCOVERY_GAP_MS,
  });
  const plugs = new VerifiedPlugSwitch({
    finder: directory,
    clock,
    log,
    attempts: settings.kasaAttempts,
    retryDelayMs: RETRY_DELAY_MS,
  });
  return { directory, plugs };
}

/** The plug actions of the monitor: the effect runners of the loop. */
export interface WiredPlugActions {
  readonly effects: readonly EffectRunner[];
  /** Ends running power cycles with their plugs on and waits for lamp commands; await before exit. */
  stop(): Promise<void>;
}

/** Options of {@link wirePlugActions}. */
export interface PlugActionsOptions {
  readonly config: Config;
  readonly logsDir: string;
  readonly clock: Clock;
  /** Probes the trigger targets during a boot wait (the prober registry). */
  readonly probe: ProbeTargets;
  readonly log: Log;
  /** Log what would be done to plugs without doing it. */
  readonly dryRun: boolean;
  /** Power-cycle plugs (the daemon); `pingwarden once` only drives the lamp. */
  readonly powerCycles: boolean;
  /** Called for every finished power-cycle attempt (the outage history hooks in here). */
  readonly onCycleAttempt?: (attempt: CycleAttempt) => void;
}

/** Builds the power-cycle and lamp runners from real parts. */
export function wirePlugActions(options: PlugActionsOptions): WiredPlugActions {
  const { config, clock, log, probe } = options;
  const plugs = options.dryRun
    ? new DryRunPlugSwitch(log)
    : wirePlugs(config, options.logsDir, clock, log).plugs;
  const effects: EffectRunner[] = [new LampRunner({ plugs, log })];
  if (options.powerCycles) {
    effects.push(
      new PowerCycleRunner({
        clock,
        plugs,
        probe,
        log,
        ...(options.onCycleAttempt ? { onAttempt: options.onCycleAttempt } : {}),
      }),
    );
  } else if (cycleRules(config.targets).length > 0) {
    log.warn('power cycling needs the daemon (pingwarden start); cycle: options are ignored by once');
  }
  if (options.dryRun) log.info('dry run: plugs will not be switched');
  return {
    effects,
    async stop() {
      await Promise.all(effects.map((effect) => effect.stop()));
    },
  };
}
