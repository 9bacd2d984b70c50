import type { AppDeps } from './deps.js';
import { readConfig } from './read-config.js';

/**
 * `pingwarden check-config`: validates every config file (orgs.csv and sensor key files included) in one
 * pass and prints a summary. Throws ConfigErrors listing every problem of every file.
 */
export async function checkConfig(deps: AppDeps): Promise<void> {
  const config = await readConfig(deps);
  for (const warning of config.warnings) deps.io.err(`warning: ${warning}`);
  const email = config.smtp
    ? `email to ${config.smtp.recipients.length} recipient(s) via ${config.smtp.host}:${config.smtp.port}`
    : 'email off (no server_info.csv): alerts are logged only';
  deps.io.out(`${deps.paths.configDir}: OK, ${config.targets.length} host(s), ${email}`);
}
