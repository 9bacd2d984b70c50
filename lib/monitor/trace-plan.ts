import type { Target } from '../config/target.js';
import { traceDestination } from '../probe/trace/trace-destination.js';
import type { TraceRequest } from '../probe/trace/path-tracer.js';
import type { StateChange } from './evaluate-cycle.js';

/** A path snapshot the cycle takes, and the target it is for. */
export interface PlannedTrace extends TraceRequest {
  readonly target: Target;
}

/** Whether a state change begins an outage (a fault layer and a `down` snapshot are due). */
export function beginsOutage(change: StateChange): boolean {
  return change.after.status === 'DOWN' && change.before.status !== 'DOWN';
}

/** Whether a state change ends an outage with the host answering (a `restored` snapshot is due). */
export function endsOutage(change: StateChange): boolean {
  return (
    change.before.status === 'DOWN' && (change.after.status === 'UP' || change.after.status === 'DEGRADED')
  );
}

/**
 * The path snapshots one cycle takes: at most `maxPerCycle` (`trace_max_per_cycle`; 0: none), so a
 * site-wide outage does not fork a traceroute per host. Outages that begin come first, the WAN anchors
 * (hosts with `cycle:`) among them first, since their path decides between modem and ISP; then outages
 * that end; each in hosts.csv order, one snapshot per destination. Hosts UNREACHABLE behind a down parent
 * never change to DOWN, so they are never traced; nor are checks without an address (sensors).
 */
export function planTraces(changes: readonly StateChange[], maxPerCycle: number): PlannedTrace[] {
  if (maxPerCycle <= 0) return [];
  const down = changes.filter(beginsOutage);
  const ordered = [
    ...down.filter((change) => change.target.cyclePlug !== null),
    ...down.filter((change) => change.target.cyclePlug === null),
    ...changes.filter(endsOutage),
  ];
  const planned: PlannedTrace[] = [];
  const seen = new Set<string>();
  for (const change of ordered) {
    if (planned.length >= maxPerCycle) break;
    const destination = traceDestination(change.target);
    if (destination === null || seen.has(destination)) continue;
    seen.add(destination);
    planned.push({ target: change.target, destination, phase: beginsOutage(change) ? 'down' : 'restored' });
  }
  return planned;
}
