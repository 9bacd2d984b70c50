import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';

import { errorMessage } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import type { HistoryFile } from './history-files.js';
import { parseRecordLine, type HistoryRecord } from './history-record.js';

/** Receives each record as it is read, with `record.at` parsed to milliseconds since the epoch. */
export type RecordVisitor = (record: HistoryRecord, time: number) => void;

/**
 * Streams the records of `files` in order, one line at a time, so memory stays small however long the
 * history is. A torn last line (a write cut short by a crash or power loss) and any other unreadable line
 * are skipped with a warning naming the file and line; the records around them are still read.
 *
 * Records are handed to a callback rather than yielded: a year of history is a hundred thousand lines or
 * more, and a promise hop per line would cost more than parsing it.
 */
export async function readHistory(
  files: readonly HistoryFile[],
  log: Log,
  visit: RecordVisitor,
): Promise<void> {
  for (const file of files) await readHistoryFile(file, log, visit);
}

async function readHistoryFile(file: HistoryFile, log: Log, visit: RecordVisitor): Promise<void> {
  let endsWithNewline: boolean;
  try {
    // A folder (or a pipe) named like a month file is skipped, never read: it would throw or hang.
    const info = await stat(file.path);
    if (!info.isFile()) {
      log.warn('history: skipped, not a regular file', { file: file.path });
      return;
    }
    endsWithNewline = await lastByteIsNewline(file.path);
  } catch (error) {
    log.warn('history: skipped an unreadable file', { file: file.path, error: errorMessage(error) });
    return;
  }
  const input = createReadStream(file.path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let badLine = 0;
  const reportBad = (last: boolean) => {
    if (badLine === 0) return;
    if (last && !endsWithNewline) {
      log.warn('history: skipped a torn last line (a write cut short)', { file: file.path, line: badLine });
    } else {
      log.warn('history: skipped an unreadable line', { file: file.path, line: badLine });
    }
    badLine = 0;
  };
  let failure: unknown = null;
  await new Promise<void>((resolve, reject) => {
    input.on('error', reject);
    lines.on('close', resolve);
    lines.on('line', (line) => {
      if (failure !== null) return;
      lineNumber++;
      reportBad(false);
      if (line === '') return;
      const parsed = parseRecordLine(line);
      if (parsed.type === 'invalid') badLine = lineNumber;
      else if (parsed.type === 'record') {
        try {
          visit(parsed.record, parsed.time);
        } catch (error) {
          // A visitor's bug must not leave the stream running; it is rethrown once the file is closed.
          failure = error;
          lines.close();
        }
      }
    });
  });
  if (failure !== null) throw failure;
  reportBad(true);
}

async function lastByteIsNewline(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await handle.close();
  }
}
