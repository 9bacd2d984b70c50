import { PingwardenError } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { TargetOf } from '../../config/target.js';
import type { Pinger, ProbeOptions, ProbeResult } from '../pinger.js';
import type { Prober } from '../prober.js';

/** Which backend the `pinger` setting asks for. */
export type PingerSetting = 'ping' | 'fping' | 'auto';

/** The settings that decide the backend, read again every cycle (a reload may change them). */
export interface PingerChoice {
  readonly pinger: PingerSetting;
  /** With `auto`, fping is used for lists of more hosts than this. */
  readonly fpingThreshold: number;
  /** Least time between two requests of one fping run (`fping -i`), in milliseconds. */
  readonly fpingIntervalMs: number;
}

/** What an {@link IcmpProber} chooses between. */
export interface IcmpProberOptions {
  /** The settings in force; called once per probe. */
  readonly choice: () => PingerChoice;
  /** One `ping` per host (always available). */
  readonly system: Pinger;
  /** Builds the fping backend for a send interval; null when fping is not installed. */
  readonly fping: ((sendIntervalMs: number) => Pinger) | null;
  readonly log: Log;
}

/** Which backend a probe of `hostCount` hosts uses; `fpingInstalled` false always means `ping`. */
export function chooseBackend(
  choice: PingerChoice,
  hostCount: number,
  fpingInstalled: boolean,
): 'ping' | 'fping' {
  if (!fpingInstalled || choice.pinger === 'ping') return 'ping';
  if (choice.pinger === 'fping') return 'fping';
  return hostCount > choice.fpingThreshold ? 'fping' : 'ping';
}

/**
 * The prober of `icmp` targets: echo requests to each target's host, alive at the first reply. It hands the
 * whole list to `ping` or fping as the `pinger` setting says: `auto` uses fping when it is installed
 * and the list is longer than `fping_threshold`. The choice is made per probe, since a reload can change both
 * the setting and the host count. A change of backend is logged once.
 *
 * `fping` requested but not installed is refused at start-up (wiring); after a reload it falls back to
 * `ping` with a warning rather than stopping the monitor.
 */
export class IcmpProber implements Prober<'icmp'> {
  private lastBackend: 'ping' | 'fping' | null = null;
  private warnedMissing = false;
  private fpingFailure: string | null = null;

  constructor(private readonly options: IcmpProberOptions) {}

  probe(
    targets: readonly TargetOf<'icmp'>[],
    options: ProbeOptions,
    signal?: AbortSignal,
  ): Promise<ProbeResult[]> {
    return this.probeHosts(
      targets.map((target) => target.id),
      options,
      signal,
    );
  }

  /** Probes host addresses (the ids of icmp targets) with the backend the settings choose. */
  probeHosts(hosts: readonly string[], options: ProbeOptions, signal?: AbortSignal): Promise<ProbeResult[]> {
    const choice = this.options.choice();
    const { fping, system, log } = this.options;
    if (choice.pinger === 'fping' && fping === null && !this.warnedMissing) {
      this.warnedMissing = true;
      log.warn('fping is not installed; probing with ping', { install: 'apt-get install fping' });
    }
    const backend = chooseBackend(choice, hosts.length, fping !== null);
    if (backend !== this.lastBackend) {
      this.lastBackend = backend;
      log.info('pinger', { backend, hosts: hosts.length, setting: choice.pinger });
    }
    if (backend === 'ping' || fping === null) return system.probe(hosts, options, signal);
    return this.probeWithFping(fping(choice.fpingIntervalMs), hosts, options, signal);
  }

  /**
   * fping that cannot run at all (lost its capability, removed while running) must not stop the monitor or
   * make every host look down: this cycle falls back to `ping`, with one warning until fping works again.
   */
  private async probeWithFping(
    fping: Pinger,
    hosts: readonly string[],
    options: ProbeOptions,
    signal?: AbortSignal,
  ): Promise<ProbeResult[]> {
    try {
      const results = await fping.probe(hosts, options, signal);
      this.fpingFailure = null;
      return results;
    } catch (error) {
      if (!(error instanceof PingwardenError) || signal?.aborted) throw error;
      if (this.fpingFailure !== error.message) {
        this.fpingFailure = error.message;
        this.options.log.warn('fping failed; probing with ping this cycle', { error: error.message });
      }
      return this.options.system.probe(hosts, options, signal);
    }
  }
}
