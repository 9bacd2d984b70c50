import { expect } from 'chai';

import { openTimeMs, outageSide, renderIspHtml } from '../../lib/report/render-isp.js';
import type { HostReport, Outage, Report } from '../../lib/report/report-model.js';
import type { FaultLayer, TraceSnapshot } from '../../lib/shared/fault-evidence.js';
import { fixtureReport } from './report-fixture.js';

const at = (hhmm: string) => new Date(`2026-11-01T${hhmm}:00Z`);

function outage(
  host: string,
  start: string,
  end: string | null,
  layer: FaultLayer | null,
  extra: Partial<Outage> = {},
): Outage {
  const s = at(start);
  const e = end === null ? null : at(end);
  return {
    host,
    start: s,
    end: e,
    endedBy: e === null ? null : 'up',
    durationMs: (e ?? at('24:00')).getTime() - s.getTime(),
    startUncertaintyMs: 60_000,
    endUncertaintyMs: e === null ? null : 30_000,
    powerCycles: 0,
    ack: null,
    faultLayer: layer,
    faultReason: layer === null ? null : `${layer} reason`,
    traces: [],
    ...extra,
  } as Outage;
}

/** The fixture's report with its outages replaced by `outages` (so fault layers and traces can be set). */
async function reportWith(outages: Outage[]): Promise<Report> {
  const base = await fixtureReport();
  const hosts: HostReport[] = base.hosts.map((host) => ({
    ...host,
    outages: outages.filter((one) => one.host === host.host),
  }));
  return { ...base, hosts };
}

const trace: TraceSnapshot = {
  at: at('01:00'),
  phase: 'down',
  target: '198.18.5.5',
  reachedTarget: false,
  hops: [
    { ttl: 1, address: '192.168.1.1', rttMs: 0.61 },
    { ttl: 2, address: '100.64.0.1', rttMs: 9.4 },
    { ttl: 3, address: null, rttMs: null },
  ],
};

describe('report/render-isp: the ISP evidence pack', () => {
  it('puts the provider-side outages first, counted once when several hosts were down together', async () => {
    const report = await reportWith([
      // Two anchors down over the same 30 minutes at the ISP, with the path traced: one stretch of 30 min.
      outage('a', '01:00', '01:30', 'ISP', { traces: [trace], powerCycles: 2 }),
      outage('b', '01:10', '01:30', 'modem-WAN'),
      // A LAN problem and one nobody could place.
      outage('b', '05:00', '06:00', 'LAN'),
      outage('c', '07:00', '07:05', null),
    ]);
    const html = renderIspHtml(report, { monitorName: 'adminbox' });
    const text = html.replace(/<[^>]+>/g, '');
    expect(text).to.include('Internet outage evidence, 2026-11-01 00:00:00 to 2026-11-02 00:00:00 UTC');
    expect(text).to.include('Measured by pingwarden on adminbox');
    expect(text).to.match(/provider's side \(modem\/line or ISP network\): 2, down\s+30m 0s in the period/);
    expect(text).to.match(/All outages seen: 4, down 1h 35m 0s in the period; 1 without a known fault layer/);
    expect(text).to.include('Automatic modem power cycles during outages: 2.');
    // Each outage row: start and end with their precision, the layer, the side, the cycles, the reason.
    expect(html).to.include(
      '<tr><td>a</td><td>2026-11-01 01:00:00 ±1m 0s</td><td>2026-11-01 01:30:00 ±30s</td><td>30m 0s</td>' +
        '<td>ISP</td><td>yes</td><td>2</td><td>ISP reason</td></tr>',
    );
    expect(html).to.include('<td>LAN</td><td>no</td>');
    expect(html).to.include('<td>not known</td><td>not known</td>');
    // The path at failure, hop by hop; a silent hop is a star.
    expect(text).to.include(
      'To 198.18.5.5, when it went down (2026-11-01 01:00:00); did not reach the host.',
    );
    expect(html).to.include('<tr><td>2</td><td>100.64.0.1</td><td>9.4 ms</td></tr>');
    expect(html).to.include('<tr><td>3</td><td>*</td><td>-</td></tr>');
    expect(html).not.to.match(/\b(src|href)=|<script|<link/i);
    expect(html).to.include('@page { size: A4');
  });

  it('says so plainly when the period had no outages', async () => {
    const text = renderIspHtml(await reportWith([]), { monitorName: 'm' }).replace(/<[^>]+>/g, '');
    expect(text).to.include('No outages in this period.');
    expect(text).to.include("provider's side (modem/line or ISP network): 0");
    expect(text).not.to.include('Path at failure');
  });

  it('cuts outages to the period and merges overlaps', () => {
    const since = at('01:00').getTime();
    const until = at('02:00').getTime();
    const list = [
      outage('a', '00:30', '01:15', 'ISP'), // 15 min inside
      outage('b', '01:10', '01:20', 'ISP'), // overlaps a by 5 min: 5 more
      outage('c', '01:50', null, 'ISP'), // ongoing: 10 min to the end of the period
    ];
    expect(openTimeMs(list, since, until)).to.equal(30 * 60_000);
    expect(list.map(outageSide)).to.deep.equal(['ISP', 'ISP', 'ISP']);
    expect(outageSide(outage('d', '01:00', '01:01', 'gateway'))).to.equal('not ISP');
  });
});
