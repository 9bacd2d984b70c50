import { expect } from 'chai';

import type { Report } from '../../lib/report/report-model.js';
import { renderCsv } from '../../lib/report/render-csv.js';
import { renderHtml } from '../../lib/report/render-html.js';
import { renderJson } from '../../lib/report/render-json.js';
import { renderTable } from '../../lib/report/render-table.js';
import { fixtureReport } from './report-fixture.js';

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

/**
 * One day: a is up 00-02, in maintenance 02-04 (not answering part of it: it does not count), down 04-06
 * with an ack at 04:30, up 06-24. b is up all day.
 */
const LINES = [
  { kind: 'start', at: t('00:00:00'), mode: 'daemon', interval_s: 60, alive_s: 300, hosts: 2, pid: 1 },
  state('00:00:00', 'a', 'UP', 'UNKNOWN'),
  state('00:00:00', 'b', 'UP', 'UNKNOWN'),
  state('02:00:00', 'a', 'MAINTENANCE', 'UP'),
  state('04:00:00', 'a', 'DOWN', 'MAINTENANCE'),
  { kind: 'alert', at: t('04:00:00'), host: 'a', alert: 'DOWN' },
  { kind: 'ack', at: t('04:30:00'), host: 'a', since: t('04:00:00'), note: 'ISP ticket 42' },
  state('06:00:00', 'a', 'UP', 'DOWN'),
  { kind: 'alive', at: t('23:59:00') },
];

async function report(): Promise<Report> {
  return fixtureReport({ lines: LINES });
}

describe('report: maintenance time apart, acks with their note', () => {
  it('leaves maintenance out of availability and shows it in its own column', async () => {
    const built = await report();
    const a = built.hosts.find((host) => host.host === 'a')!;
    expect([a.upMs / HOUR, a.downMs / HOUR, a.maintenanceMs / HOUR, a.unknownMs]).to.deep.equal([
      20, 2, 2, 0,
    ]);
    expect(a.monitoredMs / HOUR).to.equal(24);
    // 20 of 22 hours: the 2 hours of maintenance count neither way.
    expect(a.availabilityPercent).to.be.closeTo((20 / 22) * 100, 1e-9);
    expect(a.outages.map((o) => [o.start.toISOString(), o.ack?.at.toISOString(), o.ack?.note])).to.deep.equal(
      [['2026-11-01T04:00:00.000Z', '2026-11-01T04:30:00.000Z', 'ISP ticket 42']],
    );

    const table = renderTable(built);
    const [header] = table.split('\n').filter((line) => line.startsWith('host'));
    expect(header?.split(/\s{2,}/)).to.deep.equal([
      'host',
      'monitored',
      'up',
      'down',
      'unknown',
      'maintenance',
      'availability',
      'outages',
      'longest outage',
      'mean time to recover',
    ]);
    expect(table).to.match(/^a\s+1d 0h 0m 0s\s+20h 0m 0s\s+2h 0m 0s\s+0s\s+2h 0m 0s\s+90\.909%/m);
    expect(table).to.include('acknowledged');
    expect(table).to.include('2026-11-01 04:30:00 (ISP ticket 42)');

    const json = JSON.parse(renderJson(built)) as {
      hosts: { host: string; maintenance_seconds: number; outages: { ack: unknown }[] }[];
    };
    expect(json.hosts[0]?.maintenance_seconds).to.equal(7200);
    expect(json.hosts[0]?.outages[0]?.ack).to.deep.equal({
      at: '2026-11-01T04:30:00.000Z',
      note: 'ISP ticket 42',
    });
    expect(renderCsv(built).split('\n')[0]).to.include('maintenance_seconds');
    const html = renderHtml(built);
    expect(html).to.include('<span class="key maintenance"></span> maintenance');
    expect(html).to.match(
      /<rect class="maintenance"[^>]*fill="#3182ce"><title>maintenance 2026-11-01 02:00:00 to 2026-11-01 04:00:00<\/title>/,
    );
  });
});
