import winston from 'winston';

// winston's keys for the formatted line and its level (triple-beam's, registered symbols).
const MESSAGE = Symbol.for('message');
const LEVEL = Symbol.for('level');

// winston's transport base class (winston-transport, which winston re-exports as `Transport`; its types
// only describe it through a namespace import, which TypeScript does not see as a class).
type TransportClass = new (options?: winston.transport.TransportStreamOptions) => winston.transport;
const TransportBase = (winston as unknown as { readonly Transport: TransportClass }).Transport;

/** What the transport writes to; the process's stdout and stderr unless a test passes its own. */
export interface ConsoleStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

/**
 * winston's console transport, but the lines logged in one turn of the event loop go out as one write per
 * stream (in their order: a run of stderr lines, then a run of stdout lines, ...). Writes to a pipe are
 * synchronous system calls, and a cycle that alerts for 1,000 hosts logs 1,000 lines at once: one write
 * each cost a cron run (`once`) 0.08 s of CPU. Lines still pending when the process exits are written then;
 * `flush()` writes them at once (the log's close calls it).
 *
 * `stderrLevels` go to stderr, every other level to stdout, as with winston's Console transport.
 */
export class BatchedConsole extends TransportBase {
  private readonly pending: { readonly toStderr: boolean; readonly text: string }[] = [];
  private scheduled: NodeJS.Immediate | null = null;
  private readonly stderrLevels: ReadonlySet<string>;
  private readonly streams: ConsoleStreams;
  private readonly onExit = () => this.flush();

  constructor(
    options: winston.transport.TransportStreamOptions & {
      readonly stderrLevels: readonly string[];
      readonly streams?: ConsoleStreams;
    },
  ) {
    super(options);
    this.stderrLevels = new Set(options.stderrLevels);
    this.streams = options.streams ?? process;
    process.on('exit', this.onExit);
  }

  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.pending.push({
      toStderr: this.stderrLevels.has(String(info[LEVEL])),
      text: `${String(info[MESSAGE])}\n`,
    });
    this.scheduled ??= setImmediate(() => this.flush());
    next();
  }

  /** Writes the pending lines now. */
  flush(): void {
    if (this.scheduled !== null) clearImmediate(this.scheduled);
    this.scheduled = null;
    let start = 0;
    while (start < this.pending.length) {
      const toStderr = this.pending[start]!.toStderr;
      let end = start;
      let text = '';
      while (end < this.pending.length && this.pending[end]!.toStderr === toStderr)
        text += this.pending[end++]!.text;
      (toStderr ? this.streams.stderr : this.streams.stdout).write(text);
      start = end;
    }
    this.pending.length = 0;
  }

  /** Writes what is pending and stops listening for the process's exit. */
  override close(): void {
    this.flush();
    process.off('exit', this.onExit);
  }
}
