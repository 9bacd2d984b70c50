import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { NetnsLab } from '../../test/support/netns-lab.js';
import { tempSite } from '../../test/support/config-dir.js';
import { benchHosts, hostsCsv, writeTargetList } from './bench-lab.js';
import { measure, median, type Measured } from './measure.js';

/** Probe settings of the benchmark, as in the issue: 3 tries, 1 s timeout, 1 ms between requests. */
export const BENCH_ATTEMPTS = 3;
export const BENCH_TIMEOUT_S = 1;
export const BENCH_INTERVAL_MS = 1;

/** fping doing the same job on its own: same tries, same timeout, the same spacing between a host's requests. */
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
/** The command line the issue measured (fping's default backoff 1.5 makes a dead host cost 4.75 s). */
export const FPING_ISSUE = [
  '-r',
  String(BENCH_ATTEMPTS - 1),
  '-t',
  String(BENCH_TIMEOUT_S * 1000),
  '-i',
  String(BENCH_INTERVAL_MS),
];

/** Medians of one host count. */
export interface CycleResult {
  readonly hosts: number;
  readonly silent: number;
  readonly repeats: number;
  readonly pingwarden: Summary;
  /** The cycle's own duration as pingwarden logs it (`cycle ... ms=`), without process start-up. */
  readonly cycleMs: number;
  readonly fping: Summary;
  readonly fpingIssue: Summary;
}

/** Medians of wall, CPU and RSS over the repeats. */
export interface Summary {
  readonly wallS: number;
  readonly cpuS: number;
  readonly rssMb: number;
}

const CYCLE_LINE = /cycle hosts=(\d+) up=(\d+) down=(\d+) unknown=(\d+) alerts=\d+ ms=(\d+)/;

/**
 * Runs `pingwarden once` (one real cycle in a fresh process with a fresh state, so every host changes state
 * and every silent one raises a DOWN alert: the most expensive cycle there is) and fping on the same list,
 * `repeats` times, and returns the medians. Every run is checked: the counts of up and down hosts must be
 * exactly right, or the numbers would mean nothing.
 */
export async function benchCycle(
  lab: NetnsLab,
  count: number,
  repeats: number,
  repoRoot: string,
  say: (line: string) => void,
): Promise<CycleResult> {
  const { hosts, silent } = benchHosts(lab, count);
  const site = await tempSite({
    'hosts.csv': hostsCsv(hosts),
    'settings.csv': `attempts,${BENCH_ATTEMPTS}\ntimeout_seconds,${BENCH_TIMEOUT_S}\nfping_interval_ms,${BENCH_INTERVAL_MS}\n`,
  });
  try {
    const targets = await writeTargetList(site.root, hosts);
    const runs: { pingwarden: Measured; cycleMs: number; fping: Measured; fpingIssue: Measured }[] = [];
    const limitMs = 120_000;
    for (let run = 1; run <= repeats; run++) {
      await rm(site.logsDir, { recursive: true, force: true });
      const pingwarden = await measure(
        process.execPath,
        [
          path.join(repoRoot, 'bin/pingwarden.js'),
          'once',
          '--config',
          site.configDir,
          '--logs',
          site.logsDir,
        ],
        { timeoutMs: limitMs },
      );
      const cycle = CYCLE_LINE.exec(pingwarden.stdout);
      const counts = cycle?.slice(1, 5).map(Number);
      const expected = [count, count - silent, silent, 0];
      if (pingwarden.code !== 1 || JSON.stringify(counts) !== JSON.stringify(expected)) {
        throw new Error(
          `pingwarden once gave exit ${pingwarden.code} and counts ${JSON.stringify(counts)}, expected exit 1 and ${JSON.stringify(expected)}\n${pingwarden.stderr.slice(-2000)}`,
        );
      }
      const fping = await measure('fping', FPING_SAME_JOB, { stdinFile: targets, timeoutMs: limitMs });
      checkFping(fping, count, silent);
      const fpingIssue = await measure('fping', FPING_ISSUE, { stdinFile: targets, timeoutMs: limitMs });
      checkFping(fpingIssue, count, silent);
      const cycleMs = Number(cycle?.[5]);
      runs.push({ pingwarden, cycleMs, fping, fpingIssue });
      say(
        `  ${count} hosts, run ${run}/${repeats}: pingwarden ${describe(pingwarden)} (cycle ${(cycleMs / 1000).toFixed(2)} s)` +
          ` | fping ${describe(fping)} | fping (issue flags) ${describe(fpingIssue)}`,
      );
    }
    return {
      hosts: count,
      silent,
      repeats,
      pingwarden: summarise(runs.map((r) => r.pingwarden)),
      cycleMs: median(runs.map((r) => r.cycleMs)),
      fping: summarise(runs.map((r) => r.fping)),
      fpingIssue: summarise(runs.map((r) => r.fpingIssue)),
    };
  } finally {
    await site.remove();
  }
}

function checkFping(run: Measured, count: number, silent: number): void {
  const alive = run.stdout.split('\n').filter((line) => line.includes(' is alive')).length;
  // Exit 1: some hosts unreachable, as they should be.
  if (run.code !== 1 || alive !== count - silent) {
    throw new Error(
      `fping gave exit ${run.code} and ${alive} alive, expected exit 1 and ${count - silent} alive`,
    );
  }
}

function summarise(runs: readonly Measured[]): Summary {
  return {
    wallS: median(runs.map((r) => r.wallS)),
    cpuS: median(runs.map((r) => r.cpuS)),
    rssMb: median(runs.map((r) => r.rssMb)),
  };
}

function describe(run: Measured): string {
  return `wall ${run.wallS.toFixed(2)} s cpu ${run.cpuS.toFixed(2)} s rss ${run.rssMb.toFixed(0)} MB`;
}
