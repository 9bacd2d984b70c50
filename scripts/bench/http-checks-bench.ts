/**
 * 1,000 HTTP checks against a local server in one cycle: wall time and CPU of the checks (the server runs in
 * a child process, so its CPU is not counted), beside fping probing 1,000 loopback addresses in the same run
 * (`fping -r 0 -t 1000`, one request each) for context. Not a test: `npx tsx scripts/bench/http-checks-bench.ts
 * [--checks 1000] [--concurrency 64] [--repeats 3]`. The target: <= 2 s wall and <= 1 s CPU per cycle.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access } from 'node:fs/promises';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { parseHosts } from '../../lib/config/parse-hosts.js';
import type { TargetOf } from '../../lib/config/target.js';
import { CheckPool } from '../../lib/probe/check-pool.js';
import { HttpProber } from '../../lib/probe/http/http-prober.js';
import { systemClock } from '../../lib/shared/clock.js';
import { measure, TIME_COMMAND } from './measure.js';

const argument = (name: string, fallback: number): number => {
  const index = process.argv.indexOf(`--${name}`);
  return index < 0 ? fallback : Number(process.argv[index + 1]);
};
const checks = argument('checks', 1000);
const concurrency = argument('concurrency', 64);
const repeats = argument('repeats', 3);

const SERVER = `
  const http = require('node:http');
  const server = http.createServer((q, r) => r.end('<h1>Welcome</h1>'));
  server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

async function main(): Promise<void> {
  const server = spawn(process.execPath, ['-e', SERVER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(server.stdout, 'data')) as [Buffer];
  const port = Number(chunk.toString().trim());
  const rows = Array.from(
    { length: checks },
    (_, i) => `http://127.0.0.1:${port}/page/${i},Bench,,keyword:Welcome`,
  );
  const { targets, errors } = parseHosts(rows.join('\n'), 'bench/hosts.csv');
  if (errors.length > 0) throw new Error(errors[0]!.message);
  const prober = new HttpProber({ clock: systemClock, pool: new CheckPool(concurrency) });
  const options = { attempts: 1, timeoutSeconds: 2 };
  await prober.probe(targets.slice(0, 50) as TargetOf<'http'>[], options); // warm-up

  const runs: { wallS: number; cpuS: number; up: number }[] = [];
  for (let run = 0; run < repeats; run += 1) {
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const results = await prober.probe(targets as TargetOf<'http'>[], options);
    const wallS = Number(process.hrtime.bigint() - start) / 1e9;
    const used = process.cpuUsage(cpu);
    runs.push({ wallS, cpuS: (used.user + used.system) / 1e6, up: results.filter((r) => r.alive).length });
  }
  server.kill();

  const fping = await fpingRun(checks);
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const wall = median(runs.map((r) => r.wallS));
  const cpu = median(runs.map((r) => r.cpuS));
  console.log(
    `load average: ${os
      .loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')} (${os.cpus().length} CPUs)`,
  );
  console.log(`| checks | method | wall | CPU |`);
  console.log(`|---|---|---|---|`);
  console.log(
    `| ${checks} | pingwarden http checks (max_concurrent_checks ${concurrency}), median of ${repeats}, ${runs.at(-1)!.up} UP | ${wall.toFixed(3)} s | ${cpu.toFixed(3)} s |`,
  );
  if (fping === null) console.log('| - | fping: not installed or GNU time missing, no ratio | | |');
  else {
    console.log(
      `| ${checks} | fping -r 0 -t 1000, loopback addresses | ${fping.wallS.toFixed(3)} s | ${fping.cpuS.toFixed(3)} s |`,
    );
    console.log(
      `ratio pingwarden/fping: wall ${(wall / fping.wallS).toFixed(2)}x, CPU ${(cpu / Math.max(fping.cpuS, 0.01)).toFixed(2)}x`,
    );
  }
  console.log(
    `target: wall <= 2 s ${wall <= 2 ? 'met' : 'MISSED'}, CPU <= 1 s ${cpu <= 1 ? 'met' : 'MISSED'}`,
  );
}

async function fpingRun(count: number): Promise<{ wallS: number; cpuS: number } | null> {
  try {
    await access(TIME_COMMAND);
    await access('/usr/bin/fping');
  } catch {
    return null;
  }
  const list = path.join(os.tmpdir(), `pingwarden-bench-http-${process.pid}.txt`);
  const hosts = Array.from({ length: count }, (_, i) => `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`);
  await writeFile(list, `${hosts.join('\n')}\n`);
  const result = await measure('/usr/bin/fping', ['-r', '0', '-t', '1000', '-i', '1', '-q'], {
    stdinFile: list,
    timeoutMs: 60_000,
  });
  return { wallS: result.wallS, cpuS: result.cpuS };
}

await main();
