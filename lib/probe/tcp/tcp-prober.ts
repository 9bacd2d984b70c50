import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';

import type { TargetOf } from '../../config/target.js';
import { describeNetworkError, type CheckOutcome } from '../service-check-run.js';
import { ServiceProber } from '../service-prober.js';

/**
 * `tcp://HOST:PORT` rows: alive when the port accepts a connection within `timeout_seconds`; the RTT is the
 * connect time. The connection is closed at once, before anything is sent.
 */
export class TcpProber extends ServiceProber<'tcp'> {
  protected checkOnce(target: TargetOf<'tcp'>, timeoutMs: number): Promise<CheckOutcome> {
    return connectOnce(target.check.host, target.check.port, timeoutMs);
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
