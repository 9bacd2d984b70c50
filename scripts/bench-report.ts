/**
 * Benchmark of `pingwarden report`: writes one year of history for 200 hosts with 20,000 state changes
 * (plus an alive mark every 5 minutes, monthly snapshots, a few monitor restarts and power cycles) into a
 * temporary folder, then times building the report and rendering every format.
 *
 * Run: `npm run build && npx tsx scripts/bench-report.ts` (add `--keep` to keep the generated folder and
 * print its path). The last lines time the whole command in a fresh process, as a user would run it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { buildReport } from '../lib/report/build-report.js';
import { REPORT_FORMATS } from '../lib/cli/commands/report-command.js';
import { listHistoryFiles } from '../lib/store/history-files.js';
import { rebuildFromHistory } from '../lib/store/history-rebuild.js';
import type { NewHistoryRecord } from '../lib/store/history-record.js';
import { HistoryWriter } from '../lib/store/history-writer.js';

const HOSTS = 200;
const STATE_CHANGES = 20_000;
const INTERVAL_S = 300;
const START = Date.parse('2025-11-22T00:00:00Z');
const END = Date.parse('2026-11-22T00:00:00Z');
const RESTARTS = 12;

const silent = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A small deterministic PRNG (mulberry32), so every run measures the same history. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function generate(dir: string): Promise<number> {
  const next = random(42);
  const hosts = Array.from({ length: HOSTS }, (_, i) => `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`);
  const slot = INTERVAL_S * 1000;
  const cycles = Math.floor((END - START) / slot);
  // Outages per host, each a DOWN and an UP change, laid out on cycle boundaries without overlap.
  const events = new Map<number, NewHistoryRecord[]>();
  const at = (cycle: number) => new Date(START + cycle * slot).toISOString();
  const push = (cycle: number, record: NewHistoryRecord) => {
    const list = events.get(cycle) ?? [];
    list.push(record);
    events.set(cycle, list);
  };
  const outagesPerHost = STATE_CHANGES / HOSTS / 2;
  for (const host of hosts) {
    const stride = Math.floor(cycles / outagesPerHost);
    for (let o = 0; o < outagesPerHost; o++) {
      const down = o * stride + 1 + Math.floor(next() * (stride / 2));
      const up = down + 1 + Math.floor(next() * 36);
      const state = (cycle: number, to: 'UP' | 'DOWN', from: 'UP' | 'DOWN') =>
        push(cycle, {
          kind: 'state',
          at: at(cycle),
          host,
          state: to,
          from,
          attempts: to === 'UP' ? 1 : 3,
          rtt_ms: to === 'UP' ? 0.4 : null,
          interval_s: INTERVAL_S,
        });
      state(down, 'DOWN', 'UP');
      push(down, { kind: 'alert', at: at(down), host, alert: 'DOWN' });
      if (next() < 0.1) {
        push(down + 1, {
          kind: 'action',
          at: at(down + 1),
          action: 'power-cycle',
          plug: 'Modem',
          hosts: [host],
          attempt: 1,
          max: 3,
          result: 'ok',
        });
      }
      state(up, 'UP', 'DOWN');
      push(up, { kind: 'alert', at: at(up), host, alert: 'RESTORED' });
    }
  }
  const restartAt = new Set(
    Array.from({ length: RESTARTS }, (_, i) => Math.floor(((i + 0.5) * cycles) / RESTARTS)),
  );

  const writer = new HistoryWriter({ dir, log: silent });
  let batch: NewHistoryRecord[] = [];
  let month = '';
  const down = new Set<string>();
  for (let cycle = 0; cycle < cycles; cycle++) {
    const time = at(cycle);
    if (cycle === 0 || restartAt.has(cycle)) {
      // A crash: no STOP, then an hour of nothing, then START again.
      if (cycle !== 0) {
        // What happened while the monitor was away is seen at once when it comes back.
        const missed: NewHistoryRecord[] = [];
        for (let skipped = cycle; skipped < cycle + 12; skipped++)
          missed.push(...(events.get(skipped) ?? []));
        cycle += 12;
        const seen = missed.map((record) => ({ ...record, at: at(cycle) }) as NewHistoryRecord);
        events.set(cycle, [...seen, ...(events.get(cycle) ?? [])]);
      }
      batch.push({
        kind: 'start',
        at: at(cycle),
        mode: 'daemon',
        interval_s: INTERVAL_S,
        alive_s: INTERVAL_S,
        hosts: HOSTS,
        pid: 1,
      });
    }
    if (time.slice(0, 7) !== month) {
      // A batch goes to the file of its first record's month: flush before the new month's snapshot.
      if (batch.length > 0) await writer.append(batch.splice(0));
      month = time.slice(0, 7);
      const snapshot: Record<
        string,
        { state: 'UP' | 'DOWN'; since: null; last_alert_at: null; rtt_ms: null }
      > = {};
      for (const host of hosts) {
        snapshot[host] = {
          state: down.has(host) ? 'DOWN' : 'UP',
          since: null,
          last_alert_at: null,
          rtt_ms: null,
        };
      }
      batch.push({ kind: 'snapshot', at: at(cycle), hosts: snapshot });
    }
    const records = events.get(cycle) ?? [];
    for (const record of records) {
      if (record.kind === 'state') {
        if (record.state === 'DOWN') down.add(record.host);
        else down.delete(record.host);
      }
    }
    batch.push(...records);
    if (records.length === 0) batch.push({ kind: 'alive', at: at(cycle) });
    if (batch.length >= 2000 || cycle === cycles - 1) {
      await writer.append(batch);
      batch = [];
    }
  }
  await writer.close();
  let bytes = 0;
  for (const file of await listHistoryFiles(dir)) bytes += (await stat(file.path)).size;
  return bytes;
}

const root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-bench-'));
const dir = path.join(root, 'logs', 'history');
try {
  const bytes = await generate(dir);
  console.log(
    `history: ${HOSTS} hosts, ${STATE_CHANGES} state changes, one year, ${(bytes / 1e6).toFixed(1)} MB`,
  );
  const now = new Date(END);
  for (const [format, render] of Object.entries(REPORT_FORMATS)) {
    const started = performance.now();
    const report = await buildReport({ dir, log: silent, now, since: null, until: null, hosts: [] });
    const text = render(report);
    const ms = performance.now() - started;
    const outages = report.hosts.reduce((sum, host) => sum + host.outages.length, 0);
    console.log(
      `report --format ${format}: ${ms.toFixed(0)} ms (${outages} outages, ${(text.length / 1e6).toFixed(2)} MB output)`,
    );
  }
  const since = performance.now();
  await buildReport({
    dir,
    log: silent,
    now,
    since: new Date(END - 30 * 86_400_000),
    until: null,
    hosts: [],
  });
  console.log(`report --since 30d: ${(performance.now() - since).toFixed(0)} ms`);
  const rebuild = performance.now();
  const rebuilt = await rebuildFromHistory(dir, silent);
  console.log(
    `restart resume (rebuild ${rebuilt.states.size} host states): ${(performance.now() - rebuild).toFixed(0)} ms`,
  );
  // The whole command as a user runs it: a fresh process on the compiled code (`npm run build` first).
  const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'pingwarden.js');
  for (const format of ['table', 'html']) {
    const started = performance.now();
    const run = spawnSync(
      process.execPath,
      [
        cli,
        'report',
        '--logs',
        path.join(root, 'logs'),
        '--format',
        format,
        '--out',
        path.join(root, `report.${format}`),
      ],
      { stdio: 'inherit' },
    );
    console.log(
      `node bin/pingwarden.js report --format ${format} (whole process): ${(performance.now() - started).toFixed(0)} ms, exit ${run.status}`,
    );
  }
  console.log(
    `peak heap in use: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`,
  );
} finally {
  if (process.argv.includes('--keep')) console.log(`kept ${root}`);
  else await rm(root, { recursive: true, force: true });
}
