import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

import { HOST_STATUSES, type HostStatus } from '../../monitor/host-state.js';
import type { CycleReport, MonitorObserver } from '../../monitor/monitor-loop.js';
import type { Notifier } from '../../notify/notifier.js';
import type { HeartbeatCounters } from '../heartbeat/drop-log.js';
import type { PushCounters } from '../status/push-routes.js';

/** The `status` label of `pingwarden_hosts` and `pingwarden_host_status` for each status. */
const STATUS_LABEL = {
  UNKNOWN: 'unknown',
  UP: 'up',
  DEGRADED: 'degraded',
  DOWN: 'down',
  UNREACHABLE: 'unreachable',
  FLAPPING: 'flapping',
  MAINTENANCE: 'maintenance',
} as const satisfies Record<HostStatus, string>;

/**
 * `pingwarden_host_up` per status, or null where the series is left out: a host nothing is known about yet,
 * and a child UNREACHABLE behind a down parent (its silence says nothing about it, so a `host_up == 0` rule
 * must not fire for it; the parent's series does). `pingwarden_host_status` shows those.
 */
const HOST_UP = {
  UNKNOWN: null,
  UP: 1,
  // Answering: `host_up == 0` rules must not fire; `pingwarden_host_status{status="degraded"}` shows it.
  DEGRADED: 1,
  DOWN: 0,
  UNREACHABLE: null,
  // Up and down by turns: neither value would hold until the next scrape; host_status shows it.
  FLAPPING: null,
  // Silenced on purpose (maintenance window or snooze): a `host_up == 0` rule must not page anyone.
  MAINTENANCE: null,
} as const satisfies Record<HostStatus, 0 | 1 | null>;

/**
 * Whether a status is an outage of the host itself: entering one counts in `pingwarden_host_outages_total`,
 * time in one in `pingwarden_host_down_seconds_total`. Not UNREACHABLE: that outage is the parent's (when the
 * child turns DOWN after the parent is back, its outage counts from when it became UNREACHABLE).
 */
const OWN_OUTAGE = {
  UNKNOWN: false,
  UP: false,
  DEGRADED: false,
  DOWN: true,
  UNREACHABLE: false,
  FLAPPING: false,
  MAINTENANCE: false,
} as const satisfies Record<HostStatus, boolean>;

/** Seconds from milliseconds, rounded to the microsecond (no float noise such as 0.000017999999999999997). */
function secondsFromMs(ms: number): number {
  return Math.round(ms * 1000) / 1e6;
}

/** Parts of the monitor whose numbers are read when Prometheus scrapes, rather than pushed. */
export interface MetricSources {
  /** Messages queued per notifier name. */
  readonly queued?: () => Promise<ReadonlyMap<string, number>>;
  /** The heartbeat listener's counters; absent or null while it is off. */
  readonly heartbeats?: () => HeartbeatCounters | null;
  /** The push route's counters (`/push/<sensor>`); absent or null while the HTTP listener is off. */
  readonly push?: () => PushCounters | null;
}

/**
 * Every Prometheus metric pingwarden exports, on a registry of its own (never prom-client's global one, so
 * two monitors in one process, as in tests, do not share counters). README's "Metrics" section lists them.
 */
export class PingwardenMetrics {
  readonly registry: Registry;
  readonly hostUp: Gauge<'host'>;
  /** One-hot: 1 for the host's current status, 0 for every other; absent only for removed hosts. */
  readonly hostStatus: Gauge<'host' | 'status'>;
  readonly hostInfo: Gauge<'host' | 'description' | 'location'>;
  readonly hostRttSeconds: Gauge<'host'>;
  /** Share of the last cycle's echo requests that got no reply, 0–1. */
  readonly hostLossRatio: Gauge<'host'>;
  /** RTT average, minimum and maximum of the last cycle's replies. */
  readonly hostRttAvgSeconds: Gauge<'host'>;
  readonly hostRttMinSeconds: Gauge<'host'>;
  readonly hostRttMaxSeconds: Gauge<'host'>;
  /** 1 while a change of the host waits for confirmation (`down_after_cycles`, `up_after_cycles`). */
  readonly hostPending: Gauge<'host' | 'toward'>;
  readonly hostOutages: Counter<'host'>;
  readonly hostDownSeconds: Counter<'host'>;
  readonly hosts: Gauge<'status'>;
  readonly cycleDuration: Histogram;
  readonly lastCycle: Gauge;
  readonly notifications: Counter<'notifier' | 'kind'>;
  readonly notifierFailures: Counter<'notifier' | 'kind'>;
  /** Messages waiting in the durable outbox, per notifier; read from the outbox at each scrape. */
  readonly notifierQueueLength: Gauge<'notifier'>;
  /** Alerts the outbox could not store (disk full, read-only), held in memory and retried every cycle. */
  readonly alertsHeld: Gauge;
  /** Signed heartbeats accepted from remote sensors; read from the UDP listener at each scrape. */
  readonly heartbeatsAccepted: Counter;
  /** Datagrams the heartbeat listener dropped, by reason (forged, replayed, malformed...). */
  readonly heartbeatsDropped: Counter<'reason'>;
  /** HTTP push heartbeats by sensor and result (accepted, bad_key, rate_limited); read at each scrape. */
  readonly pushHeartbeats: Counter<'sensor' | 'result'>;
  /** Unix time of each sensor's last accepted HTTP push. */
  readonly pushLastSeen: Gauge<'sensor'>;
  private sources: MetricSources = {};
  /** The per-host series of the latest cycle, not yet written to the gauges (see {@link deferHostSeries}). */
  private hostSeries: (() => void) | null = null;
  readonly httpProbeRequests: Counter<'endpoint' | 'code'>;
  readonly httpProbesActive: Gauge;
  readonly httpProbesQueued: Gauge;

  constructor(options: { readonly defaultMetrics?: boolean } = {}) {
    this.registry = new Registry();
    const registers = [this.registry];
    // Per-host series are written when scraped, from the latest cycle only: 10,000 hosts × 10 series is
    // 100,000 label hashes, which would otherwise cost every cycle whether anyone scrapes or not.
    const flushHostSeries = () => this.flushHostSeries();
    this.hostUp = new Gauge({
      name: 'pingwarden_host_up',
      help: '1 while the host is UP, 0 while it is DOWN; absent while UNKNOWN or UNREACHABLE (behind a down parent).',
      labelNames: ['host'],
      registers,
      collect: flushHostSeries,
    });
    this.hostStatus = new Gauge({
      name: 'pingwarden_host_status',
      help: '1 for the status the host is in (unknown, up, degraded, down, unreachable, flapping), 0 for the others.',
      labelNames: ['host', 'status'],
      registers,
      collect: flushHostSeries,
    });
    this.hostInfo = new Gauge({
      name: 'pingwarden_host_info',
      help: 'Always 1; carries the description and location of each host in hosts.csv.',
      labelNames: ['host', 'description', 'location'],
      registers,
    });
    this.hostRttSeconds = new Gauge({
      name: 'pingwarden_host_rtt_seconds',
      help: 'Round-trip time of the last echo reply from the host.',
      labelNames: ['host'],
      registers,
      collect: flushHostSeries,
    });
    this.hostLossRatio = new Gauge({
      name: 'pingwarden_host_loss_ratio',
      help: "Share of the last cycle's echo requests to the host that got no reply (0 to 1).",
      labelNames: ['host'],
      registers,
      collect: flushHostSeries,
    });
    this.hostRttAvgSeconds = new Gauge({
      name: 'pingwarden_host_rtt_avg_seconds',
      help: "Average round-trip time of the last cycle's echo replies from the host.",
      labelNames: ['host'],
      registers,
      collect: flushHostSeries,
    });
    this.hostRttMinSeconds = new Gauge({
      name: 'pingwarden_host_rtt_min_seconds',
      help: "Shortest round-trip time of the last cycle's echo replies from the host.",
      labelNames: ['host'],
      registers,
      collect: flushHostSeries,
    });
    this.hostRttMaxSeconds = new Gauge({
      name: 'pingwarden_host_rtt_max_seconds',
      help: "Longest round-trip time of the last cycle's echo replies from the host.",
      labelNames: ['host'],
      registers,
      collect: flushHostSeries,
    });
    this.hostPending = new Gauge({
      name: 'pingwarden_host_pending',
      help: '1 while the host waits for confirmation of a change toward DOWN or UP (down_after_cycles, up_after_cycles), else 0.',
      labelNames: ['host', 'toward'],
      registers,
      collect: flushHostSeries,
    });
    this.hostOutages = new Counter({
      name: 'pingwarden_host_outages_total',
      help: 'Times the host went DOWN.',
      labelNames: ['host'],
      registers,
      collect: flushHostSeries,
    });
    this.hostDownSeconds = new Counter({
      name: 'pingwarden_host_down_seconds_total',
      help: 'Seconds the host has spent DOWN since this process started.',
      labelNames: ['host'],
      registers,
      collect: flushHostSeries,
    });
    this.hosts = new Gauge({
      name: 'pingwarden_hosts',
      help: 'Hosts in hosts.csv by status after the last cycle; every status is listed, the values sum to the hosts.',
      labelNames: ['status'],
      registers,
    });
    this.cycleDuration = new Histogram({
      name: 'pingwarden_cycle_duration_seconds',
      help: 'Time one probe cycle took.',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 120, 300],
      registers,
    });
    this.lastCycle = new Gauge({
      name: 'pingwarden_last_cycle_timestamp_seconds',
      help: 'Unix time the last probe cycle started; a stale value means the monitor is stuck.',
      registers,
    });
    this.notifications = new Counter({
      name: 'pingwarden_notifications_total',
      help: 'Delivery attempts of alert messages, by notifier (retries count again).',
      labelNames: ['notifier', 'kind'],
      registers,
    });
    this.notifierFailures = new Counter({
      name: 'pingwarden_notifier_failures_total',
      help: 'Delivery attempts that failed, by notifier (the outbox retries them).',
      labelNames: ['notifier', 'kind'],
      registers,
    });
    this.alertsHeld = new Gauge({
      name: 'pingwarden_alerts_held',
      help: 'Alerts that could not be stored in the outbox (disk full, read-only), held in memory and retried.',
      registers,
    });
    const sources = () => this.sources;
    this.notifierQueueLength = new Gauge({
      name: 'pingwarden_notifier_queue_length',
      help: 'Alert messages waiting in the outbox for delivery, by notifier.',
      labelNames: ['notifier'],
      registers,
      async collect() {
        const queued = sources().queued;
        if (!queued) return;
        this.reset();
        for (const [notifier, count] of await queued()) this.set({ notifier }, count);
      },
    });
    this.heartbeatsAccepted = new Counter({
      name: 'pingwarden_heartbeats_accepted_total',
      help: 'Signed heartbeats accepted from remote sensors since start.',
      registers,
      collect() {
        const counters = sources().heartbeats?.();
        if (!counters) return;
        this.reset();
        this.inc(counters.accepted);
      },
    });
    this.heartbeatsDropped = new Counter({
      name: 'pingwarden_heartbeats_dropped_total',
      help: 'Heartbeat datagrams dropped since start, by reason (unsigned, bad_signature, replayed, ...).',
      labelNames: ['reason'],
      registers,
      collect() {
        const counters = sources().heartbeats?.();
        if (!counters) return;
        this.reset();
        for (const [reason, count] of Object.entries(counters.dropped)) this.inc({ reason }, count);
      },
    });
    this.pushHeartbeats = new Counter({
      name: 'pingwarden_push_heartbeats_total',
      help: 'HTTP push heartbeats (/push/<sensor>) since start, by sensor and result (accepted, bad_key, rate_limited); sensor="" counts pushes naming no configured sensor.',
      labelNames: ['sensor', 'result'],
      registers,
      collect() {
        const counters = sources().push?.();
        if (!counters) return;
        this.reset();
        for (const [sensor, counts] of counters.pushes)
          for (const [result, count] of Object.entries(counts)) this.inc({ sensor, result }, count);
      },
    });
    this.pushLastSeen = new Gauge({
      name: 'pingwarden_push_last_seen_timestamp_seconds',
      help: 'Unix time of the last accepted HTTP push heartbeat of each sensor.',
      labelNames: ['sensor'],
      registers,
      collect() {
        const counters = sources().push?.();
        if (!counters) return;
        this.reset();
        for (const [sensor, at] of counters.lastSeen) this.set({ sensor }, at / 1000);
      },
    });
    this.httpProbeRequests = new Counter({
      name: 'pingwarden_http_probe_requests_total',
      help: 'Deep-probe HTTP requests by endpoint and status code.',
      labelNames: ['endpoint', 'code'],
      registers,
    });
    this.httpProbesActive = new Gauge({
      name: 'pingwarden_http_probes_active',
      help: 'Deep probes running now.',
      registers,
    });
    this.httpProbesQueued = new Gauge({
      name: 'pingwarden_http_probes_queued',
      help: 'Deep-probe requests waiting for a free slot.',
      registers,
    });
    this.notifierQueueLength.set(0);
    if (options.defaultMetrics ?? true)
      collectDefaultMetrics({ register: this.registry, prefix: 'pingwarden_' });
  }

  /**
   * Hands over the latest cycle's per-host series; they are written at the next scrape (or replaced,
   * unwritten, by the next cycle's).
   */
  deferHostSeries(write: () => void): void {
    this.hostSeries = write;
  }

  /** Writes the deferred per-host series now; the first per-host metric collected at a scrape calls it. */
  flushHostSeries(): void {
    const write = this.hostSeries;
    this.hostSeries = null;
    write?.();
  }

  /** The exposition text for GET /metrics, and its content type. */
  async exposition(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /**
   * Wraps a notifier (email, Discord, webhook) so each delivery attempt the outbox makes, and each failure,
   * is counted; the failure still reaches the outbox, which retries. `kind` is the alert kind of a single
   * alert, or DIGEST for a message with several.
   */
  countingNotifier(notifier: Notifier): Notifier {
    const wrapped: Notifier = {
      name: notifier.name,
      sendNotification: async (notification, context) => {
        const [first, ...more] = notification.alerts;
        const labels = { notifier: notifier.name, kind: more.length > 0 || !first ? 'DIGEST' : first.kind };
        this.notifications.inc(labels);
        try {
          await notifier.sendNotification(notification, context);
        } catch (error) {
          this.notifierFailures.inc(labels);
          throw error;
        }
      },
      close: () => notifier.close?.(),
    };
    const enabled = notifier.enabled?.bind(notifier);
    return enabled ? { ...wrapped, enabled } : wrapped;
  }

  /**
   * Tells the metrics where to read the outbox queue, the heartbeat and push counters at each scrape; each
   * call adds to (or replaces) the sources given before.
   */
  readFrom(sources: MetricSources): void {
    this.sources = { ...this.sources, ...sources };
  }

  /** The observer that keeps the per-host and per-cycle metrics up to date. */
  observer(): MonitorObserver {
    return new MetricsObserver(this);
  }
}

/** Follows cycles and updates {@link PingwardenMetrics}. */
class MetricsObserver implements MonitorObserver {
  readonly name = 'metrics';
  /** Up to when each DOWN host's down time has been counted. */
  private readonly countedUntil = new Map<string, number>();
  private readonly known = new Map<string, { description: string; location: string }>();

  constructor(private readonly metrics: PingwardenMetrics) {}

  cycleFinished(report: CycleReport): void {
    const m = this.metrics;
    const at = report.at.getTime();
    m.lastCycle.set(at / 1000);
    m.cycleDuration.observe(report.summary.durationMs / 1000);
    m.alertsHeld.set(report.summary.heldAlerts);
    for (const status of HOST_STATUSES)
      m.hosts.set({ status: STATUS_LABEL[status] }, report.summary.counts[status]);

    for (const { id } of report.removed) this.forget(id);
    for (const { id: host, label: target } of report.config.targets) {
      const before = this.known.get(host);
      if (before && before.description === target.description && before.location === target.location)
        continue;
      const label = { description: target.description, location: target.location };
      if (before) m.hostInfo.remove({ host, ...before });
      this.known.set(host, label);
      m.hostInfo.set({ host, ...label }, 1);
    }
    for (const change of report.changes) {
      if (OWN_OUTAGE[change.after.status] && !OWN_OUTAGE[change.before.status])
        m.hostOutages.inc({ host: change.target.id });
    }
    for (const [host, state] of report.states) {
      const from = this.countedUntil.get(host);
      if (OWN_OUTAGE[state.status]) {
        // The first cycle of an outage counts from its start (the first failed attempt).
        const start = from ?? state.since?.getTime() ?? at;
        m.hostDownSeconds.inc({ host }, Math.max(0, at - start) / 1000);
        this.countedUntil.set(host, Math.max(at, start));
      } else if (from !== undefined) {
        // Restored: count up to the moment it came back.
        const end = state.since?.getTime() ?? at;
        m.hostDownSeconds.inc({ host }, Math.max(0, end - from) / 1000);
        this.countedUntil.delete(host);
      }
    }
    const { results, states } = report;
    m.deferHostSeries(() => this.writeHostSeries(results, states));
  }

  /** The gauges that show each host's last cycle: status, up, RTT and loss, a pending confirmation. */
  private writeHostSeries(results: CycleReport['results'], states: CycleReport['states']): void {
    const m = this.metrics;
    for (const result of results) {
      const host = result.host;
      // A host removed since that cycle keeps no series.
      if (!states.has(host)) continue;
      if (result.alive && result.rttMs !== null) m.hostRttSeconds.set({ host }, secondsFromMs(result.rttMs));
      const quality = result.quality;
      if (quality === undefined || quality.sent === 0) continue;
      m.hostLossRatio.set(
        { host },
        Math.round(((quality.sent - quality.received) / quality.sent) * 1e6) / 1e6,
      );
      // No replies: the RTT series are left out rather than shown as 0 (a perfect link).
      if (quality.avgMs === null || quality.minMs === null || quality.maxMs === null) {
        m.hostRttAvgSeconds.remove({ host });
        m.hostRttMinSeconds.remove({ host });
        m.hostRttMaxSeconds.remove({ host });
      } else {
        m.hostRttAvgSeconds.set({ host }, secondsFromMs(quality.avgMs));
        m.hostRttMinSeconds.set({ host }, secondsFromMs(quality.minMs));
        m.hostRttMaxSeconds.set({ host }, secondsFromMs(quality.maxMs));
      }
    }
    for (const [host, state] of states) {
      for (const status of HOST_STATUSES) {
        m.hostStatus.set({ host, status: STATUS_LABEL[status] }, status === state.status ? 1 : 0);
      }
      for (const toward of ['DOWN', 'UP'] as const) {
        m.hostPending.set({ host, toward: toward.toLowerCase() }, state.pending?.toward === toward ? 1 : 0);
      }
      const up = HOST_UP[state.status];
      if (up === null) m.hostUp.remove({ host });
      else m.hostUp.set({ host }, up);
      // Every host's counters visible from the start, at 0, so rate() and increase() work.
      m.hostOutages.inc({ host }, 0);
      m.hostDownSeconds.inc({ host }, 0);
    }
  }

  private forget(host: string): void {
    const m = this.metrics;
    m.hostUp.remove({ host });
    for (const status of HOST_STATUSES) m.hostStatus.remove({ host, status: STATUS_LABEL[status] });
    m.hostRttSeconds.remove({ host });
    for (const gauge of [m.hostLossRatio, m.hostRttAvgSeconds, m.hostRttMinSeconds, m.hostRttMaxSeconds]) {
      gauge.remove({ host });
    }
    for (const toward of ['down', 'up']) m.hostPending.remove({ host, toward });
    m.hostOutages.remove({ host });
    m.hostDownSeconds.remove({ host });
    const label = this.known.get(host);
    if (label) m.hostInfo.remove({ host, ...label });
    this.known.delete(host);
    this.countedUntil.delete(host);
  }
}
