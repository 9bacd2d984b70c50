import path from 'node:path';

import { systemClock } from '../shared/clock.js';
import { ConfigReloader } from '../config/config-reloader.js';
import { configFingerprint, loadConfig } from '../config/load-config.js';
import type { SensorEntry } from '../config/sensor-entry.js';
import type { Config } from '../config/types.js';
import { wirePlugActions } from './kasa-wiring.js';
import { createLogger, type ClosableLog } from '../shared/logger.js';
import { MonitorLoop, type MonitorObserver } from '../monitor/monitor-loop.js';
import { ConfigFollowingEmail } from '../notify/channels/email/config-following-email.js';
import { DiscordNotifier } from '../notify/channels/discord/discord-notifier.js';
import { EmailNotifier } from '../notify/channels/email/email-notifier.js';
import { FileOutboxStore } from '../notify/outbox/file-outbox-store.js';
import { AlertLog } from '../notify/channels/log/alert-log.js';
import { CycleLog } from '../monitor/cycle-log.js';
import type { Notifier } from '../notify/notifier.js';
import { HeartbeatLedger } from '../probe/heartbeat/heartbeat-book.js';
import { HeartbeatProber } from '../probe/heartbeat/heartbeat-prober.js';
import { Outbox } from '../notify/outbox/outbox.js';
import { MemoryOutboxStore } from '../notify/outbox/outbox-store.js';
import { outboxPolicy } from '../notify/outbox/outbox-policy.js';
import { WebhookNotifier } from '../notify/channels/webhook/webhook-notifier.js';
import { FpingPinger } from '../probe/icmp/fping-pinger.js';
import { locateFping } from '../probe/icmp/require-fping.js';
import { assertPingInstalled } from '../probe/icmp/require-ping.js';
import { IcmpProber } from '../probe/icmp/icmp-prober.js';
import { SystemPinger } from '../probe/icmp/system-pinger.js';
import { cycleAttemptRecord } from '../store/cycle-attempt-record.js';
import { HistoryRecorder } from '../store/history-recorder.js';
import { HistoryWriter } from '../store/history-writer.js';
import { HeartbeatListener } from '../server/heartbeat/heartbeat-listener.js';
import { HeartbeatSettingsNotice } from '../server/heartbeat/heartbeat-settings-notice.js';
import { loadOrgs, orgsFingerprint } from '../config/load-orgs.js';
import { buildOrgLookup } from '../probe/orgs/build-org-lookup.js';
import { execCommand } from '../probe/command-runner.js';
import { DeepProber } from '../probe/route/deep-probe.js';
import { HttpServer } from '../server/http/http-server.js';
import { PingwardenMetrics } from '../server/http/metrics.js';
import { RouteProber } from '../probe/route/route-prober.js';
import { probeTargets, type ProberRegistry } from '../probe/prober.js';
import { ConfigFollowingProber } from '../probe/route/config-following-prober.js';

const NO_SENSORS: readonly SensorEntry[] = [];

function heartbeatNotice(first: Config, log: ClosableLog): HeartbeatSettingsNotice {
  const { heartbeatPort: port, heartbeatListen: address } = first.settings;
  return new HeartbeatSettingsNotice({ port, address }, log);
}

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
  /** The sensor heartbeat listener, already listening; null when off (heartbeat_port 0, or `once`). */
  readonly heartbeats: HeartbeatListener | null;
  /** Durable delivery of alert messages; `start()` it for the daemon, `deliverPending()` for one run. */
  readonly outbox: Outbox;
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
 * The one place that builds the monitor's real dependencies: system ping, notifiers, logger, outage history.
 * Everything below takes them as arguments. Throws ConfigErrors or MissingToolError before anything starts.
 */
export async function wireMonitor(
  paths: MonitorPaths,
  options: {
    console: boolean;
    /** One cycle for cron (`once`): history sessions are counted differently. */
    once?: boolean;
    /** Listen for sensor heartbeats (the daemon only). */
    heartbeats?: boolean;
    /** Log what would be done to Kasa plugs without doing it (`start --dry-run`). */
    dryRun?: boolean;
    /** Power-cycle plugs named by `cycle:` (default true; `once` only drives the lamp). */
    powerCycles?: boolean;
    /** `pingwarden watch`: hosts from the command line instead of config files. */
    watch?: WatchWiring;
  },
): Promise<WiredMonitor> {
  const env = process.env;
  await assertPingInstalled(env.PATH);
  const watch = options.watch;
  const onDisk = watch?.save ?? true;
  const first = watch?.config ?? (await readConfig(paths, env));
  const fpingPath = await locateFping(first.settings.pinger, env.PATH ?? '');
  // Fails start-up on an invalid orgs.csv, like the other files; later edits are followed by the prober.
  await loadOrgs(paths.configDir);
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
  const metrics = new PingwardenMetrics();
  const outboxStore = onDisk
    ? new FileOutboxStore(path.join(paths.logsDir, 'outbox'), log)
    : new MemoryOutboxStore();
  const outbox = new Outbox({
    store: outboxStore,
    notifiers: channels.map((channel) => metrics.countingNotifier(channel)),
    clock: systemClock,
    log,
    policy: () => outboxPolicy(settings()),
  });
  if (!first.smtp && !watch) {
    log.warn('email is not configured: alerts are logged only', {
      missing: path.join(paths.configDir, 'server_info.csv'),
    });
  }

  // The one writer of logs/history/; other features (plug power cycles) append their records through it.
  // `watch` without --save keeps nothing on disk, so it has no history.
  const historyDir = path.join(paths.logsDir, 'history');
  const historyWriter = onDisk ? new HistoryWriter({ dir: historyDir, log }) : null;
  const history = historyWriter
    ? new HistoryRecorder({
        dir: historyDir,
        writer: historyWriter,
        clock: systemClock,
        log,
        mode: options.once === true ? 'once' : 'daemon',
        pid: process.pid,
      })
    : null;

  // Sensors are watched only by the daemon: `once` has no listener, so its cycle leaves them out.
  const sensors = (): readonly SensorEntry[] => config.latest().sensors ?? NO_SENSORS;
  let heartbeats: HeartbeatListener | null = null;
  let sensorProber: HeartbeatProber | null = null;
  if (options.heartbeats !== true && (first.sensors?.length ?? 0) > 0) {
    log.info('sensors are watched by the daemon only; this run leaves them out', {
      sensors: first.sensors?.length,
    });
  }
  if (options.heartbeats === true && first.settings.heartbeatPort > 0) {
    const book = new HeartbeatLedger(systemClock.now());
    heartbeats = new HeartbeatListener({
      clock: systemClock,
      log,
      book,
      sensors,
      maxSkewMs: () => config.latest().settings.heartbeatMaxSkewSeconds * 1000,
      address: first.settings.heartbeatListen,
      port: first.settings.heartbeatPort,
    });
    try {
      await heartbeats.start();
    } catch (error) {
      email.close();
      await log.close();
      throw error;
    }
    sensorProber = new HeartbeatProber({ clock: systemClock, book });
  }

  const sensorObservers: MonitorObserver[] = [];
  if (options.heartbeats === true) sensorObservers.push(heartbeatNotice(first, log));
  if (heartbeats) sensorObservers.push(heartbeats);

  const prober = new ConfigFollowingProber({
    settings: () => config.latest().settings,
    orgsStamp: () => orgsFingerprint(paths.configDir),
    loadOrgs: () => loadOrgs(paths.configDir),
    build: (settings, prefixes) => wireDeepProber({ ...first, settings }, prefixes),
    log,
  });
  const http = wireHttpServer(first, prober, metrics, log);
  // One ping per host, or fping for the whole list when it is large (setting `pinger`), chosen each cycle.
  const probers: ProberRegistry = {
    icmp: new IcmpProber({
      choice: () => config.latest().settings,
      system: new SystemPinger({ clock: systemClock, maxConcurrent: first.settings.maxConcurrentProbes }),
      fping:
        fpingPath === null
          ? null
          : (sendIntervalMs) => new FpingPinger({ clock: systemClock, sendIntervalMs, command: fpingPath }),
      log,
    }),
    // Route-checked rows (via:, hop-org:, max-rtt:...) are deep-probed, at most 8 at a time.
    route: new RouteProber({ prober, clock: systemClock, maxConcurrent: 8 }),
    // Sensors are judged by the daemon only: `once` has no listener, so its cycle leaves them out.
    heartbeat: sensorProber,
  };
  const plugActions = wirePlugActions({
    config: first,
    logsDir: paths.logsDir,
    clock: systemClock,
    // A trigger with route checks (hop-org:, via:...) is back only when its route is the primary again.
    probe: (targets, options, signal) => probeTargets(probers, targets, options, signal),
    log,
    dryRun: options.dryRun ?? false,
    powerCycles: options.powerCycles ?? true,
    onCycleAttempt: (attempt) => {
      historyWriter?.append([cycleAttemptRecord(attempt)]).catch((error: unknown) => {
        log.error('could not record the power cycle', {
          error: error instanceof Error ? error.message : String(error),
        });
      });
    },
  });

  const loop = new MonitorLoop({
    clock: systemClock,
    probers,
    outbox,
    log,
    config,
    ...(history && { stateStore: history }),
    effects: plugActions.effects,
    powerCycles: options.powerCycles ?? true,
    observers: [
      ...(history ? [history] : []),
      new CycleLog(log),
      new AlertLog(log),
      ...sensorObservers,
      metrics.observer(),
    ],
  });
  metrics.readFrom({
    queued: async () => {
      const counts = new Map<string, number>(channels.map((channel) => [channel.name, 0]));
      for (const entry of await outboxStore.listAll()) {
        counts.set(entry.notifier, (counts.get(entry.notifier) ?? 0) + 1);
      }
      return counts;
    },
    heartbeats: () => heartbeats?.counters() ?? null,
  });
  return {
    loop,
    log,
    config,
    heartbeats,
    outbox,
    http,
    metrics,
    async close() {
      // Before anything else: a power cycle in progress switches its plug back on.
      await plugActions.stop();
      await history?.stop().catch((error: unknown) => {
        log.error('could not close the history', {
          error: error instanceof Error ? error.message : String(error),
        });
      });
      await heartbeats?.stop();
      await http?.stop();
      await outbox.stop();
      for (const channel of channels) await channel.close?.();
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
