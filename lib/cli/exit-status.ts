import { CommanderError } from 'commander';

import { ConfigErrors, FaultError, PingwardenError, UserError } from '../shared/errors.js';
import type { ConsoleIo } from '../app/deps.js';

/** Exit codes shared by every command (cron and systemd read them). */
export const ExitCode = { ok: 0, hostsDown: 1, failure: 1, badConfig: 2, busy: 3 } as const;

/**
 * The one mapping from an error to what the user sees and the exit code:
 * - {@link UserError} (bad config, bad argument, missing tool): its message, exit 2; every problem of a
 *   {@link ConfigErrors} on its own line;
 * - {@link FaultError} (port in use, a tool that failed): one line, exit 1;
 * - any other {@link PingwardenError}, raised on purpose but not yet classified: one line, exit 1;
 * - anything else is a bug: "unexpected error" with the stack, exit 1.
 */
export function exitCodeOf(error: unknown, io: ConsoleIo): number {
  if (error instanceof CommanderError) {
    // Commander has printed the message already (help and version exit with 0).
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.badConfig;
  }
  if (error instanceof ConfigErrors) {
    for (const problem of error.problems) io.err(problem.message);
    const count = error.problems.length;
    io.err(`${count} problem${count === 1 ? '' : 's'} found; nothing started`);
    return ExitCode.badConfig;
  }
  if (error instanceof UserError) {
    io.err(`pingwarden: ${error.message}`);
    return ExitCode.badConfig;
  }
  if (error instanceof FaultError || error instanceof PingwardenError) {
    io.err(`pingwarden: ${error.message}`);
    return ExitCode.failure;
  }
  io.err(`pingwarden: unexpected error (a bug; please report it):`);
  io.err(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return ExitCode.failure;
}
