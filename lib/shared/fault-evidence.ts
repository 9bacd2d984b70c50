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

/**
 * What the fault-layer rule concluded about one outage: the layer, or null when no rule applied
 * (unknown), and the one line that says why ("ISP outage: all 3 internet anchors down, ...").
 */
export interface FaultLabel {
  readonly layer: FaultLayer | null;
  readonly reason: string;
}

/** A {@link TraceSnapshot} as stored in JSON (history lines, outbox files): dates as ISO 8601 text. */
export interface TraceJson {
  readonly at: string;
  readonly phase: 'down' | 'restored';
  readonly target: string;
  readonly hops: readonly {
    readonly ttl: number;
    readonly address: string | null;
    readonly rtt_ms: number | null;
  }[];
  readonly reached: boolean;
}

/** Serialises a snapshot for the history and the outbox. */
export function traceToJson(trace: TraceSnapshot): TraceJson {
  return {
    at: trace.at.toISOString(),
    phase: trace.phase,
    target: trace.target,
    hops: trace.hops.map((hop) => ({ ttl: hop.ttl, address: hop.address, rtt_ms: hop.rttMs })),
    reached: trace.reachedTarget,
  };
}

/**
 * Reads a snapshot back from {@link traceToJson}'s shape, or from an in-memory {@link TraceSnapshot} that
 * went through JSON (the outbox keeps alert fields as they are). Null for anything else: a damaged or
 * hand-edited snapshot is left out, never a crash.
 */
export function traceFromJson(raw: unknown): TraceSnapshot | null {
  if (!isObject(raw) || !Array.isArray(raw.hops)) return null;
  const at = typeof raw.at === 'string' ? new Date(raw.at) : raw.at instanceof Date ? raw.at : null;
  if (at === null || Number.isNaN(at.getTime())) return null;
  if ((raw.phase !== 'down' && raw.phase !== 'restored') || typeof raw.target !== 'string') return null;
  const hops: TraceHop[] = [];
  for (const hop of raw.hops as unknown[]) {
    if (!isObject(hop) || typeof hop.ttl !== 'number') return null;
    const address = typeof hop.address === 'string' ? hop.address : null;
    const rtt = hop.rtt_ms ?? hop.rttMs;
    hops.push({ ttl: hop.ttl, address, rttMs: typeof rtt === 'number' ? rtt : null });
  }
  const reached = raw.reached ?? raw.reachedTarget;
  return { at, phase: raw.phase, target: raw.target, hops, reachedTarget: reached === true };
}

/** Whether `value` names one of {@link FAULT_LAYERS} (history lines are read back with it). */
export function isFaultLayer(value: unknown): value is FaultLayer {
  return typeof value === 'string' && (FAULT_LAYERS as readonly string[]).includes(value);
}

/** The last hop that answered, other than the target itself; null when none did. */
export function lastAnsweringHop(trace: TraceSnapshot): TraceHop | null {
  return trace.hops.findLast((hop) => hop.address !== null && hop.address !== trace.target) ?? null;
}

/** `1 198.18.64.2 0.4 ms, 2 198.18.64.10 0.6 ms, 3 *`: the hops on one line, for logs and one-line cells. */
export function traceHopsText(trace: TraceSnapshot): string {
  if (trace.hops.length === 0) return 'no hops';
  return trace.hops
    .map((hop) =>
      hop.address === null
        ? `${hop.ttl} *`
        : `${hop.ttl} ${hop.address}${hop.rttMs === null ? '' : ` ${Number(hop.rttMs.toFixed(2))} ms`}`,
    )
    .join(', ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
