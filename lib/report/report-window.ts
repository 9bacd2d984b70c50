import { UserError } from '../shared/errors.js';

/** A `--since`/`--until` value the report cannot read. */
export class ReportOptionError extends UserError {
  override name = 'ReportOptionError';
}

const DAY_MS = 86_400_000;

/**
 * Reads a `--since`/`--until` value: a date (`2026-11-01`, midnight UTC), a date and time in ISO 8601
 * (`2026-11-01T08:00:00Z`; without a zone it is UTC), or an age such as `30d`, `12h` or `90m` before `now`.
 * @throws ReportOptionError naming the option and the accepted forms
 */
export function parseReportTime(option: string, text: string, now: Date): Date {
  const trimmed = text.trim();
  const age = /^(\d{1,6})([dhm])$/.exec(trimmed);
  if (age) {
    const unit = age[2] === 'd' ? DAY_MS : age[2] === 'h' ? 3_600_000 : 60_000;
    return new Date(now.getTime() - Number(age[1]) * unit);
  }
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
      `${option} "${text}": expected a date (2026-11-01), a date and time (2026-11-01T08:00:00Z) or an age (30d, 12h, 90m)`,
    );
  }
  return new Date(time);
}
