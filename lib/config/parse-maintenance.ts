import { Cron } from 'croner';

import { ConfigError } from '../shared/errors.js';
import { hasLineBreak, readCsvRows } from './csv-rows.js';
import { DURATION_FORMS, parseDurationText } from './duration-text.js';
import type { MaintenanceWindow, WindowTiming } from './maintenance-window.js';
import type { Target } from './target.js';
import { parseTargetSelector, SELECTOR_FORMS, unmatchedReason } from './target-selector.js';
import { instantOf, parseWallTime, type TimeZone } from './time-zone.js';

/** The windows of maintenance.csv and every problem found in it. */
export interface ParsedMaintenance {
  readonly windows: readonly MaintenanceWindow[];
  readonly errors: readonly ConfigError[];
}

const FORMAT =
  'expected "target,start,end,note" (e.g. "10.1.1.254,2026-12-05T22:00,2026-12-06T02:00,firmware update")' +
  ' or "target,daily 02:00,30m,note"';

const DAY_NUMBERS: Readonly<Record<string, number>> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
};

/**
 * Parses maintenance.csv: rows of `target,when,end,note`.
 *
 * - target: a host of hosts.csv (or `sensor:NAME`), `location:NAME` or `*`; one that names no configured
 *   target is an error (a typo would otherwise silently leave a host watched).
 * - one-off: `when` and `end` are ISO 8601 local times (`2026-12-05T22:00`) read in `zone`; `end` may
 *   also be a duration (`4h`). END must be after START.
 * - recurring: `when` is `daily HH:MM`, `weekly DAYS HH:MM` (days `mon`..`sun`, several separated by spaces,
 *   or a range `mon-fri`) or `cron PATTERN` (5 or 6 fields, croner syntax), read in `zone`; `end` is the
 *   window's length (`30m`, `2h`).
 * - note: the rest of the row (commas in it need no quoting; each is read as ", ").
 *
 * An optional first row whose first cell is `target`, `targets` or `host` is a header.
 *
 * @param file the path shown in messages, e.g. `config/maintenance.csv`
 * @param targets the configured targets, to check that every row names one
 * @param zone `maintenance_time_zone`
 */
export function parseMaintenance(
  text: string,
  file: string,
  targets: readonly Target[],
  zone: TimeZone,
): ParsedMaintenance {
  const { rows, errors: csvErrors } = readCsvRows(text, file);
  const errors: ConfigError[] = [...csvErrors];
  const windows: MaintenanceWindow[] = [];
  rows.forEach(({ line, cells }, index) => {
    const problem = (message: string): void => void errors.push(new ConfigError(file, line, message));
    if (index === 0 && /^(targets?|host)$/i.test(cells[0] ?? '')) return;
    if (cells.some(hasLineBreak)) return problem('line breaks are not allowed in maintenance.csv');
    if (cells.length < 3) return problem(`missing values (${FORMAT})`);
    const [targetText = '', when = '', end = '', ...noteCells] = cells;
    const selector = parseTargetSelector(targetText);
    let usable = true;
    if (selector === null) {
      problem(`missing target (${SELECTOR_FORMS})`);
      usable = false;
    } else {
      const unmatched = unmatchedReason(selector, targets);
      if (unmatched !== null) {
        problem(unmatched);
        usable = false;
      }
    }
    const timing = parseTiming(when, end, zone);
    if (typeof timing === 'string') {
      problem(timing);
      usable = false;
    }
    if (usable && selector !== null && typeof timing !== 'string') {
      windows.push({ selector, timing, note: noteCells.join(', ').trim(), line });
    }
  });
  errors.sort((a, b) => a.line - b.line);
  return { windows, errors };
}

/** The timing of a row, or what is wrong with it. */
export function parseTiming(when: string, end: string, zone: TimeZone): WindowTiming | string {
  const recurring = recurringPattern(when);
  if (recurring !== null) {
    if (typeof recurring !== 'string') {
      const durationMs = parseDurationText(end);
      if (durationMs === null) {
        return `invalid length ${JSON.stringify(end)} of a recurring window: expected ${DURATION_FORMS}`;
      }
      const checked = checkPattern(recurring.pattern, zone);
      if (checked !== null) return `invalid schedule ${JSON.stringify(when)}: ${checked}`;
      return { kind: 'recurring', pattern: recurring.pattern, durationMs, zone, text: when.trim() };
    }
    return recurring;
  }
  const startWall = parseWallTime(when);
  if (startWall === null) {
    return (
      `invalid start ${JSON.stringify(when)}: expected an ISO 8601 local time such as 2026-12-05T22:00, ` +
      '"daily HH:MM", "weekly DAYS HH:MM" or "cron PATTERN"'
    );
  }
  const start = instantOf(startWall, zone);
  const endWall = parseWallTime(end);
  let endAt: Date;
  if (endWall !== null) endAt = instantOf(endWall, zone);
  else {
    const durationMs = parseDurationText(end);
    if (durationMs === null) {
      return `invalid end ${JSON.stringify(end)}: expected an ISO 8601 local time such as 2026-12-06T02:00 or ${DURATION_FORMS}`;
    }
    endAt = new Date(start.getTime() + durationMs);
  }
  if (endAt.getTime() <= start.getTime()) {
    return `end ${end.trim()} is not after start ${when.trim()}`;
  }
  return { kind: 'once', start, end: endAt };
}

/**
 * The cron pattern of a recurring `when` (`daily 02:00` → `0 2 * * *`); a message when it starts like one
 * but is broken; null when it is not a recurring form at all.
 */
function recurringPattern(when: string): { pattern: string } | string | null {
  const words = when.trim().split(/\s+/);
  const head = words[0]?.toLowerCase();
  if (head === 'cron') {
    const fields = words.slice(1);
    if (fields.length < 5 || fields.length > 6) {
      return `invalid schedule ${JSON.stringify(when)}: a cron pattern has 5 fields (minute hour day month weekday), or 6 with seconds first`;
    }
    return { pattern: fields.join(' ') };
  }
  if (head !== 'daily' && head !== 'weekly') return null;
  const time = /^(\d{1,2}):(\d{2})$/.exec(words[words.length - 1] ?? '');
  const hour = Number(time?.[1]);
  const minute = Number(time?.[2]);
  if (!time || hour > 23 || minute > 59) {
    return `invalid schedule ${JSON.stringify(when)}: it must end with a time HH:MM, e.g. "${head} ${head === 'weekly' ? 'sat ' : ''}02:00"`;
  }
  if (head === 'daily') {
    if (words.length !== 2) return `invalid schedule ${JSON.stringify(when)}: expected "daily HH:MM"`;
    return { pattern: `${minute} ${hour} * * *` };
  }
  const days = parseDays(words.slice(1, -1).join(' '));
  if (typeof days === 'string') return `invalid schedule ${JSON.stringify(when)}: ${days}`;
  return { pattern: `${minute} ${hour} * * ${days.join(',')}` };
}

/** Day numbers (0 = Sunday) of `sat sun`, `mon-fri`, `mon,wed`; a message when a word is not a day. */
function parseDays(text: string): number[] | string {
  const words = text
    .toLowerCase()
    .split(/[\s,]+/)
    .filter((word) => word !== '');
  if (words.length === 0)
    return 'no days given: expected e.g. "weekly sat sun 02:00" or "weekly mon-fri 02:00"';
  const days = new Set<number>();
  for (const word of words) {
    const [from, to] = word.split('-') as [string, string | undefined];
    const first = dayNumber(from);
    const last = to === undefined ? first : dayNumber(to);
    if (first === null || last === null) {
      return `unknown day ${JSON.stringify(word)}: use mon, tue, wed, thu, fri, sat, sun or a range such as mon-fri`;
    }
    for (let day = first; ; day = (day + 1) % 7) {
      days.add(day);
      if (day === last) break;
    }
  }
  return [...days].sort((a, b) => a - b);
}

function dayNumber(word: string): number | null {
  return DAY_NUMBERS[word.slice(0, 3)] ?? null;
}

/** What croner says is wrong with a pattern (or that it never fires), or null when it is usable. */
function checkPattern(pattern: string, zone: TimeZone): string | null {
  try {
    const cron = new Cron(pattern, { paused: true, ...cronZone(zone) });
    if (cron.nextRun() === null) return 'it never fires';
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The croner options that read a pattern in `zone`. */
export function cronZone(zone: TimeZone): { timezone?: string; utcOffset?: number } {
  switch (zone.kind) {
    case 'local':
      return {};
    case 'offset':
      return { utcOffset: zone.minutes };
    case 'iana':
      return { timezone: zone.name };
  }
}
