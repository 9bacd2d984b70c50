import { minuteOfDay, type TimeZone } from './time-zone.js';

/**
 * A route's quiet hours (`quiet=22:00-07:00`): from `startMinute` up to, not including, `endMinute`, every
 * day, on the clock of `zone`. A start after the end spans midnight.
 */
export interface QuietHours {
  /** Minutes since midnight, 0 to 1439. */
  readonly startMinute: number;
  readonly endMinute: number;
  readonly zone: TimeZone;
  /** As written, for messages. */
  readonly text: string;
}

/** Reads `HH:MM-HH:MM`; a message when it is not one. */
export function parseQuietSpan(text: string): { startMinute: number; endMinute: number } | string {
  const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(text.trim());
  const minute = (hours: string, minutes: string): number | null => {
    const h = Number(hours);
    const m = Number(minutes);
    return h > 23 || m > 59 ? null : h * 60 + m;
  };
  const start = match ? minute(match[1]!, match[2]!) : null;
  const end = match ? minute(match[3]!, match[4]!) : null;
  if (start === null || end === null) {
    return `invalid quiet hours ${JSON.stringify(text)}: expected HH:MM-HH:MM, e.g. quiet=22:00-07:00`;
  }
  if (start === end) return `invalid quiet hours ${JSON.stringify(text)}: start and end are the same time`;
  return { startMinute: start, endMinute: end };
}

/** Whether `now` falls in the quiet hours. */
export function isQuietAt(quiet: QuietHours, now: Date): boolean {
  const minute = minuteOfDay(now, quiet.zone);
  return quiet.startMinute < quiet.endMinute
    ? minute >= quiet.startMinute && minute < quiet.endMinute
    : minute >= quiet.startMinute || minute < quiet.endMinute;
}
