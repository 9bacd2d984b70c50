import type { ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { spawnDaemon } from '../shared/spawn-daemon.js';

/** One `cycle ...` line of the daemon's log, with what the process had used by then. */
export interface CycleSample {
  readonly hosts: number;
  readonly up: number;
  readonly down: number;
  /** The cycle's own duration as logged (`ms=`). */
  readonly cycleMs: number;
  /** When the line was read (ms since epoch). */
  readonly at: number;
  /** CPU of the daemon and of every child it reaped (the fping runs) so far, in seconds. */
  readonly cpuS: number;
  /** Resident set now, and the peak so far, in MB. */
  readonly rssMb: number;
  readonly peakRssMb: number;
}

const CYCLE_LINE = /cycle hosts=(\d+) up=(\d+) down=(\d+) unknown=\d+ alerts=\d+ ms=(\d+)/;
// Clock ticks per second of /proc/<pid>/stat times: 100 on every Linux this runs on (USER_HZ).
const TICKS_PER_SECOND = 100;

/**
 * `pingwarden start` as a child process from the built CLI (dist/), its log lines watched as they come, and
 * its CPU and memory read from /proc at every cycle line: the daemon's real cost, cycle by cycle.
 */
export class DaemonProcess {
  readonly samples: CycleSample[] = [];
  /** Every log line, for checks such as "never overran". */
  readonly lines: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private partial = '';
  /** Chunks are handled one after another: reading /proc in between must not reorder lines. */
  private handling: Promise<void> = Promise.resolve();
  private waiters: (() => void)[] = [];

  constructor(repoRoot: string, configDir: string, logsDir: string) {
    // Started with the flags and environment `npm start` and the systemd unit give it, plus any of
    // PINGWARDEN_BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the daemon.
    const nodeArgs = (process.env.PINGWARDEN_BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
    this.child = spawnDaemon(repoRoot, configDir, logsDir, nodeArgs);
    const onData = (chunk: string) => {
      this.handling = this.handling.then(() => this.take(chunk));
    };
    this.child.stdout?.setEncoding('utf8').on('data', onData);
    this.child.stderr?.setEncoding('utf8').on('data', onData);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Resolves once `count` cycle lines have been seen; fails after `timeoutMs` or if the daemon exits. */
  async waitForCycles(count: number, timeoutMs: number): Promise<CycleSample[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.samples.length < count) {
      if (this.child.exitCode !== null)
        throw new Error(`daemon exited early:\n${this.lines.slice(-20).join('\n')}`);
      if (Date.now() > deadline)
        throw new Error(`no ${count} cycles within ${timeoutMs} ms:\n${this.lines.slice(-20).join('\n')}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.samples.slice(0, count);
  }

  /** Stops the daemon with SIGTERM (SIGKILL after `timeoutMs`) and returns its exit code. */
  async stop(timeoutMs = 30_000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  private async take(chunk: string): Promise<void> {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) {
      this.lines.push(line);
      const cycle = CYCLE_LINE.exec(line);
      if (cycle === null) continue;
      const at = Date.now();
      // Read /proc before anything else: the daemon goes on to save its state right after this line.
      const usage = await procUsage(this.pid);
      const [, hosts, up, down, ms] = cycle.map(Number) as [number, number, number, number, number];
      this.samples.push({ hosts, up, down, cycleMs: ms, at, ...usage });
      for (const wake of this.waiters.splice(0)) wake();
    }
  }
}

/** CPU (self plus reaped children) and memory of process `pid`, from /proc. */
export async function procUsage(pid: number): Promise<{ cpuS: number; rssMb: number; peakRssMb: number }> {
  const [stat, status] = await Promise.all([
    readFile(`/proc/${pid}/stat`, 'utf8'),
    readFile(`/proc/${pid}/status`, 'utf8'),
  ]);
  // Fields after the command name (which may contain spaces) start at field 3 ("state").
  const fields = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  const [utime = 0, stime = 0, cutime = 0, cstime = 0] = fields.slice(11, 15);
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return {
    cpuS: (utime + stime + cutime + cstime) / TICKS_PER_SECOND,
    rssMb: kb('VmRSS') / 1024,
    peakRssMb: kb('VmHWM') / 1024,
  };
}
