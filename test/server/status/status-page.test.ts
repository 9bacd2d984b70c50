import { expect } from 'chai';

import type { HostStatus } from '../../../lib/monitor/host-state.js';
import type { TargetStatus } from '../../../lib/server/status/status-board.js';
import { percentText, renderStatusPage, row } from '../../../lib/server/status/status-page.js';

const NOW = new Date('2026-03-01T12:00:00Z');

function target(host: string, status: HostStatus, bar: readonly HostStatus[]): TargetStatus {
  return {
    host,
    description: 'Switch 12 (Cisco 2960X) 2nd floor',
    location: 'Bldg 6 IDF 2',
    kind: 'host',
    status,
    since: '2026-02-27T08:13:00.000Z',
    rtt_ms: 12.3,
    loss_percent: status === 'UP' ? null : 40,
    availability: null,
    bar,
  };
}

/** Sum of the flex values of the bar's cells, and the classes of its cells. */
function barCells(html: string): { total: number; classes: string[] } {
  const bar = /<s>(.*)<\/s>/.exec(html)?.[1] ?? '';
  const cells = [...bar.matchAll(/<i(?: class=(\w))? style=flex:(\d+)><\/i>/g)];
  return {
    total: cells.reduce((sum, cell) => sum + Number(cell[2]), 0),
    classes: cells.map((cell) => cell[1] ?? '(current)'),
  };
}

describe('status page markup', () => {
  it('a row: status word and shape, host link, description, since/RTT/loss, availability, bar', () => {
    const bar: HostStatus[] = [
      ...Array<HostStatus>(80).fill('UP'),
      'DOWN',
      'DOWN',
      'UP',
      ...Array<HostStatus>(7).fill('DOWN'),
    ];
    const html = row(
      { ...target('198.18.0.7', 'DOWN', bar), availability: { '24h': 99.95, '7d': 100, '30d': null } },
      NOW,
    );
    expect(html).to.equal(
      '<li id=h:198.18.0.7 class=DOWN><b>■ DOWN</b><a href=/host/198.18.0.7>198.18.0.7</a>' +
        '<i>Switch 12 (Cisco 2960X) 2nd floor</i><span>since 2026-02-27 08:13 (2d 3h) 12.3 ms 40% loss</span>' +
        '<em>24h 99.95% 7d 100% 30d –</em>' +
        '<s><i class=u style=flex:80></i><i class=d style=flex:2></i><i class=u style=flex:1></i><i style=flex:7></i></s>',
    );
  });

  it('the bar: the current run is the bar itself; a full bar of one status is empty; a short bar is padded', () => {
    const full = row(target('a', 'UP', Array<HostStatus>(90).fill('UP')), NOW);
    expect(full).to.match(/<s><\/s>$/);
    const short = barCells(row(target('a', 'UP', ['DOWN', 'UP', 'UP']), NOW));
    expect(short).to.deep.equal({ total: 90, classes: ['e', 'd', '(current)'] });
    expect(row(target('a', 'UP', ['UP']), NOW)).to.match(
      /<s><i class=e style=flex:89><\/i><i style=flex:1><\/i><\/s>$/,
    );
    const mixed: HostStatus[] = Array.from(
      { length: 90 },
      (_, i) => (['UP', 'DEGRADED', 'UNREACHABLE', 'FLAPPING', 'UNKNOWN', 'DOWN'] as const)[i % 6]!,
    );
    expect(barCells(row(target('a', 'DOWN', mixed), NOW)).total).to.equal(90);
  });

  it('escapes what comes from hosts.csv, and quotes an attribute only when it must', () => {
    const html = row({ ...target('odd<host>', 'UP', ['UP']), description: 'a "b" <c>' }, NOW);
    expect(html).to.include('id="h:odd&lt;host&gt;"').and.include('<i>a &quot;b&quot; &lt;c&gt;</i>');
    expect(html).to.include('href=/host/odd%3Chost%3E');
  });

  it('availability: two decimals, whole 100 %, never 100 % for a host that was down', () => {
    expect([100, 99.95, 99.999, 0, null].map(percentText)).to.deep.equal([
      '100%',
      '99.95%',
      '99.99%',
      '0.00%',
      '–',
    ]);
  });

  it('1,000 hosts with availability, RTT, loss and busy bars weigh at most 300 KB', () => {
    const statuses: HostStatus[] = ['UP', 'DOWN', 'DEGRADED'];
    const targets = Array.from({ length: 1000 }, (_, i) => {
      // Every fifth host had three outages within its bar: seven runs.
      const bar: HostStatus[] = Array.from({ length: 90 }, (_, c) =>
        i % 5 === 0 && c % 30 > 25 ? 'DOWN' : 'UP',
      );
      return {
        ...target(`10.${Math.floor(i / 250)}.${i % 250}.254`, statuses[i % 3]!, bar),
        location: `Bldg ${i % 12} IDF ${i % 5}`,
        availability: { '24h': 99.95, '7d': 99.87, '30d': 99.42 },
      };
    });
    const html = renderStatusPage({
      title: 'Campus network',
      targets,
      counts: { UNKNOWN: 0, UP: 334, DOWN: 333, DEGRADED: 333, UNREACHABLE: 0, FLAPPING: 0, MAINTENANCE: 0 },
      generatedAt: NOW,
      now: NOW,
      eventId: 1234,
      refreshSeconds: 300,
    });
    const kb = Buffer.byteLength(html) / 1024;
    expect(html.match(/<li /g) ?? []).to.have.length(1000);
    expect(html.match(/<em>24h 99.95% 7d 99.87% 30d 99.42%<\/em>/g) ?? []).to.have.length(1000);
    expect(kb, `page weight ${kb.toFixed(1)} KB`).to.be.at.most(300);
  });
});
