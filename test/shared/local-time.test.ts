import { expect } from 'chai';

import { isoWithOffset, localDate } from '../../lib/shared/local-time.js';

describe('shared/local-time: log line times in local time with the offset', () => {
  const at = new Date('2026-12-01T23:30:05.120Z');
  const cases: [offsetMinutes: number, iso: string, date: string][] = [
    [0, '2026-12-01T23:30:05.120+00:00', '2026-12-01'],
    [60, '2026-12-02T00:30:05.120+01:00', '2026-12-02'],
    [-300, '2026-12-01T18:30:05.120-05:00', '2026-12-01'],
    [330, '2026-12-02T05:00:05.120+05:30', '2026-12-02'],
    [-570, '2026-12-01T14:00:05.120-09:30', '2026-12-01'],
  ];
  for (const [offset, iso, date] of cases) {
    it(`offset ${offset} min: ${iso}, file date ${date}`, () => {
      expect(isoWithOffset(at, offset)).to.equal(iso);
      expect(localDate(at, offset)).to.equal(date);
      // The same instant, whatever the offset.
      expect(new Date(isoWithOffset(at, offset)).getTime()).to.equal(at.getTime());
    });
  }
});
