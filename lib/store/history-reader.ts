import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';

import type { Log } from '../log.js';
import type { HistoryFile } from './history-files.js';
import { parseRecordLine, type HistoryRecord } from './history-record.js';

/** A record as read back, with its time parsed once. */
export interface ReadRecord {
  readonly record: HistoryRecord;
  /** `record.at` in milliseconds since the epoch. */
  readonly time: number;
}

/**
 * Streams the records of `files` in order, one line at a time, so memory stays small however long the
 * history is. A torn last line (a write cut short by a crash or power loss) and any other unreadable line
 * are skipped with a warning naming the file and line; the records around them are still read.
 */
export async function* readHistory(files: readonly HistoryFile[], log: Log): AsyncGenerator<ReadRecord> {
  for (const file of files) yield* readHistoryFile(file, log);
}

async function* readHistoryFile(file: HistoryFile, log: Log): AsyncGenerator<ReadRecord> {
  const endsWithNewline = await lastByteIsNewline(file.path);
  const lines = createInterface({
    input: createReadStream(file.path, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  });
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
  for await (const line of lines) {
    lineNumber++;
    reportBad(false);
    if (line === '') continue;
    const parsed = parseRecordLine(line);
    if (parsed.type === 'record') yield { record: parsed.record, time: parsed.time };
    else if (parsed.type === 'invalid') badLine = lineNumber;
  }
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
