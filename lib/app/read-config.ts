import path from 'node:path';

import type { HostsParseCache } from '../config/hosts-parse-cache.js';
import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { HostsCacheFile } from '../store/hosts-cache-file.js';
import type { AppDeps } from './deps.js';

/**
 * Loads and validates every config file of `deps.paths.configDir`; throws ConfigErrors listing every problem.
 *
 * @param hostsCache where the parse of hosts.csv is kept between runs (the monitor's {@link hostsCacheOf});
 *   none by default, so one-off commands such as check-config always parse the file themselves
 */
export function readConfig(deps: AppDeps, hostsCache?: HostsParseCache): Promise<Config> {
  return loadConfig(deps.paths.configDir, {
    displayDir: deps.paths.configDir,
    env: deps.env,
    ...(hostsCache && { hostsCache }),
  });
}

/** The monitor's hosts.csv cache: `hosts-cache.v8` in the logs folder. */
export function hostsCacheOf(deps: AppDeps): HostsParseCache {
  return new HostsCacheFile(path.join(deps.paths.logsDir, 'hosts-cache.v8'));
}
