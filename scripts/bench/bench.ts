import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findExecutable } from '../../lib/probe/icmp/require-ping.js';
import { createLab, labUnavailableReason, type NetnsLab } from '../../test/support/netns-lab.js';
import { benchCore, type CoreResult } from './core-bench.js';
import { benchCycle, BENCH_ATTEMPTS, BENCH_TIMEOUT_S, fpingJobFor, type CycleResult } from './cycle-bench.js';
import { benchLatency, LATENCY_BOUND_S, LATENCY_INTERVAL_S, type LatencyResult } from './latency-bench.js';
import { TIME_COMMAND } from './measure.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const say = (line: string) => console.log(line);

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    repeats: { type: 'string', default: '3' },
    'latency-sizes': { type: 'string', default: '100,1000' },
    trials: { type: 'string', default: '3' },
    only: { type: 'string', default: 'core,cycle,once,latency' },
    packets: { type: 'string', default: '1,5' },
  },
});

/**
 * The daemon's interval in the cycle benchmark: room for a cycle and an fping run in between. With several
 * packets both send hosts × packets requests 1 ms apart, then wait the timeout (and pingwarden retries).
 */
function intervalFor(hosts: number, packets: number): number {
  if (packets > 1) return Math.max(15, Math.ceil((hosts * packets * 2.3) / 1000 + 10));
  return hosts >= 5000 ? 60 : 15;
}

/** Why the benchmark cannot run here, or null. */
async function missingPrerequisite(): Promise<string | null> {
  const lab = await labUnavailableReason();
  if (lab !== null) return `the network lab is unavailable: ${lab}`;
  if ((await findExecutable('fping', process.env.PATH ?? '')) === null) {
    return 'fping is not installed (apt-get install fping)';
  }
  try {
    await access(TIME_COMMAND, constants.X_OK);
  } catch {
    return `${TIME_COMMAND} is missing (apt-get install time)`;
  }
  try {
    await access(path.join(repoRoot, 'dist/cli/main.js'));
  } catch {
    return 'dist/ is not built (npm run build)';
  }
  return null;
}

function numbers(text: string | undefined, min: number, max: number, what: string): number[] {
  const list = (text ?? '')
    .split(',')
    .filter((part) => part !== '')
    .map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < min || n > max)) {
    throw new RangeError(`bench: ${what} takes integers from ${min} to ${max}`);
  }
  return list;
}

async function main(): Promise<number> {
  const problem = await missingPrerequisite();
  if (problem !== null) {
    console.error(`bench: ${problem}`);
    return 2;
  }
  let sizes: number[], latencySizes: number[], repeats: number, trials: number, packetCounts: number[];
  try {
    sizes = numbers(values.sizes, 10, 16_000, '--sizes');
    latencySizes = numbers(values['latency-sizes'], 2, 4000, '--latency-sizes');
    repeats = numbers(values.repeats, 1, 20, '--repeats')[0] ?? 3;
    trials = numbers(values.trials, 1, 20, '--trials')[0] ?? 3;
    packetCounts = numbers(values.packets, 1, 20, '--packets');
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const only = new Set((values.only ?? '').split(','));

  let lab: NetnsLab | undefined;
  // Ctrl-C: exit through the 'exit' handlers, which remove the lab.
  process.once('SIGINT', () => process.exit(130));
  const cores: CoreResult[] = [];
  if (only.has('core')) {
    // No network: the loop's own cost per cycle and per host, at 1,000 to 20,000 hosts.
    for (const count of [1000, 10_000, 20_000]) cores.push(await benchCore(count, repeats));
  }
  const cycles: CycleResult[] = [];
  const latencies: LatencyResult[] = [];
  try {
    lab = await createLab({ largeRange: true });
    say(
      `pingwarden bench (lab ${lab.namespace}): ${BENCH_ATTEMPTS} attempts, ${BENCH_TIMEOUT_S} s timeout, ` +
        `every tenth host silent, ${repeats} repeats`,
    );
    if (only.has('cycle') || only.has('once')) {
      for (const packets of packetCounts) {
        for (const count of sizes) {
          say(`  packets ${packets}, fping ${fpingJobFor(packets).join(' ')}:`);
          cycles.push(
            await benchCycle(lab, count, repeats, intervalFor(count, packets), {
              repoRoot,
              once: only.has('once'),
              packets,
              say,
            }),
          );
        }
      }
    }
    if (only.has('latency')) {
      for (const count of latencySizes)
        latencies.push(await benchLatency(lab, count, trials, { repoRoot, say }));
    }
  } finally {
    await lab?.destroy();
  }
  printCore(cores);
  printReport(cycles, latencies);
  return 0;
}

const s2 = (n: number) => `${n.toFixed(2)} s`;
const mb = (n: number) => `${n.toFixed(0)} MB`;
const x = (n: number) => `${n.toFixed(2)}×`;

function printCore(cores: readonly CoreResult[]): void {
  if (cores.length === 0) return;
  say('');
  say('Everything but the probing (in this process, instant pinger, medians):');
  say('| hosts | parse hosts.csv | steady cycle | log lines per steady cycle | heap per host |');
  say('|---|---|---|---|---|');
  for (const r of cores) {
    say(
      `| ${r.hosts} | ${r.parseMs.toFixed(0)} ms | ${r.steadyCycleMs.toFixed(0)} ms | ${r.steadyLogLines} | ${
        Number.isFinite(r.bytesPerHost) ? `${(r.bytesPerHost / 1024).toFixed(1)} KB` : '?'
      } |`,
    );
  }
}

function printReport(cycles: readonly CycleResult[], latencies: readonly LatencyResult[]): void {
  if (cycles.length > 0) {
    say('');
    say('One cycle (medians). pingwarden = the daemon, fping backend; CPU includes its fping runs.');
    say('| hosts | packets | method | wall | CPU | RSS |');
    say('|---|---|---|---|---|---|');
    for (const r of cycles) {
      const p = r.packets;
      say(
        `| ${r.hosts} | ${p} | pingwarden, steady cycle (${r.steadyCycles} cycles) | ${s2(r.steady.wallS)} | ${s2(r.steady.cpuS)} | ${mb(r.steady.rssMb)} |`,
      );
      say(
        `| ${r.hosts} | ${p} | fping ${fpingJobFor(p).join(' ')} (${r.fpingRuns} runs) | ${s2(r.fping.wallS)} | ${s2(r.fping.cpuS)} | ${mb(r.fping.rssMb)} |`,
      );
      say(
        `| ${r.hosts} | ${p} | pingwarden, first cycle (start-up, every host new, ${r.silent} DOWN alerts) | ${s2(r.first.wallS)} | ${s2(r.first.cpuS)} | ${mb(r.first.rssMb)} |`,
      );
      if (r.once !== null) {
        say(
          `| ${r.hosts} | ${p} | \`pingwarden once\` (whole process, resuming the previous run's state) | ${s2(r.once.wallS)} | ${s2(r.once.cpuS)} | ${mb(r.once.rssMb)} |`,
        );
      }
      if (r.onceFresh !== null) {
        say(
          `| ${r.hosts} | ${p} | \`pingwarden once\` (whole process, no state: ${r.silent} DOWN alerts) | ${s2(r.onceFresh.wallS)} | ${s2(r.onceFresh.cpuS)} | ${mb(r.onceFresh.rssMb)} |`,
        );
      }
      if (r.onceFping !== null) {
        say(
          `| ${r.hosts} | ${p} | fping ${fpingJobFor(p).join(' ')}, after each pair of once runs (${r.fpingRuns} runs) | ${s2(r.onceFping.wallS)} | ${s2(r.onceFping.cpuS)} | ${mb(r.onceFping.rssMb)} |`,
        );
      }
    }
    say('');
    say(
      'Ratios pingwarden / fping. Targets (issue 14, 10,000 hosts): steady cycle wall ≤ 1.1×, CPU ≤ 1.5×, ' +
        'daemon RSS ≤ 100 MB; `once` (resuming, as cron runs it) CPU ≤ 2×, wall ≤ 1.2× (packets 1) / 1.1× ' +
        '(packets 5). "once, no state" is the worst case (first run, or every silent host new), shown beside it. ' +
        'Steady ratios divide by the fping runs between daemon cycles, once ratios by those after each pair of once runs.',
    );
    say(
      '| hosts | packets | interval | steady wall | steady CPU | daemon peak RSS | once wall | once CPU | once, no state: wall | CPU | overran | targets |',
    );
    say('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of cycles) {
      const wall = r.steady.wallS / r.fping.wallS;
      const cpu = r.steady.cpuS / r.fping.cpuS;
      // The once runs are divided by the fping runs made between them, at nearly the same moment.
      const ref = r.onceFping ?? r.fping;
      const onceWall = r.once === null ? NaN : r.once.wallS / ref.wallS;
      const onceCpu = r.once === null ? NaN : r.once.cpuS / ref.cpuS;
      const fresh = r.onceFresh;
      const freshText =
        fresh === null ? '- | -' : `${x(fresh.wallS / ref.wallS)} | ${x(fresh.cpuS / ref.cpuS)}`;
      const onceWallLimit = r.packets === 1 ? 1.2 : 1.1;
      const met =
        wall <= 1.1 &&
        cpu <= 1.5 &&
        r.daemonPeakRssMb <= 100 &&
        !r.overran &&
        (r.once === null || (onceCpu <= 2 && onceWall <= onceWallLimit));
      say(
        `| ${r.hosts} | ${r.packets} | ${r.intervalS} s | ${x(wall)} | ${x(cpu)} | ${mb(r.daemonPeakRssMb)} | ${r.once === null ? '-' : x(onceWall)} | ${r.once === null ? '-' : x(onceCpu)} | ${freshText} | ${r.overran ? 'YES' : 'no'} | ${met ? 'met' : 'NOT met'} |`,
      );
    }
  }
  for (const r of cycles) {
    say(
      `Daemon: ${r.hosts} hosts every ${r.intervalS} s for ${r.steadyCycles + 1} cycles, longest cycle ` +
        `${s2(r.longestCycleS)}: ${r.overran ? 'OVERRAN its interval' : 'never overran'}.`,
    );
  }
  if (latencies.length > 0) {
    say('');
    say(
      `Detection latency: host silent → DOWN email accepted by the SMTP server. Interval ${LATENCY_INTERVAL_S} s, bound ${LATENCY_BOUND_S} s.`,
    );
    say('| hosts | backend | trials | median | max | bound met |');
    say('|---|---|---|---|---|---|');
    for (const r of latencies) {
      say(
        `| ${r.hosts} | ${r.backend} | ${r.latenciesS.map((l) => l.toFixed(1)).join(', ')} | ${s2(r.medianS)} | ${s2(r.maxS)} | ${r.maxS <= LATENCY_BOUND_S ? 'yes' : 'NO'} |`,
      );
    }
  }
}

process.exitCode = await main();
