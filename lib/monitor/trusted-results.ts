import type { Log } from '../shared/log.js';
import type { ProbeResult } from '../probe/pinger.js';

/**
 * The results a cycle may judge. A stop signal from a terminal (Ctrl-C reaches the whole process group) or
 * from systemd (it signals every process of the unit) also reaches the `ping` and `fping` children, so a probe
 * that failed while the monitor was stopping may have been killed rather than unanswered: judging it would
 * send a false DOWN on every restart. Such a target keeps its state, as one the stop left unprobed does; an
 * answer is still an answer.
 */
export function trustedResults(
  results: readonly ProbeResult[],
  signal: AbortSignal | undefined,
  log: Log,
): ProbeResult[] {
  if (!signal?.aborted) return [...results];
  const trusted = results.filter((result) => result.alive);
  if (trusted.length < results.length)
    log.info('stopping: failed probes of this cycle are not judged', {
      hosts: results.length - trusted.length,
    });
  return trusted;
}
