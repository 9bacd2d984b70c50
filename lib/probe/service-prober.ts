import type { CheckKind, TargetOf } from '../config/target.js';
import type { Clock } from '../shared/clock.js';
import { checkAll, type CheckPool } from './check-pool.js';
import type { ProbeOptions, ProbeResult } from './pinger.js';
import type { Prober } from './prober.js';
import { runServiceCheck, type CheckOutcome } from './service-check-run.js';

/** The check kinds that are one request to a service: tcp, http, dns and tls. */
export type ServiceCheckKind = Extract<CheckKind, 'tcp' | 'http' | 'dns' | 'tls'>;

/** What the service-check probers share. */
export interface ServiceProberOptions {
  readonly clock: Clock;
  /** The one `max_concurrent_checks` pool of tcp, http, dns and tls checks. */
  readonly pool: CheckPool;
}

/**
 * A prober of one service-check kind: every target goes through the shared pool and gets `attempts` tries of
 * `timeout_seconds` each ({@link runServiceCheck}); a kind only says what one try is.
 */
export abstract class ServiceProber<K extends ServiceCheckKind> implements Prober<K> {
  constructor(protected readonly options: ServiceProberOptions) {}

  probe(
    targets: readonly TargetOf<K>[],
    options: ProbeOptions,
    signal?: AbortSignal,
  ): Promise<ProbeResult[]> {
    const { clock, pool } = this.options;
    return checkAll(
      pool,
      targets,
      (target) =>
        runServiceCheck(target.id, options, clock, (timeoutMs) => this.checkOnce(target, timeoutMs)),
      signal,
    );
  }

  /** One try at `target`; it must settle within `timeoutMs`. */
  protected abstract checkOnce(target: TargetOf<K>, timeoutMs: number): Promise<CheckOutcome>;
}
