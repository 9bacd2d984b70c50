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
import { assertPingInstalled } from './probe/require-ping.js';
import { SystemPinger } from './probe/system-pinger.js';
import { StateFile } from './store/state-file.js';
import { loadOrgs, orgsFingerprint } from './config/load-orgs.js';
import { buildOrgLookup } from './probe/build-org-lookup.js';
import { execCommand } from './probe/command-runner.js';
import { DeepProber } from './probe/deep-probe.js';
import { HttpServer } from './server/http-server.js';
import { PingwardenMetrics } from './server/metrics.js';
import type { HostEntry } from './config/types.js';
import type { Pinger } from './probe/pinger.js';
import { RouteCheckingPinger } from './probe/route-checking-pinger.js';
import { ConfigFollowingProber } from './probe/config-following-prober.js';

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
  /** The HTTP listener (deep probes, metrics) when `http_port` is set; the daemon starts it. */
  readonly http: HttpServer | null;
  readonly metrics: PingwardenMetrics;
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

  const metrics = new PingwardenMetrics();
  // Fails start-up on an invalid orgs.csv, like the other files; later edits are followed by the prober.
  await loadOrgs(paths.configDir);
  const prober = new ConfigFollowingProber({
    settings: () => config.latest().settings,
    orgsStamp: () => orgsFingerprint(paths.configDir),
    loadOrgs: () => loadOrgs(paths.configDir),
    build: (settings, prefixes) => wireDeepProber({ ...first, settings }, prefixes),
    log,
  });
  const http = wireHttpServer(first, prober, metrics, log);

  const loop = new MonitorLoop({
    clock: systemClock,
    pinger: withRouteChecks(
      new SystemPinger({ clock: systemClock, maxConcurrent: first.settings.maxConcurrentProbes }),
      prober,
      config,
    ),
    notifiers: notifiers.map((notifier) => metrics.countingSink(notifier)),
    log,
    config,
    stateStore: new StateFile(path.join(paths.logsDir, 'state.json'), log),
    observers: [metrics.observer()],
  });
  return {
    loop,
    log,
    config,
    http,
    metrics,
    async close() {
      await http?.stop();
      email.close();
      await log.close();
    },
  };
}

/** The deep prober (HTTP /ping, /traceroute, `pingwarden probe`, route checks) with the configured org source. */
export function wireDeepProber(
  config: Config,
  orgPrefixes: Parameters<typeof buildOrgLookup>[1],
): DeepProber {
  const { settings } = config;
  return new DeepProber({
    run: execCommand,
    orgs: buildOrgLookup(settings, orgPrefixes, systemClock),
    clock: systemClock,
    timeoutSeconds: settings.timeoutSeconds,
    maxHops: settings.probeMaxHops,
    resolveHopNames: settings.probeResolveHopNames,
    icmp: settings.probeTracerouteIcmp,
  });
}

/** The HTTP listener when `http_port` is set, else null. Settings apply at start-up. */
function wireHttpServer(
  config: Config,
  prober: ConfigFollowingProber,
  metrics: PingwardenMetrics,
  log: ClosableLog,
) {
  const { settings } = config;
  if (settings.httpPort === 0) return null;
  return new HttpServer(
    {
      listen: settings.httpListen,
      port: settings.httpPort,
      token: settings.httpToken,
      maxConcurrentProbes: settings.httpMaxConcurrentProbes,
      maxQueuedProbes: settings.httpMaxQueuedProbes,
      rateLimitPerMinute: settings.httpRateLimitPerMinute,
    },
    { prober, metrics, clock: systemClock, log },
  );
}

/** Hosts with route-check options (via:, hop-org:, min-rtt:...) get deep probes; the rest `pinger`. */
function withRouteChecks(pinger: Pinger, prober: ConfigFollowingProber, config: ConfigReloader): Pinger {
  let indexed: readonly HostEntry[] | null = null;
  let index = new Map<string, ReadonlyMap<string, string>>();
  return new RouteCheckingPinger({
    inner: pinger,
    prober,
    clock: systemClock,
    maxConcurrent: 8,
    optionsOf: (host) => {
      const { hosts } = config.latest();
      // Rebuilt only when the config was reloaded: one lookup per host per cycle stays cheap.
      if (hosts !== indexed) {
        index = new Map(hosts.map((entry) => [entry.host, entry.options]));
        indexed = hosts;
      }
      return index.get(host);
    },
  });
}
