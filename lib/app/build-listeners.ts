import type { Clock } from '../shared/clock.js';
import type { Log } from '../shared/log.js';
import type { ConfigReloader } from '../config/config-reloader.js';
import type { SensorEntry } from '../config/sensor-entry.js';
import type { HeartbeatLedger } from '../probe/heartbeat/heartbeat-book.js';
import type { DeepProbeRunner } from '../probe/route/deep-probe-result.js';
import { HeartbeatListener } from '../server/heartbeat/heartbeat-listener.js';
import { HttpServer } from '../server/http/http-server.js';
import type { PingwardenMetrics } from '../server/http/metrics.js';

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
}): HttpServer | null {
  const settings = input.config.settings();
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
    { prober: input.prober, metrics: input.metrics, clock: input.clock, log: input.log },
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
