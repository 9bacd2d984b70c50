import type { HeartbeatType } from './heartbeat-protocol.js';

/** A sensor start seen in its heartbeats. */
export interface BootRecord {
  /** When the monitor received the message that showed it. */
  readonly receivedAt: Date;
  /** The sensor machine's uptime then, in seconds. */
  readonly uptimeSeconds: number;
  /** True when the machine itself restarted; false when only the sensor program did (the machine stayed up). */
  readonly rebooted: boolean;
}

/** What the monitor knows about one sensor's heartbeats. Times are the monitor's receive times. */
export interface SensorHeartbeats {
  readonly lastAt: Date;
  /** The accepted heartbeat before the last one: their spacing is the sensor's interval. */
  readonly previousAt: Date | null;
  readonly lastBoot: BootRecord | null;
}

/**
 * Accepted heartbeats, by sensor name: the UDP listener (server room) writes it, the heartbeat prober
 * (probe room) reads it each cycle. Declared here so both may import it.
 */
export interface HeartbeatBook {
  /** When the book started receiving: a sensor never heard from has been silent at least since then. */
  readonly since: Date;
  lookup(name: string): SensorHeartbeats | undefined;
}

// Uptime is whole seconds and the message spends some time in transit: a boot instant that moves by less
// than this is the same boot.
const SAME_BOOT_TOLERANCE_MS = 60_000;
// With no earlier heartbeat to compare with, a BOOT from a machine up for longer than this is a program
// restart rather than a reboot.
const FRESH_BOOT_SECONDS = 600;

interface Entry {
  lastAt: Date;
  previousAt: Date | null;
  lastBoot: BootRecord | null;
  /** Receive time minus uptime: when the sensor machine booted, as far as the monitor can tell. */
  bootInstantMs: number | null;
}

/**
 * The in-memory {@link HeartbeatBook}. Only verified heartbeats of configured sensors are recorded, and
 * {@link retain} drops sensors no longer configured, so its size is bounded by sensors.csv, not by traffic.
 */
export class HeartbeatLedger implements HeartbeatBook {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly since: Date) {}

  lookup(name: string): SensorHeartbeats | undefined {
    const entry = this.entries.get(name);
    if (!entry) return undefined;
    return { lastAt: entry.lastAt, previousAt: entry.previousAt, lastBoot: entry.lastBoot };
  }

  /**
   * Records an accepted heartbeat.
   *
   * @param uptimeSeconds the sensor's uptime, or null when the message did not say (legacy PING)
   * @returns the start it reveals (a BOOT message, or a PING whose uptime went backwards), else null
   */
  record(name: string, at: Date, type: HeartbeatType, uptimeSeconds: number | null): BootRecord | null {
    const entry = this.entries.get(name);
    const bootInstantMs = uptimeSeconds === null ? null : at.getTime() - uptimeSeconds * 1000;
    const knownBoot = entry?.bootInstantMs ?? null;
    const newBoot =
      bootInstantMs !== null && knownBoot !== null && bootInstantMs > knownBoot + SAME_BOOT_TOLERANCE_MS;

    let boot: BootRecord | null = null;
    if (type === 'BOOT' || newBoot) {
      const rebooted =
        knownBoot === null || bootInstantMs === null
          ? uptimeSeconds === null || uptimeSeconds <= FRESH_BOOT_SECONDS
          : newBoot;
      boot = { receivedAt: at, uptimeSeconds: uptimeSeconds ?? 0, rebooted };
    }
    this.entries.set(name, {
      lastAt: at,
      previousAt: entry?.lastAt ?? null,
      lastBoot: boot ?? entry?.lastBoot ?? null,
      bootInstantMs: bootInstantMs ?? knownBoot,
    });
    return boot;
  }

  /** Forgets every sensor not in `names` (removed from sensors.csv). */
  retain(names: ReadonlySet<string>): void {
    for (const name of this.entries.keys()) if (!names.has(name)) this.entries.delete(name);
  }

  /** Sensors recorded, for tests and metrics. */
  get size(): number {
    return this.entries.size;
  }
}
