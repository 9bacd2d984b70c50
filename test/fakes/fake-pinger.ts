import type { Clock } from '../../lib/shared/clock.js';
import type { Target } from '../../lib/config/target.js';
import type { LinkQuality, Pinger, ProbeOptions, ProbeResult } from '../../lib/probe/pinger.js';
import type { ProberRegistry } from '../../lib/probe/prober.js';

/** A pinger whose hosts are up or down as the test says. Unknown hosts are up. */
export class FakePinger implements Pinger {
  readonly down = new Set<string>();
  /** A host's packets as the test says: alive when any came back, `rttMs` their average. Wins over `down`. */
  readonly quality = new Map<string, LinkQuality>();
  /** Every batch probed, in order, for assertions about what was probed. */
  readonly batches: string[][] = [];
  /** Optional hook run during each probe batch, e.g. to advance a fake clock by the probe time. */
  onProbe?: (hosts: readonly string[]) => void | Promise<void>;

  constructor(private readonly clock: Clock) {}

  async probe(hosts: readonly string[], options: ProbeOptions): Promise<ProbeResult[]> {
    this.batches.push([...hosts]);
    const startedAt = this.clock.now();
    await this.onProbe?.(hosts);
    return hosts.map((host): ProbeResult => {
      const quality = this.quality.get(host);
      if (quality === undefined) return this.plain(host, options, startedAt);
      return {
        host,
        alive: quality.received > 0,
        attempts: quality.sent,
        rttMs: quality.avgMs,
        startedAt,
        quality,
      };
    });
  }

  private plain(host: string, options: ProbeOptions, startedAt: Date): ProbeResult {
    return this.down.has(host)
      ? { host, alive: false, attempts: options.attempts, rttMs: null, startedAt }
      : { host, alive: true, attempts: 1, rttMs: 0.5, startedAt };
  }
}

/** A probe result for state-machine tests. */
export function probeResult(host: string, alive: boolean, startedAt: Date, rttMs = 1.5): ProbeResult {
  return alive
    ? { host, alive, attempts: 1, rttMs, startedAt }
    : { host, alive, attempts: 3, rttMs: null, startedAt };
}

/**
 * A prober registry over a fake pinger: every target is probed by its id, whatever its check kind, so loop
 * tests see the results the pinger was told to give.
 */
export function fakeProbers(pinger: Pinger): ProberRegistry {
  const byId = {
    probe: (targets: readonly Target[], options: ProbeOptions, signal?: AbortSignal) =>
      pinger.probe(
        targets.map((target) => target.id),
        options,
        signal,
      ),
  };
  return { icmp: byId, route: byId, heartbeat: byId, tcp: byId, http: byId, dns: byId, tls: byId };
}
