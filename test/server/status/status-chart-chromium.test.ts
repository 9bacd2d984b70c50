import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PNG } from 'pngjs';
import type { Browser } from 'puppeteer-core';

import { qualitySource } from '../../../lib/app/build-listeners.js';
import { HttpServer } from '../../../lib/server/http/http-server.js';
import { PingwardenMetrics } from '../../../lib/server/http/metrics.js';
import { StatusBoard } from '../../../lib/server/status/status-board.js';
import { UPLOT_SCRIPT_PATH, UPLOT_STYLE_PATH } from '../../../lib/server/status/status-assets.js';
import { StatusRoutes } from '../../../lib/server/status/status-routes.js';
import { QualityRecorder } from '../../../lib/store/quality/quality-recorder.js';
import type { Config } from '../../../lib/config/types.js';
import type { CycleReport } from '../../../lib/monitor/monitor-loop.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { testTarget } from '../../fakes/fake-config.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { launchChromium, requireChromium } from '../../support/headless-chromium.js';
import { at, cycleReport, measured } from '../../store/quality/quality-fixture.js';

const HOST = '198.18.0.5';
// RTT_COLOUR in lib/server/status/latency-chart.ts: the median line.
const RTT_RGB = [0x31, 0x82, 0xce] as const;
const CYCLES = 120;

function countNear(png: PNG, [r, g, b]: readonly [number, number, number]): number {
  let n = 0;
  for (let i = 0; i < png.data.length; i += 4)
    if (
      png.data[i + 3]! > 200 &&
      Math.abs(png.data[i]! - r) < 24 &&
      Math.abs(png.data[i + 1]! - g) < 24 &&
      Math.abs(png.data[i + 2]! - b) < 24
    )
      n++;
  return n;
}

describe('host page chart: uPlot served by the daemon, drawn from a real quality series in Chromium', function () {
  this.timeout(90_000);
  let dir = '';
  let server: HttpServer | undefined;
  let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
  let browser: Browser | undefined;
  let base = '';

  before(async function () {
    await requireChromium(this);
    dir = await mkdtemp(path.join(os.tmpdir(), 'pw-chart-'));
    const log = new FakeLog();
    // One day of cycles every 12 minutes, written by the store's own recorder: RTT rising 10 → 21.9 ms,
    // min 2 ms below and max 5 ms above it, and one lost packet of 5 in every tenth cycle.
    const recorder = new QualityRecorder({ dir, log });
    for (let i = 0; i < CYCLES; i++) {
      const time = new Date(at('00:06').getTime() + i * 12 * 60_000);
      const avg = 10 + i / 10;
      await recorder.cycleFinished(
        cycleReport(time, [measured(HOST, 5, i % 10 === 0 ? 4 : 5, avg - 2, avg, avg + 5)]),
      );
    }
    await recorder.stop();
    const clock = new FakeClock(at('00:00', 1));
    const board = new StatusBoard();
    board.cycleFinished({
      at: clock.now(),
      config: { targets: [testTarget(HOST, { description: 'Uplink' })] } as unknown as Config,
      results: [],
      changes: [],
      removed: [],
      alerts: [],
      states: new Map([[HOST, { status: 'UP', since: clock.now(), lastAlertAt: null, lastRttMs: 20 }]]),
      summary: {},
    } as unknown as CycleReport);
    server = new HttpServer(
      {
        listen: '127.0.0.1',
        port: 0,
        token: '',
        maxConcurrentProbes: 1,
        maxQueuedProbes: 1,
        rateLimitPerMinute: 0,
      },
      {
        prober: { probe: () => Promise.reject(new Error('no probes here')) },
        metrics: new PingwardenMetrics({ defaultMetrics: false }),
        clock,
        log,
        status: new StatusRoutes({
          board,
          clock,
          title: () => 'Chart test',
          refreshSeconds: () => 300,
          quality: qualitySource(dir, clock, log),
        }),
      },
    );
    base = `http://127.0.0.1:${(await server.start()).port}`;
    chromium = await launchChromium();
    browser = chromium.browser;
  });

  after(async () => {
    await chromium?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('serves uPlot from its own path, gzipped when asked, never from a CDN', async () => {
    const script = await fetch(`${base}${UPLOT_SCRIPT_PATH}`);
    expect(script.status).to.equal(200);
    expect(script.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    // fetch asks for gzip by default; the file is sent gzipped (and fetch unpacks it).
    expect(script.headers.get('content-encoding')).to.equal('gzip');
    expect(await script.text()).to.include('uPlot');
    const style = await fetch(`${base}${UPLOT_STYLE_PATH}`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(style.headers.get('content-type')).to.equal('text/css; charset=utf-8');
    expect(style.headers.get('content-encoding')).to.equal(null);
    expect(await style.text()).to.include('.uplot');
    const html = await (await fetch(`${base}/host/${HOST}`)).text();
    expect(html).to.include(`<script src=${UPLOT_SCRIPT_PATH}></script>`);
    expect(html).to.include('Latency and loss (last 24 h, quality series)');
    expect(html).not.to.match(/(src|href)="?https?:/);
    expect((await fetch(`${base}/assets/nothing.js`)).status).to.equal(404);
  });

  it('draws the chart with uPlot: median, min, max and loss series, one point per column, pixels on the canvas', async () => {
    const page = await browser!.newPage();
    const external: string[] = [];
    const errors: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base)) external.push(request.url());
    });
    page.on('pageerror', (error) => errors.push(String(error)));
    // The page says times are UTC: the chart must not show the browser's own zone.
    await page.emulateTimezone('America/New_York');
    await page.setViewport({ width: 800, height: 900 });
    await page.goto(`${base}/host/${HOST}`, { waitUntil: 'load' });
    await page.waitForFunction('window.pwChart !== undefined', { timeout: 10_000, polling: 50 });
    const chart = (await page.evaluate(`(() => {
      const u = window.pwChart;
      return {
        series: u.series.map((s) => s.label ?? null),
        points: u.data[0].length,
        median: u.data[1],
        loss: u.data[4],
        svg: document.querySelectorAll('#chart svg').length,
        canvas: document.querySelectorAll('#chart canvas').length,
      };
    })()`)) as {
      series: (string | null)[];
      points: number;
      median: (number | null)[];
      loss: (number | null)[];
      svg: number;
      canvas: number;
    };
    expect(chart.series.slice(1)).to.deep.equal(['median ms', 'min ms', 'max ms', 'loss %']);
    // 120 columns over 24 h and one cycle every 12 minutes: a point per cycle.
    expect(chart.points).to.equal(CYCLES);
    expect(chart.median[0]).to.be.closeTo(10, 0.01);
    expect(chart.median[CYCLES - 1]).to.be.closeTo(21.9, 0.01);
    expect(chart.loss.filter((l) => l === 20)).to.have.length(CYCLES / 10);
    // uPlot replaced the server-drawn SVG with its canvas.
    expect(chart.svg).to.equal(0);
    expect(chart.canvas).to.equal(1);
    const firstTime = await page.evaluate(`(() => {
      const u = window.pwChart;
      u.setCursor({ left: u.valToPos(u.data[0][0], 'x'), top: 10 });
      return document.querySelector('.u-legend .u-series .u-value').textContent;
    })()`);
    // The first cycle, 2026-11-01 00:06 UTC (20:06 the day before in New York).
    expect(firstTime).to.match(/^2026-11-01 12:06\s?am$/);
    const dataUrl = (await page.evaluate(
      "document.querySelector('#chart canvas').toDataURL('image/png')",
    )) as string;
    const png = PNG.sync.read(Buffer.from(dataUrl.split(',')[1]!, 'base64'));
    expect(countNear(png, RTT_RGB), 'median-line pixels on the canvas').to.be.greaterThan(200);
    expect(errors).to.deep.equal([]);
    expect(external).to.deep.equal([]);
    await page.close();
  });

  it('on a phone (375 px) the chart fits without horizontal scroll, and follows a wider window', async () => {
    const page = await browser!.newPage();
    await page.setViewport({ width: 375, height: 800 });
    await page.goto(`${base}/host/${HOST}`, { waitUntil: 'load' });
    await page.waitForFunction('window.pwChart !== undefined', { timeout: 10_000, polling: 50 });
    const widths = (await page.evaluate(
      '[document.documentElement.scrollWidth, window.innerWidth, window.pwChart.width]',
    )) as number[];
    expect(widths[0]).to.be.at.most(widths[1]!);
    expect(widths[2]).to.be.at.most(widths[1]!);
    await page.setViewport({ width: 1000, height: 800 });
    await page.waitForFunction('window.pwChart.width > 800', { timeout: 10_000, polling: 50 });
    await page.close();
  });

  it('with JS off the page keeps the server-drawn SVG chart', async () => {
    const page = await browser!.newPage();
    await page.setJavaScriptEnabled(false);
    await page.goto(`${base}/host/${HOST}`, { waitUntil: 'load' });
    const found = (await page.$$eval('#chart svg polyline', (els) => els.length)) as number;
    expect(found).to.be.greaterThan(0);
    expect(await page.$$eval('#chart canvas', (els) => els.length)).to.equal(0);
    await page.close();
  });

  it('the overview page refreshes itself only with JS off (with JS, events keep it current)', async () => {
    const refreshes = async (javaScript: boolean) => {
      const page = await browser!.newPage();
      await page.setJavaScriptEnabled(javaScript);
      await page.goto(`${base}/`, { waitUntil: 'load' });
      const found = (await page.$$eval('meta[http-equiv=refresh]', (els) =>
        els.map((el) => el.getAttribute('content')),
      )) as (string | null)[];
      await page.close();
      return found;
    };
    expect(await refreshes(false)).to.deep.equal(['300']);
    expect(await refreshes(true)).to.deep.equal([]);
  });
});
