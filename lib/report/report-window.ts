import { UserError } from '../shared/errors.js';

/** A `--since`/`--until` value the report cannot read. */
export class ReportOptionError extends UserError {
  override name = 'ReportOptionError';
}

const DAY_MS = 86_400_000;
/** Units of an age: a year is 365 days and a week 7 (a report window, not a calendar). */
const AGE_UNITS = { y: 365 * DAY_MS, w: 7 * DAY_MS, d: DAY_MS, h: 3_600_000, m: 60_000 } as const;

/**
 * Reads a `--since`/`--until` value: a date (`2026-11-01`, midnight UTC), a date and time in ISO 8601
 * (`2026-11-01T08:00:00Z`; without a zone it is UTC), or an age such as `1y` (365 days), `2w`, `30d`, `12h` or `90m` before `now`.
 * @throws ReportOptionError naming the option and the accepted forms
 */
export function parseReportTime(option: string, text: string, now: Date): Date {
  const trimmed = text.trim();
  const age = /^(\d{1,6})([ywdhm])$/.exec(trimmed);
  if (age) return new Date(now.getTime() - Number(age[1]) * AGE_UNITS[age[2] as keyof typeof AGE_UNITS]);
  const date = /^\d{4}-\d{2}-\d{2}$/.test(trimmed)
    ? `${trimmed}T00:00:00Z`
    : /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed)
      ? `${trimmed.replace(' ', 'T')}Z`
      : /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(trimmed)
        ? trimmed.replace(' ', 'T')
        : null;
  const time = date === null ? NaN : Date.parse(date);
  if (Number.isNaN(time)) {
    throw new ReportOptionError(
      `${option} "${text}": expected a date (2026-11-01), a date and time (2026-11-01T08:00:00Z) or an age (1y, 2w, 30d, 12h, 90m)`,
    );
  }
  return new Date(time);
}
