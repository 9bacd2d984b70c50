import { open } from 'node:fs/promises';

/**
 * Makes a file creation, rename or unlink in `dir` durable: fsync of a file does not cover its directory
 * entry, which must reach the disk too before a crash can no longer undo it.
 */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
