import { expect } from 'chai';
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { renderCsv } from '../../lib/report/render-csv.js';
import { renderJson } from '../../lib/report/render-json.js';
import { renderMarkdown } from '../../lib/report/render-markdown.js';
import { renderTable } from '../../lib/report/render-table.js';
import { bucketValue, rttBucket } from '../../lib/store/quality/quality-aggregate.js';
import { qualityFixtureReport } from './quality-report-fixture.js';

describe('report with the link quality series', () => {
  it('gives loss, mean RTT and p95 per host as computed by hand (quality-report-fixture.ts)', async () => {
    const report = await qualityFixtureReport();
    const [a, b, c] = report.hosts;
    expect(a!.quality).to.deep.include({
      sent: 180,
      received: 132,
      rttP95Ms: 40,
      rttMinMs: 18,
      rttMaxMs: 90,
      p95Exact: true,
    });
    expect(a!.quality!.lossPercent).to.be.closeTo(26.6667, 1e-4);
    expect(a!.quality!.rttAvgMs).to.be.closeTo(30.909, 1e-3);
    expect(b!.quality).to.deep.equal({
      sent: 180,
      received: 180,
      lossPercent: 0,
      rttAvgMs: 1.5,
      rttP95Ms: 1.5,
      rttMinMs: 1.2,
      rttMaxMs: 2,
      p95Exact: true,
    });
    expect(c!.quality).to.equal(null);
  });

  it('carries the same numbers in JSON, CSV, Markdown and the table', async () => {
    const report = await qualityFixtureReport();
    const json = JSON.parse(renderJson(report)) as { hosts: { host: string; quality: unknown }[] };
    expect(json.hosts.map((h) => h.quality)).to.deep.equal([
      {
        packets_sent: 180,
        packets_received: 132,
        loss_percent: 26.667,
        rtt_avg_ms: 30.9,
        rtt_p95_ms: 40,
        rtt_min_ms: 18,
        rtt_max_ms: 90,
        rtt_p95_exact: true,
      },
      {
        packets_sent: 180,
        packets_received: 180,
        loss_percent: 0,
        rtt_avg_ms: 1.5,
        rtt_p95_ms: 1.5,
        rtt_min_ms: 1.2,
        rtt_max_ms: 2,
        rtt_p95_exact: true,
      },
      null,
    ]);
    const csv = renderCsv(report).split('\n');
    expect(csv[1]).to.match(/^a,.*,180,132,26\.667,30\.9,40\.0,18\.0,90\.0$/);
    expect(csv[2]).to.match(/^b,.*,180,180,0\.000,1\.5,1\.5,1\.2,2\.0$/);
    expect(csv[3]).to.match(/^c,.*,,,,,,,$/);
    const table = renderTable(report).split('\n');
    expect(table[3]).to.match(/mean time to recover {2}loss {4}RTT avg {2}RTT p95$/);
    expect(table[4]).to.match(/ {2}26\.67% {2}30\.9 ms {2}40\.0 ms$/);
    expect(table[6]).to.match(/ {2}- {7}- {8}-$/);
    expect(renderMarkdown(report)).to.include('| 26.67% | 30.9 ms | 40.0 ms |');
  });

  it('falls back to the hourly rollups once the raw days are gone, with the p95 one bucket wide', async () => {
    const report = await qualityFixtureReport({
      before: async (logsDir) => {
        const dir = path.join(logsDir, 'quality');
        for (const name of await readdir(dir)) if (name.startsWith('raw-')) await rm(path.join(dir, name));
      },
    });
    const a = report.hosts[0]!.quality!;
    // Hours 00 and 01 were rolled up by the cycles after them; 02:55 was the last cycle, so hour 02 was never
    // rolled up (the next start would do it) and only 24 cycles remain: 00: 12 × 5/5 at 20 ms;
    // 01: 6 × 5/0 and 6 × 5/4 at 40 ms.
    expect([a.sent, a.received]).to.deep.equal([120, 84]);
    expect(a.rttAvgMs).to.be.closeTo((60 * 20 + 24 * 40) / 84, 1e-9);
    expect(a.p95Exact).to.equal(false);
    expect(a.rttP95Ms).to.equal(bucketValue(rttBucket(40)));
    expect(Math.abs(a.rttP95Ms! - 40) / 40).to.be.lessThan(0.05);
    expect(renderTable(report)).to.include('~');
  });

  it('leaves loss and RTT out, without failing, when the quality folder cannot be read', async () => {
    const report = await qualityFixtureReport({
      before: async (logsDir) => {
        await rm(path.join(logsDir, 'quality'), { recursive: true });
        await writeFile(path.join(logsDir, 'quality'), 'not a folder');
      },
    });
    expect(report.hosts.map((host) => host.quality)).to.deep.equal([null, null, null]);
    expect(report.hosts[0]!.availabilityPercent).to.equal(77.5);
  });
});
