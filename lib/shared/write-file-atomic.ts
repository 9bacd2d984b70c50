import { open, rename, unlink } from 'node:fs/promises';
import path from 'node:path';

import { syncDirectory } from './sync-directory.js';

/**
 * Replaces `file` with `text` (or bytes) so that a reader, or a crash, only ever sees the old file or the
 * whole new one: the text goes to `temporary` first, is fsynced, renamed over `file`, and the rename is made
 * durable with the folder. A failed write removes `temporary` (on a full disk an empty or half `.tmp` must not stay
 * behind) and rethrows the error.
 *
 * @param temporary where the text is written first, in the same folder; default `<file>.tmp`. Two processes
 *   that may write the same file at once give names of their own (e.g. with their pid).
 */
export async function writeFileAtomic(
  file: string,
  text: string | Uint8Array,
  temporary = `${file}.tmp`,
): Promise<void> {
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  await syncDirectory(path.dirname(file));
}
