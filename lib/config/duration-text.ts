const UNIT_MS: Readonly<Record<string, number>> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The longest duration a snooze or a maintenance window may have: a year. */
export const MAX_DURATION_MS = 366 * 86_400_000;

/** What {@link parseDurationText} accepts, for messages. */
export const DURATION_FORMS = 'a duration such as 30m, 2h, 1h30m, 1d or 1w (more than 0, at most a year)';

/**
 * Reads a duration as people write it on a command line or in a CSV cell: one or more `NUMBER UNIT` parts
 * with units s, m, h, d, w (`90m`, `1h30m`, `2d`). A bare number is minutes. Null when it is not one, is
 * zero, or is longer than {@link MAX_DURATION_MS}.
 */
export function parseDurationText(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (/^\d{1,6}$/.test(trimmed)) return checked(Number(trimmed) * UNIT_MS.m!);
  if (!/^(\d{1,6}\s*[smhdw]\s*)+$/.test(trimmed)) return null;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d{1,6})\s*([smhdw])/g)) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
  }
  return checked(total);
}

function checked(ms: number): number | null {
  return ms > 0 && ms <= MAX_DURATION_MS ? ms : null;
}
