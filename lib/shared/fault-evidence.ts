/**
 * Where an outage's break was (issue 17): the words every layer that labels, stores, alerts and reports an
 * outage's fault layer and path snapshot shares. Kept in shared/ because monitor, store, notify and report
 * all speak them and none of them owns the others.
 */

/**
 * The layers an outage is labelled with, nearest the monitor first: the monitor's own LAN, its default
 * gateway, the modem and its WAN side (the hosts with `cycle:`), the ISP beyond it, or only the remote host.
 */
export const FAULT_LAYERS = ['LAN', 'gateway', 'modem-WAN', 'ISP', 'remote'] as const;

/** One of {@link FAULT_LAYERS}. */
export type FaultLayer = (typeof FAULT_LAYERS)[number];

/** One hop of a path snapshot: its TTL, who answered (null: no answer, `*`) and the best RTT seen. */
export interface TraceHop {
  readonly ttl: number;
  readonly address: string | null;
  readonly rttMs: number | null;
}

/** A traceroute taken when an outage began (`down`) or ended (`restored`). */
export interface TraceSnapshot {
  readonly at: Date;
  readonly phase: 'down' | 'restored';
  /** The address traced to. */
  readonly target: string;
  readonly hops: readonly TraceHop[];
  /** Whether the last hop was the target itself. */
  readonly reachedTarget: boolean;
}
