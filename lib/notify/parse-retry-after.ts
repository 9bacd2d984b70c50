/**
 * Reads a Retry-After value: seconds (`120`, Discord also sends fractions such as `0.35`) or an HTTP date.
 * @returns milliseconds to wait, or null when the value is missing or unreadable
 */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - now.getTime());
}
