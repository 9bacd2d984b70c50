/** Options for {@link formatDuration}. */
export interface FormatDurationOptions {
  /**
   * How many units to show at most, counted from the most significant non-zero one (1 to 4).
   * Default 4: full precision down to seconds. Subjects use 2 (`1h 0m`, `12m 34s`), reports the default.
   */
  readonly units?: number;
}

const UNITS: readonly (readonly [suffix: string, ms: number])[] = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/**
 * Renders a length of time as `1d 2h 3m 4s`.
 *
 * Rules: leading zero units are left out, the units after the first shown one are always shown (zero
 * included) until `units` of them have been written or seconds are reached, so `3600000` is `1h 0m 0s`
 * by default and `1h 0m` with `{ units: 2 }`; `754000` is `12m 34s`. Dropped units are cut off, never
 * rounded up, so a message never claims an outage was longer than it was. Less than a second is `0s`; a
 * negative length (the wall clock was stepped back) is shown as `0s` too rather than as nonsense.
 *
 * @throws RangeError when `ms` is not a finite number or `units` is not an integer from 1 to 4.
 */
export function formatDuration(ms: number, options: FormatDurationOptions = {}): string {
  const maxUnits = options.units ?? UNITS.length;
  if (!Number.isInteger(maxUnits) || maxUnits < 1 || maxUnits > UNITS.length) {
    throw new RangeError(
      `formatDuration: units must be an integer from 1 to ${UNITS.length}, got ${maxUnits}`,
    );
  }
  if (!Number.isFinite(ms)) throw new RangeError(`formatDuration: not a finite duration: ${ms}`);

  let rest = Math.max(0, Math.floor(ms));
  const parts: string[] = [];
  for (const [suffix, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (parts.length === 0 && count === 0) continue;
    parts.push(`${count}${suffix}`);
    if (parts.length === maxUnits) break;
  }
  return parts.length === 0 ? '0s' : parts.join(' ');
}
