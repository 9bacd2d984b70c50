import { loadConfig } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import type { AppDeps } from './deps.js';

/** Loads and validates every config file of `deps.paths.configDir`; throws ConfigErrors listing every problem. */
export function readConfig(deps: AppDeps): Promise<Config> {
  return loadConfig(deps.paths.configDir, { displayDir: deps.paths.configDir, env: deps.env });
}
