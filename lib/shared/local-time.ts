/**
 * `date` in ISO 8601 local time with its UTC offset: `2026-12-02T09:05:03.120+01:00`. Log lines use it so
 * that they agree with the local date in the log file's name, and a person reading `less` sees wall-clock
 * time while the offset keeps every line unambiguous (also across a DST change).
 *
 * @param offsetMinutes minutes east of UTC; defaults to the machine's offset at `date` (tests pass one)
 */
export function isoWithOffset(date: Date, offsetMinutes: number = -date.getTimezoneOffset()): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hours = String(Math.floor(abs / 60)).padStart(2, '0');
  const minutes = String(abs % 60).padStart(2, '0');
  return `${local}${sign}${hours}:${minutes}`;
}

/** The local calendar date of `date` as `YYYY-MM-DD`, the date in a log file's name. */
export function localDate(date: Date, offsetMinutes: number = -date.getTimezoneOffset()): string {
  return isoWithOffset(date, offsetMinutes).slice(0, 10);
}
