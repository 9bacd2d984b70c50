import { mkdir, open, type FileHandle } from 'node:fs/promises';

import { errorMessage } from '../shared/errors.js';
import type { Log } from '../shared/log.js';
import { historyFileFor, type HistoryFile } from './history-files.js';
import { formatRecord, type NewHistoryRecord } from './history-record.js';
import { syncDirectory } from '../shared/sync-directory.js';

/** Where the history lives and who hears about trouble. */
export interface HistoryWriterOptions {
  /** The history folder, `<logs>/history`. */
  readonly dir: string;
  readonly log: Log;
  /** Opens a history file; tests pass one whose handles fail or write short (disk full). */
  readonly openFile?: (file: string, flags: string) => Promise<FileHandle>;
}

/** Records held in memory while the disk refuses them; beyond this the oldest batches are dropped. */
const MAX_HELD_RECORDS = 100_000;

/**
 * Appends records to the monthly history files. This is the one way anything writes history: the monitor's
 * recorder, and features such as plug power cycles (`append([{ kind: 'action', ... }])`).
 *
 * Crash safety: each `append` is one `write` of whole lines followed by `fdatasync`, so once it resolves the
 * records survive a power loss, and a crash can tear at most the batch being written. Appends never rewrite
 * earlier bytes. When a file ends without a newline (a torn write), the next append starts a fresh line, so
 * the damage stays confined to that one line. Appends from several callers are written one after another.
 *
 * Disk full or read-only: a failed or short write (`bytesWritten` below the batch) is repaired at once
 * (truncated back to where it began, or, failing that, the next append starts a fresh line) and the batch
 * is held in memory and written again, before newer ones, by the next append: the caller still hears of
 * the failure, but the records are not lost while the process lives.
 */
export class HistoryWriter {
  private current: { file: HistoryFile; handle: FileHandle } | null = null;
  private queue: Promise<void> = Promise.resolve();
  private dirReady = false;
  /** Batches not yet on disk (a failed or short write), oldest first; written before anything newer. */
  private held: (readonly NewHistoryRecord[])[] = [];

  constructor(private readonly options: HistoryWriterOptions) {}

  /** Writes `records` as one batch into the file of the first record's month; resolves once on disk. */
  append(records: readonly NewHistoryRecord[]): Promise<void> {
    if (records.length === 0) return this.queue;
    const written = this.queue.then(() => this.writeHeldThen(records));
    // A failed write is reported to its caller; it must not block later ones.
    this.queue = written.catch(() => undefined);
    return written;
  }

  /** Waits for pending appends and closes the open file. */
  async close(): Promise<void> {
    await this.queue;
    const open = this.current;
    this.current = null;
    await open?.handle.close();
  }

  /** Number of records waiting in memory for the disk. */
  get heldRecords(): number {
    return this.held.reduce((sum, batch) => sum + batch.length, 0);
  }

  private async writeHeldThen(records: readonly NewHistoryRecord[]): Promise<void> {
    this.held.push(records);
    while (this.held.length > 1 && this.heldRecords > MAX_HELD_RECORDS) {
      const dropped = this.held.shift() ?? [];
      this.options.log.error('history: dropped records held too long for a full disk', {
        records: dropped.length,
      });
    }
    while (this.held.length > 0) {
      await this.write(this.held[0]!);
      this.held.shift();
    }
  }

  private async write(records: readonly NewHistoryRecord[]): Promise<void> {
    const file = historyFileFor(this.options.dir, new Date(records[0]!.at));
    const { handle, prefix } = await this.fileFor(file);
    const bytes = Buffer.from(prefix + records.map(formatRecord).join(''), 'utf8');
    const { size } = await handle.stat();
    try {
      const { bytesWritten } = await handle.write(bytes);
      if (bytesWritten !== bytes.length) {
        throw new Error(`short write: ${bytesWritten} of ${bytes.length} bytes (is the disk full?)`);
      }
      await handle.datasync();
    } catch (error) {
      await this.repair(handle, size, file);
      throw error;
    }
  }

  /** Cuts a failed write's partial line off; the handle is reopened next time, which re-checks the end. */
  private async repair(handle: FileHandle, size: number, file: HistoryFile): Promise<void> {
    this.current = null;
    try {
      await handle.truncate(size);
      await handle.datasync();
    } catch (error) {
      this.options.log.warn('history: could not cut a torn write; the next write starts a new line', {
        file: file.path,
        error: errorMessage(error),
      });
    }
    await handle.close().catch(() => undefined);
  }

  /** The open handle for `file`, switching files at a month boundary; `prefix` repairs a torn end. */
  private async fileFor(file: HistoryFile): Promise<{ handle: FileHandle; prefix: string }> {
    if (this.current?.file.path === file.path) return { handle: this.current.handle, prefix: '' };
    await this.current?.handle.close();
    this.current = null;
    if (!this.dirReady) {
      await mkdir(this.options.dir, { recursive: true });
      this.dirReady = true;
    }
    const handle = await (this.options.openFile ?? open)(file.path, 'a+');
    this.current = { file, handle };
    const { size } = await handle.stat();
    if (size === 0) {
      // A new file's directory entry must reach the disk too, or a power loss could lose the whole file.
      await syncDirectory(this.options.dir);
      return { handle, prefix: '' };
    }
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    if (last[0] === 0x0a) return { handle, prefix: '' };
    this.options.log.warn('history file ends with a torn line; continuing on a new line', {
      file: file.path,
    });
    return { handle, prefix: '\n' };
  }
}
