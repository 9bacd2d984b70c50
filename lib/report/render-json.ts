import type { Report } from './report-model.js';

// Cut, not rounded, like the table and the CSV: 17.6 s is 17 everywhere, so the formats never disagree.
const seconds = (ms: number) => Math.floor(ms / 1000);
const round = (value: number | null, digits: number) =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

/**
 * The report as JSON: `{generated_at, since, until, hosts: [...]}`, each host with `host`, `description`,
 * `location` (from hosts.csv; empty when unknown), `up_seconds`, `degraded_seconds` (answering with loss or
 * RTT over the thresholds; counts as available), `down_seconds`, `flapping_seconds` (counts neither way),
 * `unknown_seconds`, `maintenance_seconds` (in a maintenance window or snoozed), `availability_percent`
 * (null when nothing is known) and `outages`, each `{start, end, duration_seconds, power_cycles,
 * start_uncertainty_seconds, end_uncertainty_seconds, ended_by (up, removed, maintenance, flapping or null),
 * ack ({at, note} or null), fault_layer (LAN, gateway, modem-WAN, ISP, remote or null), fault_reason (null
 * when none), traces ([{at, phase (down or restored), target, reached_target, hops: [{ttl, address (null: no
 * answer), rtt_ms}]}])}`;
 * `end` is null while the outage is ongoing, and `quality` (null when the link quality series has nothing for
 * the host): `{packets_sent, packets_received, loss_percent, rtt_avg_ms, rtt_p95_ms, rtt_min_ms,
 * rtt_max_ms, rtt_p95_exact}`. Times are ISO 8601 UTC.
 */
export function renderJson(report: Report): string {
  const data = {
    generated_at: report.generatedAt.toISOString(),
    since: report.since.toISOString(),
    until: report.until.toISOString(),
    hosts: report.hosts.map((host) => ({
      host: host.host,
      description: host.description,
      location: host.location,
      up_seconds: seconds(host.upMs),
      degraded_seconds: seconds(host.degradedMs),
      down_seconds: seconds(host.downMs),
      flapping_seconds: seconds(host.flappingMs),
      unknown_seconds: seconds(host.unknownMs),
      maintenance_seconds: seconds(host.maintenanceMs),
      availability_percent:
        host.availabilityPercent === null ? null : Math.round(host.availabilityPercent * 1000) / 1000,
      quality:
        host.quality === null
          ? null
          : {
              packets_sent: host.quality.sent,
              packets_received: host.quality.received,
              loss_percent: round(host.quality.lossPercent, 3),
              rtt_avg_ms: round(host.quality.rttAvgMs, 1),
              rtt_p95_ms: round(host.quality.rttP95Ms, 1),
              rtt_min_ms: round(host.quality.rttMinMs, 1),
              rtt_max_ms: round(host.quality.rttMaxMs, 1),
              rtt_p95_exact: host.quality.p95Exact,
            },
      outages: host.outages.map((outage) => ({
        start: outage.start.toISOString(),
        end: outage.end?.toISOString() ?? null,
        duration_seconds: seconds(outage.durationMs),
        power_cycles: outage.powerCycles,
        start_uncertainty_seconds: seconds(outage.startUncertaintyMs),
        end_uncertainty_seconds: outage.endUncertaintyMs === null ? null : seconds(outage.endUncertaintyMs),
        ended_by: outage.endedBy,
        ack: outage.ack === null ? null : { at: outage.ack.at.toISOString(), note: outage.ack.note },
        fault_layer: outage.faultLayer,
        fault_reason: outage.faultReason,
        traces: outage.traces.map((trace) => ({
          at: trace.at.toISOString(),
          phase: trace.phase,
          target: trace.target,
          reached_target: trace.reachedTarget,
          hops: trace.hops.map((hop) => ({ ttl: hop.ttl, address: hop.address, rtt_ms: hop.rttMs })),
        })),
      })),
    })),
  };
  return `${JSON.stringify(data, null, 2)}\n`;
}
