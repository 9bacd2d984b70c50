import type { Clock } from '../shared/clock.js';
import type { ProbeOptions, ProbeResult } from './pinger.js';

/** What one attempt of a service check found. */
export type CheckOutcome =
  | {
      readonly ok: true;
      readonly rttMs: number;
      readonly notes?: readonly string[];
      /** Answers, but DEGRADED for this reason (a certificate close to expiry); trying again cannot change it. */
      readonly warning?: string;
    }
  /** `final`: trying again cannot change it (a certificate about to expire), so no more attempts. */
  | { readonly ok: false; readonly reason: string; readonly final?: boolean };

/**
 * Tries a service check up to `attempts` times, `timeout_seconds` each, stopping at the first pass, the way
 * the ping backends stop at the first reply. A failure becomes a DOWN result whose `error` is the last
 * attempt's reason: the text the alert shows ("HTTP 503", "keyword 'Welcome' not found").
 *
 * @param attempt one try; it must settle within `timeoutMs` (each prober enforces its own timeout)
 */
export async function runServiceCheck(
  id: string,
  options: ProbeOptions,
  clock: Clock,
  attempt: (timeoutMs: number) => Promise<CheckOutcome>,
): Promise<ProbeResult> {
  const startedAt = clock.now();
  const timeoutMs = options.timeoutSeconds * 1000;
  const tries = Math.max(1, options.attempts);
  let last: CheckOutcome = { ok: false, reason: 'not checked' };
  let made = 0;
  while (made < tries) {
    made += 1;
    last = await attempt(timeoutMs);
    if (last.ok || last.final === true) break;
  }
  if (last.ok) {
    return {
      host: id,
      alive: true,
      attempts: made,
      rttMs: Math.round(last.rttMs * 1000) / 1000,
      startedAt,
      ...(last.notes && last.notes.length > 0 && { notes: last.notes }),
      ...(last.warning !== undefined && { warning: last.warning }),
    };
  }
  return { host: id, alive: false, attempts: made, rttMs: null, startedAt, error: last.reason };
}

/**
 * A socket or resolver error in words a person reads in an alert: `connection refused`, `TLS: certificate
 * has expired`. Never quotes a URL (it may hold a password).
 */
export function describeNetworkError(error: unknown, timeoutMs: number): string {
  const err = error as NodeJS.ErrnoException;
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = error instanceof Error ? error.message : String(error);
  if (isTlsErrorCode(code)) return `TLS: ${message}`;
  const words: Record<string, string> = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset by the peer',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ENOTFOUND: 'name does not resolve',
    EAI_AGAIN: 'name does not resolve (temporary failure)',
    EPIPE: 'connection closed by the peer',
    ETIMEDOUT: `no answer within ${timeoutMs / 1000} s`,
    ABORT_ERR: `no answer within ${timeoutMs / 1000} s`,
    HPE_INVALID_CONSTANT: 'not an HTTP answer',
  };
  return words[code] ?? (code.startsWith('HPE_') ? `not a valid HTTP answer (${code})` : message);
}

/** Whether an error code comes from certificate verification or the TLS handshake. */
export function isTlsErrorCode(code: string): boolean {
  return /^(CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|ERR_TLS_|ERR_SSL_|ERR_OSSL_|HOSTNAME_MISMATCH)/.test(
    code,
  );
}
