import { systemClock, type Clock } from '../shared/clock.js';
import { createLogger, type ClosableLog, type LoggerOptions } from '../shared/logger.js';

/** Where a command finds its configuration and keeps its logs and state. */
export interface AppPaths {
  /** The config folder as the user named it (`--config`); messages show it this way. */
  readonly configDir: string;
  readonly logsDir: string;
}

/** Where command output goes: stdout and stderr for people, a recorder in tests. */
export interface ConsoleIo {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Everything the real world gives a run of pingwarden. Every service and command is built from one of
 * these; only {@link systemDeps} (called by the CLI) reads the real clock, environment and process.
 */
export interface AppDeps {
  readonly clock: Clock;
  /** PATH for ping/fping/traceroute, PINGWARDEN_SMTP_* overrides. */
  readonly env: NodeJS.ProcessEnv;
  readonly io: ConsoleIo;
  readonly paths: AppPaths;
  /** Written to the history's start records. */
  readonly pid: number;
  /** Builds a log; tests pass one that records whether it was closed. */
  readonly createLog: (options: LoggerOptions) => ClosableLog;
}

/** The real dependencies of a command run from the terminal. */
export function systemDeps(paths: AppPaths, io: ConsoleIo): AppDeps {
  return { clock: systemClock, env: process.env, io, paths, pid: process.pid, createLog: createLogger };
}

/** The log of a one-shot command: warnings and errors on the console (stderr), no files. */
export function commandLog(deps: AppDeps, level: LoggerOptions['level'] = 'warn'): ClosableLog {
  return deps.createLog({ logsDir: null, retentionDays: 1, level, console: true });
}
