import path from 'node:path';

import type { Log } from '../../shared/log.js';
import type { MonitorPaths } from '../../app/monitor-wiring.js';
import { FileOutboxStore } from '../../notify/outbox/file-outbox-store.js';
import { outboxTable } from '../../notify/outbox/outbox-table.js';

/** What the CLI's output needs; see CliIo in cli.ts. */
interface Io {
  out(text: string): void;
  err(text: string): void;
}

/**
 * `pingwarden outbox`: prints the messages waiting in `<logs>/outbox` (see {@link outboxTable}). Only reads:
 * the daemon may be running and sending at the same time.
 */
export async function showOutbox(where: MonitorPaths, io: Io): Promise<number> {
  const problems: Log = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message) => io.err(`warning: ${message}`),
    error: (message, fields) =>
      io.err(`warning: ${message}${fields?.file ? ` (${String(fields.file)})` : ''}`),
  };
  const store = new FileOutboxStore(path.join(where.logsDir, 'outbox'), problems, { readOnly: true });
  io.out(outboxTable(await store.listAll(), new Date()));
  return 0;
}
