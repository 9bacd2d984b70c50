import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import type { NetnsLab } from './netns-lab.js';
import { waitFor } from './wait-for.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

/** A message the server in the lab accepted, as its process reported it. */
export interface LabMessage {
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
  readonly receivedAt: number;
}

/**
 * A real SMTP server (smtp-test-server.ts) running INSIDE the lab namespace, on a lab address: it is reachable
 * only through the lab's link, so {@link NetnsLab.linkDown} cuts the monitor off from its mail server too,
 * like a dead WAN. It runs as a child process (`ip netns exec`) and reports each message as a JSON line.
 */
export class NetnsSmtpServer {
  private constructor(
    /** Every accepted message, in arrival order (filled as the process reports them). */
    readonly messages: LabMessage[],
    private readonly child: ChildProcess,
    readonly host: string,
    readonly port: number,
  ) {}

  /** Starts the server on `address` (a lab host address already added with addHost). */
  static async start(lab: NetnsLab, address: string, login: { user: string; password: string }) {
    const child = spawn(
      'ip',
      [
        'netns',
        'exec',
        lab.namespace,
        process.execPath,
        '--import',
        'tsx',
        path.join(here, 'netns-smtp-server-main.ts'),
        address,
        login.user,
        login.password,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let port = 0;
    const lines = createInterface({ input: child.stdout! });
    const messages: LabMessage[] = [];
    lines.on('line', (line) => {
      const data = JSON.parse(line) as { port?: number; message?: LabMessage };
      if (data.port !== undefined) port = data.port;
      if (data.message) messages.push(data.message);
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => port !== 0 || child.exitCode !== null, 'the lab SMTP server to listen', 15_000);
    if (port === 0) throw new Error(`lab SMTP server did not start: ${stderr}`);
    return new NetnsSmtpServer(messages, child, address, port);
  }

  /** Waits until at least `count` messages arrived (at most `timeoutMs`). */
  async waitForMessages(count: number, timeoutMs: number): Promise<LabMessage[]> {
    await waitFor(
      () => this.messages.length >= count,
      `${count} message(s) at the lab SMTP server; got ${this.messages.map((m) => m.subject).join(', ')}`,
      timeoutMs,
      20,
    );
    return [...this.messages];
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }
}
