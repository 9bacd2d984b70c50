import { isIPv6 } from 'node:net';
import { createRequire } from 'node:module';

import type ping from 'ping';
import type { PingConfig } from 'ping';
import type { Clock } from '../../shared/clock.js';
import { FaultError } from '../../shared/errors.js';
import { mapBounded } from '../bounded-pool.js';
import { linkQuality, packetsOf } from '../link-quality.js';
import { parsePingOutput } from './ping-output.js';
import { parsePingReplies } from './ping-replies.js';
import type { Pinger, ProbeOptions, ProbeResult } from '../pinger.js';

/** What a {@link SystemPinger} needs. */
export interface SystemPingerOptions {
  readonly clock: Clock;
  /** How many `ping` processes may run at once. */
  readonly maxConcurrent: number;
}

/**
 * The `ping` package arguments for one host: a single iputils process that sends one echo request every
 * `timeoutSeconds` (a little more, see below), stops at the first reply, and gives up after
 * `attempts` × `timeoutSeconds` (`ping -n -W T -w A*T -c 1 -s 56 -i T+T/4A -- host`). One process per host rather than one per attempt keeps
 * the process count down and the request spacing exact.
 */
export function pingConfigFor(host: string, options: ProbeOptions): PingConfig {
  const { attempts, timeoutSeconds } = options;
  // ping's deadline (-w) takes whole seconds only. With requests exactly `timeoutSeconds` apart, request
  // number attempts+1 would be due at the very moment the deadline ends, and on a busy machine it goes out
  // first. Spacing them a quarter timeout / attempts wider keeps `attempts` requests inside the deadline
  // and the next one a quarter timeout past it; the last request still gets at least 3/4 of the timeout.
  const spacing = timeoutSeconds + timeoutSeconds / (4 * attempts);
  return {
    numeric: true,
    timeout: timeoutSeconds,
    deadline: attempts * timeoutSeconds,
    min_reply: 1,
    // The package would guess v6 itself; saying it keeps the choice of ping6 visible here.
    v6: isIPv6(host),
    // The package puts `extra` just before the target, so `--` makes a host like "-f" an operand, never an
    // option, even if a caller forgot to validate it.
    // Rounded up to whole milliseconds, so the margin past the deadline never shrinks.
    extra: ['-i', (Math.ceil(spacing * 1000) / 1000).toFixed(3), '--'],
  };
}

/**
 * The `ping` package arguments for the first round when several packets go to each host: `packets` requests
 * `packetIntervalMs` apart, waiting `timeoutSeconds` past the last one for late replies
 * (`ping -n -W T -c P -s 56 -i I -- host`), whatever the host answers.
 */
export function pingCountConfigFor(
  host: string,
  timeoutSeconds: number,
  packets: number,
  packetIntervalMs: number,
): PingConfig {
  return {
    numeric: true,
    timeout: timeoutSeconds,
    min_reply: packets,
    v6: isIPv6(host),
    extra: ['-i', (packetIntervalMs / 1000).toFixed(3), '--'],
  };
}

/** Probes hosts with the system's iputils `ping` through the `ping` package, a bounded number at a time. */
export class SystemPinger implements Pinger {
  private readonly clock: Clock;
  private readonly maxConcurrent: number;

  constructor(options: SystemPingerOptions) {
    if (!Number.isInteger(options.maxConcurrent) || options.maxConcurrent < 1) {
      throw new RangeError(`maxConcurrent must be a positive integer, got ${options.maxConcurrent}`);
    }
    this.clock = options.clock;
    this.maxConcurrent = options.maxConcurrent;
  }

  /**
   * Probes every host once; see {@link Pinger.probe}. Rejects with a {@link FaultError} only when
   * `ping` itself cannot be run, after the probes already running have finished.
   */
  probe(hosts: readonly string[], options: ProbeOptions, signal?: AbortSignal): Promise<ProbeResult[]> {
    for (const [name, value] of [
      ['attempts', options.attempts],
      ['timeoutSeconds', options.timeoutSeconds],
    ] as const) {
      // iputils takes fractions, but an -i under 0.2 s needs privileges and the contract says whole seconds.
      if (!Number.isInteger(value) || value < 1) {
        return Promise.reject(new RangeError(`${name} must be a positive integer, got ${value}`));
      }
    }
    return mapBounded(hosts, this.maxConcurrent, (host) => this.probeOne(host, options), signal);
  }

  private async probeOne(host: string, options: ProbeOptions): Promise<ProbeResult> {
    const startedAt = this.clock.now();
    const { packets, intervalMs } = packetsOf(options);
    if (packets === 1) return this.probeRounds(host, options, startedAt, 0);
    // Several packets: all of them go out first; a host that answered none gets `attempts` − 1 retries.
    const output = await runPing(host, pingCountConfigFor(host, options.timeoutSeconds, packets, intervalMs));
    const summary = parsePingOutput(output);
    if (summary.transmitted === null) {
      return {
        host,
        alive: false,
        attempts: 0,
        rttMs: null,
        startedAt,
        error: summary.failure ?? 'ping failed',
        quality: linkQuality(0, []),
      };
    }
    const sent = Math.min(summary.transmitted, packets);
    const rtts = parsePingReplies(output).slice(0, packets);
    if (rtts.length > 0 || options.attempts === 1) {
      const quality = linkQuality(sent, rtts);
      return { host, alive: rtts.length > 0, attempts: sent, rttMs: quality.avgMs, startedAt, quality };
    }
    return this.probeRounds(host, { ...options, attempts: options.attempts - 1 }, startedAt, sent);
  }

  /** Today's probe: one request per round until the first reply, `options.attempts` at most. */
  private async probeRounds(
    host: string,
    options: ProbeOptions,
    startedAt: Date,
    sentBefore: number,
  ): Promise<ProbeResult> {
    const output = await runPing(host, pingConfigFor(host, options));
    const summary = parsePingOutput(output);
    // ping sends its next request when it is due before it checks the deadline, so a ping process that
    // runs late (a busy machine) sends one more at the very deadline and exits at once: that request is
    // never waited for, and counting it would break "at most `attempts`" (seen in tests under load).
    const attempts = sentBefore + Math.min(summary.transmitted ?? 0, options.attempts);
    const alive = summary.received > 0;
    const rtt = alive ? parsePingReplies(output)[0] : undefined;
    const result = {
      host,
      alive,
      attempts,
      rttMs: rtt ?? null,
      startedAt,
      quality: linkQuality(attempts, rtt === undefined ? [] : [rtt]),
    };
    // No statistics line means ping gave up before sending (bad name, no route): nothing was waited for.
    if (summary.transmitted === null) return { ...result, error: summary.failure ?? 'ping failed' };
    return result;
  }
}

const requireCjs = createRequire(import.meta.url);
let pingPackage: typeof ping | null = null;

async function runPing(host: string, config: PingConfig): Promise<string> {
  // Loaded by the first probe: a run on the fping backend never needs the package.
  pingPackage ??= requireCjs('ping') as typeof ping;
  const response = await pingPackage.promise.probe(host, config).catch((error: unknown) => {
    // The package rejects only when the process cannot be spawned at all (ping gone, not executable).
    // Every host would look down then, which is not an outage: fail the whole probe instead.
    throw new FaultError(`could not run ping: ${String(error)}`, { cause: error });
  });
  return response.output;
}
