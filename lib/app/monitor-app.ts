import path from 'node:path';

import { ConfigErrors, errorMessage } from '../shared/errors.js';
import type { ClosableLog } from '../shared/logger.js';
import { gzipOldLogs } from '../shared/log-archive.js';
import { localDate } from '../shared/local-time.js';
import { ensureWritableLogs } from '../shared/writable-folder.js';
import { ConfigReloader, type ConfigReaders } from '../config/config-reloader.js';
import { configFingerprint } from '../config/load-config.js';
import { RestartSettingsNotice } from '../config/restart-settings-notice.js';
import type { SensorEntry } from '../config/sensor-entry.js';
import type { Config } from '../config/types.js';
import { MonitorLoop, type MonitorObserver } from '../monitor/monitor-loop.js';
import { AlertLog } from '../notify/channels/log/alert-log.js';
import { CycleLog } from '../monitor/cycle-log.js';
import { HeartbeatLedger } from '../probe/heartbeat/heartbeat-book.js';
import type { PingwardenMetrics } from '../server/http/metrics.js';
import { cycleAttemptRecord } from '../store/cycle-attempt-record.js';
import { buildFollowingDeepProber } from './build-deep-prober.js';
import { buildHistory } from './build-history.js';
import { availabilitySeed, buildHeartbeatListener, buildHttpServer } from './build-listeners.js';
import { StatusBoard } from '../server/status/status-board.js';
import { AvailabilityBook } from '../server/status/availability-book.js';
import { buildNotifiers, queuedPerChannel } from './build-notifiers.js';
import { buildPlugActions } from './build-plug-actions.js';
import { buildProbing, findProbeTools } from './build-probing.js';
import { probeTargets } from '../probe/prober.js';
import { execCommand } from '../probe/command-runner.js';
import { PathTracer } from '../probe/trace/path-tracer.js';
import { readRoutingTable } from '../probe/trace/routing-table.js';
import type { AppDeps } from './deps.js';
import { hostsCacheOf, readConfig } from './read-config.js';
import { checkTls } from './check-tls.js';
import { periodReport, ReportScheduler } from './report-email.js';
import type { Service } from './service.js';
import { ControlFiles } from '../store/control-files.js';

const NO_SENSORS: readonly SensorEntry[] = [];
/** `watch` has no files: its configuration never changes, so its fingerprint is a constant. */
const WATCH_FINGERPRINT = 'command line';

/**
 * How a run monitors: `daemon` (`pingwarden start`: loop, listeners, power cycles), `once` (one cycle for
 * cron: power cycles and the lamp, their memory rebuilt from the history, no listeners), `watch` (hosts from
 * the command line, no listeners).
 */
export type MonitorMode = 'daemon' | 'once' | 'watch';

/** The flags of a monitoring run. */
export interface MonitorFlags {
  readonly mode: MonitorMode;
  /** Log what would be done to Kasa plugs without doing it (`start --dry-run`). */
  readonly dryRun?: boolean;
  /** `watch` only: the configuration built from the arguments (never reloaded). */
  readonly watchConfig?: Config;
  /** `watch --save DIR`: logs, state and the outbox go to the logs folder; otherwise nothing is written. */
  readonly save?: boolean;
}

/** A monitor built from real parts; nothing runs until its services are started, in order. */
export interface MonitorApp {
  readonly loop: MonitorLoop;
  readonly log: ClosableLog;
  readonly config: ConfigReloader;
  readonly outbox: { deliverPending(): Promise<void> };
  /** Waits for power cycles in progress to end on their own; true when one was running. */
  readonly plugActions: { idle(): Promise<boolean> };
  /**
   * Start them in this order, stop them in reverse: the log, the listeners, the outbox, the history, the
   * plug actions, the loop. So stopping ends the loop first (and waits for it), switches plugs in a power
   * cycle back on, flushes the history and the outbox, closes the listeners, and closes the log last.
   */
  readonly services: readonly Service[];
  /** Resolves when the loop started by the services has ended (after a stop); rejects if it failed. */
  loopEnded(): Promise<void>;
  /** Re-reads the HTTPS certificate and key (SIGHUP); throws when they cannot be loaded. */
  reloadTls(): void;
}

/**
 * The one place that builds a monitoring run's services from `deps`. Throws ConfigErrors or
 * MissingToolError before anything is built; nothing is open when it throws.
 */
export async function buildMonitorApp(deps: AppDeps, flags: MonitorFlags): Promise<MonitorApp> {
  const { paths } = deps;
  const watched = flags.watchConfig;
  const onDisk = flags.mode !== 'watch' || flags.save === true;
  // Taken before the files are read, so that an edit made while they are read is reloaded next cycle.
  const fingerprint = watched ? WATCH_FINGERPRINT : await configFingerprint(paths.configDir);
  const first = watched ?? (await readConfig(deps, hostsCacheOf(deps)));
  // The same certificate checks as check-config, so a key that does not match is a config problem with its
  // line (exit 2), not a TLS library error when the listener starts.
  const tlsProblems = watched ? [] : checkTls(first.settings, paths.configDir);
  if (tlsProblems.length > 0) throw new ConfigErrors(tlsProblems);
  const tools = await findProbeTools(first.settings, deps.env);
  if (onDisk) await ensureWritableLogs(paths.logsDir, { create: true });
  // Before the log opens today's file: `once` from cron never crosses midnight, so rotation alone would
  // leave every earlier day as plain text.
  const archiveProblems = onDisk ? await gzipOldLogs(paths.logsDir, localDate(deps.clock.now())) : [];
  const log = deps.createLog({
    logsDir: onDisk ? paths.logsDir : null,
    retentionDays: first.settings.logRetentionDays,
    level: first.settings.logLevel,
    console: true,
  });
  for (const problem of archiveProblems) log.warn('old log file not archived', { problem });
  try {
    return await buildServices(deps, flags, { config: first, fingerprint }, tools, log, onDisk);
  } catch (error) {
    await log.close();
    throw error;
  }
}

async function buildServices(
  deps: AppDeps,
  flags: MonitorFlags,
  loaded: { readonly config: Config; readonly fingerprint: string },
  tools: Awaited<ReturnType<typeof findProbeTools>>,
  log: ClosableLog,
  onDisk: boolean,
): Promise<MonitorApp> {
  const { clock, paths } = deps;
  const watched = flags.watchConfig;
  const first = loaded.config;
  const readers: ConfigReaders = watched
    ? { load: () => Promise.resolve(watched), fingerprint: () => Promise.resolve(WATCH_FINGERPRINT) }
    : {
        load: () => readConfig(deps, hostsCacheOf(deps)),
        fingerprint: () => configFingerprint(paths.configDir),
      };
  const config = await ConfigReloader.open(readers, log, loaded);
  for (const warning of first.warnings) log.warn(warning);
  const notice = new RestartSettingsNotice(config.settings(), log);
  config.onReload((next) => notice.check(next.settings));

  // Sensors and listeners are the daemon's: the other runs have no listener to read them from.
  const listening = flags.mode === 'daemon';
  // The metrics and the status board are read only through the HTTP listener, which `http_port` 0 (the
  // default; a restart setting) leaves off: then they are not kept at all. With 10,000 hosts they cost a
  // tenth of a second of CPU per cycle and 10 MB; prom-client alone 0.08 s of CPU to load.
  const serving = listening && first.settings.httpPort !== 0;
  const metrics: PingwardenMetrics | null = serving
    ? new (await import('../server/http/metrics.js')).PingwardenMetrics()
    : null;
  const notifiers = buildNotifiers({
    config,
    logsDir: onDisk ? paths.logsDir : null,
    clock,
    log,
    ...(metrics && { metrics }),
  });
  if (!first.smtp && flags.mode !== 'watch') {
    log.warn('email is not configured: alerts are logged only', {
      missing: path.join(paths.configDir, 'server_info.csv'),
    });
  }
  // `watch` without --save keeps nothing on disk, so it has no history.
  const history = onDisk
    ? buildHistory({
        logsDir: paths.logsDir,
        clock,
        log,
        mode: flags.mode === 'once' ? 'once' : 'daemon',
        pid: deps.pid,
      })
    : null;

  // Sensors are watched only by the daemon: the other runs have no listener, so their cycles leave them out.
  const sensors = (): readonly SensorEntry[] => config.latest().sensors ?? NO_SENSORS;
  if (!listening && (first.sensors?.length ?? 0) > 0) {
    log.info('sensors are watched by the daemon only; this run leaves them out', {
      sensors: first.sensors?.length,
    });
  }
  const book = listening ? new HeartbeatLedger(clock.now()) : null;
  const heartbeats = book ? buildHeartbeatListener({ config, book, sensors, clock, log }) : null;
  const deepProber = buildFollowingDeepProber({
    settings: config.settings,
    configDir: paths.configDir,
    clock,
    log,
  });
  // Only for the status page: without a listener nobody reads it, and its seed would read the history.
  const availability = serving
    ? new AvailabilityBook(
        history ? availabilitySeed(path.join(paths.logsDir, 'history'), log) : undefined,
        log,
      )
    : null;
  const board = serving ? new StatusBoard(availability ? (id) => availability.forId(id) : undefined) : null;
  const http = metrics
    ? buildHttpServer({
        config,
        prober: deepProber,
        metrics,
        clock,
        log,
        ...(board && { board }),
        ...(book && { push: { book, sensors } }),
        configDir: paths.configDir,
        ...(history && {
          historyDir: path.join(paths.logsDir, 'history'),
          qualityDir: path.join(paths.logsDir, 'quality'),
        }),
      })
    : null;
  const probers = buildProbing({
    tools,
    config,
    deepProber,
    // Push heartbeats (HTTP) fill the same book as the UDP listener.
    heartbeats: heartbeats || http ? book : null,
    clock,
    log,
  });
  const plugActions = buildPlugActions({
    config: first,
    logsDir: paths.logsDir,
    clock,
    // A trigger with route checks (hop-org:, via:...) is back only when its route is the primary again.
    probe: (targets, options, signal) => probeTargets(probers, targets, options, signal),
    log,
    dryRun: flags.dryRun ?? false,
    powerCycles: true,
    onCycleAttempt: (attempt) => {
      history?.writer.append([cycleAttemptRecord(attempt)]).catch((error: unknown) => {
        log.error('could not record the power cycle', { error: errorMessage(error) });
      });
    },
  });

  const observers: MonitorObserver[] = [
    ...(history ? [history.recorder, history.quality] : []),
    new CycleLog(log),
    new AlertLog(log),
    ...(heartbeats ? [heartbeats] : []),
    ...(metrics ? [metrics.observer()] : []),
    // Before the board: the rows the board sends to open pages read this cycle's availability.
    ...(availability ? [availability] : []),
    // The daemon emails the report of each finished week or month (`report_schedule`).
    ...(history && flags.mode === 'daemon'
      ? [
          new ReportScheduler({
            logsDir: paths.logsDir,
            log,
            build: (period, cycle) =>
              periodReport(
                paths.logsDir,
                log,
                period,
                new Map(cycle.config.targets.map((t) => [t.id, t.label])),
                cycle.at,
              ),
          }),
        ]
      : []),
    ...(board ? [board] : []),
  ];
  const loop = new MonitorLoop({
    clock,
    probers,
    outbox: notifiers.outbox,
    log,
    config,
    ...(history && { stateStore: history.recorder, qualityMemory: history.quality }),
    observers,
    effects: plugActions.effects,
    powerCycles: true,
    dryRun: flags.dryRun ?? false,
    // A cron run picks up the power-cycle counters where the previous run left them, and so does a daemon
    // restarted mid-outage: a restart must not grant `cycle_max_per_outage` cycles anew.
    resumeActions: true,
    // `pingwarden snooze` and `ack` leave their word in the logs folder; read at every cycle.
    ...(onDisk && { controls: new ControlFiles(paths.logsDir) }),
    // Where the break is (issue 17): a traceroute per outage that begins or ends, and the routing table.
    tracer: new PathTracer({ run: execCommand, clock, log }),
    network: readRoutingTable,
  });
  metrics?.readFrom({
    queued: () => queuedPerChannel(notifiers),
    heartbeats: () => heartbeats?.counters() ?? null,
  });

  let loopRun: Promise<void> | null = null;
  const services: Service[] = [
    {
      name: 'log',
      start: () => undefined,
      // Said here, stopped last, so that nothing (a power cycle ended by the stop, the outbox flush) is
      // logged after "pingwarden stopped".
      stop: async () => {
        if (flags.mode !== 'once') log.info('pingwarden stopped');
        await log.close();
      },
    },
    ...(heartbeats
      ? [
          {
            name: 'heartbeats',
            start: async () => void (await heartbeats.start()),
            stop: () => heartbeats.stop(),
          },
        ]
      : []),
    ...(http
      ? [{ name: 'http', start: async () => void (await http.start()), stop: () => http.stop() }]
      : []),
    {
      name: 'outbox',
      // `once` delivers what it queued itself (deliverPending), without the retry timer.
      start: () => (flags.mode === 'once' ? undefined : notifiers.outbox.start()),
      async stop() {
        await notifiers.outbox.stop();
        for (const channel of notifiers.channels) await channel.close?.();
      },
    },
    ...(history
      ? [
          {
            name: 'history',
            start: () => undefined,
            stop: async () => {
              await history.recorder.stop().catch((error: unknown) => {
                log.error('could not close the history', { error: errorMessage(error) });
              });
              await history.quality.stop().catch((error: unknown) => {
                log.error('could not close the quality series', { error: errorMessage(error) });
              });
            },
          },
        ]
      : []),
    // A power cycle in progress switches its plug back on before the history and the log close.
    { name: 'plug actions', start: () => undefined, stop: () => plugActions.stop() },
    ...(flags.mode === 'once'
      ? []
      : [
          {
            name: 'monitor loop',
            start: () => {
              loopRun = loop.start();
            },
            async stop() {
              await loop.stop();
              await loopRun;
            },
          },
        ]),
  ];
  return {
    loop,
    log,
    config,
    outbox: notifiers.outbox,
    plugActions,
    services,
    loopEnded: () => loopRun ?? Promise.resolve(),
    reloadTls: () => http?.reloadTls(),
  };
}
