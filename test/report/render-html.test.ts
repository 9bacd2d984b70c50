import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';

import { renderHtml, TIMELINE_COLOURS, timelineAxisLabels } from '../../lib/report/render-html.js';
import type { SegmentKind } from '../../lib/report/report-model.js';
import { requireChromium, screenshot } from '../support/headless-chromium.js';
import { fixtureReport } from './report-fixture.js';

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** Which timeline colour a pixel is, allowing for a little colour management. */
function kindOf(png: PNG, x: number, y: number): SegmentKind | null {
  const at = (png.width * y + x) * 4;
  for (const [kind, hex] of Object.entries(TIMELINE_COLOURS) as [SegmentKind, string][]) {
    const want = rgb(hex);
    if (want.every((value, i) => Math.abs(png.data[at + i]! - value) <= 6)) return kind;
  }
  return null;
}

describe('report/render-html', () => {
  it('is one self-contained page: inline style and SVG, nothing fetched', async () => {
    const html = renderHtml(await fixtureReport());
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(html).not.to.match(/\b(src|href)=|@import|url\(|<script|<link/i);
    expect(html.match(/<svg class="timeline"/g)).to.have.length(3);
    expect(html).to.include('<td>2026-11-01 05:00:00 ±2h 0m 0s</td><td>2026-11-01 06:00:00 ±1m 0s</td>');
    expect(html).to.include('@media print');
  });

  it('labels the axis without repeating itself on short windows', () => {
    const since = Date.parse('2026-11-01T13:05:00Z');
    const labels = (span: number) => timelineAxisLabels(since, span).map((tick) => tick.label);
    expect(labels(24 * 3_600_000)).to.deep.equal([
      '2026-11-01 13:05',
      '2026-11-01 19:05',
      '2026-11-02 01:05',
      '2026-11-02 07:05',
      '2026-11-02 13:05',
    ]);
    expect(labels(120_000), 'two minutes: to the second').to.deep.equal([
      '2026-11-01 13:05:00',
      '2026-11-01 13:05:30',
      '2026-11-01 13:06:00',
      '2026-11-01 13:06:30',
      '2026-11-01 13:07:00',
    ]);
    expect(labels(2_000), 'two seconds: no label twice').to.deep.equal([
      '2026-11-01 13:05:00',
      '2026-11-01 13:05:01',
      '2026-11-01 13:05:02',
    ]);
  });

  it('escapes text that could be markup', async () => {
    const report = await fixtureReport();
    const html = renderHtml({ ...report, hosts: [{ ...report.hosts[0]!, host: '<b>&"x' }] });
    expect(html).to.include('&lt;b&gt;&amp;&quot;x');
    expect(html).not.to.include('<b>&"x');
  });

  describe('in headless chromium', () => {
    let dir: string;
    before(async function () {
      this.timeout(60_000);
      await requireChromium(this);
      dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-html-'));
    });
    after(async () => {
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('renders a non-blank page whose timelines show up, down and unknown in order', async function () {
      this.timeout(90_000);
      const htmlFile = path.join(dir, 'report.html');
      const pngFile = path.join(dir, 'report.png');
      await writeFile(htmlFile, renderHtml(await fixtureReport()));
      await screenshot(htmlFile, pngFile, 1100, 900);
      const png = PNG.sync.read(await readFile(pngFile));
      expect([png.width, png.height]).to.deep.equal([1100, 900]);

      let ink = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i]! < 200 || png.data[i + 1]! < 200) ink++;
      expect(ink / (png.width * png.height), 'share of non-white pixels').to.be.greaterThan(0.05);

      // The bars, top to bottom: each pixel row through a bar read left to right, colour runs merged.
      const bars: SegmentKind[][] = [];
      let previousRowHadBar = false;
      for (let y = 0; y < png.height; y++) {
        const runs: SegmentKind[] = [];
        let coloured = 0;
        for (let x = 0; x < png.width; x++) {
          const kind = kindOf(png, x, y);
          if (kind) coloured++;
          if (kind && runs[runs.length - 1] !== kind) runs.push(kind);
        }
        // A bar spans the page; the legend's little squares do not.
        const isBar = coloured > png.width / 3;
        if (isBar && !previousRowHadBar) bars.push(runs);
        previousRowHadBar = isBar;
      }
      expect(bars).to.deep.equal([
        ['up', 'down', 'up', 'unknown', 'up', 'unknown', 'up', 'down'],
        ['up', 'unknown', 'down', 'up', 'unknown', 'up'],
        ['up', 'unknown', 'up', 'unknown'],
      ]);
    });
  });
});
