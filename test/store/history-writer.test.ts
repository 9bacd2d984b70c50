import { expect } from 'chai';
import { mkdtemp, open, readFile, rm, truncate, writeFile, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { listHistoryFiles } from '../../lib/store/history-files.js';
import { readHistory } from '../../lib/store/history-reader.js';
import type { HistoryRecord, NewHistoryRecord } from '../../lib/store/history-record.js';
import { HistoryWriter } from '../../lib/store/history-writer.js';
import { FakeLog } from '../fakes/fake-log.js';

const state = (at: string, host: string, to: 'UP' | 'DOWN'): NewHistoryRecord => ({
  kind: 'state',
  at,
  host,
  state: to,
  from: to === 'UP' ? 'DOWN' : 'UP',
  attempts: to === 'UP' ? 1 : 3,
  rtt_ms: to === 'UP' ? 0.5 : null,
  interval_s: 60,
});

async function readAll(dir: string, log = new FakeLog()): Promise<HistoryRecord[]> {
  const records: HistoryRecord[] = [];
  await readHistory(await listHistoryFiles(dir), log, (record) => records.push(record));
  return records;
}

describe('store/history-writer and history-reader', () => {
  let dir: string;
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'pingwarden-history-')), 'history');
  });
  afterEach(async () => rm(path.dirname(dir), { recursive: true, force: true }));

  it('appends each batch as whole JSON lines with the format version, and reads them back in order', async () => {
    const writer = new HistoryWriter({ dir, log: new FakeLog() });
    await writer.append([
      {
        kind: 'start',
        at: '2026-11-01T10:00:00.000Z',
        mode: 'daemon',
        interval_s: 60,
        alive_s: 300,
        hosts: 1,
        pid: 7,
      },
    ]);
    await writer.append([
      state('2026-11-01T10:05:00.000Z', '10.0.0.1', 'DOWN'),
      state('2026-11-01T10:09:00.000Z', '10.0.0.1', 'UP'),
    ]);
    await writer.close();
    const text = await readFile(path.join(dir, 'history-2026-11.jsonl'), 'utf8');
    expect(text.split('\n')).to.deep.equal([
      '{"v":1,"kind":"start","at":"2026-11-01T10:00:00.000Z","mode":"daemon","interval_s":60,"alive_s":300,"hosts":1,"pid":7}',
      '{"v":1,"kind":"state","at":"2026-11-01T10:05:00.000Z","host":"10.0.0.1","state":"DOWN","from":"UP","attempts":3,"rtt_ms":null,"interval_s":60}',
      '{"v":1,"kind":"state","at":"2026-11-01T10:09:00.000Z","host":"10.0.0.1","state":"UP","from":"DOWN","attempts":1,"rtt_ms":0.5,"interval_s":60}',
      '',
    ]);
    expect((await readAll(dir)).map((r) => `${r.kind} ${r.at}`)).to.deep.equal([
      'start 2026-11-01T10:00:00.000Z',
      'state 2026-11-01T10:05:00.000Z',
      'state 2026-11-01T10:09:00.000Z',
    ]);
  });

  it('writes into one file per month (UTC) and reads the months in order', async () => {
    const writer = new HistoryWriter({ dir, log: new FakeLog() });
    await writer.append([state('2026-12-01T00:00:00.000Z', 'b', 'DOWN')]);
    await writer.append([state('2026-11-30T23:59:59.000Z', 'a', 'DOWN')]);
    await writer.close();
    expect((await listHistoryFiles(dir)).map((f) => path.basename(f.path))).to.deep.equal([
      'history-2026-11.jsonl',
      'history-2026-12.jsonl',
    ]);
    expect((await readAll(dir)).map((r) => r.at)).to.deep.equal([
      '2026-11-30T23:59:59.000Z',
      '2026-12-01T00:00:00.000Z',
    ]);
  });

  it('survives a write torn mid-line: earlier records intact, a warning, and the next writer starts a fresh line', async () => {
    const file = path.join(dir, 'history-2026-11.jsonl');
    const first = new HistoryWriter({ dir, log: new FakeLog() });
    await first.append([state('2026-11-01T10:00:00.000Z', 'a', 'DOWN')]);
    await first.append([state('2026-11-01T10:01:00.000Z', 'b', 'DOWN')]);
    await first.append([state('2026-11-01T10:02:00.000Z', 'c', 'DOWN')]);
    await first.close();
    // The power fails while the third line is being written: only part of it reached the disk.
    const whole = await readFile(file, 'utf8');
    await truncate(file, whole.length - 40);

    const readLog = new FakeLog();
    expect((await readAll(dir, readLog)).map((r) => r.at)).to.deep.equal([
      '2026-11-01T10:00:00.000Z',
      '2026-11-01T10:01:00.000Z',
    ]);
    expect(readLog.lines).to.deep.equal([
      `WARN history: skipped a torn last line (a write cut short) file=${file} line=3`,
    ]);

    // Restart: the writer notices the torn end and begins its record on a new line.
    const writeLog = new FakeLog();
    const second = new HistoryWriter({ dir, log: writeLog });
    await second.append([state('2026-11-01T10:10:00.000Z', 'd', 'UP')]);
    await second.close();
    expect(writeLog.lines).to.deep.equal([
      `WARN history file ends with a torn line; continuing on a new line file=${file}`,
    ]);
    const afterLog = new FakeLog();
    expect((await readAll(dir, afterLog)).map((r) => r.at)).to.deep.equal([
      '2026-11-01T10:00:00.000Z',
      '2026-11-01T10:01:00.000Z',
      '2026-11-01T10:10:00.000Z',
    ]);
    expect(afterLog.lines).to.deep.equal([`WARN history: skipped an unreadable line file=${file} line=3`]);
  });

  // Item 2 of issue 13: a short write (disk full at a page boundary) left half a line with the file open,
  // and the next batch was glued onto it, losing both.
  it('repairs a short write at once and writes the held batch again before the next one', async () => {
    const file = path.join(dir, 'history-2026-11.jsonl');
    let shortWrites = 1;
    const openFile = async (name: string, flags: string): Promise<FileHandle> => {
      const handle = await open(name, flags);
      const write = handle.write.bind(handle) as (bytes: Buffer) => Promise<{ bytesWritten: number }>;
      // Disk full after half the batch: the kernel writes what fits and reports it.
      const short = async (bytes: Buffer) => {
        if (shortWrites-- > 0) return write(bytes.subarray(0, Math.floor(bytes.length / 2)));
        return write(bytes);
      };
      return Object.assign(handle, { write: short }) as FileHandle;
    };
    const log = new FakeLog();
    const writer = new HistoryWriter({ dir, log, openFile });
    let failure: unknown = null;
    await writer.append([state('2026-11-01T10:00:00.000Z', 'a', 'DOWN')]).catch((error) => (failure = error));
    expect(String(failure)).to.match(/short write: \d+ of \d+ bytes \(is the disk full\?\)/);
    expect(writer.heldRecords).to.equal(1);
    expect(await readFile(file, 'utf8')).to.equal('');
    await writer.append([state('2026-11-01T10:01:00.000Z', 'b', 'UP')]);
    await writer.close();
    expect(writer.heldRecords).to.equal(0);
    const readLog = new FakeLog();
    expect((await readAll(dir, readLog)).map((r) => r.at)).to.deep.equal([
      '2026-11-01T10:00:00.000Z',
      '2026-11-01T10:01:00.000Z',
    ]);
    expect(readLog.lines).to.deep.equal([]);
  });

  it('holds batches while the disk refuses them (ENOSPC) and writes them in order once it accepts', async () => {
    let refuse = true;
    const openFile = async (name: string, flags: string): Promise<FileHandle> => {
      if (refuse) throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      return open(name, flags);
    };
    const writer = new HistoryWriter({ dir, log: new FakeLog(), openFile });
    for (const minute of ['00', '01']) {
      const at = `2026-11-01T10:${minute}:00.000Z`;
      let failed = false;
      await writer.append([state(at, minute, 'DOWN')]).catch(() => (failed = true));
      expect(failed).to.equal(true);
    }
    expect(writer.heldRecords).to.equal(2);
    refuse = false;
    await writer.append([state('2026-11-01T10:02:00.000Z', '02', 'DOWN')]);
    await writer.close();
    expect((await readAll(dir)).map((r) => r.kind === 'state' && r.host)).to.deep.equal(['00', '01', '02']);
  });

  it('skips records of unknown kinds or later versions quietly, so later features can add kinds', async () => {
    await writeFile(
      path.join(await mkdtempDir(dir), 'history-2026-11.jsonl'),
      [
        '{"v":1,"kind":"traceroute","at":"2026-11-01T10:00:00Z","host":"a"}',
        '{"v":2,"kind":"state","at":"2026-11-01T10:00:00Z"}',
        '{"v":1,"kind":"alive","at":"2026-11-01T10:05:00Z"}',
        '',
      ].join('\n'),
    );
    const log = new FakeLog();
    expect((await readAll(dir, log)).map((r) => r.kind)).to.deep.equal(['alive']);
    expect(log.lines).to.deep.equal([]);
  });

  it('writes concurrent appends one whole batch after another, in call order', async () => {
    const writer = new HistoryWriter({ dir, log: new FakeLog() });
    const batches = Array.from({ length: 20 }, (_, i) => [
      state(`2026-11-01T10:00:${String(i).padStart(2, '0')}.000Z`, `h${i}`, 'DOWN'),
      {
        kind: 'alert',
        at: `2026-11-01T10:00:${String(i).padStart(2, '0')}.000Z`,
        host: `h${i}`,
        alert: 'DOWN',
      } as const,
    ]);
    await Promise.all(batches.map((batch) => writer.append(batch)));
    await writer.close();
    const records = await readAll(dir);
    expect(records).to.have.length(40);
    expect(records.filter((r) => r.kind === 'state').map((r) => r.at)).to.deep.equal(
      batches.map((b) => b[0]!.at),
    );
  });
});

async function mkdtempDir(dir: string): Promise<string> {
  await import('node:fs/promises').then((fs) => fs.mkdir(dir, { recursive: true }));
  return dir;
}
