import type { Log } from '../shared/log.js';
import type { Pinger, ProbeOptions, ProbeResult } from '../probe/pinger.js';
import { childrenToConfirm, parentsToConfirm } from './dependency-tree.js';

/**
 * Probes again each parent that answered while a child of it did not: the child's failure may be the
 * parent failing right now (a link going down mid-cycle, after the parent's reply), and only a fresh answer
 * from the parent makes the child's own DOWN believable. Likewise children that answered while their parent
 * did not, so that a switch dying mid-cycle lists all the hosts behind it at once. Repeats while re-probes
 * change the picture; each host is re-probed at most once per cycle.
 *
 * @returns `results` with the re-probed hosts' results replaced, in the same order
 */
export async function confirmDependencies(
  results: readonly ProbeResult[],
  parents: ReadonlyMap<string, string>,
  deps: { readonly pinger: Pinger; readonly log: Log },
  options: ProbeOptions,
  signal?: AbortSignal,
): Promise<ProbeResult[]> {
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
    for (const host of recheck) confirmed.add(host);
    for (const result of await deps.pinger.probe(recheck, options, signal)) latest.set(result.host, result);
  }
  if (confirmed.size > 0) deps.log.debug('re-probed', { hosts: [...confirmed].join(',') });
  return results.map((result) => latest.get(result.host) ?? result);
}
