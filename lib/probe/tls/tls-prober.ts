import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import { connect } from 'node:tls';

import type { TargetOf, TlsTrust } from '../../config/target.js';
import { describeNetworkError, type CheckOutcome } from '../service-check-run.js';
import { ServiceProber } from '../service-prober.js';
import { certificateExpiry, judgeExpiry } from './certificate-expiry.js';

/**
 * `tls://HOST:PORT` rows: a TLS handshake whose certificate verifies (against the system CAs, the row's
 * `ca:` file, or not at all with `insecure:yes`) and, with `cert-days:N`, is valid for N more days. The RTT
 * is the time to the finished handshake.
 */
export class TlsProber extends ServiceProber<'tls'> {
  protected async checkOnce(target: TargetOf<'tls'>, timeoutMs: number): Promise<CheckOutcome> {
    const { host, port, tls, certDays } = target.check;
    const shaken = await handshake(host, port, tls, timeoutMs);
    if (!shaken.ok) return shaken;
    const expiry = judgeExpiry(shaken.expiresAt, certDays, this.options.clock.now());
    if (expiry !== null && 'reason' in expiry) return expiry;
    return { ok: true, rttMs: shaken.rttMs, ...(expiry !== null && { warning: expiry.warning }) };
  }
}

/** The socket options that carry a row's trust (`ca:` PEM, `insecure:yes`) and the name to verify. */
export function trustOptions(
  host: string,
  trust: TlsTrust,
): { ca?: string; rejectUnauthorized: boolean; servername?: string } {
  return {
    rejectUnauthorized: !trust.insecure,
    ...(trust.ca?.pem != null && { ca: trust.ca.pem }),
    // SNI takes names only; an IP literal is verified against the certificate's IP entries.
    ...(isIP(host) === 0 && { servername: host }),
  };
}

type Handshake =
  | { readonly ok: true; readonly rttMs: number; readonly expiresAt: Date | null }
  | Extract<CheckOutcome, { ok: false }>;

function handshake(host: string, port: number, trust: TlsTrust, timeoutMs: number): Promise<Handshake> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host, port, ...trustOptions(host, trust) });
    const finish = (outcome: Handshake): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, reason: `TLS port ${port}: no answer within ${timeoutMs / 1000} s` }),
      timeoutMs,
    );
    socket.once('secureConnect', () =>
      finish({
        ok: true,
        rttMs: performance.now() - started,
        expiresAt: certificateExpiry(socket.getPeerCertificate()),
      }),
    );
    socket.on('error', (error) => {
      const text = describeNetworkError(error, timeoutMs);
      finish({ ok: false, reason: text.startsWith('TLS: ') ? text : `TLS port ${port}: ${text}` });
    });
  });
}
