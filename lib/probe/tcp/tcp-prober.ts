import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

import type { TargetOf } from '../../config/target.js';
import type { Clock } from '../../shared/clock.js';
import { checkAll, type CheckPool } from '../check-pool.js';
import type { ProbeOptions, ProbeResult } from '../pinger.js';
import type { Prober } from '../prober.js';
import { describeNetworkError, runServiceCheck, type CheckOutcome } from '../service-check-run.js';

/** What the service-check probers share. */
export interface ServiceProberOptions {
  readonly clock: Clock;
  /** The one `max_concurrent_checks` pool of tcp, http, dns and tls checks. */
  readonly pool: CheckPool;
}

/**
 * `tcp://HOST:PORT` rows: alive when the port accepts a connection within `timeout_seconds`; the RTT is the
 * connect time. The connection is closed at once, before anything is sent.
 */
export class TcpProber implements Prober<'tcp'> {
  constructor(private readonly options: ServiceProberOptions) {}

  probe(
    targets: readonly TargetOf<'tcp'>[],
    options: ProbeOptions,
    signal?: AbortSignal,
  ): Promise<ProbeResult[]> {
    return checkAll(
      this.options.pool,
      targets,
      (target) =>
        runServiceCheck(target.id, options, this.options.clock, (timeoutMs) =>
          connectOnce(target.check.host, target.check.port, timeoutMs),
        ),
      signal,
    );
  }
}

/** One TCP connect, settled within `timeoutMs`. */
export function connectOnce(host: string, port: number, timeoutMs: number): Promise<CheckOutcome> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host, port });
    const finish = (outcome: CheckOutcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, reason: `TCP port ${port}: no answer within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
    socket.once('connect', () => finish({ ok: true, rttMs: performance.now() - started }));
    socket.on('error', (error) =>
      finish({ ok: false, reason: `TCP port ${port}: ${describeNetworkError(error, timeoutMs)}` }),
    );
  });
}
