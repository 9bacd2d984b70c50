import { expect } from 'chai';

import type { MaintenanceWindow } from '../../lib/config/maintenance-window.js';
import { parseMaintenance } from '../../lib/config/parse-maintenance.js';
import type { TimeZone } from '../../lib/config/time-zone.js';
import { openUntil, suppressionsAt, type Snooze } from '../../lib/monitor/suppression.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { testTarget } from '../fakes/fake-config.js';

const targets = [
  testTarget('a', { location: 'HQ' }),
  testTarget('b', { location: 'HQ' }),
  testTarget('c', { location: 'Depot' }),
];
const PLUS_TWO: TimeZone = { kind: 'offset', minutes: 120 };
const MINUS_FIVE: TimeZone = { kind: 'offset', minutes: -300 };

function windows(text: string, zone: TimeZone = PLUS_TWO): readonly MaintenanceWindow[] {
  const parsed = parseMaintenance(text, 'config/maintenance.csv', targets, zone);
  expect(parsed.errors.map((e) => e.message)).to.deep.equal([]);
  return parsed.windows;
}

function openAt(window: MaintenanceWindow | undefined, iso: string): string | null {
  return openUntil(window!.timing, new Date(iso))?.toISOString() ?? null;
}

describe('monitor/suppression: maintenance windows and snoozes', () => {
  it('opens a one-off window at START (included) and closes it at END (excluded)', () => {
    const [window] = windows('a,2026-12-05T22:00,2026-12-06T02:00,firmware\n');
    expect(openAt(window, '2026-12-05T19:59:59Z')).to.equal(null);
    expect(openAt(window, '2026-12-05T20:00:00Z')).to.equal('2026-12-06T00:00:00.000Z');
    expect(openAt(window, '2026-12-05T23:59:59Z')).to.equal('2026-12-06T00:00:00.000Z');
    expect(openAt(window, '2026-12-06T00:00:00Z')).to.equal(null);
  });

  it('opens a daily window every day at its local time in a fixed-offset zone, also across midnight UTC', () => {
    const [daily] = windows('a,daily 23:30,1h,backup\n', MINUS_FIVE);
    // 23:30 at -05:00 is 04:30 UTC the next day; the window runs to 05:30 UTC.
    expect(openAt(daily, '2026-03-10T04:29:00Z')).to.equal(null);
    expect(openAt(daily, '2026-03-10T04:30:00Z')).to.equal('2026-03-10T05:30:00.000Z');
    expect(openAt(daily, '2026-03-10T05:29:59Z')).to.equal('2026-03-10T05:30:00.000Z');
    expect(openAt(daily, '2026-03-10T05:30:00Z')).to.equal(null);
    expect(openAt(daily, '2026-03-11T05:00:00Z')).to.equal('2026-03-11T05:30:00.000Z');
  });

  it('opens a weekly window only on its days, and a cron window when the pattern fires', () => {
    const [weekend, monthly] = windows('b,weekly sat sun 02:00,2h\nc,cron 0 4 1 * *,30m\n');
    // 2026-12-05 is a Saturday, 2026-12-07 a Monday; 02:00 at +02:00 is 00:00 UTC.
    expect(openAt(weekend, '2026-12-05T01:00:00Z')).to.equal('2026-12-05T02:00:00.000Z');
    expect(openAt(weekend, '2026-12-06T00:00:00Z')).to.equal('2026-12-06T02:00:00.000Z');
    expect(openAt(weekend, '2026-12-07T01:00:00Z')).to.equal(null);
    expect(openAt(monthly, '2027-01-01T02:10:00Z')).to.equal('2027-01-01T02:30:00.000Z');
    expect(openAt(monthly, '2027-01-02T02:10:00Z')).to.equal(null);
  });

  it('matches hosts, locations and *; a snooze expires by itself; the longer reason wins', () => {
    const clock = new FakeClock('2026-12-05T20:30:00Z');
    const rows = windows('location:HQ,2026-12-05T22:00,2026-12-05T23:00,switch swap\n');
    const snoozes: Snooze[] = [
      {
        selector: { kind: 'host', host: 'B' },
        at: clock.now(),
        until: new Date(clock.now().getTime() + 3_600_000),
        note: 'on it',
      },
      {
        selector: { kind: 'all' },
        at: clock.now(),
        until: new Date(clock.now().getTime() + 600_000),
        note: null,
      },
    ];
    const now = () => clock.now();
    expect([...suppressionsAt(targets, rows, snoozes, now())]).to.deep.equal([
      ['a', { kind: 'maintenance', until: new Date('2026-12-05T21:00:00Z'), note: 'switch swap' }],
      ['b', { kind: 'snooze', until: new Date('2026-12-05T21:30:00Z'), note: 'on it' }],
      ['c', { kind: 'snooze', until: new Date('2026-12-05T20:40:00Z'), note: null }],
    ]);
    clock.advance(600_000);
    expect([...suppressionsAt(targets, rows, snoozes, now()).keys()]).to.deep.equal(['a', 'b']);
    clock.advance(3_600_000);
    expect(suppressionsAt(targets, rows, snoozes, now()).size).to.equal(0);
  });
});
