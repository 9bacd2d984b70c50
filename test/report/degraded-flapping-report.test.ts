import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';
import { parse } from 'csv-parse/sync';
import { PNG } from 'pngjs';

import { reportEmail } from '../../lib/app/report-email.js';
import { renderCsv } from '../../lib/report/render-csv.js';
import { renderHtml, TIMELINE_COLOURS } from '../../lib/report/render-html.js';
import { renderIspHtml } from '../../lib/report/render-isp.js';
import { renderJson } from '../../lib/report/render-json.js';
import { renderMarkdown } from '../../lib/report/render-markdown.js';
import { renderTable } from '../../lib/report/render-table.js';
import type { Report, SegmentKind } from '../../lib/report/report-model.js';
import { fixtureReport } from './report-fixture.js';
import { requireChromium, screenshot } from '../support/headless-chromium.js';

const HOUR = 3_600_000;
const t = (time: string) => `2026-11-01T${time}.000Z`;
const state = (time: string, host: string, to: string, from: string) => ({
  kind: 'state',
  at: t(time),
  host,
  state: to,
  from,
  attempts: 1,
  rtt_ms: null,
  interval_s: 60,
});
const start = (time: string) => ({
  kind: 'start',
  at: t(time),
  mode: 'daemon',
  interval_s: 60,
  alive_s: 300,
  hosts: 3,
  pid: 1,
});

/**
 * One day, 2026-11-01 UTC; the monitor stops cleanly at 20:00 and starts again at 22:00 (2 h unknown for all).
 * - a: UP 00-02, DEGRADED 02-05, UP 05-08, DOWN 08-09, FLAPPING 09-11, DOWN 11-11:30 (stopped flapping as
 *   DOWN), UP 11:30-24. up 2 + 3 + 8.5 + 2 = 15.5 h, degraded 3 h, down 1.5 h, flapping 2 h, unknown 2 h;
 *   availability (15.5 + 3) / (15.5 + 3 + 1.5) = 92.5 %. Two outages: 08-09 ended by flapping (no recovery),
 *   11-11:30 ended with the host answering, so the mean time to recover is 30 min.
 * - b: UP 00-12, DEGRADED from 12 on. up 12 h, degraded 8 + 2 = 10 h, unknown 2 h; availability 100 %.
 * - c: UP 00-06, FLAPPING from 06 on. up 6 h, flapping 14 + 2 = 16 h, unknown 2 h; availability 6 / 6 = 100 %.
 */
const LINES = [
  start('00:00:00'),
  state('00:00:00', 'a', 'UP', 'UNKNOWN'),
  state('00:00:00', 'b', 'UP', 'UNKNOWN'),
  state('00:00:00', 'c', 'UP', 'UNKNOWN'),
  state('02:00:00', 'a', 'DEGRADED', 'UP'),
  { kind: 'alert', at: t('02:00:00'), host: 'a', alert: 'DEGRADED' },
  state('05:00:00', 'a', 'UP', 'DEGRADED'),
  state('06:00:00', 'c', 'FLAPPING', 'UP'),
  state('08:00:00', 'a', 'DOWN', 'UP'),
  { kind: 'alert', at: t('08:00:00'), host: 'a', alert: 'DOWN' },
  state('09:00:00', 'a', 'FLAPPING', 'DOWN'),
  state('11:00:00', 'a', 'DOWN', 'FLAPPING'),
  state('11:30:00', 'a', 'UP', 'DOWN'),
  state('12:00:00', 'b', 'DEGRADED', 'UP'),
  { kind: 'stop', at: t('20:00:00') },
  start('22:00:00'),
  { kind: 'alive', at: t('23:58:00') },
];

async function report(): Promise<Report> {
  return fixtureReport({ lines: LINES });
}

describe('report: DEGRADED and FLAPPING time beside up, down and unknown', () => {
  it('sums each kind of time and applies the availability rule (degraded available, flapping neither way)', async () => {
    const built = await report();
    const hours = built.hosts.map((host) => ({
      host: host.host,
      up: host.upMs / HOUR,
      degraded: host.degradedMs / HOUR,
      down: host.downMs / HOUR,
      flapping: host.flappingMs / HOUR,
      unknown: host.unknownMs / HOUR,
      monitored: host.monitoredMs / HOUR,
      availability: host.availabilityPercent,
    }));
    expect(hours).to.deep.equal([
      {
        host: 'a',
        up: 15.5,
        degraded: 3,
        down: 1.5,
        flapping: 2,
        unknown: 2,
        monitored: 24,
        availability: 92.5,
      },
      { host: 'b', up: 12, degraded: 10, down: 0, flapping: 0, unknown: 2, monitored: 24, availability: 100 },
      { host: 'c', up: 6, degraded: 0, down: 0, flapping: 16, unknown: 2, monitored: 24, availability: 100 },
    ]);
    const a = built.hosts[0]!;
    expect(a.outages.map((o) => [o.start.toISOString(), o.end?.toISOString(), o.endedBy])).to.deep.equal([
      ['2026-11-01T08:00:00.000Z', '2026-11-01T09:00:00.000Z', 'flapping'],
      ['2026-11-01T11:00:00.000Z', '2026-11-01T11:30:00.000Z', 'up'],
    ]);
    expect(a.meanTimeToRecoverMs, 'an outage that turned into flapping did not recover').to.equal(HOUR / 2);
    expect(a.segments.map((s) => s.kind)).to.deep.equal([
      'up',
      'degraded',
      'up',
      'down',
      'flapping',
      'down',
      'up',
      'unknown',
      'up',
    ]);
  });

  it('carries exact seconds and availability in JSON and CSV', async () => {
    const built = await report();
    const json = JSON.parse(renderJson(built)) as { hosts: Record<string, unknown>[] };
    const pick = (host: Record<string, unknown>) => [
      host['host'],
      host['up_seconds'],
      host['degraded_seconds'],
      host['down_seconds'],
      host['flapping_seconds'],
      host['unknown_seconds'],
      host['availability_percent'],
    ];
    expect(json.hosts.map(pick)).to.deep.equal([
      ['a', 55_800, 10_800, 5_400, 7_200, 7_200, 92.5],
      ['b', 43_200, 36_000, 0, 0, 7_200, 100],
      ['c', 21_600, 0, 0, 57_600, 7_200, 100],
    ]);
    const endedBy = (json.hosts[0]!['outages'] as { ended_by: string }[]).map((o) => o.ended_by);
    expect(endedBy).to.deep.equal(['flapping', 'up']);

    const rows = parse(renderCsv(built).split('\n\n')[0]!, { columns: true }) as Record<string, string>[];
    expect(
      rows.map((row) => [
        row['host'],
        row['monitored_seconds'],
        row['up_seconds'],
        row['degraded_seconds'],
        row['down_seconds'],
        row['flapping_seconds'],
        row['unknown_seconds'],
        row['availability_percent'],
        row['mean_time_to_recover_seconds'],
      ]),
    ).to.deep.equal([
      ['a', '86400', '55800', '10800', '5400', '7200', '7200', '92.500', '1800'],
      ['b', '86400', '43200', '36000', '0', '0', '7200', '100.000', ''],
      ['c', '86400', '21600', '0', '0', '57600', '7200', '100.000', ''],
    ]);
  });

  it('shows degraded and flapping columns and the rule in the table, Markdown and the email body', async () => {
    const built = await report();
    const table = renderTable(built);
    const [header] = table.split('\n').filter((line) => line.startsWith('host'));
    expect(header?.split(/\s{2,}/)).to.deep.equal([
      'host',
      'monitored',
      'up',
      'degraded',
      'down',
      'flapping',
      'unknown',
      'availability',
      'outages',
      'longest outage',
      'mean time to recover',
    ]);
    expect(table).to.match(
      /^a\s+1d 0h 0m 0s\s+15h 30m 0s\s+3h 0m 0s\s+1h 30m 0s\s+2h 0m 0s\s+2h 0m 0s\s+92\.500%\s+2\s+1h 0m 0s\s+30m 0s$/m,
    );
    expect(table).to.include(
      'degraded = answering with loss or RTT over the thresholds, counted as available',
    );
    expect(table).to.include('flapping = answering and not by turns, counted neither way');
    expect(table).to.include('2026-11-01 09:00:00 ±1m 0s (flapping)');

    const markdown = renderMarkdown(built);
    expect(markdown).to.include(
      '| host | monitored | up | degraded | down | flapping | unknown | availability |',
    );
    expect(markdown).to.include(
      '| a | 1d 0h 0m 0s | 15h 30m 0s | 3h 0m 0s | 1h 30m 0s | 2h 0m 0s | 2h 0m 0s | 92.500% |',
    );
    expect(markdown).to.include(
      'Degraded time (answering, with loss or RTT over the thresholds) counts as available.',
    );

    expect(reportEmail(built).text).to.include(table.trimEnd());
  });

  it('draws degraded and flapping stretches in their own colours, with words in the legend and caption', async () => {
    const html = renderHtml(await report());
    expect(html).to.include('<rect class="degraded" x="83.33" y="0" width="125.00"');
    expect(html).to.include('<rect class="flapping" x="375.00" y="0" width="83.33"');
    expect(html).to.include('<title>flapping 2026-11-01 09:00:00 to 2026-11-01 11:00:00</title>');
    expect(html).to.include('degraded (answering with loss or delay; counts as available)');
    expect(html).to.include('flapping (answering and not by turns; counts neither way)');
    expect(html).to.include('92.500% available; down 1h 30m 0s; degraded 3h 0m 0s; flapping 2h 0m 0s');
    // Degraded and flapping get their keys in print too (colours kept by print-color-adjust).
    expect(html).to.match(/\.key\.degraded \{ background: #f0a30a; \}/);
    expect(html).to.match(/\.key\.flapping \{ background: #8e44ad; \}/);
  });

  it('gives the ISP pack degraded and flapping time, several hosts at once counted once', async () => {
    const text = renderIspHtml(await report(), { monitorName: 'adminbox' }).replace(/<[^>]+>/g, '');
    // a degraded 02-05, b degraded 12-20 and 22-24: 3 + 8 + 2 = 13 h. a flapping 09-11 inside c's 06-20.
    expect(text).to.include(
      'Time with a degraded link (answering, with loss or delay over the limits): 13h 0m 0s in the period (2 hosts).',
    );
    expect(text).to.include(
      'Time with a flapping host (answering and not by turns): 16h 0m 0s in the period (2 hosts).',
    );
    expect(text).to.include('degraded (counted as available');
  });

  it('shows the degraded and flapping stretches in a real browser, in order', async function () {
    this.timeout(90_000);
    await requireChromium(this);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-dfhtml-'));
    try {
      const htmlFile = path.join(dir, 'report.html');
      const pngFile = path.join(dir, 'report.png');
      await writeFile(htmlFile, renderHtml(await report()));
      await screenshot(htmlFile, pngFile, 1100, 1000);
      const png = PNG.sync.read(await readFile(pngFile));
      const colours = Object.entries(TIMELINE_COLOURS).map(
        ([kind, hex]) => [kind, [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))] as const,
      );
      const kindAt = (x: number, y: number) => {
        const at = (png.width * y + x) * 4;
        const found = colours.find(([, rgb]) => rgb.every((v, i) => Math.abs(png.data[at + i]! - v) <= 6));
        return (found?.[0] ?? null) as SegmentKind | null;
      };
      // Each bar's colour runs, left to right, from the first pixel row through it.
      const bars: SegmentKind[][] = [];
      let inBar = false;
      for (let y = 0; y < png.height; y++) {
        const runs: SegmentKind[] = [];
        let coloured = 0;
        for (let x = 0; x < png.width; x++) {
          const kind = kindAt(x, y);
          if (kind) coloured++;
          if (kind && runs.at(-1) !== kind) runs.push(kind);
        }
        const isBar = coloured > png.width / 3;
        if (isBar && !inBar) bars.push(runs);
        inBar = isBar;
      }
      expect(bars).to.deep.equal([
        ['up', 'degraded', 'up', 'down', 'flapping', 'down', 'up', 'unknown', 'up'],
        ['up', 'degraded', 'unknown', 'degraded'],
        ['up', 'flapping', 'unknown', 'flapping'],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
