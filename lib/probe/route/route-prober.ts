import type { TargetOf } from '../../config/target.js';
import type { Clock } from '../../shared/clock.js';
import { errorMessage } from '../../shared/errors.js';
import { mapBounded } from '../bounded-pool.js';
import type { ProbeOptions, ProbeResult } from '../pinger.js';
import type { Prober } from '../prober.js';
import { failureSummary, type DeepProbeReport, type DeepProbeRunner } from './deep-probe-result.js';

/** What a {@link RouteProber} is built from. */
export interface RouteProberOptions {
  readonly prober: DeepProbeRunner;
  readonly clock: Clock;
  /** Deep probes run at once (each is a ping or traceroute process). */
  readonly maxConcurrent: number;
}

/**
 * The prober of `route` targets (hosts.csv rows with `via:`, `hop-org:`, `min-rtt:`...): a deep probe whose
 * checks, parsed at load into the target's CheckSpec, must all pass. So "the internet answers, but over the
 * backup link" is a DOWN like any other, with the failed checks as the reason. Behind a failover router,
 * that is the only way to see that the primary line is gone.
 */
export class RouteProber implements Prober<'route'> {
  constructor(private readonly options: RouteProberOptions) {}

  probe(
    targets: readonly TargetOf<'route'>[],
    _options: ProbeOptions,
    signal?: AbortSignal,
  ): Promise<ProbeResult[]> {
    return mapBounded(
      targets,
      this.options.maxConcurrent,
      (target) => this.deepProbe(target, signal),
      signal,
    );
  }

  private async deepProbe(target: TargetOf<'route'>, signal?: AbortSignal): Promise<ProbeResult> {
    const startedAt = this.options.clock.now();
    const { spec } = target.check;
    const host = target.id;
    let report: DeepProbeReport;
    try {
      report = await this.options.prober.probe(spec, signal);
    } catch (error) {
      // traceroute missing or not runnable: the route cannot be checked, which must not look like a pass
      // (nor stop the monitor for every other host).
      return {
        host,
        alive: false,
        attempts: 0,
        rttMs: null,
        startedAt,
        error: `route check: ${errorMessage(error)}`,
      };
    }
    const rtts = report.rttsMs;
    const healthy = report.verdict === 'healthy';
    return {
      host,
      alive: healthy,
      attempts: spec.count,
      rttMs: rtts.length > 0 ? Math.min(...rtts) : null,
      startedAt,
      ...(healthy ? {} : { error: `route check failed: ${failureSummary(report)}` }),
    };
  }
}
