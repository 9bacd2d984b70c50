import type { Clock } from '../../shared/clock.js';
import { errorMessage, FaultError, MissingToolError } from '../../shared/errors.js';
import type { CheckSpec } from '../../config/check-spec.js';
import type { CommandRunner } from '../command-runner.js';
import type {
  DeepProbeObservation,
  DeepProbeReport,
  DeepProbeRunner,
  HopAddress,
  ReportedHop,
} from './deep-probe-result.js';
import { evaluateChecks } from './evaluate-checks.js';
import type { OrgAnswer, OrgLookup } from '../orgs/org-lookup.js';
import { parsePingOutput } from '../icmp/ping-output.js';
import { parsePingReplies } from '../icmp/ping-replies.js';
import { describeSource } from '../../config/probe-source.js';
import { parseTracerouteOutput } from './traceroute-output.js';

/** What deep probes are run with; built once by the wiring. */
export interface DeepProberOptions {
  readonly run: CommandRunner;
  readonly orgs: OrgLookup;
  readonly clock: Clock;
  /** How long to wait for each reply (ping `-W`, traceroute `-w`). */
  readonly timeoutSeconds: number;
  /** traceroute `-m`. */
  readonly maxHops: number;
  /**
   * Let traceroute resolve hop names (no `-n`) when a hop-org pattern other than `AS<number>` is asked,
   * since only names can match `*.hargray.net`. Sends reverse-DNS queries, so it can be turned off.
   */
  readonly resolveHopNames: boolean;
  /** traceroute `-I`: ICMP echo probes, which more targets answer than UDP (needs CAP_NET_RAW). */
  readonly icmp?: boolean;
}

// iputils lets unprivileged users go down to 0.2 s between requests; a deep probe should be quick.
const PING_INTERVAL_SECONDS = 0.2;
// traceroute may send up to 16 probes at once; a little slack on top of its own waiting covers start-up.
const PROCESS_SLACK_MS = 5_000;

/**
 * Runs deep probes: `ping -I source -c count` or `traceroute -i/-s source`, through a {@link CommandRunner}
 * (never a shell), looks up hop owners when org checks need them, and judges the checks.
 */
export class DeepProber implements DeepProbeRunner {
  constructor(private readonly options: DeepProberOptions) {}

  /** Probes and judges. Rejects only when ping/traceroute cannot be run at all (a setup problem). */
  async probe(spec: CheckSpec, signal?: AbortSignal): Promise<DeepProbeReport> {
    const started = this.options.clock.now();
    const seen = spec.kind === 'ping' ? await this.ping(spec, signal) : await this.traceroute(spec, signal);
    const checks = evaluateChecks(spec, seen);
    return {
      verdict: checks.every((check) => check.passed) ? 'healthy' : 'unhealthy',
      kind: spec.kind,
      target: spec.target,
      source: spec.source ? describeSource(spec.source) : null,
      destination: seen.destination,
      checks,
      rttsMs: seen.rttsMs,
      hops: seen.hops,
      startedAt: started.toISOString(),
      durationMs: this.options.clock.now().getTime() - started.getTime(),
    };
  }

  private async ping(spec: CheckSpec, signal?: AbortSignal): Promise<DeepProbeObservation> {
    const { timeoutSeconds } = this.options;
    const deadline = Math.ceil(PING_INTERVAL_SECONDS * (spec.count - 1) + timeoutSeconds);
    const args = ['-n', '-c', String(spec.count), '-i', String(PING_INTERVAL_SECONDS)];
    args.push('-W', String(timeoutSeconds), '-w', String(deadline));
    if (spec.source) args.push('-I', describeSource(spec.source));
    args.push('--', spec.target);
    const output = await this.exec('ping', 'iputils-ping', args, deadline * 1000, signal);
    const text = `${output.stdout}\n${output.stderr}`;
    const rttsMs = parsePingReplies(text);
    const summary = parsePingOutput(text);
    // IPv4: `PING host (1.2.3.4) 56(84) bytes`; iputils' IPv6: `PING ::1(::1) 56 data bytes` (no space).
    const destination = /^PING \S+?\s?\(([^)]+)\)/m.exec(text)?.[1] ?? null;
    const error =
      summary.transmitted === null ? (summary.failure ?? firstLine(output.stderr) ?? 'ping failed') : null;
    return {
      kind: 'ping',
      target: spec.target,
      destination,
      reached: rttsMs.length > 0,
      sent: summary.transmitted ?? 0,
      rttsMs,
      hops: [],
      error,
    };
  }

  private async traceroute(spec: CheckSpec, signal?: AbortSignal): Promise<DeepProbeObservation> {
    const { timeoutSeconds, maxHops } = this.options;
    const wantNames =
      this.options.resolveHopNames && [...spec.orgInclude, ...spec.orgExclude].some((p) => !p.isAsn);
    const args = wantNames ? [] : ['-n'];
    if (this.options.icmp) args.push('-I');
    args.push('-q', String(spec.count), '-w', String(timeoutSeconds), '-m', String(maxHops));
    if (spec.source?.kind === 'interface') args.push('-i', spec.source.name);
    if (spec.source?.kind === 'address') args.push('-s', spec.source.address);
    args.push(spec.target);
    // Probes go out up to 16 at a time, so a route of maxHops silent hops takes about this long.
    const limitMs = Math.ceil((maxHops * spec.count) / 16) * timeoutSeconds * 1000 + PROCESS_SLACK_MS;
    const output = await this.exec('traceroute', 'traceroute', args, limitMs, signal);
    const parsed = parseTracerouteOutput(output.stdout);
    const destination = parsed.destination;
    const needOrgs = spec.orgInclude.length + spec.orgExclude.length > 0;
    const owners = needOrgs ? await this.lookupOwners(parsed.hops, signal) : new Map<string, OrgAnswer>();
    const hops: ReportedHop[] = parsed.hops.map((hop) => {
      const addresses: HopAddress[] = [];
      for (const reply of hop.replies) {
        if (addresses.some((a) => a.address === reply.address)) continue;
        addresses.push({ address: reply.address, name: reply.name, org: owners.get(reply.address) ?? null });
      }
      return {
        ttl: hop.ttl,
        addresses,
        rttsMs: hop.replies.map((reply) => reply.rttMs),
        lost: hop.lost,
        annotations: hop.replies.flatMap((reply) => (reply.annotation ? [reply.annotation] : [])),
      };
    });
    const finalReplies = parsed.hops
      .flatMap((hop) => hop.replies)
      .filter((reply) => reply.address === destination && reply.annotation === null);
    let error: string | null = null;
    if (destination === null || (output.code !== 0 && parsed.hops.length === 0)) {
      error = firstLine(output.stderr) ?? (output.timedOut ? 'traceroute timed out' : 'traceroute failed');
    }
    return {
      kind: 'traceroute',
      target: spec.target,
      destination,
      reached: finalReplies.length > 0,
      sent: spec.count,
      // The last TTL at which the target answered: earlier TTLs cannot reach it.
      rttsMs: finalReplies.map((reply) => reply.rttMs),
      hops,
      error,
    };
  }

  private async lookupOwners(
    hops: ReturnType<typeof parseTracerouteOutput>['hops'],
    signal?: AbortSignal,
  ): Promise<Map<string, OrgAnswer>> {
    const addresses = [...new Set(hops.flatMap((hop) => hop.replies.map((reply) => reply.address)))];
    const answers = await Promise.all(
      addresses.map(async (address) => {
        try {
          return await this.options.orgs.lookup(address, signal);
        } catch (error) {
          // A lookup must never turn into a pass, not even through a bug in one source.
          return { status: 'failed', reason: String(error) } as const;
        }
      }),
    );
    return new Map(addresses.map((address, i) => [address, answers[i] ?? { status: 'unknown' }]));
  }

  private async exec(
    tool: string,
    debianPackage: string,
    args: string[],
    limitMs: number,
    signal?: AbortSignal,
  ) {
    try {
      return await this.options.run(tool, args, { timeoutMs: limitMs + PROCESS_SLACK_MS, signal });
    } catch (error) {
      // Not installed: the user fixes it with apt-get (exit 2). Present but not startable (EACCES, too
      // many processes): the environment failed (exit 1). Neither says anything about the target.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingToolError(tool, debianPackage);
      throw new FaultError(`could not run ${tool}: ${errorMessage(error)}`, { cause: error });
    }
  }
}

function firstLine(text: string): string | null {
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return line ?? null;
}
