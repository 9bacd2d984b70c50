import { formatFields, type Log, type LogFields } from '../../lib/shared/log.js';

/** Collects log lines as `LEVEL message key=value` strings. */
export class FakeLog implements Log {
  readonly lines: string[] = [];

  debug(message: string, fields?: LogFields): void {
    this.lines.push(`DEBUG ${message}${formatFields(fields)}`);
  }
  info(message: string, fields?: LogFields): void {
    this.lines.push(`INFO ${message}${formatFields(fields)}`);
  }
  warn(message: string, fields?: LogFields): void {
    this.lines.push(`WARN ${message}${formatFields(fields)}`);
  }
  error(message: string, fields?: LogFields): void {
    this.lines.push(`ERROR ${message}${formatFields(fields)}`);
  }

  /** Lines that start with the given prefix (e.g. `WARN cycle`). */
  matching(prefix: string): string[] {
    return this.lines.filter((line) => line.startsWith(prefix));
  }
}
