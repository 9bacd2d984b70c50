import type { CheckSpec, DeepProbeKind } from '../../config/check-spec.js';
import type { OrgAnswer } from '../orgs/org-lookup.js';

/** One address that answered at one hop, with its owner when org checks asked for it. */
export interface HopAddress {
  readonly address: string;
  readonly name: string | null;
  /** Null when no org check needed it, so it was not looked up. */
  readonly org: OrgAnswer | null;
}

/** One TTL of a traceroute, as reported to users. */
export interface ReportedHop {
  readonly ttl: number;
  readonly addresses: readonly HopAddress[];
  readonly rttsMs: readonly number[];
  /** Probes without an answer at this TTL. */
  readonly lost: number;
  /** `!H`, `!N`...: the hop said the target is unreachable. */
  readonly annotations: readonly string[];
}

/** What one deep probe saw, before any check is judged. */
export interface DeepProbeObservation {
  readonly kind: DeepProbeKind;
  readonly target: string;
  /** The address the tool resolved the target to; null if it never got that far. */
  readonly destination: string | null;
  /** Whether the target itself answered. */
  readonly reached: boolean;
  /** Echo requests (ping) or probes per hop (traceroute) sent. */
  readonly sent: number;
  /** Round-trip times of the target's own answers, in milliseconds. */
  readonly rttsMs: readonly number[];
  /** Empty for `ping`. */
  readonly hops: readonly ReportedHop[];
  /** Why the tool could not probe at all ("No such device", "Name or service not known"...). */
  readonly error: string | null;
}

/** One judged check: `reachable`, `min-latency`, `route-include 198.51.100.0/24`, `org-exclude AS64501`... */
export interface CheckOutcome {
  readonly check: string;
  readonly passed: boolean;
  /** Why, in words: `min 21.3 ms >= 10 ms`, `failed: lookup failed for 203.0.113.1: ...`. */
  readonly reason: string;
}

/** The answer to one deep probe: the HTTP body, the CLI's JSON, and what a route-checked host reports. */
export interface DeepProbeReport {
  readonly verdict: 'healthy' | 'unhealthy';
  readonly kind: DeepProbeKind;
  readonly target: string;
  readonly source: string | null;
  readonly destination: string | null;
  readonly checks: readonly CheckOutcome[];
  readonly rttsMs: readonly number[];
  readonly hops: readonly ReportedHop[];
  readonly startedAt: string;
  readonly durationMs: number;
}

/** The reasons of the failed checks, joined for an alert or a log line. */
export function failureSummary(report: DeepProbeReport): string {
  return report.checks
    .filter((check) => !check.passed)
    .map((check) => `${check.check}: ${check.reason}`)
    .join('; ');
}

/** Anything that runs one deep probe: the DeepProber, or the wrapper that follows config reloads. */
export interface DeepProbeRunner {
  probe(spec: CheckSpec, signal?: AbortSignal): Promise<DeepProbeReport>;
}
