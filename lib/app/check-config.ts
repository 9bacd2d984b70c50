import { ConfigError, ConfigErrors } from '../shared/errors.js';
import { formatDuration } from '../shared/format-duration.js';
import { ensureWritableLogs, LogsFolderError } from '../shared/writable-folder.js';
import type { AppDeps } from './deps.js';
import { checkTls } from './check-tls.js';
import { readConfig } from './read-config.js';

/**
 * `pingwarden check-config`: validates every config file (orgs.csv and sensor key files included) in one
 * pass, checks that the logs folder (and its history/ and outbox/) can be created and written, and prints a
 * summary. Throws ConfigErrors listing every problem of every file, the logs folder's last.
 */
export async function checkConfig(deps: AppDeps): Promise<void> {
  const logsProblem = await ensureWritableLogs(deps.paths.logsDir, { create: false }).then(
    () => null,
    (error: unknown) => {
      // Worded as start and once word it (`logs folder X: cannot be written ...`), so the two agree.
      if (error instanceof LogsFolderError)
        return new ConfigError(`logs folder ${error.folder}`, 0, error.problem);
      throw error;
    },
  );
  let config;
  try {
    config = await readConfig(deps);
  } catch (error) {
    if (logsProblem && error instanceof ConfigErrors)
      throw new ConfigErrors([...error.problems, logsProblem]);
    throw error;
  }
  const tlsProblems = checkTls(config.settings, deps.paths.configDir);
  if (logsProblem || tlsProblems.length > 0)
    throw new ConfigErrors([...tlsProblems, ...(logsProblem ? [logsProblem] : [])]);
  for (const warning of config.warnings) deps.io.err(`warning: ${warning}`);
  const email = config.smtp
    ? `email to ${config.smtp.recipients.length} recipient(s) via ${config.smtp.host}:${config.smtp.port}`
    : 'email off (no server_info.csv): alerts are logged only';
  const sensors = config.targets.filter((target) => target.check.kind === 'heartbeat').length;
  const hosts = config.targets.length - sensors;
  const counted = sensors > 0 ? `${hosts} host(s), ${sensors} sensor(s)` : `${hosts} host(s)`;
  const sms = config.smtp?.smsRecipients?.length ?? 0;
  const routes = config.routes?.length ?? 0;
  const escalation = config.settings.escalateAfterSeconds;
  // Said only when set up, so the line of a plain setup stays as it was.
  const extras = [
    ...(sms > 0 ? [`${sms} sms recipient(s)`] : []),
    ...(routes > 0 ? [`${routes} route(s) in routes.csv`] : []),
    ...(escalation > 0
      ? [
          `escalation after ${formatDuration(escalation * 1000)} to ${config.escalateTo?.length ?? 0} destination(s)`,
        ]
      : []),
  ];
  deps.io.out(`${deps.paths.configDir}: OK, ${[counted, email, ...extras].join(', ')}`);
}
