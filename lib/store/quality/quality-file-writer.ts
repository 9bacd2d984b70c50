import { mkdir, open, truncate, type FileHandle } from 'node:fs/promises';

import type { Log } from '../../shared/log.js';
import { syncDirectory } from '../../shared/sync-directory.js';
import { encodeHostList, FRAME_KIND, hostLists } from './quality-codec.js';
import { walkFrames } from './quality-file-scan.js';
import type { QualityFile } from './quality-files.js';

/**
 * Appends frames to the quality files, one `write` + `fdatasync` per batch, never rewriting earlier bytes.
 * When a file is opened it is checked frame by frame: a torn or damaged tail (a crash mid-write) is cut off
 * before the next append, so the file stays readable up to the last completed write.
 *
 * Host names are written once per file in a host-list frame that later records refer to by number; a new
 * list is written only when the set of hosts changes.
 */
export class QualityFileWriter {
  /**
   * Open files by path. The promise is stored, not the handle: two appends to a file not yet open (an hour's
   * and a day's rollup in the same cycle) must share one handle, or the second `open` would leak the first.
   */
  private readonly open = new Map<string, Promise<OpenFile>>();
  private dirReady = false;

  constructor(private readonly options: { readonly dir: string; readonly log: Log }) {}

  /**
   * Writes one record into `file`: `encode(listId)` builds its frame, after a host-list frame when `hosts`
   * is new to the file. Resolves once on disk.
   */
  async append(
    file: QualityFile,
    hosts: readonly string[],
    encode: (listId: number) => Buffer,
  ): Promise<void> {
    const state = await this.stateFor(file);
    const key = hosts.join('\n');
    let id = state.lists.get(key);
    const parts: Buffer[] = [];
    if (id === undefined) {
      id = state.nextId++;
      parts.push(encodeHostList(id, hosts));
    }
    parts.push(encode(id));
    await state.handle.write(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    await state.handle.datasync();
    // Only once on disk: after a failed write the list is written again with the next record.
    state.lists.set(key, id);
  }

  /** Closes files other than `keep` (an older day's, month's or year's file that gets no more records). */
  async closeExcept(keep: ReadonlySet<string>): Promise<void> {
    for (const [path, opening] of this.open) {
      if (keep.has(path)) continue;
      this.open.delete(path);
      const state = await opening.catch(() => null);
      await state?.handle.close();
    }
  }

  async close(): Promise<void> {
    await this.closeExcept(new Set());
  }

  private stateFor(file: QualityFile): Promise<OpenFile> {
    const known = this.open.get(file.path);
    if (known) return known;
    const opening = this.openFile(file);
    this.open.set(file.path, opening);
    // A file that could not be opened is tried afresh by the next append.
    opening.catch(() => {
      if (this.open.get(file.path) === opening) this.open.delete(file.path);
    });
    return opening;
  }

  private async openFile(file: QualityFile): Promise<OpenFile> {
    if (!this.dirReady) {
      await mkdir(this.options.dir, { recursive: true });
      this.dirReady = true;
    }
    // Only the headers, the host lists and the last frame are read: the records were checked when written.
    const { frames, validLength, size } = await walkFrames(file.path, (kind) => kind === FRAME_KIND.hostList);
    if (validLength < size) {
      this.options.log.warn('quality file ends with a torn or damaged write; cutting it off', {
        file: file.path,
        bytes: size - validLength,
      });
      await truncate(file.path, validLength);
    }
    const handle = await open(file.path, 'a');
    if (size === 0) {
      // A new file's directory entry must reach the disk too, or a power loss could lose the whole file.
      await syncDirectory(this.options.dir).catch(async (error: unknown) => {
        await handle.close();
        throw error;
      });
    }
    // Host lists already in the file can be referred to again; new ones get the next free id.
    const lists = new Map<string, number>();
    let nextId = 0;
    for (const { id, hosts } of hostLists(frames)) {
      lists.set(hosts.join('\n'), id);
      nextId = Math.max(nextId, id + 1);
    }
    return { handle, lists, nextId };
  }
}

/** An open quality file: its handle and the host lists it already holds. */
interface OpenFile {
  readonly handle: FileHandle;
  readonly lists: Map<string, number>;
  nextId: number;
}
