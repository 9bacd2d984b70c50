import { stat } from 'node:fs/promises';
import path from 'node:path';

import type { AppDeps } from '../../app/deps.js';
import { UserError } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import { FileOutboxStore } from '../../notify/outbox/file-outbox-store.js';
import { outboxTable } from '../../notify/outbox/outbox-table.js';

/**
 * `pingwarden outbox`: prints the messages waiting in `<logs>/outbox` (see {@link outboxTable}). Only reads:
 * the daemon may be running and sending at the same time.
 */
export async function showOutbox(deps: AppDeps): Promise<void> {
  const { io } = deps;
  const logsDir = deps.paths.logsDir;
  // "outbox empty" for a mistyped --logs would hide the mistake: say the folder is not there.
  const found = await stat(logsDir).catch(() => null);
  if (!found?.isDirectory()) {
    throw new UserError(
      `--logs ${logsDir}: ${found ? 'is a file, not a folder' : 'the folder does not exist'} ` +
        '(name the logs folder the monitor writes, e.g. --logs /opt/pingwarden/logs)',
    );
  }
  const problems: Log = {
    debug: () => undefined,
    info: () => undefined,
    warn: (message, fields) =>
      io.err(`warning: ${message}${fields?.file ? ` (${String(fields.file)})` : ''}`),
    error: (message, fields) =>
      io.err(`warning: ${message}${fields?.file ? ` (${String(fields.file)})` : ''}`),
  };
  const store = new FileOutboxStore(path.join(deps.paths.logsDir, 'outbox'), problems, { readOnly: true });
  io.out(outboxTable(await store.listAll(), deps.clock.now()));
}
