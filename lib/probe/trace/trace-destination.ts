import type { Check, Target } from '../../config/target.js';

/**
 * The host a path snapshot of `target` traces to: the address or name its check talks to. Null for checks
 * without one (a sensor's heartbeats arrive from wherever the sensor is).
 */
export function traceDestination(target: Target): string | null {
  return DESTINATION[target.check.kind](target.check as never, target);
}

type DestinationOf = {
  [K in Check['kind']]: (check: Extract<Check, { kind: K }>, target: Target) => string | null;
};

const DESTINATION = {
  icmp: (_check, target) => target.label.host,
  route: (check) => check.spec.target,
  heartbeat: () => null,
  tcp: (check) => check.host,
  tls: (check) => check.host,
  dns: (check) => check.server,
  http: (check) => urlHost(check.url),
} as const satisfies DestinationOf;

function urlHost(url: string): string | null {
  try {
    // `[2001:db8::1]` in a URL: traceroute wants the bare address.
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1') || null;
  } catch {
    return null;
  }
}
