import type { PeerCertificate } from 'node:tls';

import type { CheckOutcome } from '../service-check-run.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** `2026-12-05T10:00:00Z`: the expiry date as alerts show it (UTC, whole seconds). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** When the peer's certificate stops being valid; null when the peer sent none or the date is unreadable. */
export function certificateExpiry(certificate: PeerCertificate | undefined): Date | null {
  const text = certificate?.valid_to;
  if (text === undefined || text === '') return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * The `cert-days:N` rule: a certificate valid for less than N more days makes the target DEGRADED (it still
 * answers, but a person must renew it soon), with the expiry date as the reason, e.g. `certificate expires in
 * 2 days, on 2026-12-05T10:00:00Z (cert-days:14)`. An expired certificate, or none, fails the check (DOWN).
 * Judged against the injected clock, so tests decide what "now" is.
 *
 * @returns null when the certificate is fine (or no rule is set), a warning, or a failure
 */
export function judgeExpiry(
  expiresAt: Date | null,
  certDays: number | null,
  now: Date,
): Extract<CheckOutcome, { ok: false }> | { readonly warning: string } | null {
  if (certDays === null) return null;
  if (expiresAt === null)
    return { ok: false, reason: 'TLS: the server sent no certificate to check', final: true };
  const leftMs = expiresAt.getTime() - now.getTime();
  if (leftMs >= certDays * DAY_MS) return null;
  const on = isoSeconds(expiresAt);
  if (leftMs <= 0)
    return { ok: false, reason: `certificate expired on ${on} (cert-days:${certDays})`, final: true };
  const days = Math.floor(leftMs / DAY_MS);
  const within = days === 0 ? 'within a day' : days === 1 ? 'in 1 day' : `in ${days} days`;
  return { warning: `certificate expires ${within}, on ${on} (cert-days:${certDays})` };
}
