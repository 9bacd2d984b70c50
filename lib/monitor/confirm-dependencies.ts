import type { Target } from '../config/target.js';
import type { Log } from '../shared/log.js';
import type { ProbeResult } from '../probe/pinger.js';
import { childrenToConfirm, parentsOf, parentsToConfirm } from './dependency-tree.js';

/** Probes some targets again (through the prober registry, with the cycle's options). */
export type Reprobe = (targets: readonly Target[], signal?: AbortSignal) => Promise<ProbeResult[]>;

/**
 * Probes again each parent that answered while a child of it did not: the child's failure may be the
 * parent failing right now (a link going down mid-cycle, after the parent's reply), and only a fresh answer
 * from the parent makes the child's own DOWN believable. Likewise children that answered while their parent
 * did not, so that a switch dying mid-cycle lists all the hosts behind it at once. Repeats while re-probes
 * change the picture; each target is re-probed at most once per cycle.
 *
 * @returns `results` with the re-probed targets' results replaced, in the same order
 */
export async function confirmDependencies(
  results: readonly ProbeResult[],
  targets: readonly Target[],
  deps: { readonly reprobe: Reprobe; readonly log: Log },
  signal?: AbortSignal,
): Promise<ProbeResult[]> {
  const parents = parentsOf(targets);
  if (parents.size === 0) return [...results];
  const byId = new Map(targets.map((target) => [target.id, target]));
  const latest = new Map(results.map((result) => [result.host, result]));
  const confirmed = new Set<string>();
  for (;;) {
    const recheck = [
      ...new Set([
        ...parentsToConfirm(latest, parents, confirmed),
        ...childrenToConfirm(latest, parents, confirmed),
      ]),
    ];
    if (recheck.length === 0 || signal?.aborted) break;
    for (const id of recheck) confirmed.add(id);
    const again = recheck.flatMap((id) => {
      const target = byId.get(id);
      return target ? [target] : [];
    });
    for (const result of await deps.reprobe(again, signal)) latest.set(result.host, result);
  }
  if (confirmed.size > 0) deps.log.debug('re-probed', { hosts: [...confirmed].join(',') });
  return results.map((result) => latest.get(result.host) ?? result);
}
