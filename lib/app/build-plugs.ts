import path from 'node:path';

import { PlugCache } from '../actions/kasa/plug-cache.js';
import { PlugDirectory } from '../actions/kasa/plug-directory.js';
import { VerifiedPlugSwitch, type PlugSwitch } from '../actions/kasa/plug-switch.js';
import { TplinkKasaNetwork } from '../actions/kasa/tplink-network.js';
import type { Clock } from '../shared/clock.js';
import type { Config } from '../config/types.js';
import type { Log } from '../shared/log.js';

/** Discovery runs at most this often when the daemon looks for a plug by name. */
const MIN_DISCOVERY_GAP_MS = 5 * 60_000;
/** Pause between two tries of a plug command. */
const RETRY_DELAY_MS = 1_000;

/** The plug directory and switch built from a configuration. */
export interface BuiltPlugs {
  readonly directory: PlugDirectory;
  readonly plugs: PlugSwitch;
}

/** Builds the real Kasa plug access: tplink-smarthome-api, the cache file in the logs folder, discovery. */
export function buildPlugs(config: Config, logsDir: string, clock: Clock, log: Log): BuiltPlugs {
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
