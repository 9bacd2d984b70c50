import type { Clock } from '../shared/clock.js';
import type { Log } from '../shared/log.js';
import type { ConfigReloader } from '../config/config-reloader.js';
import type { SensorEntry } from '../config/sensor-entry.js';
import type { HostEntry, Settings } from '../config/types.js';
import type { HeartbeatLedger } from '../probe/heartbeat/heartbeat-book.js';
import { HeartbeatPinger } from '../probe/heartbeat/heartbeat-pinger.js';
import { FpingPinger } from '../probe/icmp/fping-pinger.js';
import { locateFping } from '../probe/icmp/require-fping.js';
import { assertPingInstalled } from '../probe/icmp/require-ping.js';
import { SelectingPinger } from '../probe/icmp/selecting-pinger.js';
import { SystemPinger } from '../probe/icmp/system-pinger.js';
import type { Pinger } from '../probe/pinger.js';
import type { DeepProbeRunner } from '../probe/route/deep-probe-result.js';
import { RouteCheckingPinger } from '../probe/route/route-checking-pinger.js';
import { RoutingPinger } from '../probe/routing-pinger.js';

/** The probe tools found on this machine. */
export interface ProbeTools {
  /** fping's path; null when it is not installed. */
  readonly fpingPath: string | null;
}

/**
 * Checks for the tools probing needs, before anything is built: `ping` always, `fping` when the `pinger`
 * setting insists on it. Throws MissingToolError naming the Debian package.
 */
export async function findProbeTools(settings: Settings, env: NodeJS.ProcessEnv): Promise<ProbeTools> {
  await assertPingInstalled(env.PATH);
  // Looked for even with `pinger` = ping, so an edit to `auto` or `fping` applies without a restart.
  const fpingPath = await locateFping(settings.pinger === 'fping' ? 'fping' : 'auto', env.PATH ?? '');
  return { fpingPath };
}

/** What the probing chain is built from. */
export interface ProbingInput {
  readonly tools: ProbeTools;
  readonly config: ConfigReloader;
  /** Deep probes for hosts with route checks (via:, hop-org:, min-rtt:...). */
  readonly deepProber: DeepProbeRunner;
  /** Heartbeats heard by the listener; null when no listener runs (the run leaves sensors out). */
  readonly heartbeats: HeartbeatLedger | null;
  readonly sensors: () => readonly SensorEntry[];
  readonly clock: Clock;
  readonly log: Log;
}

/** The probing of one run: what the monitor loop asks each cycle, and what power cycles watch. */
export interface Probing {
  /** Every target: ICMP hosts, route checks, sensors. */
  readonly monitor: Pinger;
  /** Trigger hosts of power cycles: ICMP and route checks (a sensor is not a trigger). */
  readonly plugs: Pinger;
}

/**
 * The one place that builds the probing chain: one ping per host, or fping for the whole list when it is
 * large (setting `pinger`, chosen each cycle); route checks for hosts that have them; heartbeats for sensors.
 */
export function buildProbing(input: ProbingInput): Probing {
  const { config, clock, log, tools } = input;
  const fpingPath = tools.fpingPath;
  const pinger = new SelectingPinger({
    choice: config.settings,
    // The pool size is read once: `max_concurrent_probes` applies at restart.
    system: new SystemPinger({ clock, maxConcurrent: config.settings().maxConcurrentProbes }),
    fping:
      fpingPath === null
        ? null
        : (sendIntervalMs) => new FpingPinger({ clock, sendIntervalMs, command: fpingPath }),
    log,
  });
  const sensorProber =
    input.heartbeats === null
      ? null
      : new HeartbeatPinger({ clock, book: input.heartbeats, sensors: input.sensors });
  return {
    monitor: withRouteChecks(new RoutingPinger(pinger, sensorProber), input),
    // A trigger host with route checks (hop-org:, via:...) is back only when its route is the primary again.
    plugs: withRouteChecks(pinger, input),
  };
}

/** Hosts with route-check options (via:, hop-org:, min-rtt:...) get deep probes; the rest `pinger`. */
function withRouteChecks(pinger: Pinger, input: ProbingInput): Pinger {
  let indexed: readonly HostEntry[] | null = null;
  let index = new Map<string, ReadonlyMap<string, string>>();
  return new RouteCheckingPinger({
    inner: pinger,
    prober: input.deepProber,
    clock: input.clock,
    maxConcurrent: 8,
    optionsOf: (host) => {
      const { hosts } = input.config.latest();
      // Rebuilt only when the config was reloaded: one lookup per host per cycle stays cheap.
      if (hosts !== indexed) {
        index = new Map(hosts.map((entry) => [entry.host, entry.options]));
        indexed = hosts;
      }
      return index.get(host);
    },
  });
}
