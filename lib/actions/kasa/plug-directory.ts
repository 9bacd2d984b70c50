import { isIP } from 'node:net';

import type { Clock } from '../../shared/clock.js';
import type { KasaPlugEntry } from '../../config/types.js';
import { formatDuration } from '../../shared/format-duration.js';
import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import type { PlugCache } from './plug-cache.js';
import { PlugError, type DiscoveryOptions, type KasaNetwork, type Plug, type PlugInfo } from './plug.js';

/** What a {@link PlugDirectory} is built from. */
export interface PlugDirectoryDeps {
  readonly network: KasaNetwork;
  readonly cache: PlugCache;
  readonly clock: Clock;
  readonly log: Log;
  /** Plugs with fixed addresses (kasa.csv). */
  readonly fixed: readonly KasaPlugEntry[];
  readonly discovery: DiscoveryOptions;
  /** Discovery runs at most this often when looking for a name (the CLI's `kasa discover` always runs). */
  readonly minDiscoveryGapMs: number;
}

/**
 * Finds plugs by name. A name is, in this order: an IPv4 address (used as is), a kasa.csv name (its fixed
 * address), or a Kasa alias (case-insensitive), found through the cache file and, when the cache does not
 * know it or is wrong, through discovery.
 *
 * A cached address is checked before use: the device there must still report the alias. If it does not
 * (the plug got a new DHCP lease, another device took the address), discovery runs again and refreshes the
 * cache. Discovery is slow (seconds to tens of seconds), so a name once found is kept in memory until a
 * command to it fails ({@link forget}), and discovery runs at most once per `minDiscoveryGapMs`.
 */
export class PlugDirectory {
  private readonly known = new Map<string, Plug>();
  private lastDiscoveryAt: number | null = null;
  private discovering: Promise<PlugInfo[]> | null = null;

  constructor(private readonly deps: PlugDirectoryDeps) {}

  /** @throws PlugError when the name cannot be found */
  async find(name: string): Promise<Plug> {
    const key = name.toLowerCase();
    const remembered = this.known.get(key);
    if (remembered) return remembered;
    const plug = await this.lookUp(name);
    this.known.set(key, plug);
    return plug;
  }

  /** Drops what is known about `name`, so the next {@link find} checks it again. */
  forget(name: string): void {
    this.known.delete(name.toLowerCase());
  }

  /** Runs discovery now, refreshes the cache, and returns every plug found. */
  async discoverAll(): Promise<PlugInfo[]> {
    this.discovering ??= this.runDiscovery().finally(() => {
      this.discovering = null;
    });
    return this.discovering;
  }

  private async lookUp(name: string): Promise<Plug> {
    const { fixed, cache, log, network, clock } = this.deps;
    if (isIP(name) === 4) return this.plugAt(name, name, name);
    const entry = fixed.find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (entry) return this.plugAt(name, entry.name, entry.address);

    const cached = (await cache.load()).find((p) => sameAlias(p.alias, name));
    if (cached) {
      try {
        const info = await network.describe(cached.address);
        if (sameAlias(info.alias, name)) return this.plugAt(name, info.alias, cached.address);
        log.info('kasa cache stale: another device answers at the cached address; rediscovering', {
          plug: name,
          address: cached.address,
          found: info.alias,
        });
      } catch (error) {
        log.info('kasa cache stale: no answer at the cached address; rediscovering', {
          plug: name,
          address: cached.address,
          error: errorMessage(error),
        });
      }
    }

    const last = this.lastDiscoveryAt;
    const now = clock.now().getTime();
    if (last !== null && now - last < this.deps.minDiscoveryGapMs) {
      throw new PlugError(
        name,
        `plug "${name}" not found (the last discovery, ${formatDuration(now - last)} ago, did not find it)`,
      );
    }
    const found = await this.discoverAll();
    const match = found.find((p) => sameAlias(p.alias, name));
    if (!match) {
      const seen = found.map((p) => p.alias).join(', ') || 'none';
      throw new PlugError(name, `plug "${name}" not found by discovery (found: ${seen})`);
    }
    return this.plugAt(name, match.alias, match.address);
  }

  private async runDiscovery(): Promise<PlugInfo[]> {
    const { network, cache, clock, log, discovery } = this.deps;
    const started = clock.now();
    this.lastDiscoveryAt = started.getTime();
    log.info('kasa discovery', {
      broadcast: discovery.broadcast,
      hosts: discovery.hosts.join(' ') || undefined,
      seconds: discovery.durationMs / 1000,
    });
    const found = await network.discover(discovery);
    log.info('kasa discovery done', {
      found: found.length,
      plugs: found.map((p) => `${p.alias}@${p.address}`).join(' ') || undefined,
    });
    try {
      await cache.update(found, started);
    } catch (error) {
      log.warn('could not write the kasa cache', { error: errorMessage(error) });
    }
    return found;
  }

  private plugAt(name: string, alias: string, address: string): Plug {
    const { network } = this.deps;
    return {
      name,
      alias,
      address,
      getState: async () => (await network.describe(address)).on,
      describe: () => network.describe(address),
      setPower: (on) => network.setPower(address, on),
    };
  }
}

function sameAlias(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
