/**
 * Status page budget for 1,000 hosts: page weight (≤ 300 KB) and render time in headless Debian Chromium
 * (≤ 1 s), printed as ratios to the budgets. Run: `npx tsx scripts/bench/status-page-bench.ts [hosts]`.
 * The page is served by the real HttpServer on 127.0.0.1 from a board fed 90 cycles with some outages.
 */
import os from 'node:os';
import { gzipSync } from 'node:zlib';

import type { Config } from '../../lib/config/types.js';
import type { Target } from '../../lib/config/target.js';
import type { HostState, HostStatus } from '../../lib/monitor/host-state.js';
import type { CycleReport } from '../../lib/monitor/monitor-loop.js';
import { systemClock } from '../../lib/shared/clock.js';
import { HttpServer } from '../../lib/server/http/http-server.js';
import { PingwardenMetrics } from '../../lib/server/http/metrics.js';
import { StatusBoard } from '../../lib/server/status/status-board.js';
import { AvailabilityBook } from '../../lib/server/status/availability-book.js';
import { StatusRoutes } from '../../lib/server/status/status-routes.js';
import { launchChromium } from '../../test/support/headless-chromium.js';

const HOSTS = Number(process.argv[2] ?? 1000);
const WEIGHT_BUDGET = 300 * 1024;
const RENDER_BUDGET_MS = 1000;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

const targets: Target[] = Array.from({ length: HOSTS }, (_, i) => ({
  id: `10.${Math.floor(i / 250)}.${i % 250}.1`,
  label: {
    host: `10.${Math.floor(i / 250)}.${i % 250}.1`,
    description: `Switch ${i} (Cisco 2960X)`,
    location: `Bldg ${i % 12} IDF ${i % 5}`,
  },
  check: { kind: 'icmp' },
  parent: null,
  cyclePlug: null,
  lamp: null,
  line: i + 1,
}));
// Availability on every row, as the daemon shows it.
const availability = new AvailabilityBook();
const board = new StatusBoard((id) => availability.forId(id));
const start = Date.parse('2026-03-01T00:00:00Z');
for (let c = 0; c < 90; c++) {
  const states = new Map<string, HostState>();
  targets.forEach((t, i) => {
    const status: HostStatus = i % 50 === 0 && c > 80 ? 'DOWN' : i % 97 === 0 && c % 7 === 0 ? 'DOWN' : 'UP';
    states.set(t.id, { status, since: new Date(start), lastAlertAt: null, lastRttMs: 1 + (i % 30) / 10 });
  });
  const report = {
    at: new Date(start + c * 60_000),
    config: { targets, settings: { intervalSeconds: 60 } } as unknown as Config,
    results: [],
    changes: [],
    removed: [],
    alerts: [],
    states,
    summary: {},
  } as unknown as CycleReport;
  availability.cycleFinished(report);
  board.cycleFinished(report);
}
// What a page view costs the daemon for availability: the book computes every host's three numbers once
// per cycle (here: a fresh cycle's first ask), never reading the history per request.
const bookRuns: number[] = [];
for (let run = 0; run < 5; run++) {
  availability.cycleFinished({
    at: new Date(start + (90 + run) * 60_000),
    config: { targets, settings: { intervalSeconds: 60 } } as unknown as Config,
    results: [],
    changes: [],
    removed: [],
    alerts: [],
    states: new Map(
      targets.map((t) => [t.id, { status: 'UP', since: new Date(start), lastAlertAt: null, lastRttMs: 1 }]),
    ),
    summary: {},
  } as unknown as CycleReport);
  const b0 = performance.now();
  for (const t of targets) availability.forId(t.id);
  bookRuns.push(performance.now() - b0);
}
bookRuns.sort((a, b) => a - b);
const server = new HttpServer(
  {
    listen: '127.0.0.1',
    port: 0,
    token: '',
    maxConcurrentProbes: 1,
    maxQueuedProbes: 1,
    rateLimitPerMinute: 0,
  },
  {
    prober: { probe: () => Promise.reject(new Error('unused')) },
    metrics: new PingwardenMetrics({ defaultMetrics: false }),
    clock: systemClock,
    log: silent,
    status: new StatusRoutes({
      board,
      clock: systemClock,
      title: () => 'bench',
      refreshSeconds: () => 60,
    }),
  },
);
const { port } = await server.start();
const url = `http://127.0.0.1:${port}/`;
const html = Buffer.from(await (await fetch(url)).text());
const chromium = await launchChromium();
const { browser } = chromium;
const times: number[] = [];
for (let run = 0; run < 5; run++) {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const t0 = performance.now();
  await page.goto(url, { waitUntil: 'load' });
  // A frame painted after layout: what the user sees.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  times.push(performance.now() - t0);
  await page.close();
}
await chromium.close();
await server.stop();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] as number;
const load = os
  .loadavg()
  .map((l) => l.toFixed(2))
  .join(' ');
console.log(`hosts=${HOSTS} loadavg=${load}`);
console.log(
  `page weight ${(html.length / 1024).toFixed(1)} KB (gzip ${(gzipSync(html).length / 1024).toFixed(1)} KB), budget 300 KB: ratio ${(html.length / WEIGHT_BUDGET).toFixed(2)}`,
);
console.log(
  `availability of ${HOSTS} hosts (24h/7d/30d) per cycle: median ${bookRuns[2]!.toFixed(2)} ms [${bookRuns.map((t) => t.toFixed(2)).join(', ')}]`,
);
console.log(
  `render (goto→load→2 frames) median of 5 ${median.toFixed(0)} ms [${times.map((t) => t.toFixed(0)).join(', ')}], budget 1000 ms: ratio ${(median / RENDER_BUDGET_MS).toFixed(2)}`,
);
