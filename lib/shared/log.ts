/** Structured fields appended to a log line as `key=value`. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/**
 * The logging interface the core depends on. The real one (see logger.ts) writes to the console and to
 * rotating files; tests pass a fake that records lines.
 */
export interface Log {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Renders fields as ` key=value key2="two words"`; values with spaces or quotes are quoted. */
export function formatFields(fields: LogFields | undefined): string {
  if (!fields) return '';
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const text = String(value);
    out += /[\s"=]/.test(text) || text === '' ? ` ${key}=${JSON.stringify(text)}` : ` ${key}=${text}`;
  }
  return out;
}
