import { expect } from 'chai';

import { isQuietAt, parseQuietSpan, type QuietHours } from '../../lib/config/quiet-hours.js';
import { minuteOfDay, type TimeZone } from '../../lib/config/time-zone.js';

const UTC: TimeZone = { kind: 'offset', minutes: 0 };
const PLUS_TWO: TimeZone = { kind: 'offset', minutes: 120 };
const MINUS_FIVE_THIRTY: TimeZone = { kind: 'offset', minutes: -330 };

function quiet(text: string, zone: TimeZone): QuietHours {
  const span = parseQuietSpan(text);
  if (typeof span === 'string') throw new Error(span);
  return { ...span, zone, text };
}

describe('config/quiet-hours', () => {
  it('reads the minute of day on a fixed offset, across midnight in either direction', () => {
    const at = new Date('2026-12-05T23:10:00Z');
    expect(minuteOfDay(at, UTC)).to.equal(23 * 60 + 10);
    // 01:10 the next day at +02:00; 17:40 the same day at -05:30.
    expect(minuteOfDay(at, PLUS_TWO)).to.equal(70);
    expect(minuteOfDay(at, MINUS_FIVE_THIRTY)).to.equal(17 * 60 + 40);
  });

  it('reads the minute of day in an IANA zone with its DST offset', () => {
    // Berlin is UTC+1 in winter and UTC+2 in summer.
    expect(minuteOfDay(new Date('2026-01-15T21:30:00Z'), { kind: 'iana', name: 'Europe/Berlin' })).to.equal(
      22 * 60 + 30,
    );
    expect(minuteOfDay(new Date('2026-07-15T21:30:00Z'), { kind: 'iana', name: 'Europe/Berlin' })).to.equal(
      23 * 60 + 30,
    );
  });

  const cases: [string, TimeZone, string, boolean][] = [
    // A span across midnight, read at +02:00.
    ['22:00-07:00', PLUS_TWO, '2026-12-05T19:59:00Z', false], // 21:59 local
    ['22:00-07:00', PLUS_TWO, '2026-12-05T20:00:00Z', true], // 22:00 local: the start is quiet
    ['22:00-07:00', PLUS_TWO, '2026-12-05T23:30:00Z', true], // 01:30 local
    ['22:00-07:00', PLUS_TWO, '2026-12-06T04:59:00Z', true], // 06:59 local
    ['22:00-07:00', PLUS_TWO, '2026-12-06T05:00:00Z', false], // 07:00 local: the end is not
    // The same instant is quiet in one zone and not in another.
    ['22:00-07:00', UTC, '2026-12-05T20:00:00Z', false],
    // A span within one day.
    ['12:00-13:30', UTC, '2026-12-05T12:45:00Z', true],
    ['12:00-13:30', UTC, '2026-12-05T13:30:00Z', false],
    ['12:00-13:30', UTC, '2026-12-05T11:59:00Z', false],
  ];
  for (const [span, zone, at, expected] of cases) {
    it(`${span} at ${zone.kind === 'offset' ? zone.minutes : ''} min offset, ${at}: ${expected ? 'quiet' : 'not quiet'}`, () => {
      expect(isQuietAt(quiet(span, zone), new Date(at))).to.equal(expected);
    });
  }

  it('refuses what is not HH:MM-HH:MM', () => {
    for (const text of ['22:00', '24:00-07:00', '22:60-07:00', '22:00-7', 'night']) {
      expect(parseQuietSpan(text), text).to.be.a('string');
    }
    expect(parseQuietSpan('7:05-9:00')).to.deep.equal({ startMinute: 425, endMinute: 540 });
  });
});
