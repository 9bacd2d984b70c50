import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

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
  const readLine = (line: string) => {
    lineNumber++;
    reportBad(false);
    if (line === '') return;
    const parsed = parseRecordLine(line);
    if (parsed.type === 'invalid') badLine = lineNumber;
    // A visitor's error ends the loop below, which closes the file, and goes to the caller.
    else if (parsed.type === 'record') visit(parsed.record, parsed.time);
  };
  // Split by hand, 64 KB at a time: node:readline's event per line cost a resume of 10,000 hosts about a
  // tenth of its reading. A line may end in CRLF (a file saved by an editor); the CR is dropped.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of createReadStream(file.path)) {
    const text = rest + decoder.write(chunk as Buffer);
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      readLine(withoutCr(text.slice(start, end)));
      start = end + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.end();
  if (rest !== '') readLine(withoutCr(rest));
  reportBad(true);
}

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
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
