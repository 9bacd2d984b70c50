import { once } from 'node:events';

import winston from 'winston';
import DailyRotateFile from 'winston-daily-rotate-file';

import { BatchedConsole } from './batched-console.js';
import { isoWithOffset } from './local-time.js';
import { formatFields, type Log, type LogFields } from './log.js';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  /** Folder of the daily files `pingwarden-YYYY-MM-DD.log`; null logs to the console only. */
  readonly logsDir: string | null;
  readonly retentionDays: number;
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  /** Console output for people watching the terminal or journald. */
  readonly console: boolean;
}

/** A {@link Log} backed by winston, with a way to flush it before the process exits. */
export interface ClosableLog extends Log {
  /** Flushes and closes every file; call once, at shutdown. */
  close(): Promise<void>;
}

// Local time with the offset (2026-12-02T09:05:03.120+01:00): the file is named by the local date, so its
// lines read in the same clock; the offset keeps them unambiguous.
const fileFormat = winston.format.printf(
  ({ level, message }) => `${isoWithOffset(new Date())} ${level.toUpperCase()} ${String(message)}`,
);

// The local time of day ("09:05:03"), cut from the file's time stamp: toLocaleTimeString builds a formatter
// per call (0.2 ms a line, most of a 10,000-host cycle's CPU), and any Intl formatter maps ICU's locale
// data into the process, some 8 MB of the daemon's RSS that nothing else in a cycle needs.
const consoleFormat = winston.format.printf(({ level, message }) => {
  const time = isoWithOffset(new Date()).slice(11, 19);
  return `${time} ${level.toUpperCase().padEnd(5)} ${String(message)}`;
});

/**
 * Builds the real logger: one `key=value` line per event, to daily files kept for `retentionDays`
 * (older ones gzipped) and to the console.
 */
export function createLogger(options: LoggerOptions): ClosableLog {
  const transports: winston.transport[] = [];
  const files: DailyRotateFile[] = [];
  if (options.logsDir !== null) {
    const file = new DailyRotateFile({
      dirname: options.logsDir,
      filename: 'pingwarden-%DATE%.log',
      datePattern: 'YYYY-MM-DD',
      maxFiles: `${options.retentionDays}d`,
      zippedArchive: true,
      // The audit file tracks which files rotation owns; keep it out of the way of people reading logs/.
      auditFile: `${options.logsDir}/.pingwarden-log-audit.json`,
      format: fileFormat,
    });
    // Without a listener a later write failure (disk full, folder removed) is an "Unhandled 'error' event"
    // that kills the daemon; the console still gets every line, so say it once and go on.
    let reported = false;
    const report = (error: unknown) => {
      if (reported) return;
      reported = true;
      process.stderr.write(`pingwarden: cannot write log files in ${options.logsDir}: ${String(error)}\n`);
    };
    file.on('error', report);
    // The rotator's own stream re-emits write errors (ENOSPC) and the transport does not listen to it: found
    // by the soak, a full disk killed the daemon with "Unhandled 'error' event".
    (file as unknown as { logStream?: NodeJS.EventEmitter }).logStream?.on('error', report);
    files.push(file);
    transports.push(file);
  }
  const consoleTransport = options.console
    ? new BatchedConsole({ format: consoleFormat, stderrLevels: ['error', 'warn'] })
    : null;
  if (consoleTransport) transports.push(consoleTransport);
  const logger = winston.createLogger({ level: options.level, transports });
  // A line below the level is dropped before it is formatted: a first cycle (or a cron run) logs a debug
  // line per host found up, 10,000 of them for 10,000 hosts, and formatting them cost a tenth of a second.
  const write = (level: string) => (message: string, fields?: LogFields) => {
    if (logger.isLevelEnabled(level)) logger.log(level, `${message}${formatFields(fields)}`);
  };

  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    async close() {
      const finished = files.map((file) => once(file, 'finish'));
      logger.end();
      await Promise.all(finished);
      // After the end: the lines logged last are on their way to the transport until then.
      consoleTransport?.close();
    },
  };
}
