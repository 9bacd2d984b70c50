import { expect } from 'chai';

import { hostHistoryOf } from '../../lib/app/build-listeners.js';
import { fixtureReport } from '../report/report-fixture.js';

describe('app/build-listeners', () => {
  it('gives the status API the report’s outages, durations cut to whole seconds like `pingwarden report`', async () => {
    const report = await fixtureReport({ hosts: ['b'] });
    const host = report.hosts[0]!;
    const history = hostHistoryOf({ ...host, outages: [{ ...host.outages[0]!, durationMs: 14_989 }] });
    expect(history.outages).to.deep.equal([
      {
        start: '2026-11-01T05:00:00.000Z',
        end: '2026-11-01T06:00:00.000Z',
        duration_seconds: 14,
        power_cycles: 0,
      },
    ]);
    expect(history.availability_percent).to.equal(95);
  });

  it('a host the history does not know has no availability and no outages', () => {
    expect(hostHistoryOf(undefined)).to.deep.equal({ availability_percent: null, outages: [] });
  });
});
