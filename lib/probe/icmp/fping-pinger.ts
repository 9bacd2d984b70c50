import { spawn } from 'node:child_process';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../shared/clock.js';
import { FaultError } from '../../shared/errors.js';
import { parseFpingCounts, parseFpingOutput, type FpingRecord } from './fping-output.js';
import { linkQuality, packetsOf } from '../link-quality.js';
import type { Pinger, ProbeOptions, ProbeResult } from '../pinger.js';

/** What a {@link FpingPinger} needs. */
export interface FpingPingerOptions {
  readonly clock: Clock;
  /** Least time between two echo requests of one fping run, to any host (`fping -i`), in milliseconds. */
  readonly sendIntervalMs: number;
  /** The fping executable: an absolute path, or a name looked up in PATH. Default `fping`. */
  readonly command?: string;
}

/**
 * The fping arguments of one attempt round: one echo request per target (`-r 0`), a reply counts if it comes
 * within the timeout, requests spaced `sendIntervalMs` apart, round-trip times printed (`-e`). Targets come
 * on stdin, never as arguments, so no host can ever be read as an option.
 */
export function fpingArgs(timeoutSeconds: number, sendIntervalMs: number): string[] {
  return ['-e', '-r', '0', '-t', String(timeoutSeconds * 1000), '-i', String(sendIntervalMs)];
}

/**
 * The fping arguments of the first round when several packets go to each host: `-C packets` requests per
 * target, `-p packetIntervalMs` apart per target, `-i` apart overall; the per-request RTTs come in one
 * summary line per target on stderr at the end (`host : 0.05 - 0.04`). No `-q`: it would also hide the
 * "Name or service not known" lines; the per-reply lines on stdout go to /dev/null instead.
 */
export function fpingCountArgs(
  packets: number,
  packetIntervalMs: number,
  timeoutSeconds: number,
  sendIntervalMs: number,
): string[] {
  return [
    '-C',
    String(packets),
    '-p',
    String(packetIntervalMs),
    '-t',
    String(timeoutSeconds * 1000),
    '-i',
    String(sendIntervalMs),
  ];
}

/**
 * Probes a whole list of hosts with the system's fping (Debian package fping): one process per attempt
 * round rather than one `ping` per host, which is what makes thousands of hosts per cycle cheap.
 *
 * Round 1 sends one request to every host; round k sends one more to the hosts that have not answered,
 * after every host of round k−1 had its full timeout. That gives the results {@link SystemPinger} gives:
 * at most `attempts` requests per host, none after the first reply, `attempts` = requests actually sent.
 * A round takes (its hosts × `sendIntervalMs`) + timeout, so a list with a dead host costs about
 * N × `sendIntervalMs` + `attempts` × timeout. fping's own retries (`-r`) would save one timeout per extra
 * round by overlapping them, but fping does not say which of its requests was answered, and the result must.
 *
 * When `signal` aborts, the round in flight finishes; hosts that would need another round are left out
 * of the result (no verdict yet), like hosts a {@link SystemPinger} had not started.
 */
export class FpingPinger implements Pinger {
  private readonly clock: Clock;
  private readonly sendIntervalMs: number;
  private readonly command: string;

  constructor(options: FpingPingerOptions) {
    if (!Number.isInteger(options.sendIntervalMs) || options.sendIntervalMs < 1) {
      throw new RangeError(`sendIntervalMs must be a positive integer, got ${options.sendIntervalMs}`);
    }
    this.clock = options.clock;
    this.sendIntervalMs = options.sendIntervalMs;
    this.command = options.command ?? 'fping';
  }

  /**
   * Probes every host; see {@link Pinger.probe}. Rejects with a {@link FaultError} only when fping
   * itself cannot run (not installed, refused its arguments, could not open a socket).
   */
  async probe(hosts: readonly string[], options: ProbeOptions, signal?: AbortSignal): Promise<ProbeResult[]> {
    for (const [name, value] of [
      ['attempts', options.attempts],
      ['timeoutSeconds', options.timeoutSeconds],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
      }
    }
    const { packets, intervalMs } = packetsOf(options);
    if (signal?.aborted) return [];
    const startedAt = this.clock.now();
    const results: (ProbeResult | undefined)[] = new Array<ProbeResult | undefined>(hosts.length);
    let pending: number[] = [];
    hosts.forEach((host, index) => {
      const problem = targetProblem(host);
      if (problem === null) pending.push(index);
      else
        results[index] = {
          host,
          alive: false,
          attempts: 0,
          rttMs: null,
          startedAt,
          error: `invalid host: ${problem}`,
          quality: linkQuality(0, []),
        };
    });

    try {
      // With several packets the first round sends them all (`-C`); a host that answered none of them gets
      // the retry rounds below, one request each, so `attempts` keeps meaning what it meant with one packet.
      let firstRound = 1;
      if (packets > 1 && pending.length > 0) {
        pending = await this.countRound(hosts, pending, results, packets, intervalMs, options, startedAt);
        firstRound = 2;
      }
      // Requests sent before round `attempt` beyond one per earlier round: the extra packets of round 1.
      const extra = packets > 1 ? packets - 1 : 0;
      for (let attempt = firstRound; attempt <= options.attempts && pending.length > 0; attempt++) {
        if (attempt > 1 && signal?.aborted) break;
        const round = pending.map((index) => hosts[index] as string);
        const { stdout, stderr } = await this.runRound(
          round,
          fpingArgs(options.timeoutSeconds, this.sendIntervalMs),
          true,
        );
        const verdicts = byHost(parseFpingOutput(stdout, stderr, new Set(round)));
        const unanswered: number[] = [];
        for (const index of pending) {
          const host = hosts[index] as string;
          const verdict = verdicts.get(host);
          const sent = extra + attempt;
          if (verdict?.error !== undefined) {
            // The request of this round never left (or the name did not resolve): not an attempt.
            results[index] = {
              host,
              alive: false,
              attempts: sent - 1,
              rttMs: null,
              startedAt,
              error: verdict.error,
              quality: linkQuality(sent - 1, []),
            };
          } else if (verdict !== undefined && verdict.rtts.length > 0) {
            const rtt = verdict.rtts.shift() as number;
            results[index] = {
              host,
              alive: true,
              attempts: sent,
              rttMs: rtt,
              startedAt,
              quality: linkQuality(sent, [rtt]),
            };
          } else if (attempt === options.attempts) {
            results[index] = {
              host,
              alive: false,
              attempts: sent,
              rttMs: null,
              startedAt,
              quality: linkQuality(sent, []),
            };
          } else {
            unanswered.push(index);
          }
        }
        pending = unanswered;
      }
    } catch (error) {
      // Ctrl-C and systemd signal fping with the monitor: a round killed while stopping is the stop itself,
      // not a fault of fping. Its hosts are left out (they keep their state), as an abort says.
      if (!signal?.aborted) throw error;
    }
    // Hosts still pending were skipped by an abort: left out, as the Pinger contract says.
    return results.filter((result): result is ProbeResult => result !== undefined);
  }

  /**
   * Round 1 with several packets: `fping -C` over the pending hosts. Fills the result of every host that
   * answered at least once (or could not be probed at all, or gets no retries) and returns the rest.
   */
  private async countRound(
    hosts: readonly string[],
    pending: readonly number[],
    results: (ProbeResult | undefined)[],
    packets: number,
    intervalMs: number,
    options: ProbeOptions,
    startedAt: Date,
  ): Promise<number[]> {
    const round = pending.map((index) => hosts[index] as string);
    const names = new Set(round);
    const args = fpingCountArgs(packets, intervalMs, options.timeoutSeconds, this.sendIntervalMs);
    const { stderr } = await this.runRound(round, args, false);
    const errors = byHost(parseFpingOutput('', stderr, names));
    const counts = new Map<string, (number | null)[][]>();
    for (const record of parseFpingCounts(stderr, names)) {
      const list = counts.get(record.host);
      if (list === undefined) counts.set(record.host, [[...record.rtts]]);
      else list.push([...record.rtts]);
    }
    const unanswered: number[] = [];
    for (const index of pending) {
      const host = hosts[index] as string;
      const rtts = (counts.get(host)?.shift() ?? []).filter((rtt): rtt is number => rtt !== null);
      const error = errors.get(host)?.error;
      if (rtts.length > 0) {
        const quality = linkQuality(packets, rtts);
        results[index] = { host, alive: true, attempts: packets, rttMs: quality.avgMs, startedAt, quality };
      } else if (error !== undefined) {
        // Nothing left (no route) or the name did not resolve: not an attempt, and retrying will not help.
        results[index] = {
          host,
          alive: false,
          attempts: 0,
          rttMs: null,
          startedAt,
          error,
          quality: linkQuality(0, []),
        };
      } else if (options.attempts === 1) {
        results[index] = {
          host,
          alive: false,
          attempts: packets,
          rttMs: null,
          startedAt,
          quality: linkQuality(packets, []),
        };
      } else {
        unanswered.push(index);
      }
    }
    return unanswered;
  }

  /**
   * Runs fping once over `hosts` with `args` and returns its output (stdout only when `withStdout`; else it
   * goes to /dev/null). fping flushes a line per reply;
   * through a pipe that is one wake-up of this process per host (0.7 s of CPU for 10,000 hosts), so fping
   * writes to files in a private temporary folder instead, read once it has exited.
   */
  private async runRound(
    hosts: readonly string[],
    args: readonly string[],
    withStdout: boolean,
  ): Promise<{ stdout: string; stderr: string }> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-fping-'));
    try {
      const stdoutFile = path.join(dir, 'stdout');
      const stderrFile = path.join(dir, 'stderr');
      const stdout = await open(withStdout ? stdoutFile : '/dev/null', 'w');
      const stderr = await open(stderrFile, 'w');
      let exit: { code: number | null; signal: NodeJS.Signals | null };
      try {
        exit = await this.spawnRound(hosts, args, stdout.fd, stderr.fd);
      } finally {
        await stdout.close();
        await stderr.close();
      }
      const [out, err] = await Promise.all([
        withStdout ? readFile(stdoutFile, 'utf8') : '',
        readFile(stderrFile, 'utf8'),
      ]);
      // 0: all alive, 1: some unreachable, 2: some names not found. 3 and 4 are fping's own failures.
      if (exit.code !== null && exit.code <= 2) return { stdout: out, stderr: err };
      const how = exit.code === null ? `killed by ${exit.signal ?? 'a signal'}` : `exit ${exit.code}`;
      const why = err.trim().split('\n').pop() ?? '';
      throw new FaultError(`fping failed (${how})${why === '' ? '' : `: ${why}`}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private spawnRound(
    hosts: readonly string[],
    args: readonly string[],
    stdoutFd: number,
    stderrFd: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.command, [...args], {
        stdio: ['pipe', stdoutFd, stderrFd],
        // Stable English messages to parse ("Name or service not known").
        env: { ...process.env, LC_ALL: 'C' },
      });
      // fping that exits before reading its targets (bad arguments) says why in its exit code and stderr.
      child.stdin?.on('error', () => undefined);
      child.on('error', (error) => {
        reject(new FaultError(`could not run fping: ${error.message}`, { cause: error }));
      });
      child.on('close', (code, signal) => resolve({ code, signal }));
      child.stdin?.end(`${hosts.join('\n')}\n`);
    });
  }
}

/**
 * Why `host` cannot go into fping's target list, or null. Hosts are validated with the config already; this
 * guards the list format itself: one target per line, `#` starts a comment, and nothing that looks like an
 * option goes to any tool. Everything else is resolved as `ping` would resolve it.
 */
function targetProblem(host: string): string | null {
  if (host === '') return 'is empty';
  if (/\s/.test(host)) return 'must not contain spaces or other whitespace';
  if (host.startsWith('-')) return 'must not start with "-"';
  if (host.startsWith('#')) return 'must not start with "#"';
  return null;
}

/** What one round said about one host name (listed once, or several times). */
interface HostVerdict {
  /** Round-trip times of the replies, one per listing that was answered, in output order. */
  readonly rtts: number[];
  error?: string;
}

function byHost(records: readonly FpingRecord[]): Map<string, HostVerdict> {
  const verdicts = new Map<string, HostVerdict>();
  for (const record of records) {
    let verdict = verdicts.get(record.host);
    if (verdict === undefined) {
      verdict = { rtts: [] };
      verdicts.set(record.host, verdict);
    }
    if (record.kind === 'alive') verdict.rtts.push(record.rttMs);
    else if (record.kind !== 'unreachable') verdict.error = record.reason;
  }
  return verdicts;
}
