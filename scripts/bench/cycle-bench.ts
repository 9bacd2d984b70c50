import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { NetnsLab } from '../../test/support/netns-lab.js';
import { tempSite, type TempSite } from '../../test/support/config-dir.js';
import { ONCE_NODE_FLAGS } from '../../lib/cli/once-node-flags.js';
import { seedQualityHistory } from './quality-seed.js';
import { benchHosts, hostsCsv, writeTargetList } from './bench-lab.js';
import { DaemonProcess, procUsage, type CycleSample } from './daemon-process.js';
import { measure, median, type Measured } from './measure.js';

/** Probe settings of the benchmark, as in the issue: 3 tries, 1 s timeout, 1 ms between requests. */
export const BENCH_ATTEMPTS = 3;
export const BENCH_TIMEOUT_S = 1;
export const BENCH_INTERVAL_MS = 1;

/** fping doing the same job on its own: same tries, same timeout, the same spacing of a host's requests. */
export const FPING_SAME_JOB = [
  '-e',
  '-B',
  '1',
  '-r',
  String(BENCH_ATTEMPTS - 1),
  '-t',
  String(BENCH_TIMEOUT_S * 1000),
  '-i',
  String(BENCH_INTERVAL_MS),
];

/** Time between two requests to one host with several packets, as the `packet_interval_ms` default. */
export const BENCH_PACKET_INTERVAL_MS = 200;

/**
 * fping's own job with `packets` > 1: `-C packets` requests to every host, `-p` apart, summary only (`-q`).
 * It has no retries: a host that answers none of them is simply reported with all `-`, which is where
 * pingwarden does more (its `attempts` − 1 retry rounds for silent hosts).
 */
export function fpingCountJob(packets: number): string[] {
  return [
    '-C',
    String(packets),
    '-q',
    '-p',
    String(BENCH_PACKET_INTERVAL_MS),
    '-t',
    String(BENCH_TIMEOUT_S * 1000),
    '-i',
    String(BENCH_INTERVAL_MS),
  ];
}

/** The fping command line pingwarden is compared with at `packets`. */
export function fpingJobFor(packets: number): string[] {
  return packets === 1 ? FPING_SAME_JOB : fpingCountJob(packets);
}

/** Wall, CPU and peak RSS of one run, or their medians. */
export interface Cost {
  readonly wallS: number;
  readonly cpuS: number;
  readonly rssMb: number;
}

/** What one host count measured. */
export interface CycleResult {
  readonly hosts: number;
  /** The `packets` setting of the run (fping: `-r 2` at 1, `-C packets` above). */
  readonly packets: number;
  readonly silent: number;
  readonly intervalS: number;
  /** Steady daemon cycles (after the first): the monitor's cost every interval. */
  readonly steady: Cost;
  readonly steadyCycles: number;
  /** The first cycle of a fresh daemon: start-up, every host new, a DOWN alert per silent host. */
  readonly first: Cost;
  /** `pingwarden once` as cron runs it: a whole process that resumes the state the run before it left. */
  readonly once: Cost | null;
  /** `pingwarden once` with no state at all: every host new, a DOWN alert per silent host (worst case). */
  readonly onceFresh: Cost | null;
  /** fping on the same list, run between the daemon's cycles. */
  readonly fping: Cost;
  /**
   * fping on the same list, run after each pair of `once` runs: what the `once` ratios divide by, so both
   * see the machine at nearly the same moment (fping's own CPU for one job drifted from 2.2 to 3.0 s within
   * ten minutes on the shared 2-core machine). Null without the once benchmark.
   */
  readonly onceFping: Cost | null;
  readonly fpingRuns: number;
  /** Whether the daemon ever logged that a cycle overran its interval. */
  readonly overran: boolean;
  /** The longest cycle the daemon ran, first one included, in seconds. */
  readonly longestCycleS: number;
  /** Peak RSS of the daemon over the whole run. */
  readonly daemonPeakRssMb: number;
}

const settingsFor = (intervalS: number, packets: number) =>
  [
    `interval_seconds,${intervalS}`,
    `packets,${packets}`,
    `packet_interval_ms,${BENCH_PACKET_INTERVAL_MS}`,
    `attempts,${BENCH_ATTEMPTS}`,
    `timeout_seconds,${BENCH_TIMEOUT_S}`,
    `fping_interval_ms,${BENCH_INTERVAL_MS}`,
    '',
  ].join('\n');

/**
 * Benchmarks `count` hosts (every tenth silent): a real daemon (`pingwarden start`, the real loop and the
 * real fping backend) runs `repeats + 1` cycles; fping runs on the same list in the gap after each cycle,
 * so both see the same machine at nearly the same moment. The daemon's CPU per cycle is the growth of its
 * /proc times (its own plus its fping children's) from one cycle line to the next. Every cycle's counts are
 * checked: a wrong up/down count would make the timings meaningless.
 */
export async function benchCycle(
  lab: NetnsLab,
  count: number,
  repeats: number,
  intervalS: number,
  options: {
    readonly repoRoot: string;
    readonly once: boolean;
    readonly packets: number;
    readonly say: (line: string) => void;
  },
): Promise<CycleResult> {
  const { repoRoot, say, packets } = options;
  const { hosts, silent } = benchHosts(lab, count);
  const site = await tempSite({
    'hosts.csv': hostsCsv(hosts),
    'settings.csv': settingsFor(intervalS, packets),
  });
  try {
    const targets = await writeTargetList(site.root, hosts);
    const check = (sample: CycleSample) => {
      if (sample.hosts !== count || sample.up !== count - silent || sample.down !== silent) {
        throw new Error(
          `cycle counted ${JSON.stringify(sample)}, expected ${count - silent} up, ${silent} down`,
        );
      }
    };

    const fpingRuns: Measured[] = [];
    const daemon = new DaemonProcess(repoRoot, site.configDir, site.logsDir);
    let samples: CycleSample[];
    try {
      const limitMs = (intervalS + 120) * 1000;
      const [first] = await daemon.waitForCycles(1, limitMs);
      if (first === undefined) throw new Error('no first cycle');
      check(first);
      say(
        `  ${count} hosts, daemon cycle 1 (start-up): ${(first.cycleMs / 1000).toFixed(2)} s, ` +
          `process CPU so far ${first.cpuS.toFixed(2)} s, RSS ${first.rssMb.toFixed(0)} MB`,
      );
      for (let cycle = 2; cycle <= repeats + 1; cycle++) {
        // fping in the gap before the next cycle: the daemon is asleep, so they never compete.
        const fping = await measure('fping', fpingJobFor(packets), {
          stdinFile: targets,
          timeoutMs: limitMs,
        });
        checkFping(fping, count, silent, packets);
        fpingRuns.push(fping);
        const before = daemon.samples.length;
        const all = await daemon.waitForCycles(cycle, limitMs);
        const previous = all[cycle - 2] as CycleSample;
        const sample = all[cycle - 1] as CycleSample;
        check(sample);
        if (before >= cycle)
          say(`  warning: fping was still running when cycle ${cycle} ended; its timing is perturbed`);
        say(
          `  ${count} hosts, daemon cycle ${cycle}: wall ${(sample.cycleMs / 1000).toFixed(2)} s, ` +
            `CPU ${(sample.cpuS - previous.cpuS).toFixed(2)} s, RSS ${sample.rssMb.toFixed(0)} MB | ` +
            `fping wall ${fping.wallS.toFixed(2)} s, CPU ${fping.cpuS.toFixed(2)} s, RSS ${fping.rssMb.toFixed(0)} MB`,
        );
      }
      samples = daemon.samples.slice(0, repeats + 1);
      const usage = await procUsage(daemon.pid);
      samples = samples.map((s, i) => (i === samples.length - 1 ? { ...s, peakRssMb: usage.peakRssMb } : s));
    } finally {
      const code = await daemon.stop();
      if (code !== 0) say(`  warning: the daemon exited with ${code}`);
    }
    const first = samples[0] as CycleSample;
    const steady = samples.slice(1).map((sample, i) => ({
      wallS: sample.cycleMs / 1000,
      cpuS: sample.cpuS - (samples[i] as CycleSample).cpuS,
      rssMb: sample.rssMb,
    }));
    const overran = daemon.lines.some((line) => line.includes('cycle overran interval'));
    const once = options.once
      ? await benchOnce(site, { count, silent, intervalS, packets, targets }, repeats, repoRoot, say)
      : null;
    return {
      hosts: count,
      packets,
      silent,
      intervalS,
      steady: medianCost(steady),
      steadyCycles: steady.length,
      first: { wallS: first.cycleMs / 1000, cpuS: first.cpuS, rssMb: first.rssMb },
      once: once?.steady ?? null,
      onceFresh: once?.fresh ?? null,
      onceFping: once?.fping ?? null,
      fping: medianCost(fpingRuns),
      fpingRuns: fpingRuns.length,
      overran,
      longestCycleS: Math.max(...samples.map((sample) => sample.cycleMs / 1000)),
      daemonPeakRssMb: samples.at(-1)?.peakRssMb ?? NaN,
    };
  } finally {
    await site.remove();
  }
}

/**
 * `pingwarden once` on the same site under GNU time, as the README's cron line starts it (with
 * {@link ONCE_NODE_FLAGS}), twice per repeat: first with no state (every host new,
 * one DOWN alert per silent host), then again on the state that run left with the quality series of a long
 * cron service behind it (see {@link seedQualityHistory}): resume from the history and quality files, no new
 * alerts. After each pair, fping does the same job, the reference of the `once` ratios.
 */
async function benchOnce(
  site: TempSite,
  job: { count: number; silent: number; intervalS: number; packets: number; targets: string },
  repeats: number,
  repoRoot: string,
  say: (line: string) => void,
): Promise<{ fresh: Cost; steady: Cost; fping: Cost }> {
  const { count, silent, intervalS, packets, targets } = job;
  const fresh: Measured[] = [];
  const steady: Measured[] = [];
  const fpingRuns: Measured[] = [];
  for (let run = 1; run <= repeats; run++) {
    await rm(site.logsDir, { recursive: true, force: true });
    for (const [kind, runs, alerts] of [
      ['fresh state', fresh, silent],
      ['resumed state', steady, 0],
    ] as const) {
      const result = await measure(
        process.execPath,
        [
          // The README's cron line: node with the once flag, then the bin.
          ...ONCE_NODE_FLAGS,
          path.join(repoRoot, 'bin/pingwarden.js'),
          'once',
          '--config',
          site.configDir,
          '--logs',
          site.logsDir,
        ],
        { timeoutMs: 180_000 },
      );
      const expected = `cycle hosts=${count} up=${count - silent} down=${silent} unknown=0 alerts=${alerts} `;
      if (result.code !== 1 || !result.stdout.includes(expected)) {
        throw new Error(
          `pingwarden once (${kind}): exit ${result.code}, no "${expected}" in its output\n${result.stderr.slice(-2000)}`,
        );
      }
      runs.push(result);
      if (runs === fresh) await seedQualityHistory(site.logsDir, intervalS * 1000);
      say(
        `  ${count} hosts, pingwarden once ${run}/${repeats}, ${kind}: wall ${result.wallS.toFixed(2)} s, ` +
          `CPU ${result.cpuS.toFixed(2)} s, RSS ${result.rssMb.toFixed(0)} MB`,
      );
    }
    const fping = await measure('fping', fpingJobFor(packets), { stdinFile: targets, timeoutMs: 180_000 });
    checkFping(fping, count, silent, packets);
    fpingRuns.push(fping);
    say(
      `  ${count} hosts, fping after once ${run}/${repeats}: wall ${fping.wallS.toFixed(2)} s, ` +
        `CPU ${fping.cpuS.toFixed(2)} s`,
    );
  }
  return { fresh: medianCost(fresh), steady: medianCost(steady), fping: medianCost(fpingRuns) };
}

function checkFping(run: Measured, count: number, silent: number, packets: number): void {
  const alive =
    packets === 1
      ? run.stdout.split('\n').filter((line) => line.includes(' is alive')).length
      : run.stderr.split('\n').filter((line) => /^\S+ +: .*[0-9]/.test(line)).length;
  // Exit 1: some hosts unreachable, as they should be.
  if (run.code !== 1 || alive !== count - silent) {
    throw new Error(
      `fping gave exit ${run.code} and ${alive} alive, expected exit 1 and ${count - silent} alive`,
    );
  }
}

function medianCost(runs: readonly Cost[]): Cost {
  return {
    wallS: median(runs.map((r) => r.wallS)),
    cpuS: median(runs.map((r) => r.cpuS)),
    rssMb: median(runs.map((r) => r.rssMb)),
  };
}
