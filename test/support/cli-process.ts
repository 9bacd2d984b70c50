import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ONCE_NODE_FLAGS } from '../../lib/cli/once-node-flags.js';
import { waitFor } from './wait-for.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const entry = path.join(repoRoot, 'test/support/cli-entry.ts');

/** A `pingwarden` process started from the TypeScript sources, with its output collected. */
export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  private exited: Promise<number | null>;

  /**
   * @param wrapper a command that runs node, e.g. `['ip', 'netns', 'exec', 'pwlab-1-1']` to run the CLI
   *   inside a lab namespace
   */
  constructor(args: readonly string[], env: NodeJS.ProcessEnv = {}, wrapper: readonly string[] = []) {
    // `once` runs with the V8 flags of the README's cron lines, so every test of it runs it as cron does.
    const nodeFlags = args[0] === 'once' ? ONCE_NODE_FLAGS : [];
    const command = [...wrapper, process.execPath, ...nodeFlags, '--import', 'tsx', entry, ...args];
    this.child = spawn(command[0]!, command.slice(1), {
      cwd: repoRoot,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk: Buffer) => (this.stdout += chunk.toString()));
    this.child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  /** Everything printed so far, stdout then stderr. */
  get output(): string {
    return this.stdout + this.stderr;
  }

  /** Waits until the output matches `pattern` (at most `timeoutMs`). */
  async waitForOutput(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    await waitFor(
      () => pattern.test(this.output),
      `output matching ${pattern}; got:\n${this.output}`,
      timeoutMs,
      20,
    );
  }

  /** Sends `signal` (if still running) and resolves to the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exit(timeoutMs);
  }

  /** Resolves to the exit code once the process ends; kills it and fails after `timeoutMs`. */
  async exit(timeoutMs = 30_000): Promise<number | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill('SIGKILL');
        reject(new Error(`pingwarden did not exit within ${timeoutMs} ms; output:\n${this.output}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Runs a pingwarden command to completion and returns its exit code and output. */
export async function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  const cli = new CliProcess(args, env);
  const code = await cli.exit();
  return { code, stdout: cli.stdout, stderr: cli.stderr, output: () => cli.output };
}
