/**
 * The time zone maintenance.csv times are read in (`maintenance_time_zone`): the machine's own (`local`),
 * a fixed offset from UTC (`UTC`, `+02:00`, `-05:30`), or an IANA zone name (`Europe/Berlin`).
 */
export type TimeZone =
  | { readonly kind: 'local' }
  | { readonly kind: 'offset'; readonly minutes: number }
  | { readonly kind: 'iana'; readonly name: string };

/** A wall-clock time as written (`2026-12-05T22:00`): calendar fields, no zone. */
export interface WallTime {
  readonly year: number;
  /** 1 to 12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
}

/** Reads a `maintenance_time_zone` value; null when it names no zone. */
export function parseTimeZone(text: string): TimeZone | null {
  const trimmed = text.trim();
  if (trimmed.toLowerCase() === 'local') return { kind: 'local' };
  if (/^(utc|gmt|z)$/i.test(trimmed)) return { kind: 'offset', minutes: 0 };
  const offset = /^(?:utc|gmt)?([+-])(\d{2}):?(\d{2})$/i.exec(trimmed);
  if (offset) {
    const hours = Number(offset[2]);
    const minutes = Number(offset[3]);
    if (hours > 14 || minutes > 59) return null;
    return { kind: 'offset', minutes: (offset[1] === '-' ? -1 : 1) * (hours * 60 + minutes) };
  }
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(trimmed)) return null;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: trimmed });
    return { kind: 'iana', name: trimmed };
  } catch {
    return null;
  }
}

/** The zone as a person writes it back: `local`, `+02:00`, `Europe/Berlin`. */
export function formatTimeZone(zone: TimeZone): string {
  switch (zone.kind) {
    case 'local':
      return 'local';
    case 'iana':
      return zone.name;
    case 'offset':
      return formatOffset(zone.minutes);
  }
}

function formatOffset(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const sign = minutes < 0 ? '-' : '+';
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The instant a wall-clock time names in `zone`. In a zone with DST, a time skipped by the spring change
 * is read as the same wall time with the offset from before the change (02:30 → 03:30), and a time that
 * occurs twice in autumn is its first occurrence.
 */
export function instantOf(wall: WallTime, zone: TimeZone): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
  switch (zone.kind) {
    case 'offset':
      return new Date(asUtc - zone.minutes * 60_000);
    case 'local':
      return new Date(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute);
    case 'iana': {
      // Two rounds find the offset in force at the instant itself (the first guess uses the offset at the
      // wall time read as UTC, which can be on the other side of a DST change).
      let guess = asUtc - offsetAt(new Date(asUtc), zone.name);
      guess = asUtc - offsetAt(new Date(guess), zone.name);
      return new Date(guess);
    }
  }
}

/** The offset of an IANA zone from UTC at `date`, in milliseconds. */
function offsetAt(date: Date, name: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(date);
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const wall = Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
  return wall - Math.floor(date.getTime() / 1000) * 1000;
}

/**
 * Reads an ISO 8601 local date-time as maintenance.csv writes it: `2026-12-05T22:00` (a space instead of
 * `T` and seconds `:00` are accepted too). Null when it is not one or names no real date (`2026-02-30`).
 */
export function parseWallTime(text: string): WallTime | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::00)?$/.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return { year, month, day, hour, minute };
}

/** Minutes since midnight (0 to 1439) that a clock in `zone` shows at `date`. */
export function minuteOfDay(date: Date, zone: TimeZone): number {
  const utcMinute = (ms: number) => ((Math.floor(ms / 60_000) % 1440) + 1440) % 1440;
  switch (zone.kind) {
    case 'offset':
      return utcMinute(date.getTime() + zone.minutes * 60_000);
    case 'local':
      return date.getHours() * 60 + date.getMinutes();
    case 'iana':
      return utcMinute(date.getTime() + offsetAt(date, zone.name));
  }
}
