import { expect } from 'chai';

import { parseMaintenance } from '../../lib/config/parse-maintenance.js';
import { instantOf, parseTimeZone, parseWallTime, type TimeZone } from '../../lib/config/time-zone.js';
import { testTarget } from '../fakes/fake-config.js';

const FILE = 'config/maintenance.csv';
const targets = [
  testTarget('10.1.1.254', { location: 'Bldg 6 MDF 101' }),
  testTarget('router.example.test', { location: 'HQ' }),
];
/** A fixed offset with no DST, so no test depends on the machine's zone. */
const PLUS_TWO: TimeZone = { kind: 'offset', minutes: 120 };

function parse(text: string, zone: TimeZone = PLUS_TWO) {
  return parseMaintenance(text, FILE, targets, zone);
}

describe('config/parse-maintenance', () => {
  it('reads a one-off row HOST,START,END,note with ISO 8601 local times in the configured zone', () => {
    const { windows, errors } = parse('10.1.1.254,2026-12-05T22:00,2026-12-06T02:00,firmware update\n');
    expect(errors).to.deep.equal([]);
    expect(windows).to.have.length(1);
    const [window] = windows;
    expect(window?.selector).to.deep.equal({ kind: 'host', host: '10.1.1.254' });
    expect(window?.note).to.equal('firmware update');
    expect(window?.line).to.equal(1);
    expect(window?.timing).to.deep.equal({
      kind: 'once',
      start: new Date('2026-12-05T20:00:00Z'),
      end: new Date('2026-12-06T00:00:00Z'),
    });
  });

  it('reads times in the machine zone with maintenance_time_zone local (the default)', () => {
    const { windows } = parse('10.1.1.254,2026-12-05T22:00,2026-12-06T02:00\n', { kind: 'local' });
    // Whatever zone runs the test: the same wall time the Date constructor reads as local.
    expect(windows[0]?.timing).to.deep.equal({
      kind: 'once',
      start: new Date(2026, 11, 5, 22, 0),
      end: new Date(2026, 11, 6, 2, 0),
    });
  });

  it('takes a header, comments, location:NAME, *, an END given as a duration and a note with commas', () => {
    const text = [
      'target,start,end,note',
      '# the ISP works on the line',
      'location:bldg 6 mdf 101,2026-12-05T22:00,4h,ISP, ticket 42',
      '*,2026-12-24T00:00,2026-12-27T00:00',
    ].join('\n');
    const { windows, errors } = parse(text);
    expect(errors).to.deep.equal([]);
    expect(windows.map((w) => [w.selector, w.note, w.line])).to.deep.equal([
      [{ kind: 'location', location: 'bldg 6 mdf 101' }, 'ISP, ticket 42', 3],
      [{ kind: 'all' }, '', 4],
    ]);
    expect(windows[0]?.timing).to.deep.equal({
      kind: 'once',
      start: new Date('2026-12-05T20:00:00Z'),
      end: new Date('2026-12-06T00:00:00Z'),
    });
  });

  it('turns daily, weekly and cron rows into cron patterns with a length', () => {
    const text = [
      'router.example.test,daily 02:00,30m,backup',
      'router.example.test,weekly sat sun 03:30,2h',
      'router.example.test,weekly mon-fri 12:00,1h',
      '10.1.1.254,cron 0 4 1 * *,1h30m,monthly reboot',
    ].join('\n');
    const { windows, errors } = parse(text);
    expect(errors).to.deep.equal([]);
    expect(
      windows.map((w) => (w.timing.kind === 'recurring' ? [w.timing.pattern, w.timing.durationMs] : null)),
    ).to.deep.equal([
      ['0 2 * * *', 1_800_000],
      ['30 3 * * 0,6', 7_200_000],
      ['0 12 * * 1,2,3,4,5', 3_600_000],
      ['0 4 1 * *', 5_400_000],
    ]);
  });

  it('reports every bad row with file and line: bad time, END before START, unknown host, bad schedule', () => {
    const text = [
      '10.1.1.254,2026-13-05T22:00,2026-12-06T02:00,bad month',
      '10.1.1.254,2026-12-06T02:00,2026-12-05T22:00,backwards',
      '10.9.9.9,2026-12-05T22:00,2026-12-06T02:00,typo',
      'location:Nowhere,daily 02:00,30m',
      '10.1.1.254,daily 25:00,30m',
      '10.1.1.254,weekly funday 02:00,30m',
      '10.1.1.254,cron 99 2 * * *,30m',
      '10.1.1.254,daily 02:00,soon',
      '10.1.1.254,2026-12-05T22:00',
      // Longer than a year: the message must say the limit, not only the forms.
      '10.1.1.254,daily 02:00,400d',
    ].join('\n');
    const { windows, errors } = parse(text);
    expect(windows).to.deep.equal([]);
    expect(errors.map((e) => e.message)).to.deep.equal([
      'config/maintenance.csv:1: invalid start "2026-13-05T22:00": expected an ISO 8601 local time such as 2026-12-05T22:00, "daily HH:MM", "weekly DAYS HH:MM" or "cron PATTERN"',
      'config/maintenance.csv:2: end 2026-12-05T22:00 is not after start 2026-12-06T02:00',
      'config/maintenance.csv:3: unknown host "10.9.9.9": it is not in hosts.csv or sensors.csv',
      'config/maintenance.csv:4: no host in hosts.csv has the location "Nowhere"',
      'config/maintenance.csv:5: invalid schedule "daily 25:00": it must end with a time HH:MM, e.g. "daily 02:00"',
      'config/maintenance.csv:6: invalid schedule "weekly funday 02:00": unknown day "funday": use mon, tue, wed, thu, fri, sat, sun or a range such as mon-fri',
      'config/maintenance.csv:7: invalid schedule "cron 99 2 * * *": CronPattern: Invalid value for minute: 99',
      'config/maintenance.csv:8: invalid length "soon" of a recurring window: expected a duration such as 30m, 2h, 1h30m, 1d or 1w (more than 0, at most a year)',
      'config/maintenance.csv:9: missing values (expected "target,start,end,note" (e.g. "10.1.1.254,2026-12-05T22:00,2026-12-06T02:00,firmware update") or "target,daily 02:00,30m,note")',
      'config/maintenance.csv:10: invalid length "400d" of a recurring window: expected a duration such as 30m, 2h, 1h30m, 1d or 1w (more than 0, at most a year)',
    ]);
  });
});

describe('config/time-zone', () => {
  it('reads local, UTC, fixed offsets and IANA names; refuses the rest', () => {
    expect(parseTimeZone('local')).to.deep.equal({ kind: 'local' });
    expect(parseTimeZone('UTC')).to.deep.equal({ kind: 'offset', minutes: 0 });
    expect(parseTimeZone('+02:00')).to.deep.equal({ kind: 'offset', minutes: 120 });
    expect(parseTimeZone('-05:30')).to.deep.equal({ kind: 'offset', minutes: -330 });
    expect(parseTimeZone('Europe/Berlin')).to.deep.equal({ kind: 'iana', name: 'Europe/Berlin' });
    expect(parseTimeZone('Mars/Olympus')).to.equal(null);
    expect(parseTimeZone('+25:00')).to.equal(null);
  });

  it('turns a wall time into the instant it names in a zone (IANA zones across DST too)', () => {
    const wall = parseWallTime('2026-07-01T12:00')!;
    expect(instantOf(wall, { kind: 'offset', minutes: -330 }).toISOString()).to.equal(
      '2026-07-01T17:30:00.000Z',
    );
    // Berlin is UTC+2 in summer and UTC+1 in winter: the zone's own rules, not the machine's.
    expect(instantOf(wall, { kind: 'iana', name: 'Europe/Berlin' }).toISOString()).to.equal(
      '2026-07-01T10:00:00.000Z',
    );
    const winter = parseWallTime('2026-12-05 22:00')!;
    expect(instantOf(winter, { kind: 'iana', name: 'Europe/Berlin' }).toISOString()).to.equal(
      '2026-12-05T21:00:00.000Z',
    );
    expect(parseWallTime('2026-02-30T10:00')).to.equal(null);
  });
});
