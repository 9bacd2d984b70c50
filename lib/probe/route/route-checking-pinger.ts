import type { Clock } from '../../shared/clock.js';
import { mapBounded } from '../bounded-pool.js';
import { failureSummary, type DeepProbeReport, type DeepProbeRunner } from './deep-probe-result.js';
import type { Pinger, ProbeOptions, ProbeResult } from '../pinger.js';
import { routeCheckSpec } from './route-check-spec.js';

/** What a {@link RouteCheckingPinger} is built from. */
export interface RouteCheckingPingerOptions {
  /** Probes the plain hosts. */
  readonly inner: Pinger;
  readonly prober: DeepProbeRunner;
  /** The hosts.csv options of a host in the current configuration (undefined: not listed). */
  readonly optionsOf: (host: string) => ReadonlyMap<string, string> | undefined;
  readonly clock: Clock;
  /** Deep probes run at once (each is a ping or traceroute process). */
  readonly maxConcurrent: number;
}

/**
 * A {@link Pinger} that probes hosts with route-check options (`via:`, `hop-org:`, `min-rtt:`...) by deep
 * probe and all others with the inner pinger. A route-checked host is alive only when every check passed,
 * so "the internet answers, but over the backup link" is a DOWN like any other, with the failed checks as
 * the reason. Behind a failover router, that is the only way to see that the primary line is gone.
 */
export class RouteCheckingPinger implements Pinger {
  constructor(private readonly options: RouteCheckingPingerOptions) {}

  async probe(
    hosts: readonly string[],
    probeOptions: ProbeOptions,
    signal?: AbortSignal,
  ): Promise<ProbeResult[]> {
    const plain: string[] = [];
    const checked: { host: string; spec: ReturnType<typeof routeCheckSpec> }[] = [];
    for (const host of hosts) {
      const options = this.options.optionsOf(host);
      const spec = options ? routeCheckSpec(host, options, probeOptions.attempts) : null;
      if (spec === null) plain.push(host);
      else checked.push({ host, spec });
    }
    const [plainResults, checkedResults] = await Promise.all([
      plain.length > 0 ? this.options.inner.probe(plain, probeOptions, signal) : Promise.resolve([]),
      mapBounded(
        checked,
        this.options.maxConcurrent,
        ({ host, spec }) => this.deepProbe(host, spec, signal),
        signal,
      ),
    ]);
    const byHost = new Map([...plainResults, ...checkedResults].map((result) => [result.host, result]));
    // Keep the caller's order; hosts skipped on abort stay left out, as the Pinger contract says.
    return hosts.flatMap((host) => {
      const result = byHost.get(host);
      return result ? [result] : [];
    });
  }

  private async deepProbe(
    host: string,
    spec: ReturnType<typeof routeCheckSpec>,
    signal?: AbortSignal,
  ): Promise<ProbeResult> {
    const startedAt = this.options.clock.now();
    if (spec === null || !spec.ok) {
      // Options are validated with hosts.csv; only a combination (min-rtt above max-rtt) can get here.
      const problems = spec === null ? 'no checks' : spec.problems.join('; ');
      return { host, alive: false, attempts: 0, rttMs: null, startedAt, error: `route check: ${problems}` };
    }
    let report: DeepProbeReport;
    try {
      report = await this.options.prober.probe(spec.spec, signal);
    } catch (error) {
      // traceroute missing or not runnable: the route cannot be checked, which must not look like a pass
      // (nor stop the monitor for every other host).
      const message = error instanceof Error ? error.message : String(error);
      return { host, alive: false, attempts: 0, rttMs: null, startedAt, error: `route check: ${message}` };
    }
    const rtts = report.rttsMs;
    const healthy = report.verdict === 'healthy';
    return {
      host,
      alive: healthy,
      attempts: spec.spec.count,
      rttMs: rtts.length > 0 ? Math.min(...rtts) : null,
      startedAt,
      ...(healthy ? {} : { error: `route check failed: ${failureSummary(report)}` }),
    };
  }
}
