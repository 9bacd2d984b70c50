import path from 'node:path';

import { systemClock } from './clock.js';
import { ConfigReloader } from './config/config-reloader.js';
import { configFingerprint, loadConfig } from './config/load-config.js';
import type { Config } from './config/types.js';
import { createLogger, type ClosableLog } from './logger.js';
import { MonitorLoop } from './monitor/monitor-loop.js';
import { ConfigFollowingEmail } from './notify/config-following-email.js';
import { DiscordNotifier } from './notify/discord-notifier.js';
import { EmailNotifier } from './notify/email-notifier.js';
import { FileOutboxStore } from './notify/file-outbox-store.js';
import { LogNotifier } from './notify/log-notifier.js';
import type { Notifier } from './notify/notifier.js';
import { Outbox } from './notify/outbox.js';
import { MemoryOutboxStore } from './notify/outbox-store.js';
import { outboxPolicy } from './notify/outbox-policy.js';
import { WebhookNotifier } from './notify/webhook-notifier.js';
import { assertPingInstalled } from './probe/require-ping.js';
import { SystemPinger } from './probe/system-pinger.js';
import { StateFile } from './store/state-file.js';

/** Where a monitor finds its configuration and keeps its logs and state. */
export interface MonitorPaths {
  /** The config folder as the user named it (`--config`); messages show it this way. */
  readonly configDir: string;
  readonly logsDir: string;
}

/** How `pingwarden watch` differs from the daemon: its config comes from the command line. */
export interface WatchWiring {
  /** Built by watchConfig from the arguments; never reloaded. */
  readonly config: Config;
  /** `--save DIR` given: logs, state and outbox go to `paths.logsDir`; otherwise nothing is written to disk. */
  readonly save: boolean;
}

/** A monitor built from real parts, ready to start. */
export interface WiredMonitor {
  readonly loop: MonitorLoop;
  readonly log: ClosableLog;
  readonly config: ConfigReloader;
  /** Durable delivery of alert messages; `start()` it for the daemon, `deliverPending()` for one run. */
  readonly outbox: Outbox;
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
export async function wireMonitor(
  paths: MonitorPaths,
  options: { console: boolean; watch?: WatchWiring },
): Promise<WiredMonitor> {
  const env = process.env;
  await assertPingInstalled(env.PATH);
  const watch = options.watch;
  const onDisk = watch?.save ?? true;
  const first = watch?.config ?? (await readConfig(paths, env));
  const log = createLogger({
    logsDir: onDisk ? paths.logsDir : null,
    retentionDays: first.settings.logRetentionDays,
    level: first.settings.logLevel,
    console: options.console,
  });
  const config = await ConfigReloader.open(
    watch
      ? { load: () => Promise.resolve(watch.config), fingerprint: () => Promise.resolve('command line') }
      : { load: () => readConfig(paths, env), fingerprint: () => configFingerprint(paths.configDir) },
    log,
  );
  for (const warning of first.warnings) log.warn(warning);

  const email = new ConfigFollowingEmail(
    () => config.latest().smtp,
    (smtp) => new EmailNotifier({ smtp, log }),
  );
  const settings = () => config.latest().settings;
  const channels: Notifier[] = [
    email,
    new DiscordNotifier({ url: () => settings().discordWebhook }),
    new WebhookNotifier({ url: () => settings().webhookUrl, header: () => settings().webhookHeader }),
  ];
  const outbox = new Outbox({
    store: onDisk ? new FileOutboxStore(path.join(paths.logsDir, 'outbox'), log) : new MemoryOutboxStore(),
    notifiers: channels,
    clock: systemClock,
    log,
    policy: () => outboxPolicy(settings()),
  });
  if (!first.smtp && !watch) {
    log.warn('email is not configured: alerts are logged only', {
      missing: path.join(paths.configDir, 'server_info.csv'),
    });
  }

  const loop = new MonitorLoop({
    clock: systemClock,
    pinger: new SystemPinger({ clock: systemClock, maxConcurrent: first.settings.maxConcurrentProbes }),
    notifiers: [new LogNotifier(log), outbox],
    log,
    config,
    ...(onDisk && { stateStore: new StateFile(path.join(paths.logsDir, 'state.json'), log) }),
  });
  return {
    loop,
    log,
    config,
    outbox,
    async close() {
      await outbox.stop();
      for (const channel of channels) await channel.close?.();
      await log.close();
    },
  };
}
