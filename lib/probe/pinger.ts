/** How hard to try one host in one cycle. */
export interface ProbeOptions {
  /** Echo requests to send at most; probing a host stops at its first reply. */
  readonly attempts: number;
  /** How long to wait for each reply, in whole seconds. */
  readonly timeoutSeconds: number;
  /**
   * Echo requests to send every host in the cycle's first round (the `packets` setting), whatever it
   * answers; 1 (the default) stops at the first reply. A host that answers none of them still gets
   * `attempts` − 1 retry requests, one per round, before it counts as not answering.
   */
  readonly packets?: number;
  /** Time between two of those requests to one host, in milliseconds (`packet_interval_ms`; default 200). */
  readonly packetIntervalMs?: number;
}

/**
 * Loss and latency over the echo requests of one cycle (several packets per host, the `packets` setting).
 * Times are in milliseconds; the RTT fields are null when nothing answered.
 */
export interface LinkQuality {
  readonly sent: number;
  readonly received: number;
  readonly minMs: number | null;
  readonly avgMs: number | null;
  readonly maxMs: number | null;
  /** Standard deviation of the RTTs (ping's mdev). */
  readonly mdevMs: number | null;
}

/** The outcome of probing one host once per cycle. A dead host is a normal result, not an error. */
export interface ProbeResult {
  readonly host: string;
  readonly alive: boolean;
  /** Echo requests actually sent (1 when the first one was answered and `packets` is 1). */
  readonly attempts: number;
  /** Round-trip time of the reply in milliseconds (the average over the replies with several packets); null when none came. */
  readonly rttMs: number | null;
  /** When the first attempt was sent: an outage is dated from here. */
  readonly startedAt: Date;
  /** Why no reply could even be waited for (name did not resolve, network unreachable). */
  readonly error?: string;
  /** Extra facts for the alert this result may cause, one sentence each (e.g. `sensor rebooted, up 3m 5s`). */
  readonly notes?: readonly string[];
  /**
   * The target answers, but something about it needs a person soon (a certificate that expires within
   * `cert-days`): the host is DEGRADED with this as the reason, never DOWN.
   */
  readonly warning?: string;
  /** Loss and latency of the cycle's packets, when the prober measures them (icmp). */
  readonly quality?: LinkQuality;
}

/** Probes a list of hosts; implementations choose their own concurrency. */
export interface Pinger {
  /**
   * Probes every host once. When `signal` aborts, hosts not yet started are skipped and left out of the
   * result; probes already running finish.
   */
  probe(hosts: readonly string[], options: ProbeOptions, signal?: AbortSignal): Promise<ProbeResult[]>;
}
