import type { Cidr } from '../config/cidr-list.js';
import type { Target } from '../config/target.js';
import { traceDestination } from '../probe/trace/trace-destination.js';
import { lastAnsweringHop, type FaultLabel, type TraceSnapshot } from '../shared/fault-evidence.js';
import type { HostState, HostStatus } from './host-state.js';

/** What the monitor knows beyond the outage itself, read once per cycle. */
export interface FaultContext {
  readonly targets: readonly Target[];
  /** Every target's state after the cycle. */
  readonly states: ReadonlyMap<string, HostState>;
  /** The monitor's default gateway (`gateway_address`, else the routing table); null when unknown. */
  readonly gateway: string | null;
  /** The networks the monitor reaches without a gateway (routing table routes with none). */
  readonly lanNets: readonly Cidr[];
}

/** How a status counts as evidence: answering, not answering, or neither (no result yet, maintenance). */
const EVIDENCE = {
  UNKNOWN: 'unknown',
  UP: 'up',
  DEGRADED: 'up',
  DOWN: 'down',
  UNREACHABLE: 'down',
  // Answering part of the time: the path to it works.
  FLAPPING: 'up',
  MAINTENANCE: 'unknown',
} as const satisfies Record<HostStatus, 'up' | 'down' | 'unknown'>;

/**
 * Labels an outage with the layer where the break most likely is, from what the monitor already knows:
 * the `parent:` chain, the WAN anchors (hosts with `cycle:`), the default gateway and the last hop that
 * answered the path snapshot. The gateway is never probed for this: its state is known only when it is a
 * host in hosts.csv or when it answered a hop of the trace. The rules, first match wins (README, "Fault layer"):
 *
 * 1. gateway: the host is the gateway.
 * 2. LAN: a host between the monitor and the gateway (the gateway's `parent:` chain) is down.
 * 3. gateway: the gateway (listed in hosts.csv) is down.
 * 4. LAN: the host sits between the monitor and the gateway, or on a network the monitor reaches directly.
 * 5. remote: some internet anchor still answers, so the link works and only this host is gone.
 * 6. gateway: the trace got no answer at all, not even from the gateway.
 * 7. unknown: no anchors to compare with, or their state is not known.
 * 8. ISP: every anchor is down and a hop beyond the monitor's own equipment (gateway, modem: the parents of
 *    the anchors) answered last; modem-WAN: every anchor is down and nothing beyond that equipment answered.
 *
 * @param trace the host's own path snapshot, or another one of the same cycle (the anchors share one path)
 */
export function classifyFault(
  target: Target,
  trace: TraceSnapshot | null,
  context: FaultContext,
): FaultLabel {
  return faultClassifier(context)(target, trace);
}

/** Labels one outage; see {@link classifyFault} for the rules. */
export type FaultClassifier = (target: Target, trace: TraceSnapshot | null) => FaultLabel;

/**
 * {@link classifyFault} for many outages of one cycle: what depends only on the cycle (the targets by id,
 * the gateway and what sits in front of it, the anchors) is worked out once here, not once per outage, so
 * a cycle with a thousand new outages among ten thousand hosts stays linear.
 */
export function faultClassifier(context: FaultContext): FaultClassifier {
  const { targets, states, gateway, lanNets } = context;
  const byId = new Map(targets.map((t) => [t.id, t]));
  const statusOf = (t: Target) => EVIDENCE[states.get(t.id)?.status ?? 'UNKNOWN'];
  const gatewayTarget =
    gateway === null
      ? undefined
      : targets.find((t) => t.check.kind === 'icmp' && traceDestination(t) === gateway);
  const inFront = gatewayTarget === undefined ? [] : ancestors(gatewayTarget, byId);
  const downInFront = inFront.find((t) => states.get(t.id)?.status === 'DOWN');
  const anchors = targets.filter((t) => t.cyclePlug !== null);
  const anchorsUp = anchors.filter((t) => statusOf(t) === 'up');
  const anchorsAllDown = anchors.length > 0 && anchors.every((t) => statusOf(t) === 'down');
  const ownEquipment = new Set<string>(gateway === null ? [] : [gateway]);
  for (const anchor of anchors) {
    for (const parent of ancestors(anchor, byId)) ownEquipment.add(traceDestination(parent) ?? parent.id);
  }

  return (target, trace) => {
    const address = traceDestination(target) ?? target.id;
    const gatewayState =
      gatewayTarget !== undefined
        ? statusOf(gatewayTarget)
        : gateway !== null && trace?.hops.some((hop) => hop.address === gateway)
          ? 'up'
          : 'unknown';
    const gatewayText =
      gateway === null
        ? 'no gateway known'
        : `gateway ${gateway} ${gatewayState === 'unknown' ? 'not known' : gatewayState}`;

    // 1. gateway
    if (gateway !== null && address === gateway) {
      return { layer: 'gateway', reason: `gateway outage: the gateway ${gateway} itself is down` };
    }
    // 2. LAN, before a gateway that is UNREACHABLE: then the break is in front of it.
    if (downInFront !== undefined && downInFront !== target) {
      const which = traceDestination(downInFront) ?? downInFront.id;
      return {
        layer: 'LAN',
        reason: `LAN outage: ${which}, between the monitor and the gateway ${gateway ?? ''}, is down`,
      };
    }
    // 3. gateway
    if (gatewayState === 'down' && !inFront.includes(target)) {
      return { layer: 'gateway', reason: `gateway outage: ${gatewayText}` };
    }
    // 4. LAN
    if (inFront.includes(target)) {
      return {
        layer: 'LAN',
        reason:
          `LAN outage: ${address} sits between the monitor and the gateway ${gateway ?? ''} (parent:)`.trimEnd(),
      };
    }
    const lan = lanNets.find((net) => net.contains(address));
    if (lan !== undefined) {
      return {
        layer: 'LAN',
        reason: `LAN outage: ${address} is on the monitor's own network ${lan.text}, ${gatewayText}`,
      };
    }
    // 5. remote
    const othersUp = anchorsUp.includes(target) ? anchorsUp.length - 1 : anchorsUp.length;
    if (othersUp > 0) {
      return {
        layer: 'remote',
        reason: `remote outage: ${address} down while ${othersUp} of ${anchors.length} internet ${plural(anchors.length, 'anchor')} ${othersUp === 1 ? 'answers' : 'answer'}, ${gatewayText}`,
      };
    }
    // 6. gateway: a trace that nothing answered
    if (trace !== null && gatewayState !== 'up' && trace.hops.every((hop) => hop.address === null)) {
      const whom = gateway === null ? 'not even a first hop' : `not even the gateway ${gateway}`;
      return { layer: 'gateway', reason: `gateway outage: no hop answered the trace, ${whom}` };
    }
    // 7. unknown
    if (anchors.length === 0) {
      return {
        layer: null,
        reason: 'fault layer unknown: no internet anchors (hosts with cycle:) to compare with',
      };
    }
    if (!anchorsAllDown) {
      return { layer: null, reason: 'fault layer unknown: the internet anchors are neither up nor down yet' };
    }
    // 8. every anchor is down: the modem and its line, or the ISP beyond.
    const allDown =
      anchors.length === 1 ? 'the internet anchor down' : `all ${anchors.length} internet anchors down`;
    if (trace === null) {
      return { layer: 'modem-WAN', reason: `modem/WAN outage: ${allDown}, ${gatewayText}, no path snapshot` };
    }
    const own = new Set(ownEquipment);
    for (const parent of ancestors(target, byId)) own.add(traceDestination(parent) ?? parent.id);
    // Without a known gateway, the first hop is the gateway: every routed path leaves through it.
    if (gateway === null) {
      const first = trace.hops.find((hop) => hop.ttl === 1)?.address;
      if (first) own.add(first);
    }
    const last = lastAnsweringHop(trace);
    if (last === null || last.address === null || own.has(last.address)) {
      const ends = last?.address ? `the trace ends at ${last.address}` : 'no hop answered beyond it';
      return { layer: 'modem-WAN', reason: `modem/WAN outage: ${allDown}, ${gatewayText}, ${ends}` };
    }
    return { layer: 'ISP', reason: `ISP outage: ${allDown}, ${gatewayText}, last hop ${last.address}` };
  };
}

/** The targets `target` sits behind, nearest first (`parent:`); a loop that slipped through ends the walk. */
function ancestors(target: Target, byId: ReadonlyMap<string, Target>): Target[] {
  const found: Target[] = [];
  let parent = target.parent === null ? undefined : byId.get(target.parent);
  while (parent !== undefined && !found.includes(parent) && parent !== target) {
    found.push(parent);
    parent = parent.parent === null ? undefined : byId.get(parent.parent);
  }
  return found;
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`;
}
