import { readFileSync } from 'node:fs';

import { Command } from 'commander';

import { checkConfig } from '../app/check-config.js';
import { systemDeps, type AppDeps, type AppPaths, type ConsoleIo } from '../app/deps.js';
import { runDaemon, runOnce, type OnceOutcome } from '../app/run-monitor.js';
import { sendTestEmail } from '../app/test-email.js';
import { watchConfig, WATCH_DEFAULT_INTERVAL_SECONDS } from '../config/watch-config.js';
import { runSensorCommand, type SensorCommandOptions } from '../sensor/run-sensor.js';
import { addKasaCommands } from './commands/kasa-commands.js';
import { showOutbox } from './commands/outbox-command.js';
import { runProbeCommand, type ProbeCommandOptions } from './commands/probe-command.js';
import { runReportCommand, type ReportCommandOptions } from './commands/report-command.js';
import { commandWithPaths, type PathOptions } from './commands/path-options.js';
import { addSnoozeCommands } from './commands/snooze-commands.js';
import { ExitCode, exitCodeOf } from './exit-status.js';

export { ExitCode } from './exit-status.js';

type CommonOptions = PathOptions;

/** Where command output goes; tests pass their own. */
export type CliIo = ConsoleIo;

const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

/**
 * Runs the `pingwarden` command line and resolves to the process exit code. It only parses arguments and
 * calls lib/app/ with the dependencies {@link depsFor} builds; errors become exit codes in one place
 * ({@link exitCodeOf}): user mistakes and faults as plain lines, never as stack traces.
 *
 * @param depsFor the real world for a command's paths; tests pass one with a recording log
 */
export async function main(
  argv: readonly string[],
  io: CliIo = processIo,
  depsFor: (paths: AppPaths, io: CliIo) => AppDeps = systemDeps,
): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const deps = (options: CommonOptions): AppDeps =>
    depsFor({ configDir: options.config, logsDir: options.logs }, io);
  const program = new Command('pingwarden')
    .description('Network outage monitor: pings hosts from CSV files, emails alerts, reminders and restores.')
    .version(packageVersion(), '-V, --version', 'print the version and exit')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    })
    .showHelpAfterError();

  const ONCE_EXIT = {
    'all up': ExitCode.ok,
    'something down': ExitCode.hostsDown,
    busy: ExitCode.busy,
  } as const satisfies Record<OnceOutcome, number>;
  const command = (name: string, description: string) => commandWithPaths(program, name, description);

  command('start', 'run the monitor until stopped (SIGINT/SIGTERM); SIGHUP reloads the config')
    .option('--dry-run', 'log what would be done to Kasa plugs without doing it')
    .action(async (options: CommonOptions & { dryRun?: boolean }) => {
      await runDaemon(deps(options), { mode: 'daemon', dryRun: options.dryRun ?? false });
    });
  command(
    'once',
    'run one cycle for cron: exit 0 all up, 1 something down, 2 bad config, 3 another once is running',
  ).action(async (options: CommonOptions) => {
    exitCode = ONCE_EXIT[await runOnce(deps(options))];
  });
  command('check-config', 'validate every config file and print all problems').action(
    async (options: CommonOptions) => {
      await checkConfig(deps(options));
    },
  );
  command('test-email', 'send one test email to the configured recipients').action(
    async (options: CommonOptions) => {
      await sendTestEmail(deps(options));
    },
  );

  command('report', 'outage history per host: times up/down/unknown, availability, outages')
    .option('--host <text>', 'only hosts containing this text (repeatable)', collect, [])
    .option('--since <when>', 'start: a date (2026-11-01), a date and time, or an age (30d, 12h)')
    .option('--until <when>', 'end (default now): same forms as --since')
    .option(
      '--format <format>',
      'table, csv, json, md, html or pdf (the ISP evidence pack, needs --out)',
      'table',
    )
    .option('--out <file>', 'write the report to this file instead of the screen')
    .option(
      '--for-isp',
      "with --format html: the ISP evidence pack (provider's side first, fault layers, traces)",
    )
    .option('--email', 'email the report to the recipients (summary in the body, HTML attached)')
    .action(async (options: ReportCommandOptions) => {
      // Loaded for this command only: the renderers (csv-stringify and the rest) are no part of a cron run.
      await runReportCommand(deps(options), options);
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
      exitCode = await runSensorCommand(options, depsFor({ configDir: 'config', logsDir: 'logs' }, io));
    });
  addKasaCommands(program, {
    deps: (options) => deps(options),
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
    .option('--route-include <cidrs>', 'comma-separated ranges; some hop must be in one of them (traceroute)')
    .option('--route-exclude <cidrs>', 'comma-separated ranges; no hop may be inside (traceroute)')
    .option('--hop-org-include <patterns>', 'AS12345 or name globs like *.hargray.net; each must match a hop')
    .option('--hop-org-exclude <patterns>', 'AS12345 or name globs; no hop may match')
    .option('--traceroute', 'run a traceroute even without route or org checks')
    .option('--json', 'print the JSON report of the HTTP endpoint instead of a table')
    .option('--config <dir>', 'folder with settings.csv and orgs.csv (optional)', 'config')
    .option('--logs <dir>', 'accepted like on every command; probe writes no logs', 'logs')
    .action(async (options: ProbeCommandOptions) => {
      const result = await runProbeCommand(deps(options), options);
      io.out(result.output);
      exitCode = result.healthy ? ExitCode.ok : ExitCode.hostsDown;
    });

  addSnoozeCommands(program, deps);

  command('outbox', 'list the alert messages waiting to be sent, per notifier').action(
    async (options: CommonOptions) => {
      await showOutbox(deps(options));
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
    .option(
      '--attempts <n>',
      'echo requests per host per cycle (default: 3, fewer when the interval is short)',
    )
    .option(
      '--timeout <seconds>',
      'seconds to wait for each reply (default: 2, 1 when the interval is short)',
    )
    .option('--discord-webhook <url>', 'also send alerts to this Discord webhook')
    .option('--save <dir>', 'keep logs, state and the outbox in this folder (so history and report work)')
    .action(async (hosts: string[], options: WatchOptions) => {
      const config = watchConfig({
        hosts,
        interval: options.interval,
        attempts: options.attempts,
        timeout: options.timeout,
        discordWebhook: options.discordWebhook,
      });
      await runDaemon(deps({ config: '(command line)', logs: options.save ?? 'logs' }), {
        mode: 'watch',
        watchConfig: config,
        save: options.save !== undefined,
      });
    });

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    return exitCodeOf(error, io);
  }
  return exitCode;
}

/** The version in package.json (one level above lib/ and dist/ alike). */
function packageVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(text) as { version: string }).version;
}

function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}

interface WatchOptions {
  interval?: string;
  attempts?: string;
  timeout?: string;
  discordWebhook?: string;
  save?: string;
}
