import path from 'node:path';

import { systemClock } from './clock.js';
import { ConfigReloader } from './config/config-reloader.js';
import { configFingerprint, loadConfig } from './config/load-config.js';
import type { Config } from './config/types.js';
import { createLogger, type ClosableLog } from './logger.js';
import { MonitorLoop } from './monitor/monitor-loop.js';
import { ConfigFollowingEmail } from './notify/config-following-email.js';
import { EmailNotifier } from './notify/email-notifier.js';
import { LogNotifier } from './notify/log-notifier.js';
import type { Notifier } from './notify/notifier.js';
import { FpingPinger } from './probe/fping-pinger.js';
import { locateFping } from './probe/require-fping.js';
import { assertPingInstalled } from './probe/require-ping.js';
import { SelectingPinger } from './probe/selecting-pinger.js';
import { SystemPinger } from './probe/system-pinger.js';
import { StateFile } from './store/state-file.js';

/** Where a monitor finds its configuration and keeps its logs and state. */
export interface MonitorPaths {
  /** The config folder as the user named it (`--config`); messages show it this way. */
  readonly configDir: string;
  readonly logsDir: string;
}

/** A monitor built from real parts, ready to start. */
export interface WiredMonitor {
  readonly loop: MonitorLoop;
  readonly log: ClosableLog;
  readonly config: ConfigReloader;
  /** Closes notifiers and flushes the log; call after the loop has stopped. */
  close(): Promise<void>;
}

/** Loads and validates the configuration; throws ConfigErrors listing every problem. */
export function readConfig(paths: MonitorPaths, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  return loadConfig(paths.configDir, { displayDir: paths.configDir, env });
}

/**
 * The one place that builds the monitor's real dependencies: system ping, notifiers, logger, state file.
 * Everything below takes them as arguments. Throws ConfigErrors or MissingToolError before anything starts.
 */
export async function wireMonitor(paths: MonitorPaths, options: { console: boolean }): Promise<WiredMonitor> {
  const env = process.env;
  await assertPingInstalled(env.PATH);
  const first = await readConfig(paths, env);
  const fpingPath = await locateFping(first.settings.pinger, env.PATH ?? '');
  const log = createLogger({
    logsDir: paths.logsDir,
    retentionDays: first.settings.logRetentionDays,
    level: first.settings.logLevel,
    console: options.console,
  });
  const config = await ConfigReloader.open(
    { load: () => readConfig(paths, env), fingerprint: () => configFingerprint(paths.configDir) },
    log,
  );
  for (const warning of first.warnings) log.warn(warning);

  const email = new ConfigFollowingEmail(
    () => config.latest().smtp,
    (smtp) => new EmailNotifier({ smtp, log }),
  );
  const notifiers: Notifier[] = [new LogNotifier(log), email];
  if (!first.smtp) {
    log.warn('email is not configured: alerts are logged only', {
      missing: path.join(paths.configDir, 'server_info.csv'),
    });
  }

  const loop = new MonitorLoop({
    clock: systemClock,
    pinger: new SelectingPinger({
      choice: () => config.latest().settings,
      system: new SystemPinger({ clock: systemClock, maxConcurrent: first.settings.maxConcurrentProbes }),
      fping:
        fpingPath === null
          ? null
          : (sendIntervalMs) => new FpingPinger({ clock: systemClock, sendIntervalMs, command: fpingPath }),
      log,
    }),
    notifiers,
    log,
    config,
    stateStore: new StateFile(path.join(paths.logsDir, 'state.json'), log),
  });
  return {
    loop,
    log,
    config,
    async close() {
      email.close();
      await log.close();
    },
  };
}
