import { expect } from 'chai';
import { formatDuration } from '../../lib/shared/format-duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('formatDuration', () => {
  const cases: [ms: number, units: number | undefined, expected: string][] = [
    [0, undefined, '0s'],
    [999, undefined, '0s'],
    [1000, undefined, '1s'],
    [59_999, undefined, '59s'],
    [754_000, undefined, '12m 34s'],
    [754_000, 2, '12m 34s'],
    [H, undefined, '1h 0m 0s'],
    [H, 2, '1h 0m'],
    [H + 5 * S, 2, '1h 0m'],
    [D + 2 * H + 3 * M + 4 * S, undefined, '1d 2h 3m 4s'],
    [D + 2 * H + 3 * M + 4 * S, 2, '1d 2h'],
    [D + 4 * S, undefined, '1d 0h 0m 4s'],
    [D, 1, '1d'],
    [40 * D + 12 * H, 2, '40d 12h'],
    [2 * H - 1, 2, '1h 59m'],
    [12 * M + 34 * S, 1, '12m'],
    [-5000, undefined, '0s'],
  ];
  for (const [ms, units, expected] of cases) {
    it(`${ms} ms${units === undefined ? '' : ` in ${units} units`} → ${expected}`, () => {
      expect(formatDuration(ms, units === undefined ? {} : { units })).to.equal(expected);
    });
  }

  it('rejects a non-finite duration and a bad unit count', () => {
    expect(() => formatDuration(Number.NaN)).to.throw(RangeError, /not a finite duration/);
    expect(() => formatDuration(Infinity)).to.throw(RangeError);
    expect(() => formatDuration(1000, { units: 0 })).to.throw(
      RangeError,
      /units must be an integer from 1 to 4/,
    );
    expect(() => formatDuration(1000, { units: 1.5 })).to.throw(RangeError);
    expect(() => formatDuration(1000, { units: 5 })).to.throw(RangeError);
  });
});
