import { expect } from 'chai';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { buildReport } from '../../lib/report/build-report.js';
import type { HostReport } from '../../lib/report/report-model.js';
import { FakeLog } from '../fakes/fake-log.js';
import { FIXTURE_NOW, fixtureReport, writeFixture } from './report-fixture.js';

const HOUR = 3_600_000;

/** The numbers that matter, in hours, so they read like the hand computation. */
function numbers(host: HostReport) {
  return {
    host: host.host,
    monitored: host.monitoredMs / HOUR,
    up: host.upMs / HOUR,
    down: host.downMs / HOUR,
    unknown: host.unknownMs / HOUR,
    availability: host.availabilityPercent,
    outages: host.outages.length,
    longest: host.longestOutageMs === null ? null : host.longestOutageMs / HOUR,
    mttr: host.meanTimeToRecoverMs === null ? null : host.meanTimeToRecoverMs / HOUR,
  };
}

describe('report/build-report', () => {
  it('matches the hand-computed numbers: unknown gaps count neither way, an ongoing outage counts up to now', async () => {
    const report = await fixtureReport();
    expect(report.since.toISOString()).to.equal('2026-11-01T00:00:00.000Z');
    expect(report.until).to.deep.equal(FIXTURE_NOW);
    expect(report.hosts.map(numbers)).to.deep.equal([
      // up 0-1, 1:30-3, 5-10, 12-20; down 1-1:30, 20-24; unknown 3-5, 10-12.
      {
        host: 'a',
        monitored: 24,
        up: 15.5,
        down: 4.5,
        unknown: 4,
        availability: 77.5,
        outages: 2,
        longest: 4,
        mttr: 0.5,
      },
      // up 0-3, 6-10, 12-24; down 5-6; unknown 3-5, 10-12.
      {
        host: 'b',
        monitored: 24,
        up: 19,
        down: 1,
        unknown: 4,
        availability: 95,
        outages: 1,
        longest: 1,
        mttr: 1,
      },
      // removed at 12:00: up 0-3, 5-10; unknown 3-5, 10-12; not monitored afterwards.
      {
        host: 'c',
        monitored: 12,
        up: 8,
        down: 0,
        unknown: 4,
        availability: 100,
        outages: 0,
        longest: null,
        mttr: null,
      },
    ]);
  });

  it('lists outages with their uncertainty: one interval normally, the whole gap after the monitor was away', async () => {
    const report = await fixtureReport();
    const outages = report.hosts.flatMap((host) => host.outages);
    expect(
      outages.map((o) => [
        o.host,
        o.start.toISOString(),
        o.startUncertaintyMs / 1000,
        o.end?.toISOString() ?? null,
        o.endUncertaintyMs === null ? null : o.endUncertaintyMs / 1000,
        o.durationMs / 1000,
        o.powerCycles,
      ]),
    ).to.deep.equal([
      ['a', '2026-11-01T01:00:00.000Z', 60, '2026-11-01T01:30:00.000Z', 60, 1800, 1],
      ['a', '2026-11-01T20:00:00.000Z', 60, null, null, 14400, 0],
      ['b', '2026-11-01T05:00:00.000Z', 7200, '2026-11-01T06:00:00.000Z', 60, 3600, 0],
    ]);
  });

  it('cuts to --since/--until and keeps outages that overlap the window', async () => {
    const fixture = await writeFixture();
    try {
      const report = await buildReport({
        dir: path.join(fixture.logsDir, 'history'),
        log: new FakeLog(),
        now: FIXTURE_NOW,
        since: new Date('2026-11-01T01:15:00Z'),
        until: new Date('2026-11-01T05:30:00Z'),
        hosts: ['a', 'B'],
      });
      // a: down 1:15-1:30, up 1:30-3 and 5-5:30, unknown 3-5. b: up 1:15-3, unknown 3-5, down 5-5:30.
      expect(report.hosts.map(numbers)).to.deep.equal([
        {
          host: 'a',
          monitored: 4.25,
          up: 2,
          down: 0.25,
          unknown: 2,
          availability: (2 / 2.25) * 100,
          outages: 1,
          longest: 0.5,
          mttr: 0.5,
        },
        {
          host: 'b',
          monitored: 4.25,
          up: 1.75,
          down: 0.5,
          unknown: 2,
          availability: (1.75 / 2.25) * 100,
          outages: 1,
          longest: 1,
          mttr: 1,
        },
      ]);
    } finally {
      await fixture.remove();
    }
  });

  it('starts a later window at its monthly file, taking open outages from the snapshot', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-months-'));
    try {
      const dir = path.join(root, 'history');
      await mkdir(dir);
      const line = (record: object) => `${JSON.stringify({ v: 1, ...record })}\n`;
      await writeFile(
        path.join(dir, 'history-2026-10.jsonl'),
        line({
          kind: 'start',
          at: '2026-10-31T20:00:00.000Z',
          mode: 'daemon',
          interval_s: 60,
          alive_s: 300,
          hosts: 1,
          pid: 1,
        }) +
          line({
            kind: 'state',
            at: '2026-10-31T22:00:00.000Z',
            host: 'a',
            state: 'DOWN',
            from: 'UP',
            attempts: 3,
            rtt_ms: null,
            interval_s: 60,
          }),
      );
      await writeFile(
        path.join(dir, 'history-2026-11.jsonl'),
        line({
          kind: 'snapshot',
          at: '2026-11-01T00:00:00.000Z',
          hosts: {
            a: { state: 'DOWN', since: '2026-10-31T22:00:00.000Z', last_alert_at: null, rtt_ms: null },
          },
        }) +
          line({
            kind: 'state',
            at: '2026-11-01T01:00:00.000Z',
            host: 'a',
            state: 'UP',
            from: 'DOWN',
            attempts: 1,
            rtt_ms: 1,
            interval_s: 60,
          }) +
          line({ kind: 'stop', at: '2026-11-01T02:00:00.000Z' }),
      );
      const report = await buildReport({
        dir,
        log: new FakeLog(),
        now: FIXTURE_NOW,
        since: new Date('2026-11-01T00:00:00Z'),
        until: new Date('2026-11-01T02:00:00Z'),
        hosts: [],
      });
      const [a] = report.hosts;
      expect(numbers(a!)).to.deep.include({ up: 1, down: 1, unknown: 0 });
      expect(
        a!.outages.map((o) => [o.start.toISOString(), o.end?.toISOString(), o.durationMs / HOUR]),
      ).to.deep.equal([['2026-10-31T22:00:00.000Z', '2026-11-01T01:00:00.000Z', 3]]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it('leaves out hosts that were not in hosts.csv at any time of the window', async () => {
    const fixture = await writeFixture();
    try {
      const report = await buildReport({
        dir: path.join(fixture.logsDir, 'history'),
        log: new FakeLog(),
        now: FIXTURE_NOW,
        since: new Date('2026-11-01T13:00:00Z'),
        until: null,
        hosts: [],
      });
      expect(report.hosts.map((host) => host.host)).to.deep.equal(['a', 'b']);
    } finally {
      await fixture.remove();
    }
  });

  it('selects hosts by exact name or by substring', async () => {
    const names = async (hosts: string[]) => (await fixtureReport({ hosts })).hosts.map((h) => h.host);
    expect(await names([])).to.deep.equal(['a', 'b', 'c']);
    expect(await names(['c'])).to.deep.equal(['c']);
    expect(await names(['x'])).to.deep.equal([]);
  });

  it('selects hosts by description or location too (report --host printer)', async () => {
    const labels = new Map([
      ['a', { description: 'HP Printer', location: 'Office' }],
      ['b', { description: 'Core switch', location: 'Bldg 6 MDF' }],
    ]);
    const names = async (hosts: string[]) =>
      (await fixtureReport({ hosts, labels })).hosts.map((h) => h.host);
    expect(await names(['printer'])).to.deep.equal(['a']);
    expect(await names(['bldg 6'])).to.deep.equal(['b']);
    expect(await names(['office', 'c'])).to.deep.equal(['a', 'c']);
  });

  it('ends the last session at its last record when the monitor has evidently stopped running', async () => {
    const fixture = await writeFixture();
    try {
      const report = await buildReport({
        dir: path.join(fixture.logsDir, 'history'),
        log: new FakeLog(),
        now: new Date('2026-11-02T02:00:00Z'),
        since: new Date('2026-11-01T00:00:00Z'),
        until: null,
        hosts: ['a'],
      });
      const [a] = report.hosts;
      // Known down until the last mark at 23:58; 23:58 to 02:00 is unknown. The outage is still open.
      expect(numbers(a!)).to.deep.include({ down: 0.5 + 3 + 58 / 60, unknown: 4 + 2 + 2 / 60 });
      expect(a!.outages[1]!.end).to.equal(null);
      expect(a!.outages[1]!.durationMs).to.equal(6 * HOUR);
    } finally {
      await fixture.remove();
    }
  });

  // Issue 13: records dated after now (the clock was ahead once) showed in the report as outages and states.
  it('leaves out records dated after now, with one warning', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-future-'));
    try {
      const dir = path.join(root, 'history');
      await mkdir(dir);
      const line = (record: object) => `${JSON.stringify({ v: 1, ...record })}\n`;
      const state = (at: string, host: string, to: string, from: string) =>
        line({ kind: 'state', at, host, state: to, from, attempts: 1, rtt_ms: null, interval_s: 60 });
      const start = (at: string) =>
        line({ kind: 'start', at, mode: 'daemon', interval_s: 60, alive_s: 300, hosts: 2, pid: 1 });
      await writeFile(
        path.join(dir, 'history-2026-11.jsonl'),
        start('2026-11-01T00:00:00.000Z') +
          state('2026-11-01T00:00:00.000Z', 'a', 'UP', 'UNKNOWN') +
          state('2026-11-01T00:00:00.000Z', 'b', 'UP', 'UNKNOWN') +
          // Written while the clock was a year ahead, then set right.
          start('2027-11-01T00:00:00.000Z') +
          state('2027-11-01T00:00:00.000Z', 'b', 'DOWN', 'UP') +
          state('+275760-09-13T00:00:00.000Z', 'c', 'DOWN', 'UP') +
          line({ kind: 'stop', at: '2026-11-01T04:00:00.000Z' }),
      );
      await writeFile(
        path.join(dir, 'history-2027-01.jsonl'),
        state('2027-01-02T00:00:00.000Z', 'a', 'DOWN', 'UP'),
      );
      const log = new FakeLog();
      const report = await buildReport({
        dir,
        log,
        now: new Date('2026-11-01T04:00:00Z'),
        since: null,
        until: null,
        hosts: [],
      });
      expect(report.hosts.map((host) => host.host)).to.deep.equal(['a', 'b']);
      expect(report.hosts.map((host) => host.outages.length)).to.deep.equal([0, 0]);
      expect(report.until.toISOString()).to.equal('2026-11-01T04:00:00.000Z');
      expect(log.lines.filter((entry) => entry.startsWith('WARN'))).to.deep.equal([
        'WARN history: 4 records dated after now; the clock may have jumped',
      ]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
