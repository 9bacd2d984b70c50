import { expect } from 'chai';

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { readHistory } from '../../lib/store/history-reader.js';
import type { HistoryRecord } from '../../lib/store/history-record.js';
import type { Log } from '../../lib/shared/log.js';

/** A log that keeps its warnings as `message line=N`. */
function warningLog(): { log: Log; warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  const log: Log = {
    debug: ignore,
    info: ignore,
    warn: (message, fields) => warnings.push(`${message} line=${String(fields?.line)}`),
    error: ignore,
  };
  return { log, warnings };
}

const state = (host: string, description: string) =>
  JSON.stringify({
    v: 1,
    kind: 'state',
    at: '2026-11-22T13:05:00.000Z',
    host,
    state: 'DOWN',
    from: 'UP',
    attempts: 3,
    rtt_ms: null,
    interval_s: 60,
    reason: description,
  });

describe('readHistory', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-history-reader-'));
    file = path.join(dir, 'history-2026-11.jsonl');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function read(): Promise<{ records: HistoryRecord[]; warnings: string[] }> {
    const { log, warnings } = warningLog();
    const records: HistoryRecord[] = [];
    await readHistory([{ path: file, month: '2026-11' }], log, (record) => records.push(record));
    return { records, warnings };
  }

  it('reads lines longer than a read chunk and characters split between two chunks', async () => {
    // 64 KB chunks: these lines cross several boundaries, and the "é" (two bytes) of some lands on one.
    const lines = Array.from({ length: 400 }, (_, i) =>
      state(`10.0.${i >> 8}.${i & 255}`, `é${'x'.repeat(i * 7)}`),
    );
    // And one "é" whose two bytes are the last of the first chunk and the first of the second.
    const padding = 65_535 - Buffer.byteLength(state('10.9.9.9', '').split('""')[0]!) - 1;
    lines.unshift(state('10.9.9.9', `${'y'.repeat(padding)}é`));
    expect(Buffer.from(`${lines[0]}`).subarray(65_535, 65_537).toString()).to.equal('é');
    await writeFile(file, `${lines.join('\n')}\n`);
    const { records, warnings } = await read();
    expect(warnings).to.deep.equal([]);
    expect(records.map((r) => JSON.stringify(r))).to.deep.equal(lines);
  });

  it('takes CRLF line ends, blank lines and a last line without a line end', async () => {
    await writeFile(
      file,
      `${state('10.0.0.1', 'a')}\r\n\r\n\n${state('10.0.0.2', 'b')}\r\n${state('10.0.0.3', 'c')}\n`,
    );
    expect((await read()).records.map((r) => (r as { host: string }).host)).to.deep.equal([
      '10.0.0.1',
      '10.0.0.2',
      '10.0.0.3',
    ]);
  });

  it('skips bad lines with their numbers, and names a torn last line as such', async () => {
    await writeFile(
      file,
      `${state('10.0.0.1', 'a')}\nnot json\n${state('10.0.0.2', 'b')}\n{"v":1,"kind":"sta`,
    );
    const { records, warnings } = await read();
    expect(records).to.have.length(2);
    expect(warnings).to.deep.equal([
      'history: skipped an unreadable line line=2',
      'history: skipped a torn last line (a write cut short) line=4',
    ]);
  });

  it('hands a visitor error to the caller', async () => {
    await writeFile(file, `${state('10.0.0.1', 'a')}\n${state('10.0.0.2', 'b')}\n`);
    const { log } = warningLog();
    let seen = 0;
    const reading = readHistory([{ path: file, month: '2026-11' }], log, () => {
      seen++;
      throw new Error('visitor bug');
    });
    await reading.then(
      () => expect.fail('resolved'),
      (error: unknown) => expect((error as Error).message).to.equal('visitor bug'),
    );
    expect(seen).to.equal(1);
  });
});
