import { Command, CommanderError } from 'commander';

import { ConfigErrors, PingwardenError } from './errors.js';
import { readConfig, wireMonitor, type MonitorPaths, type WatchWiring } from './monitor-wiring.js';
import { watchConfig, WATCH_DEFAULT_INTERVAL_SECONDS } from './config/watch-config.js';
import { EmailNotifier } from './notify/email-notifier.js';
import { showOutbox } from './outbox-command.js';
import { createLogger } from './logger.js';

/** Exit codes shared by every command (cron and systemd read them). */
export const ExitCode = { ok: 0, hostsDown: 1, failure: 1, badConfig: 2 } as const;

interface CommonOptions {
  config: string;
  logs: string;
}

/** Where command output goes; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/**
 * Runs the `pingwarden` command line and resolves to the process exit code. User mistakes (bad config,
 * missing tools, bad arguments) are printed as plain messages, never as stack traces.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command('pingwarden')
    .description('Network outage monitor: pings hosts from CSV files, emails alerts, reminders and restores.')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    })
    .showHelpAfterError();

  const command = (name: string, description: string) =>
    program
      .command(name)
      .description(description)
      .option('--config <dir>', 'folder of the CSV configuration files', 'config')
      .option('--logs <dir>', 'folder for log files and state', 'logs');

  command('start', 'run the monitor until stopped (SIGINT/SIGTERM); SIGHUP reloads the config').action(
    async (options: CommonOptions) => {
      exitCode = await runDaemon(paths(options));
    },
  );
  command('once', 'run one cycle for cron: exit 0 all up, 1 something down, 2 bad config').action(
    async (options: CommonOptions) => {
      exitCode = await runOnce(paths(options));
    },
  );
  command('check-config', 'validate every config file and print all problems').action(
    async (options: CommonOptions) => {
      exitCode = await checkConfig(paths(options), io);
    },
  );
  command('test-email', 'send one test email to the configured recipients').action(
    async (options: CommonOptions) => {
      exitCode = await testEmail(paths(options), io);
    },
  );

  command('outbox', 'list the alert messages waiting to be sent, per notifier').action(
    async (options: CommonOptions) => {
      exitCode = await showOutbox(paths(options), io);
    },
  );

  program
    .command('watch')
    .description('monitor the hosts named here, with defaults for everything else (no config files needed)')
    .argument('<host...>', 'IPv4/IPv6 addresses or DNS names')
    .option(
      '--interval <seconds>',
      `seconds between probe cycles (default ${WATCH_DEFAULT_INTERVAL_SECONDS})`,
    )
    .option('--discord-webhook <url>', 'also send alerts to this Discord webhook')
    .option('--save <dir>', 'keep logs, state and the outbox in this folder (so history and report work)')
    .action(async (hosts: string[], options: WatchOptions) => {
      const config = watchConfig({
        hosts,
        interval: options.interval,
        discordWebhook: options.discordWebhook,
      });
      const watch: WatchWiring = { config, save: options.save !== undefined };
      exitCode = await runDaemon({ configDir: '(command line)', logsDir: options.save ?? 'logs' }, watch);
    });

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    return reportError(error, io);
  }
  return exitCode;
}

function paths(options: CommonOptions): MonitorPaths {
  return { configDir: options.config, logsDir: options.logs };
}

/** Turns an error into a message and an exit code; only bugs keep their stack trace. */
function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    // Commander has printed the message already (help and version exit with 0).
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badConfig;
  }
  if (error instanceof ConfigErrors) {
    for (const problem of error.problems) io.err(problem.message);
    io.err(
      `${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} found; nothing started`,
    );
    return ExitCode.badConfig;
  }
  if (error instanceof PingwardenError) {
    io.err(`pingwarden: ${error.message}`);
    return ExitCode.badConfig;
  }
  io.err(`pingwarden: unexpected error (a bug; please report it):`);
  io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return ExitCode.failure;
}

interface WatchOptions {
  interval?: string;
  discordWebhook?: string;
  save?: string;
}

async function runDaemon(where: MonitorPaths, watch?: WatchWiring): Promise<number> {
  const monitor = await wireMonitor(where, { console: true, ...(watch && { watch }) });
  const { loop, log, config } = monitor;
  const initial = await config.current();
  log.info('pingwarden started', {
    pid: process.pid,
    hosts: initial.hosts.length,
    interval_s: initial.settings.intervalSeconds,
    config: where.configDir,
    logs: where.logsDir,
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    void loop.stop();
  };
  const reload = () => {
    log.info('reload requested', { signal: 'SIGHUP' });
    config.requestReload();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', reload);
  try {
    monitor.outbox.start();
    await loop.start();
    await loop.stop();
    log.info('pingwarden stopped');
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    process.off('SIGHUP', reload);
    await monitor.close();
  }
  return ExitCode.ok;
}

async function runOnce(where: MonitorPaths): Promise<number> {
  const monitor = await wireMonitor(where, { console: true });
  try {
    const summary = await monitor.loop.runOnce();
    await monitor.outbox.deliverPending();
    return summary.down + summary.unreachable > 0 ? ExitCode.hostsDown : ExitCode.ok;
  } finally {
    await monitor.close();
  }
}

async function checkConfig(where: MonitorPaths, io: CliIo): Promise<number> {
  const config = await readConfig(where);
  for (const warning of config.warnings) io.err(`warning: ${warning}`);
  const email = config.smtp
    ? `email to ${config.smtp.recipients.length} recipient(s) via ${config.smtp.host}:${config.smtp.port}`
    : 'email off (no server_info.csv): alerts are logged only';
  io.out(`${where.configDir}: OK, ${config.hosts.length} host(s), ${email}`);
  return ExitCode.ok;
}

async function testEmail(where: MonitorPaths, io: CliIo): Promise<number> {
  const config = await readConfig(where);
  if (!config.smtp) {
    io.err(
      `pingwarden: email is not configured: create ${where.configDir}/server_info.csv (server_address,port)`,
    );
    return ExitCode.badConfig;
  }
  const log = createLogger({ logsDir: null, retentionDays: 1, level: 'warn', console: true });
  const email = new EmailNotifier({ smtp: config.smtp, log });
  try {
    const { messageId } = await email.sendTest();
    io.out(`test email sent to ${config.smtp.recipients.join(', ')} (message id ${messageId})`);
    return ExitCode.ok;
  } catch (error) {
    io.err(`pingwarden: test email failed: ${error instanceof Error ? error.message : String(error)}`);
    return ExitCode.failure;
  } finally {
    email.close();
    await log.close();
  }
}
