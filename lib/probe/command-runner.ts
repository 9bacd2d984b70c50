import { execFile } from 'node:child_process';

/** What a finished command printed and how it ended. */
export interface CommandOutput {
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code; null when the process was killed (timeout, abort). */
  readonly code: number | null;
  /** True when the process was killed because it ran past its time limit. */
  readonly timedOut: boolean;
}

/**
 * Runs a program with arguments, never through a shell, so no argument is ever read as a shell word.
 * Rejects only when the program cannot be started at all (not installed); a non-zero exit is a result.
 */
export type CommandRunner = (
  file: string,
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal },
) => Promise<CommandOutput>;

/** The real {@link CommandRunner}: `execFile` with LANG=C so the output reads the same everywhere. */
export const execCommand: CommandRunner = (file, args, options) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      {
        timeout: options.timeoutMs,
        signal: options.signal,
        env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
        maxBuffer: 1024 * 1024,
        encoding: 'utf8',
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code === 'string') {
          // ENOENT/EACCES: the tool is missing, which is not a property of the target.
          if (error.code !== 'ABORT_ERR') return reject(error);
        }
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ stdout, stderr, code, timedOut: error?.killed === true && code === null });
      },
    );
  });
