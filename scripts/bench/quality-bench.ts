/**
 * Benchmark of the link quality series (issue 14):
 * 1. disk: bytes per host per day at a 300 s interval (budget 2 KB), from three simulated days of 1,000
 *    hosts with a realistic mix (LAN hosts under 2 ms, internet hosts 10-80 ms with jitter, 10 % silent);
 * 2. CPU: what recording a cycle costs for 10,000 hosts (an ordinary cycle, and one that writes an hour's
 *    rollup), as a share of `fping -C 5` doing that cycle's probing over 10,000 lab hosts in the same run
 *    (the daemon's cycle costs at least fping's, so this share bounds the share of a cycle; budget 5 %);
 * 3. the report: `--since 1y` over 1,000 hosts with a year of rollups and two raw days (budget 3 s).
 *
 * Run as root for part 2 (the network lab): `npx tsx scripts/bench/quality-bench.ts [--only disk,cpu,report]`.
 * Without the lab,
 * part 2 prints the recorder's CPU without the fping ratio.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { DEFAULT_SETTINGS } from '../../lib/config/settings-table.js';
import type { Config } from '../../lib/config/types.js';
import type { CycleReport } from '../../lib/monitor/monitor-loop.js';
import type { ProbeResult } from '../../lib/probe/pinger.js';
import { buildReport } from '../../lib/report/build-report.js';
import { renderHtml } from '../../lib/report/render-html.js';
import { renderJson } from '../../lib/report/render-json.js';
import type { NewHistoryRecord } from '../../lib/store/history-record.js';
import { HistoryWriter } from '../../lib/store/history-writer.js';
import { QualityAggregate } from '../../lib/store/quality/quality-aggregate.js';
import { encodeCycle, encodeRollup } from '../../lib/store/quality/quality-codec.js';
import { QualityFileWriter } from '../../lib/store/quality/quality-file-writer.js';
import { DAY_MS, HOUR_MS, qualityFileFor } from '../../lib/store/quality/quality-files.js';
import { QualityRecorder } from '../../lib/store/quality/quality-recorder.js';
import { createLab, labUnavailableReason } from '../../test/support/netns-lab.js';
import { benchHosts, writeTargetList } from './bench-lab.js';
import { measure } from './measure.js';

const say = (line: string) => console.log(line);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const INTERVAL_MS = 300_000;
const DAY0 = Date.parse('2026-11-01T00:00:00Z');

/** A small deterministic PRNG (mulberry32), so every run measures the same series. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One cycle's results: host i is silent (every tenth), on the LAN (60 %) or across the internet. */
function results(count: number, next: () => number): ProbeResult[] {
  const out: ProbeResult[] = [];
  for (let i = 0; i < count; i++) {
    const host = `198.18.${i >> 8}.${i & 255}`;
    let quality;
    if (i % 10 === 9) quality = { sent: 5, received: 0, minMs: null, avgMs: null, maxMs: null, mdevMs: null };
    else {
      const base = i % 10 < 6 ? 0.2 + (i % 7) * 0.25 : 10 + (i % 8) * 10;
      const jitter = base * 0.3;
      const min = base + next() * jitter * 0.2;
      const avg = min + next() * jitter * 0.5;
      const max = avg + next() * jitter;
      const received = next() < 0.02 ? 4 : 5;
      quality = { sent: 5, received, minMs: min, avgMs: avg, maxMs: max, mdevMs: null };
    }
    out.push({
      host,
      alive: quality.received > 0,
      attempts: 5,
      rttMs: quality.avgMs,
      startedAt: new Date(0),
      quality,
    });
  }
  return out;
}

function report(at: number, list: readonly ProbeResult[]): CycleReport {
  const config = { settings: DEFAULT_SETTINGS, targets: [] } as unknown as Config;
  return {
    at: new Date(at),
    config,
    results: list,
    changes: [],
    removed: [],
    alerts: [],
    states: new Map(),
    summary: {} as CycleReport['summary'],
  };
}

async function disk(): Promise<void> {
  const hosts = 1000;
  const root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-qbench-'));
  try {
    const dir = path.join(root, 'quality');
    const recorder = new QualityRecorder({ dir, log: silent });
    const next = random(7);
    // Three days and the first cycle of the fourth, so day 2's rollups are all written.
    for (let at = DAY0; at <= DAY0 + 3 * DAY_MS; at += INTERVAL_MS)
      await recorder.cycleFinished(report(at, results(hosts, next)));
    await recorder.stop();
    const size = async (name: string) => (await stat(path.join(dir, name))).size;
    const raw = await size('raw-2026-11-02.pwq');
    const files = await readdir(dir);
    const hourly = await size('hourly-2026-11-02.pwq');
    // Days 1 to 3 are rolled up by then: a third of the month's file is one day.
    const daily = (await size(files.find((f) => f.startsWith('daily-'))!)) / 3;
    const perDay = (raw + hourly + daily) / hosts;
    say(`disk, ${hosts} hosts, 300 s interval (10 % silent, 60 % LAN, 30 % internet with jitter):`);
    say(
      `  raw ${(raw / hosts).toFixed(0)} B/host/day, hourly ${(hourly / hosts).toFixed(0)}, daily ${(daily / hosts).toFixed(0)}`,
    );
    say(
      `  written per host per day: ${perDay.toFixed(0)} B = ${(perDay / 2048).toFixed(2)}x the 2 KB budget`,
    );
    const kept = (2 * raw + 400 * hourly + 5 * 365 * daily) / hosts;
    say(
      `  on disk per host when full (2 raw days, 400 hourly days, 5 daily years): ${(kept / 1024).toFixed(0)} KB`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function cpu(): Promise<void> {
  const hosts = 10_000;
  const root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-qbench-'));
  try {
    const recorder = new QualityRecorder({ dir: path.join(root, 'quality'), log: silent });
    const next = random(9);
    const cycles: ProbeResult[][] = Array.from({ length: 4 }, () => results(hosts, next));
    const plain: number[] = [];
    const rollup: number[] = [];
    // 36 cycles: three hours, so three of them write an hour's rollup.
    for (let i = 0; i < 36; i++) {
      const at = DAY0 + 23 * HOUR_MS + i * INTERVAL_MS - 2 * HOUR_MS;
      const start = process.cpuUsage();
      await recorder.cycleFinished(report(at, cycles[i % cycles.length]!));
      const used = process.cpuUsage(start);
      (at % HOUR_MS === 0 && i > 0 ? rollup : plain).push((used.user + used.system) / 1e6);
    }
    await recorder.stop();
    // A cron run (`once`) is a fresh process: it reads back the raw cycles of the hour in progress (and
    // scans the day's raw file) before recording its own. Worst case: the day's last cycle, a full raw file.
    const dayDir = path.join(root, 'day');
    const day = new QualityRecorder({ dir: dayDir, log: silent });
    for (let i = 0; i < 287; i++)
      await day.cycleFinished(report(DAY0 + i * INTERVAL_MS, cycles[i % cycles.length]!));
    await day.stop();
    const rawBytes = (await stat(path.join(dayDir, 'raw-2026-11-01.pwq'))).size;
    const fresh = new QualityRecorder({ dir: dayDir, log: silent });
    const onceStart = process.cpuUsage();
    await fresh.cycleFinished(report(DAY0 + 287 * INTERVAL_MS, cycles[0]!));
    const onceUsed = process.cpuUsage(onceStart);
    await fresh.stop();
    const onceS = (onceUsed.user + onceUsed.system) / 1e6;
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
    const cycleS = median(plain.slice(1));
    const rollupS = median(rollup);
    say(
      `CPU, ${hosts} hosts: recording a cycle ${(cycleS * 1000).toFixed(1)} ms, a cycle that writes an hour's rollup ${(rollupS * 1000).toFixed(1)} ms`,
    );
    say(
      `  a cron run's share at 23:55 (reads back a ${(rawBytes / 1e6).toFixed(1)} MB raw day): ${(onceS * 1000).toFixed(1)} ms`,
    );
    const reason = await labUnavailableReason();
    if (reason !== null) {
      say(`  no fping ratio: ${reason}`);
      return;
    }
    let lab;
    try {
      lab = await createLab({ largeRange: true });
    } catch (error) {
      say(`  no fping ratio: ${(error as Error).message}`);
      return;
    }
    try {
      const { hosts: list } = benchHosts(lab, hosts);
      const targets = await writeTargetList(root, list);
      const fping = await measure(
        'fping',
        ['-q', '-C', '5', '-p', '200', '-t', '1000', '-i', '1', '-B', '1'],
        {
          stdinFile: targets,
          timeoutMs: 300_000,
        },
      );
      // A cycle's mean cost: 11 ordinary cycles and one with a rollup per hour.
      const meanS = (11 * cycleS + rollupS) / 12;
      say(
        `  fping -C 5 -p 200 over ${hosts} lab hosts: ${fping.cpuS.toFixed(2)} s CPU, ${fping.wallS.toFixed(2)} s wall`,
      );
      say(
        `  recording / fping CPU: ordinary cycle ${((cycleS / fping.cpuS) * 100).toFixed(1)} %, rollup cycle ${((rollupS / fping.cpuS) * 100).toFixed(1)} %, hourly mean ${((meanS / fping.cpuS) * 100).toFixed(1)} % (budget 5 %)`,
      );
    } finally {
      await lab.destroy();
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

async function yearReport(): Promise<void> {
  const hosts = Array.from({ length: 1000 }, (_, i) => `198.18.${i >> 8}.${i & 255}`);
  const root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-qbench-'));
  try {
    // Today (UTC midnight), so that the CLI run below, whose `--since 1y` counts back from the real clock,
    // reads the same year.
    const now = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    const since = now - 365 * DAY_MS;
    const history = new HistoryWriter({ dir: path.join(root, 'history'), log: silent });
    const startAt = new Date(since).toISOString();
    const records: NewHistoryRecord[] = [
      {
        kind: 'start',
        at: startAt,
        mode: 'daemon',
        interval_s: 300,
        alive_s: 86400,
        hosts: hosts.length,
        pid: 1,
      },
      { kind: 'snapshot', at: startAt, hosts: {} },
      ...hosts.map((host): NewHistoryRecord => ({
        kind: 'state',
        at: startAt,
        host,
        state: 'UP',
        from: 'UNKNOWN',
        attempts: 1,
        rtt_ms: 1,
        interval_s: 300,
      })),
    ];
    await history.append(records);
    for (let at = since; at < now; at += DAY_MS)
      await history.append([{ kind: 'alive', at: new Date(at).toISOString() }]);
    await history.close();

    const dir = path.join(root, 'quality');
    const writer = new QualityFileWriter({ dir, log: silent });
    const next = random(11);
    const aggregate = (cycles: number) => {
      const list = results(hosts.length, next);
      return list.map((r) => {
        const agg = new QualityAggregate();
        for (let i = 0; i < cycles; i++) agg.addSample(r.quality!);
        return agg;
      });
    };
    const dayAggs = aggregate(288);
    const hourAggs = aggregate(12);
    for (let at = since - DAY_MS; at < now - 2 * DAY_MS; at += DAY_MS) {
      await writer.append(qualityFileFor(dir, 'daily', at), hosts, (id) => encodeRollup(at, id, dayAggs));
    }
    for (let at = now - 35 * DAY_MS; at < now - 2 * DAY_MS; at += HOUR_MS) {
      // 35 days of hourly files stand for the 400: a year's report reads only the partial days' hours.
      await writer.append(qualityFileFor(dir, 'hourly', at), hosts, (id) => encodeRollup(at, id, hourAggs));
    }
    for (let at = now - 2 * DAY_MS; at < now; at += INTERVAL_MS) {
      const list = results(hosts.length, next);
      await writer.append(qualityFileFor(dir, 'raw', at), hosts, (id) =>
        encodeCycle(
          at,
          id,
          list.map((r) => r.quality!),
        ),
      );
    }
    await writer.close();

    const t0 = process.hrtime.bigint();
    const built = await buildReport({
      dir: path.join(root, 'history'),
      log: silent,
      now: new Date(now),
      since: new Date(since),
      until: null,
      hosts: [],
      qualityDir: dir,
      graphColumns: 300,
    });
    const t1 = process.hrtime.bigint();
    const html = renderHtml(built);
    const json = renderJson(built);
    const t2 = process.hrtime.bigint();
    const s = (a: bigint, b: bigint) => Number(b - a) / 1e9;
    const measured = built.hosts.filter((h) => h.quality !== null).length;
    say(
      `report --since 1y, ${hosts.length} hosts (${measured} with quality), a year of daily rollups, hourly edges, 2 raw days:`,
    );
    say(
      `  build ${s(t0, t1).toFixed(2)} s, render html (${(html.length / 1e6).toFixed(1)} MB) + json (${(json.length / 1e6).toFixed(1)} MB) ${s(t1, t2).toFixed(2)} s, total ${s(t0, t2).toFixed(2)} s = ${(s(t0, t2) / 3).toFixed(2)}x the 3 s budget`,
    );
    // As a user runs it: a fresh process, config and all (the config folder is missing: hosts without labels).
    try {
      await stat(path.join(repoRoot, 'dist'));
    } catch {
      say('  no dist/ (npm run build): the command-line run is left out');
      return;
    }
    const run = await measure(
      process.execPath,
      [
        path.join(repoRoot, 'bin', 'pingwarden.js'),
        'report',
        '--since',
        '1y',
        '--format',
        'html',
        '--logs',
        root,
        '--config',
        path.join(root, 'config'),
        '--out',
        path.join(root, 'report.html'),
      ],
      { timeoutMs: 120_000 },
    );
    say(
      `  \`pingwarden report --since 1y --format html\` as a process: ${run.wallS.toFixed(2)} s wall ` +
        `(${(run.wallS / 3).toFixed(2)}x the 3 s budget), ${run.cpuS.toFixed(2)} s CPU, ${run.rssMb.toFixed(0)} MB, exit ${run.code}`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

say(
  `quality bench on ${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
// `--only disk,cpu,report` runs some parts.
const onlyArg = process.argv.indexOf('--only');
const only = new Set((onlyArg > 0 ? process.argv[onlyArg + 1]! : 'disk,cpu,report').split(','));
if (only.has('disk')) await disk();
if (only.has('cpu')) await cpu();
if (only.has('report')) await yearReport();
