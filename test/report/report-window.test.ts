import { expect } from 'chai';

import { parseReportTime } from '../../lib/report/report-window.js';

describe('report/report-window', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const cases: [string, string][] = [
    ['1y', '2025-11-22T12:00:00.000Z'],
    ['2w', '2026-11-08T12:00:00.000Z'],
    ['30d', '2026-10-23T12:00:00.000Z'],
    ['12h', '2026-11-22T00:00:00.000Z'],
    ['90m', '2026-11-22T10:30:00.000Z'],
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T08:30', '2026-11-01T08:30:00.000Z'],
    ['2026-11-01 08:30:15', '2026-11-01T08:30:15.000Z'],
    ['2026-11-01T08:30:00+01:00', '2026-11-01T07:30:00.000Z'],
    [' 7d ', '2026-11-15T12:00:00.000Z'],
  ];
  for (const [text, expected] of cases) {
    it(`reads "${text}"`, () =>
      expect(parseReportTime('--since', text, now).toISOString()).to.equal(expected));
  }

  for (const text of ['yesterday', '30', '-5d', '2026-13-45', '2026-11-01T25:00', '']) {
    it(`refuses "${text}" naming the option and the accepted forms`, () => {
      expect(() => parseReportTime('--until', text, now)).to.throw(
        `--until "${text}": expected a date (2026-11-01), a date and time (2026-11-01T08:00:00Z) or an age (1y, 2w, 30d, 12h, 90m)`,
      );
    });
  }
});
