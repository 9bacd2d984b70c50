import { expect } from 'chai';
import { parse } from 'csv-parse/sync';

import { renderCsv } from '../../lib/report/render-csv.js';
import { renderTable } from '../../lib/report/render-table.js';
import { fixtureReport } from './report-fixture.js';

describe('report/render-csv', () => {
  it('gives a host table, an empty line and an outage table, in seconds and ISO 8601 UTC', async () => {
    expect(renderCsv(await fixtureReport())).to.equal(
      [
        'host,monitored_seconds,up_seconds,degraded_seconds,down_seconds,flapping_seconds,unknown_seconds,availability_percent,outages,longest_outage_seconds,mean_time_to_recover_seconds,description,location,packets_sent,packets_received,loss_percent,rtt_avg_ms,rtt_p95_ms,rtt_min_ms,rtt_max_ms',
        'a,86400,55800,0,16200,0,14400,77.500,2,14400,1800,,,,,,,,,',
        'b,86400,68400,0,3600,0,14400,95.000,1,3600,3600,,,,,,,,,',
        'c,43200,28800,0,0,0,14400,100.000,0,,,,,,,,,,,',
        '',
        'host,start,start_uncertainty_seconds,end,end_uncertainty_seconds,duration_seconds,power_cycles',
        'a,2026-11-01T01:00:00.000Z,60,2026-11-01T01:30:00.000Z,60,1800,1',
        'b,2026-11-01T05:00:00.000Z,7200,2026-11-01T06:00:00.000Z,60,3600,0',
        'a,2026-11-01T20:00:00.000Z,60,ongoing,,14400,0',
        '',
      ].join('\n'),
    );
  });

  it('cuts durations to whole seconds like the table does (17.6 s is 17 in both)', async () => {
    const report = await fixtureReport({ hosts: ['b'] });
    const host = report.hosts[0]!;
    const outage = { ...host.outages[0]!, durationMs: 17_600 };
    const csv = renderCsv({ ...report, hosts: [{ ...host, outages: [outage], longestOutageMs: 17_600 }] });
    const outageRow = csv.split('\n\n')[1]!.split('\n')[1]!;
    expect(outageRow.split(',')[5]).to.equal('17');
    expect(
      renderTable({ ...report, hosts: [{ ...host, outages: [outage], longestOutageMs: 17_600 }] }),
    ).to.include('17s');
  });

  it('quotes cells that need it, so a CSV reader gets the host back unchanged', async () => {
    const report = await fixtureReport({ hosts: ['c'] });
    const csv = renderCsv({ ...report, hosts: [{ ...report.hosts[0]!, host: 'odd, "name"' }] });
    const [header, row] = parse(csv.split('\n\n')[0]!) as string[][];
    expect(header![0]).to.equal('host');
    expect(row![0]).to.equal('odd, "name"');
  });
});
