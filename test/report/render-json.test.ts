import { expect } from 'chai';

import { renderJson } from '../../lib/report/render-json.js';
import { fixtureReport } from './report-fixture.js';

describe('report/render-json', () => {
  it('gives per host the documented fields, outages with end null while ongoing, ISO 8601 times', async () => {
    expect(JSON.parse(renderJson(await fixtureReport()))).to.deep.equal({
      generated_at: '2026-11-02T00:00:00.000Z',
      since: '2026-11-01T00:00:00.000Z',
      until: '2026-11-02T00:00:00.000Z',
      hosts: [
        {
          host: 'a',
          description: '',
          location: '',
          up_seconds: 55800,
          degraded_seconds: 0,
          down_seconds: 16200,
          flapping_seconds: 0,
          unknown_seconds: 14400,
          maintenance_seconds: 0,
          availability_percent: 77.5,
          quality: null,
          outages: [
            {
              start: '2026-11-01T01:00:00.000Z',
              end: '2026-11-01T01:30:00.000Z',
              duration_seconds: 1800,
              power_cycles: 1,
              start_uncertainty_seconds: 60,
              end_uncertainty_seconds: 60,
              ended_by: 'up',
              ack: null,
              fault_layer: null,
              fault_reason: null,
              traces: [],
            },
            {
              start: '2026-11-01T20:00:00.000Z',
              end: null,
              duration_seconds: 14400,
              power_cycles: 0,
              start_uncertainty_seconds: 60,
              end_uncertainty_seconds: null,
              ended_by: null,
              ack: null,
              fault_layer: null,
              fault_reason: null,
              traces: [],
            },
          ],
        },
        {
          host: 'b',
          description: '',
          location: '',
          up_seconds: 68400,
          degraded_seconds: 0,
          down_seconds: 3600,
          flapping_seconds: 0,
          unknown_seconds: 14400,
          maintenance_seconds: 0,
          availability_percent: 95,
          quality: null,
          outages: [
            {
              start: '2026-11-01T05:00:00.000Z',
              end: '2026-11-01T06:00:00.000Z',
              duration_seconds: 3600,
              power_cycles: 0,
              start_uncertainty_seconds: 7200,
              end_uncertainty_seconds: 60,
              ended_by: 'up',
              ack: null,
              fault_layer: null,
              fault_reason: null,
              traces: [],
            },
          ],
        },
        {
          host: 'c',
          description: '',
          location: '',
          up_seconds: 28800,
          degraded_seconds: 0,
          down_seconds: 0,
          flapping_seconds: 0,
          unknown_seconds: 14400,
          maintenance_seconds: 0,
          availability_percent: 100,
          quality: null,
          outages: [],
        },
      ],
    });
  });

  it('cuts durations to whole seconds like the CSV and the table (17.6 s is 17, not 18)', async () => {
    const report = await fixtureReport({ hosts: ['b'] });
    const host = report.hosts[0]!;
    const outage = { ...host.outages[0]!, durationMs: 17_600, startUncertaintyMs: 5_900 };
    const json = JSON.parse(
      renderJson({ ...report, hosts: [{ ...host, downMs: 17_600, outages: [outage] }] }),
    );
    expect(json.hosts[0].down_seconds).to.equal(17);
    expect(json.hosts[0].outages[0].duration_seconds).to.equal(17);
    expect(json.hosts[0].outages[0].start_uncertainty_seconds).to.equal(5);
  });
});
