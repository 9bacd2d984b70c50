import { spawn } from 'node:child_process';
import { open, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The cost of one process run, children included, as GNU time reports it. */
export interface Measured {
  readonly wallS: number;
  /** User plus system CPU of the process and every child it waited for (fping runs included). */
  readonly cpuS: number;
  /** Peak resident set of the process (or its largest child), in MB. */
  readonly rssMb: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What to run and how. */
export interface MeasureOptions {
  /** A file to feed on stdin (fping's target list). */
  readonly stdinFile?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Kill the run (and fail) after this long. */
  readonly timeoutMs: number;
}

/** GNU time: the only portable way to get a child's rusage (CPU of its own children, peak RSS) from Node. */
export const TIME_COMMAND = '/usr/bin/time';

let counter = 0;

/** Runs `command args` under GNU time and returns its wall time, CPU and peak RSS with its output. */
export async function measure(
  command: string,
  args: readonly string[],
  options: MeasureOptions,
): Promise<Measured> {
  counter += 1;
  const report = path.join(os.tmpdir(), `pingwarden-bench-${process.pid}-${counter}.time`);
  const stdin = options.stdinFile === undefined ? null : await open(options.stdinFile, 'r');
  try {
    const child = spawn(TIME_COMMAND, ['-f', '%e %U %S %M', '-o', report, command, ...args], {
      stdio: [stdin === null ? 'ignore' : stdin.fd, 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    const out: string[] = [];
    const err: string[] = [];
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => out.push(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => err.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${command} did not finish within ${options.timeoutMs} ms`));
      }, options.timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    const fields = (await readFile(report, 'utf8')).trim().split('\n').pop()?.split(' ').map(Number) ?? [];
    const [wallS = NaN, userS = NaN, sysS = NaN, rssKb = NaN] = fields;
    return {
      wallS,
      cpuS: userS + sysS,
      rssMb: rssKb / 1024,
      // GNU time exits with the command's code.
      code,
      stdout: out.join(''),
      stderr: err.join(''),
    };
  } finally {
    await stdin?.close();
    await rm(report, { force: true });
  }
}

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
