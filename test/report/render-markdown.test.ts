import { expect } from 'chai';

import { renderMarkdown } from '../../lib/report/render-markdown.js';
import { fixtureReport } from './report-fixture.js';

describe('report/render-markdown', () => {
  it('gives a title, the summary table and the outage table', async () => {
    expect(renderMarkdown(await fixtureReport())).to.equal(
      [
        '# pingwarden outage report, 2026-11-01 00:00:00 to 2026-11-02 00:00:00 UTC',
        '',
        'Generated 2026-11-02 00:00:00 UTC. Unknown time: the monitor was not running; it counts neither as up nor as down.',
        '',
        '| host | monitored | up | down | unknown | availability | outages | longest outage | mean time to recover |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        '| a | 1d 0h 0m 0s | 15h 30m 0s | 4h 30m 0s | 4h 0m 0s | 77.500% | 2 | 4h 0m 0s | 30m 0s |',
        '| b | 1d 0h 0m 0s | 19h 0m 0s | 1h 0m 0s | 4h 0m 0s | 95.000% | 1 | 1h 0m 0s | 1h 0m 0s |',
        '| c | 12h 0m 0s | 8h 0m 0s | 0s | 4h 0m 0s | 100.000% | 0 | - | - |',
        '',
        '## Outages',
        '',
        'Each start and end is known to within the time shown after ±: the host changed at most that long before.',
        '',
        '| host | start (UTC) | end (UTC) | duration | power cycles |',
        '| --- | --- | --- | --- | --- |',
        '| a | 2026-11-01 01:00:00 ±1m 0s | 2026-11-01 01:30:00 ±1m 0s | 30m 0s | 1 |',
        '| b | 2026-11-01 05:00:00 ±2h 0m 0s | 2026-11-01 06:00:00 ±1m 0s | 1h 0m 0s | 0 |',
        '| a | 2026-11-01 20:00:00 ±1m 0s | ongoing | 4h 0m 0s | 0 |',
        '',
      ].join('\n'),
    );
  });
});
