import { readFileSync } from 'node:fs';
import path from 'node:path';

import type { Clock } from '../shared/clock.js';
import { FaultError, errorMessage } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import type { ConfigReloader } from '../config/config-reloader.js';
import type { SensorEntry } from '../config/sensor-entry.js';
import type { HeartbeatLedger } from '../probe/heartbeat/heartbeat-book.js';
import type { DeepProbeRunner } from '../probe/route/deep-probe-result.js';
import { HeartbeatListener } from '../server/heartbeat/heartbeat-listener.js';
import { HttpServer } from '../server/http/http-server.js';
import type { PingwardenMetrics } from '../server/http/metrics.js';
import { buildReport } from '../report/build-report.js';
import type { HostReport, SegmentKind } from '../report/report-model.js';
import { PushRoutes } from '../server/status/push-routes.js';
import type { StatusBoard } from '../server/status/status-board.js';
import type { AvailabilitySeed, AvailabilitySpan } from '../server/status/availability-book.js';
import { readHostQuality } from '../report/quality-summary.js';
import {
  StatusRoutes,
  type HostHistory,
  type HostHistorySource,
  type QualitySource,
} from '../server/status/status-routes.js';

/**
 * The HTTP listener when `http_port` is set, else null. Its settings (`http_*`) are read here, once: they
 * apply at restart.
 */
export function buildHttpServer(input: {
  readonly config: ConfigReloader;
  readonly prober: DeepProbeRunner;
  readonly metrics: PingwardenMetrics;
  readonly clock: Clock;
  readonly log: Log;
  /** The live picture the status page shows. */
  readonly board?: StatusBoard;
  /** The heartbeat book push heartbeats are recorded in, with the sensors they may come from. */
  readonly push?: { readonly book: HeartbeatLedger; readonly sensors: () => readonly SensorEntry[] };
  readonly configDir?: string;
  /** `<logs>/history`, for availability and outages; absent: none shown. */
  readonly historyDir?: string;
  /** `<logs>/quality`, the link quality series for the host page's chart; absent: per-cycle RTTs only. */
  readonly qualityDir?: string;
}): HttpServer | null {
  const settings = input.config.settings();
  if (settings.httpPort === 0) return null;
  const { config, clock, log } = input;
  const tlsFiles = tlsFilesOf(settings.httpTlsCert, settings.httpTlsKey, input.configDir ?? '.');
  const history: HostHistorySource | undefined =
    input.historyDir === undefined ? undefined : historySource(input.historyDir, clock, log);
  const status = input.board
    ? new StatusRoutes({
        board: input.board,
        clock,
        title: () => config.settings().statusTitle,
        refreshSeconds: () => Math.max(5, Math.min(config.settings().intervalSeconds, 300)),
        ...(history && { history }),
        ...(input.qualityDir !== undefined && { quality: qualitySource(input.qualityDir, clock, log) }),
      })
    : undefined;
  const push = input.push
    ? new PushRoutes({ ...input.push, clock, log, perMinute: settings.pushRateLimitPerMinute })
    : undefined;
  if (push) input.metrics.readFrom({ push: () => push.counters() });
  return new HttpServer(
    {
      listen: settings.httpListen,
      port: settings.httpPort,
      token: settings.httpToken,
      maxConcurrentProbes: settings.httpMaxConcurrentProbes,
      maxQueuedProbes: settings.httpMaxQueuedProbes,
      rateLimitPerMinute: settings.httpRateLimitPerMinute,
      statusPublic: settings.statusPublic,
      ...(tlsFiles && { tls: () => readTls(tlsFiles) }),
    },
    {
      prober: input.prober,
      metrics: input.metrics,
      clock,
      log,
      ...(status && { status }),
      ...(push && { push }),
    },
  );
}

/**
 * The sensor heartbeat listener when `heartbeat_port` is set, else null. Address and port are read once
 * (restart); the sensors and the allowed clock skew follow reloads.
 */
export function buildHeartbeatListener(input: {
  readonly config: ConfigReloader;
  readonly book: HeartbeatLedger;
  readonly sensors: () => readonly SensorEntry[];
  readonly clock: Clock;
  readonly log: Log;
}): HeartbeatListener | null {
  const { config } = input;
  const settings = config.settings();
  if (settings.heartbeatPort === 0) return null;
  return new HeartbeatListener({
    clock: input.clock,
    log: input.log,
    book: input.book,
    sensors: input.sensors,
    maxSkewMs: () => config.settings().heartbeatMaxSkewSeconds * 1000,
    address: settings.heartbeatListen,
    port: settings.heartbeatPort,
  });
}

/** The certificate and key paths, resolved against the config folder; null when TLS is off. */
export function tlsFilesOf(
  cert: string,
  key: string,
  configDir: string,
): { readonly cert: string; readonly key: string } | null {
  if (cert === '' && key === '') return null;
  return { cert: path.resolve(configDir, cert), key: path.resolve(configDir, key) };
}

/** Reads the PEM files; a FaultError naming the file when one cannot be read. */
export function readTls(files: { readonly cert: string; readonly key: string }): {
  cert: Buffer;
  key: Buffer;
} {
  const read = (file: string, setting: string) => {
    try {
      return readFileSync(file);
    } catch (error) {
      throw new FaultError(`cannot read ${setting} ${file}: ${errorMessage(error)}`);
    }
  };
  return { cert: read(files.cert, 'http_tls_cert'), key: read(files.key, 'http_tls_key') };
}

/** Availability and outages of one host from the history, through the report functions. */
function historySource(dir: string, clock: Clock, log: Log): HostHistorySource {
  return async (host, since) => {
    const report = await buildReport({ dir, log, now: clock.now(), since, until: null, hosts: [host] });
    return hostHistoryOf(report.hosts.find((h) => h.host === host));
  };
}

/**
 * One host's report entry as the status API tells it. Durations are cut to whole seconds as in every report
 * format, so the API and `pingwarden report` give an outage the same length.
 */
export function hostHistoryOf(entry: HostReport | undefined): HostHistory {
  if (!entry) return { availability_percent: null, outages: [] };
  return {
    availability_percent: entry.availabilityPercent,
    outages: entry.outages.map((o) => ({
      start: o.start.toISOString(),
      end: o.end?.toISOString() ?? null,
      duration_seconds: Math.floor(o.durationMs / 1000),
      power_cycles: o.powerCycles,
    })),
  };
}

/** How the status page counts the report's kinds of time: the report's own availability rule. */
const AVAILABILITY_KIND = {
  up: 'up',
  degraded: 'up',
  down: 'down',
  flapping: null,
  unknown: null,
  maintenance: null,
} as const satisfies Record<SegmentKind, AvailabilitySpan['kind'] | null>;

/**
 * Every host's up and down time between two times, from the history through the report functions: read
 * once, at the daemon's first cycle, by the {@link AvailabilityBook}.
 */
export function availabilitySeed(dir: string, log: Log): AvailabilitySeed {
  return async (since, until) => {
    const report = await buildReport({ dir, log, now: until, since, until, hosts: [] });
    const spans = new Map<string, AvailabilitySpan[]>();
    for (const host of report.hosts) {
      const list: AvailabilitySpan[] = [];
      for (const segment of host.segments) {
        const kind = AVAILABILITY_KIND[segment.kind];
        if (kind !== null) list.push({ start: segment.start, end: segment.end, kind });
      }
      spans.set(host.host, list);
    }
    return spans;
  };
}

/** Chart points of one host from the link quality series, 120 columns over the window. */
export function qualitySource(dir: string, clock: Clock, log: Log): QualitySource {
  return {
    series: async (host, since) => {
      const hosts = await readHostQuality(dir, since.getTime(), clock.now().getTime(), log, 120);
      return (hosts.get(host)?.points ?? []).map((point) => ({
        at: point.start,
        rttMs: point.medianMs,
        minMs: point.minMs,
        maxMs: point.maxMs,
        lossPercent: point.lossPercent,
      }));
    },
  };
}
