import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

import type { Log } from '../../shared/log.js';
import { entryFromJson, entryToJson, type OutboxEntry } from './outbox-entry.js';
import { sortEntries, type OutboxStore } from './outbox-store.js';
import { syncDirectory } from '../../shared/sync-directory.js';
import { writeFileAtomic } from '../../shared/write-file-atomic.js';

/**
 * The outbox on disk: `<dir>/<notifier>/<id>.json`, one file per message and notifier. Every write goes to a
 * temporary file that is flushed, renamed over the real name and made durable by flushing the folder, so a
 * crash or power loss leaves either the old or the new file, never half of one. Delivery removes the file.
 */
export class FileOutboxStore implements OutboxStore {
  private readonly cleared = new Set<string>();

  constructor(
    /** Usually `logs/outbox`. */
    readonly dir: string,
    private readonly log: Log,
    /** Only look (`pingwarden outbox` beside a running daemon): damaged files are reported, not moved. */
    private readonly options: { readonly readOnly?: boolean } = {},
  ) {}

  async put(entry: OutboxEntry): Promise<void> {
    const folder = this.folderOf(entry.notifier);
    await mkdir(folder, { recursive: true });
    // On a full disk this throws and leaves no `.tmp`: the batch is held and stored again later.
    await writeFileAtomic(path.join(folder, `${entry.notification.id}.json`), entryToJson(entry));
  }

  async remove(notifier: string, id: string): Promise<void> {
    const folder = this.folderOf(notifier);
    try {
      await unlink(path.join(folder, `${id}.json`));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await syncDirectory(folder);
  }

  async list(notifier: string): Promise<OutboxEntry[]> {
    const folder = this.folderOf(notifier);
    const names = await readNames(folder);
    await this.clearTemporary(folder, names);
    const entries: OutboxEntry[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const file = path.join(folder, name);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // delivered meanwhile
        throw error;
      }
      const entry = entryFromJson(text);
      if (entry === null || entry.notifier !== notifier) {
        if (this.options.readOnly) {
          this.log.error('outbox file unreadable', { file });
          continue;
        }
        // Set aside rather than deleted: a person may want to read it; retrying it would fail forever.
        this.log.error('outbox file unreadable; set aside', { file: `${file}.bad` });
        await rename(file, `${file}.bad`).catch(() => undefined);
        continue;
      }
      entries.push(entry);
    }
    return entries;
  }

  async listAll(): Promise<OutboxEntry[]> {
    const entries: OutboxEntry[] = [];
    for (const notifier of await readNames(this.dir)) entries.push(...(await this.list(notifier)));
    return sortEntries(entries);
  }

  /**
   * `.tmp` files are writes cut short (a crash, a full disk): never a queued message, since the rename had
   * not happened. The first look at a folder removes them (once, so a write of this process is never
   * touched); `pingwarden outbox` (read-only) names them instead.
   */
  private async clearTemporary(folder: string, names: readonly string[]): Promise<void> {
    if (this.cleared.has(folder)) return;
    if (!this.options.readOnly) this.cleared.add(folder);
    for (const name of names.filter((n) => n.endsWith('.tmp'))) {
      const file = path.join(folder, name);
      if (this.options.readOnly) {
        this.log.warn('outbox: leftover temporary file (a write cut short; removed at the next start)', {
          file,
        });
        continue;
      }
      await unlink(file).catch(() => undefined);
      this.log.warn('outbox: removed a leftover temporary file (a write cut short)', { file });
    }
  }

  private folderOf(notifier: string): string {
    if (!/^[a-z0-9-]+$/.test(notifier)) throw new Error(`bad notifier name for the outbox: ${notifier}`);
    return path.join(this.dir, notifier);
  }
}

async function readNames(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if (
      (error as NodeJS.ErrnoException).code === 'ENOENT' ||
      (error as NodeJS.ErrnoException).code === 'ENOTDIR'
    ) {
      return [];
    }
    throw error;
  }
}
