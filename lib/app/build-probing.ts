import type { Clock } from '../shared/clock.js';
import type { Log } from '../shared/log.js';
import type { ConfigReloader } from '../config/config-reloader.js';
import type { Settings } from '../config/types.js';
import type { HeartbeatLedger } from '../probe/heartbeat/heartbeat-book.js';
import { HeartbeatProber } from '../probe/heartbeat/heartbeat-prober.js';
import { FpingPinger } from '../probe/icmp/fping-pinger.js';
import { IcmpProber } from '../probe/icmp/icmp-prober.js';
import { locateFping } from '../probe/icmp/require-fping.js';
import { assertPingInstalled } from '../probe/icmp/require-ping.js';
import { SystemPinger } from '../probe/icmp/system-pinger.js';
import { CheckPool } from '../probe/check-pool.js';
import { DnsProber } from '../probe/dns/dns-prober.js';
import { HttpProber } from '../probe/http/http-prober.js';
import type { ProberRegistry } from '../probe/prober.js';
import type { DeepProbeRunner } from '../probe/route/deep-probe-result.js';
import { RouteProber } from '../probe/route/route-prober.js';
import { TcpProber } from '../probe/tcp/tcp-prober.js';
import { TlsProber } from '../probe/tls/tls-prober.js';

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

/** What the prober registry is built from. */
export interface ProbingInput {
  readonly tools: ProbeTools;
  readonly config: ConfigReloader;
  /** Deep probes for targets with route checks (via:, hop-org:, min-rtt:...). */
  readonly deepProber: DeepProbeRunner;
  /** Heartbeats heard by the listener; null when no listener runs (the run leaves sensors out). */
  readonly heartbeats: HeartbeatLedger | null;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * The one place that builds the prober registry: for icmp one ping per host, or fping for the whole list
 * when it is large (setting `pinger`, chosen each cycle); deep probes for route checks; the heartbeat book
 * for sensors (null when no listener runs: the run leaves sensors out).
 */
export function buildProbing(input: ProbingInput): ProberRegistry {
  const { config, clock, log, tools } = input;
  const fpingPath = tools.fpingPath;
  // One pool for the four service kinds, sized once: `max_concurrent_checks` applies at restart.
  const services = { clock, pool: new CheckPool(config.settings().maxConcurrentChecks) };
  return {
    icmp: new IcmpProber({
      choice: config.settings,
      // The pool size is read once: `max_concurrent_probes` applies at restart.
      system: new SystemPinger({ clock, maxConcurrent: config.settings().maxConcurrentProbes }),
      fping:
        fpingPath === null
          ? null
          : (sendIntervalMs) => new FpingPinger({ clock, sendIntervalMs, command: fpingPath }),
      log,
    }),
    // Route-checked rows (via:, hop-org:, max-rtt:...) are deep-probed, at most 8 at a time.
    route: new RouteProber({ prober: input.deepProber, clock, maxConcurrent: 8 }),
    heartbeat: input.heartbeats === null ? null : new HeartbeatProber({ clock, book: input.heartbeats }),
    tcp: new TcpProber(services),
    http: new HttpProber(services),
    dns: new DnsProber(services),
    tls: new TlsProber(services),
  };
}
