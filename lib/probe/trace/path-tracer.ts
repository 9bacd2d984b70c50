import type { Clock } from '../../shared/clock.js';
import { errorMessage } from '../../shared/errors.js';
import type { TraceHop, TraceSnapshot } from '../../shared/fault-evidence.js';
import type { Log } from '../../shared/log.js';
import type { CommandRunner } from '../command-runner.js';
import { parseTracerouteOutput, type TracerouteOutput } from '../route/traceroute-output.js';

/** One path snapshot to take. */
export interface TraceRequest {
  /** The address or name to trace to (a validated hosts.csv host: never an option). */
  readonly destination: string;
  readonly phase: TraceSnapshot['phase'];
}

/** How far and how long one snapshot may go; from settings.csv at each cycle. */
export interface TraceLimits {
  /** traceroute `-m` (`trace_max_hops`). */
  readonly maxHops: number;
  /** traceroute `-w`: seconds to wait for each hop's answer (`timeout_seconds`). */
  readonly waitSeconds: number;
  /** The whole traceroute is killed after this long (`trace_timeout_seconds`). */
  readonly timeoutMs: number;
  /** traceroute `-I` (`probe_traceroute_icmp`). */
  readonly icmp: boolean;
}

/** Takes path snapshots; the monitor loop calls it for outages that begin or end. */
export interface PathTracing {
  /** A snapshot, or null when none could be taken (no traceroute, killed before it printed anything). */
  trace(request: TraceRequest, limits: TraceLimits, signal?: AbortSignal): Promise<TraceSnapshot | null>;
}

/** What a {@link PathTracer} runs with. */
export interface PathTracerOptions {
  readonly run: CommandRunner;
  readonly clock: Clock;
  readonly log: Log;
}

/**
 * Takes path snapshots with the system `traceroute` (Debian package traceroute), always with `-n` (no
 * reverse-DNS queries at failure time), one probe per hop and at most `maxHops` hops, through the
 * {@link CommandRunner} (never a shell), killed after `timeoutMs`. A missing traceroute is one WARN line
 * and no snapshot from then on: monitoring and alerts go on without hops.
 */
export class PathTracer implements PathTracing {
  private missing = false;
  private readonly warned = new Set<string>();

  constructor(private readonly options: PathTracerOptions) {}

  async trace(
    request: TraceRequest,
    limits: TraceLimits,
    signal?: AbortSignal,
  ): Promise<TraceSnapshot | null> {
    // hosts.csv refuses such hosts; a second guard costs nothing where a string becomes an argument.
    if (this.missing || request.destination.startsWith('-') || request.destination === '') return null;
    const at = this.options.clock.now();
    const args = ['-n', '-q', '1', '-w', String(limits.waitSeconds), '-m', String(limits.maxHops)];
    if (limits.icmp) args.push('-I');
    args.push(request.destination);
    let stdout: string;
    try {
      const output = await this.options.run('traceroute', args, { timeoutMs: limits.timeoutMs, signal });
      stdout = output.stdout;
      if (output.timedOut)
        this.options.log.warn('trace timed out', { host: request.destination, limit_ms: limits.timeoutMs });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        this.missing = true;
        this.options.log.warn(
          'traceroute not found in PATH: outages are recorded without a path snapshot; install it with "apt-get install traceroute"',
        );
      } else {
        this.warnOnce('trace failed', errorMessage(error));
      }
      return null;
    }
    const parsed = parseTracerouteOutput(stdout);
    // Killed before it printed a hop (or refused the destination): no snapshot rather than an empty one,
    // which would read as "nothing answered".
    if (parsed.hops.length === 0) return null;
    return snapshotOf(parsed, request, at);
  }

  private warnOnce(message: string, error: string): void {
    if (this.warned.has(error)) return;
    this.warned.add(error);
    this.options.log.warn(message, { error });
  }
}

/**
 * A parsed traceroute as a snapshot: per TTL the first address that answered and its best time; the
 * silent hops after the last answer are cut to one (a dead target prints `*` up to the hop limit).
 */
export function snapshotOf(parsed: TracerouteOutput, request: TraceRequest, at: Date): TraceSnapshot {
  const destination = parsed.destination ?? request.destination;
  const hops: TraceHop[] = parsed.hops.map((hop) => {
    const first = hop.replies[0];
    const times = hop.replies.filter((reply) => reply.address === first?.address).map((reply) => reply.rttMs);
    return {
      ttl: hop.ttl,
      address: first?.address ?? null,
      rttMs: times.length > 0 ? Math.min(...times) : null,
    };
  });
  const lastAnswer = hops.findLastIndex((hop) => hop.address !== null);
  const kept = hops.slice(0, Math.min(hops.length, lastAnswer + 2));
  const reachedTarget = parsed.hops.some((hop) =>
    hop.replies.some((reply) => reply.address === destination && reply.annotation === null),
  );
  return { at, phase: request.phase, target: destination, hops: kept, reachedTarget };
}
