import { access, constants } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { findExecutable } from '../../lib/probe/require-ping.js';
import { createLab, labUnavailableReason, type NetnsLab } from '../../test/support/netns-lab.js';
import { benchCycle, BENCH_ATTEMPTS, BENCH_TIMEOUT_S, type CycleResult } from './cycle-bench.js';
import { TIME_COMMAND } from './measure.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const say = (line: string) => console.log(line);

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000' },
    repeats: { type: 'string', default: '3' },
    only: { type: 'string', default: 'cycle,latency,daemon' },
  },
});

/** Why the benchmark cannot run here, or null. */
async function missingPrerequisite(): Promise<string | null> {
  const lab = await labUnavailableReason();
  if (lab !== null) return `the network lab is unavailable: ${lab}`;
  if ((await findExecutable('fping', process.env.PATH ?? '')) === null)
    return 'fping is not installed (apt-get install fping)';
  try {
    await access(TIME_COMMAND, constants.X_OK);
  } catch {
    return `${TIME_COMMAND} is missing (apt-get install time)`;
  }
  try {
    await access(path.join(repoRoot, 'dist/cli.js'));
  } catch {
    return 'dist/ is not built (npm run build)';
  }
  return null;
}

async function main(): Promise<number> {
  const problem = await missingPrerequisite();
  if (problem !== null) {
    console.error(`bench: ${problem}`);
    return 2;
  }
  const sizes = (values.sizes ?? '').split(',').map(Number);
  const repeats = Number(values.repeats);
  const only = new Set((values.only ?? '').split(','));
  if (
    sizes.some((n) => !Number.isInteger(n) || n < 10 || n > 16_000) ||
    !Number.isInteger(repeats) ||
    repeats < 1 ||
    repeats > 20
  ) {
    console.error('bench: --sizes takes host counts from 10 to 16000, --repeats 1 to 20');
    return 2;
  }

  let lab: NetnsLab | undefined;
  // Ctrl-C: exit through the 'exit' handlers, which remove the lab.
  process.once('SIGINT', () => process.exit(130));
  try {
    lab = await createLab({ largeRange: true });
    say(
      `pingwarden bench: lab ${lab.namespace}, ${BENCH_ATTEMPTS} attempts, ${BENCH_TIMEOUT_S} s timeout, 10% of hosts silent`,
    );
    if (only.has('cycle')) {
      const results: CycleResult[] = [];
      for (const count of sizes) results.push(await benchCycle(lab, count, repeats, repoRoot, say));
      printCycleTable(results);
    }
  } finally {
    await lab?.destroy();
  }
  return 0;
}

function printCycleTable(results: readonly CycleResult[]): void {
  say('');
  say(
    `One cycle, medians of ${results[0]?.repeats ?? 0} runs (pingwarden = a whole \`pingwarden once\` process, start-up included)`,
  );
  say('| hosts | method | wall | CPU | peak RSS |');
  say('|---|---|---|---|---|');
  for (const r of results) {
    const row = (name: string, s: { wallS: number; cpuS: number; rssMb: number }) =>
      say(
        `| ${r.hosts} | ${name} | ${s.wallS.toFixed(2)} s | ${s.cpuS.toFixed(2)} s | ${s.rssMb.toFixed(0)} MB |`,
      );
    row('pingwarden (fping backend)', r.pingwarden);
    row(`fping -B 1 -r ${BENCH_ATTEMPTS - 1} (same job)`, r.fping);
    row(`fping -r ${BENCH_ATTEMPTS - 1} (issue's flags)`, r.fpingIssue);
  }
  say('');
  say(
    '| hosts | wall ratio | CPU ratio | RSS | targets (10,000 hosts): wall ≤ 1.2×, CPU ≤ 3×, RSS ≤ 150 MB |',
  );
  say('|---|---|---|---|---|');
  for (const r of results) {
    const wall = r.pingwarden.wallS / r.fping.wallS;
    const cpu = r.pingwarden.cpuS / r.fping.cpuS;
    const ok = wall <= 1.2 && cpu <= 3 && r.pingwarden.rssMb <= 150;
    say(
      `| ${r.hosts} | ${wall.toFixed(2)}× | ${cpu.toFixed(2)}× | ${r.pingwarden.rssMb.toFixed(0)} MB | ${r.hosts >= 10_000 ? (ok ? 'met' : 'NOT met') : ok ? '(met)' : '(not met)'} |`,
    );
  }
}

process.exitCode = await main();
