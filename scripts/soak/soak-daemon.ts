import type { ChildProcess } from 'node:child_process';
import { spawnDaemon } from '../shared/spawn-daemon.js';

/**
 * One `pingwarden start` from the built CLI (dist/), with the V8 flags `npm start` gives it, its output
 * kept line by line so the soak can wait for a line that came after a given point (a cycle of this
 * process, not of the one it killed).
 */
export class SoakDaemon {
  readonly lines: string[] = [];
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private partial = '';

  constructor(repoRoot: string, configDir: string, logsDir: string) {
    this.child = spawnDaemon(repoRoot, configDir, logsDir);
    const take = (chunk: string) => {
      const parts = (this.partial + chunk).split('\n');
      this.partial = parts.pop() ?? '';
      this.lines.push(...parts);
    };
    this.child.stdout?.setEncoding('utf8').on('data', take);
    this.child.stderr?.setEncoding('utf8').on('data', take);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Resolves with the first line from index `from` on that matches, polling every 20 ms; rejects after
   * `timeoutMs`, or at once when the process has ended without printing it.
   */
  async waitForLine(pattern: RegExp, from: number, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (let i = from; i < this.lines.length; i++) if (pattern.test(this.lines[i]!)) return this.lines[i]!;
      if (!this.running) {
        throw new Error(`daemon exited before printing ${pattern}; last lines:\n${this.tail()}`);
      }
      if (Date.now() > deadline)
        throw new Error(`no line matching ${pattern} in ${timeoutMs} ms:\n${this.tail()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  tail(count = 15): string {
    return this.lines.slice(-count).join('\n');
  }

  /** Sends `signal` and resolves with the exit code once the process is gone (SIGKILL after 20 s). */
  async stop(signal: NodeJS.Signals): Promise<number | null> {
    if (this.running) this.child.kill(signal);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }
}
