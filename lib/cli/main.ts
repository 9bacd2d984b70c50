import { Command, CommanderError } from 'commander';

import { ConfigErrors, PingwardenError } from '../shared/errors.js';
import { addKasaCommands } from './commands/kasa-commands.js';
import { readConfig, wireMonitor, type MonitorPaths, type WatchWiring } from '../app/monitor-wiring.js';
import { watchConfig, WATCH_DEFAULT_INTERVAL_SECONDS } from '../config/watch-config.js';
import { EmailNotifier } from '../notify/channels/email/email-notifier.js';
import { showOutbox } from './commands/outbox-command.js';
import { createLogger } from '../shared/logger.js';
import { systemClock } from '../shared/clock.js';
import { runReportCommand, type ReportCommandOptions } from './commands/report-command.js';
import { runSensorCommand, type SensorCommandOptions } from '../sensor/run-sensor.js';
import { loadOrgs } from '../config/load-orgs.js';
import { runProbeCommand, type ProbeCommandOptions } from './commands/probe-command.js';
import { HOST_STATUSES, IS_OUTAGE } from '../monitor/host-state.js';

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

  command('start', 'run the monitor until stopped (SIGINT/SIGTERM); SIGHUP reloads the config')
    .option('--dry-run', 'log what would be done to Kasa plugs without doing it')
    .action(async (options: CommonOptions & { dryRun?: boolean }) => {
      exitCode = await runDaemon(paths(options), { dryRun: options.dryRun ?? false });
    });
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

  command('report', 'outage history per host: times up/down/unknown, availability, outages')
    .option('--host <text>', 'only hosts containing this text (repeatable)', collect, [])
    .option('--since <when>', 'start: a date (2026-11-01), a date and time, or an age (30d, 12h)')
    .option('--until <when>', 'end (default now): same forms as --since')
    .option('--format <format>', 'table, csv, json, md or html', 'table')
    .option('--out <file>', 'write the report to this file instead of the screen')
    .action(async (options: ReportCommandOptions) => {
      await runReportCommand(options, systemClock, io);
    });
  program
    .command('sensor')
    .description('run a remote sensor: send signed UDP heartbeats to a monitor (BOOT at start, then PING)')
    .requiredOption('--server <host:port>', "the monitor's heartbeat address, e.g. 203.0.113.7:7777")
    .requiredOption('--name <name>', "this sensor's name in the monitor's sensors.csv")
    .requiredOption('--secret-file <file>', 'file holding the key shared with the monitor')
    .option('--interval <seconds>', 'seconds between heartbeats', '60')
    .option('--once', 'send one PING and exit (for a systemd timer or cron)')
    .option('--verbose', 'log every heartbeat sent')
    .action(async (options: SensorCommandOptions) => {
      exitCode = await runSensorCommand(options);
    });
  addKasaCommands(program, {
    out: io.out,
    err: io.err,
    exit: (code) => {
      exitCode = code;
    },
  });
  program
    .command('probe')
    .description(
      'run deep-probe checks once (as GET /ping, /traceroute): exit 0 healthy, 1 unhealthy, 2 bad input',
    )
    .requiredOption('--target <host>', 'host to probe (IPv4, IPv6 or DNS name)')
    .option(
      '--source <iface|address>',
      'leave from this interface or local address (ping -I, traceroute -i/-s)',
    )
    .option('--count <n>', 'echo requests (ping) or probes per hop (traceroute), 1-20', '3')
    .option('--min-latency-ms <ms>', 'every reply must take at least this long')
    .option('--max-latency-ms <ms>', 'every reply must take at most this long')
    .option('--route-include <cidrs>', 'comma-separated ranges; each must contain a hop (traceroute)')
    .option('--route-exclude <cidrs>', 'comma-separated ranges; no hop may be inside (traceroute)')
    .option('--hop-org-include <patterns>', 'AS12345 or name globs like *.hargray.net; each must match a hop')
    .option('--hop-org-exclude <patterns>', 'AS12345 or name globs; no hop may match')
    .option('--traceroute', 'run a traceroute even without route or org checks')
    .option('--json', 'print the JSON report of the HTTP endpoint instead of a table')
    .option('--config <dir>', 'folder with settings.csv and orgs.csv (optional)', 'config')
    .option('--logs <dir>', 'accepted like on every command; probe writes no logs', 'logs')
    .action(async (options: ProbeCommandOptions) => {
      const result = await runProbeCommand(options);
      io.out(result.output);
      exitCode = result.healthy ? ExitCode.ok : ExitCode.hostsDown;
    });

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
      exitCode = await runDaemon(
        { configDir: '(command line)', logsDir: options.save ?? 'logs' },
        { dryRun: false, watch },
      );
    });

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    return reportError(error, io);
  }
  return exitCode;
}

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
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

async function runDaemon(
  where: MonitorPaths,
  flags: { dryRun: boolean; watch?: WatchWiring },
): Promise<number> {
  const monitor = await wireMonitor(where, {
    console: true,
    heartbeats: flags.watch === undefined,
    dryRun: flags.dryRun,
    ...(flags.watch && { watch: flags.watch }),
  });
  const { loop, log, config } = monitor;
  const initial = await config.current();
  try {
    await monitor.http?.start();
  } catch (error) {
    await monitor.close();
    throw error;
  }
  log.info('pingwarden started', {
    pid: process.pid,
    hosts: initial.targets.length,
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
  const monitor = await wireMonitor(where, { console: true, once: true, powerCycles: false });
  try {
    const summary = await monitor.loop.runOnce();
    await monitor.outbox.deliverPending();
    const outages = HOST_STATUSES.filter((status) => IS_OUTAGE[status] && summary.counts[status] > 0);
    return outages.length > 0 ? ExitCode.hostsDown : ExitCode.ok;
  } finally {
    await monitor.close();
  }
}

async function checkConfig(where: MonitorPaths, io: CliIo): Promise<number> {
  const config = await readConfig(where);
  await loadOrgs(where.configDir);
  for (const warning of config.warnings) io.err(`warning: ${warning}`);
  const email = config.smtp
    ? `email to ${config.smtp.recipients.length} recipient(s) via ${config.smtp.host}:${config.smtp.port}`
    : 'email off (no server_info.csv): alerts are logged only';
  io.out(`${where.configDir}: OK, ${config.targets.length} host(s), ${email}`);
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
