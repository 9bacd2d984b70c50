import type { CheckKind, Target, TargetOf } from '../config/target.js';
import type { ProbeOptions, ProbeResult } from './pinger.js';

/**
 * Checks every target of one kind, once per cycle. A dead target is a normal result, not an error.
 * `ProbeResult.host` is the target's id. A target may be left out of the results: it then keeps its state
 * (a sensor not heard from yet, a probe skipped because `signal` aborted).
 */
export interface Prober<K extends CheckKind> {
  probe(targets: readonly TargetOf<K>[], options: ProbeOptions, signal?: AbortSignal): Promise<ProbeResult[]>;
}

/**
 * The prober of every check kind (blackbox_exporter's table): built once, by the app. A kind whose prober is
 * null is not checked in this run (sensors in `pingwarden once`, which does not listen for heartbeats).
 */
export type ProberRegistry = { readonly [K in CheckKind]: Prober<K> | null };

/**
 * Probes `targets` with the prober of each one's kind, all kinds at the same time.
 *
 * @returns the results in the order of `targets`; targets without a result are left out
 */
export async function probeTargets(
  registry: ProberRegistry,
  targets: readonly Target[],
  options: ProbeOptions,
  signal?: AbortSignal,
): Promise<ProbeResult[]> {
  const byKind = new Map<CheckKind, Target[]>();
  for (const target of targets) {
    const list = byKind.get(target.check.kind) ?? [];
    list.push(target);
    byKind.set(target.check.kind, list);
  }
  const batches = await Promise.all(
    [...byKind].map(([kind, list]) => probeKind(registry, kind, list, options, signal)),
  );
  // Plain loops: this runs every cycle over every target, and pairs or one-element arrays per target were
  // garbage the collector paid for.
  const byId = new Map<string, ProbeResult>();
  for (const batch of batches) for (const result of batch) byId.set(result.host, result);
  const ordered: ProbeResult[] = [];
  for (const target of targets) {
    const result = byId.get(target.id);
    if (result !== undefined) ordered.push(result);
  }
  return ordered;
}

function probeKind<K extends CheckKind>(
  registry: ProberRegistry,
  kind: K,
  targets: readonly Target[],
  options: ProbeOptions,
  signal?: AbortSignal,
): Promise<ProbeResult[]> {
  const prober = registry[kind] as Prober<K> | null;
  // Grouped by `check.kind` above, so every target here has a check of kind K.
  return prober ? prober.probe(targets as readonly TargetOf<K>[], options, signal) : Promise.resolve([]);
}
