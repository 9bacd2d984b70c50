import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';

import { GRAPH_COLOURS, LOSS_CLASSES } from '../../lib/report/quality-graph.js';
import { renderHtml } from '../../lib/report/render-html.js';
import { requireChromium, screenshot } from '../support/headless-chromium.js';
import { qualityFixtureReport } from './quality-report-fixture.js';

const colourOf = (label: string) => LOSS_CLASSES.find((c) => c.label === label)!.colour;

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

/** Every pixel of one colour (a little colour management allowed), as [x, y]. */
function pixelsOf(png: PNG, hex: string): [number, number][] {
  const want = rgb(hex);
  const found: [number, number][] = [];
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const at = (png.width * y + x) * 4;
      if (want.every((value, i) => Math.abs(png.data[at + i]! - value) <= 6)) found.push([x, y]);
    }
  }
  return found;
}

describe('report/quality-graph', () => {
  it('draws one self-contained graph per measured host: median line, band, loss strip, outage shading', async () => {
    const html = renderHtml(await qualityFixtureReport({ graphColumns: 300 }));
    expect(html).not.to.match(/\b(src|href)=|@import|url\(|<script|<link/i);
    // a and b are measured; c is not, so it has no graph.
    expect(html.match(/<svg class="quality"/g)).to.have.length(2);
    expect(html).to.include('<h3>a <small>loss 26.67%, RTT avg 30.9 ms, RTT p95 40.0 ms</small></h3>');
    expect(html).to.include('<rect class="down"');
    expect(html).to.include('<path class="median"');
    expect(html).to.include('<path class="band"');
  });

  describe('in headless chromium', () => {
    let dir: string;
    before(async function () {
      this.timeout(60_000);
      await requireChromium(this);
      dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-quality-html-'));
    });
    after(async () => {
      if (dir && !process.env.KEEP) await rm(dir, { recursive: true, force: true });
    });

    it('shows a lossless low line, then the outage shaded with a red loss strip, then a higher lossy line', async function () {
      this.timeout(90_000);
      const report = await qualityFixtureReport({ graphColumns: 300 });
      // Only host a, and only the first three hours, so its graph is large enough to read.
      const htmlFile = path.join(dir, 'quality.html');
      const pngFile = path.join(dir, 'quality.png');
      await writeFile(
        htmlFile,
        renderHtml({
          ...report,
          until: new Date('2026-11-01T03:00:00Z'),
          hosts: [
            {
              ...report.hosts[0]!,
              segments: report.hosts[0]!.segments.filter((s) => s.start < Date.parse('2026-11-01T03:00:00Z')),
            },
          ],
        }).replace(
          // The timeline and tables are tested elsewhere; the graph alone keeps the pixels unambiguous.
          /<h2>Summary<\/h2>[\s\S]*?<h2>Link quality<\/h2>/,
          '<h2>Link quality</h2>',
        ),
      );
      await screenshot(htmlFile, pngFile, 1100, 700);
      const png = PNG.sync.read(await readFile(pngFile));
      // Legend squares are small; the graph's marks are wide. Keep only pixels below the legend line.
      const legend = pixelsOf(png, GRAPH_COLOURS.outage).reduce((low, [, y]) => Math.min(low, y), Infinity);
      const inGraph = (pixels: [number, number][]) => pixels.filter(([, y]) => y > legend + 20);
      const green = inGraph(pixelsOf(png, colourOf('0%')));
      const purple = inGraph(pixelsOf(png, colourOf('≤20%')));
      const red = inGraph(pixelsOf(png, colourOf('>50%')));
      const pink = inGraph(pixelsOf(png, GRAPH_COLOURS.outage));
      const band = inGraph(pixelsOf(png, GRAPH_COLOURS.band));
      for (const [name, pixels] of Object.entries({ green, purple, red, pink, band })) {
        expect(pixels.length, `${name} pixels`).to.be.greaterThan(100);
      }
      const xs = (pixels: [number, number][]) => pixels.map(([x]) => x);
      const ys = (pixels: [number, number][]) => pixels.map(([, y]) => y);
      const [pinkLeft, pinkRight] = [Math.min(...xs(pink)), Math.max(...xs(pink))];
      // In time order: 00:00-01:00 green (no loss), 01:00-01:30 the outage, 01:30-03:00 purple (20 % loss).
      expect(Math.max(...xs(green))).to.be.at.most(pinkLeft + 2);
      expect(Math.min(...xs(purple))).to.be.at.least(pinkRight - 2);
      // The outage's columns lost everything: the loss strip under it is red.
      const redXs = xs(red);
      expect(Math.min(...redXs)).to.be.at.least(pinkLeft - 2);
      expect(Math.max(...redXs)).to.be.at.most(pinkRight + 2);
      // 40 ms is drawn higher than 20 ms (the line pixels, not the loss strip at the bottom).
      const lineY = (pixels: [number, number][]) => Math.min(...ys(pixels));
      expect(lineY(purple)).to.be.lessThan(lineY(green) - 20);
      // The 30-90 ms band of the lossy stretch reaches above its median line.
      const bandAbovePurple = band.filter(([x, y]) => x > pinkRight && y < lineY(purple) - 5);
      expect(bandAbovePurple.length).to.be.greaterThan(100);
    });
  });
});
