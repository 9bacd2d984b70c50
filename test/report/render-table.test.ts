import { expect } from 'chai';

import { renderTable } from '../../lib/report/render-table.js';
import { fixtureReport } from './report-fixture.js';

describe('report/render-table', () => {
  it('prints aligned summary and outage tables with durations like 1d 2h 3m 4s and each time ± its uncertainty', async () => {
    expect(renderTable(await fixtureReport())).to.equal(
      [
        'pingwarden outage report, 2026-11-01 00:00:00 to 2026-11-02 00:00:00 UTC',
        'generated 2026-11-02 00:00:00 UTC; unknown = the monitor was not running',
        '',
        'host  monitored    up          down       unknown   availability  outages  longest outage  mean time to recover',
        'a     1d 0h 0m 0s  15h 30m 0s  4h 30m 0s  4h 0m 0s  77.500%       2        4h 0m 0s        30m 0s',
        'b     1d 0h 0m 0s  19h 0m 0s   1h 0m 0s   4h 0m 0s  95.000%       1        1h 0m 0s        1h 0m 0s',
        'c     12h 0m 0s    8h 0m 0s    0s         4h 0m 0s  100.000%      0        -               -',
        '',
        'Outages (start and end ± how long before them the host may have changed):',
        'host  start (UTC)                    end (UTC)                   duration  power cycles',
        'a     2026-11-01 01:00:00 ±1m 0s     2026-11-01 01:30:00 ±1m 0s  30m 0s    1',
        'b     2026-11-01 05:00:00 ±2h 0m 0s  2026-11-01 06:00:00 ±1m 0s  1h 0m 0s  0',
        'a     2026-11-01 20:00:00 ±1m 0s     ongoing                     4h 0m 0s  0',
        '',
      ].join('\n'),
    );
  });

  it('adds a description column when hosts.csv describes a host', async () => {
    const labels = new Map([
      ['a', { description: 'Cisco Router', location: 'Bldg 6 MDF 101' }],
      ['b', { description: '', location: 'Closet' }],
    ]);
    const lines = renderTable(await fixtureReport({ labels })).split('\n');
    expect(lines.slice(3, 7).map((line) => line.slice(0, 54))).to.deep.equal([
      'host  description                   monitored    up   ',
      'a     Cisco Router, Bldg 6 MDF 101  1d 0h 0m 0s  15h 3',
      'b     Closet                        1d 0h 0m 0s  19h 0',
      'c                                   12h 0m 0s    8h 0m',
    ]);
  });

  it('says so when there were no outages', async () => {
    const report = await fixtureReport({ hosts: ['c'] });
    expect(renderTable(report).split('\n').slice(-3)).to.deep.equal(['', 'No outages.', '']);
  });
});
