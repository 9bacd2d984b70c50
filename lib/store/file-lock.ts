import { open, rm, stat } from 'node:fs/promises';

import { FaultError, errorMessage } from '../shared/errors.js';

/** How long {@link withFileLock} waits for another holder before giving up. */
const WAIT_MS = 5_000;
/** A lock older than this is left over by a killed process: a read-modify-write takes milliseconds. */
const STALE_MS = 30_000;
const POLL_MS = 25;

/**
 * Runs `work` holding `lockFile` (created with O_EXCL, removed afterwards, also when `work` throws), so two
 * commands that read, change and rewrite the same small file at the same moment (two `pingwarden snooze` runs
 * from a script) do not lose one another's change. A lock left by a killed process is taken over once it is
 * older than 30 s.
 *
 * @throws FaultError when the lock cannot be had within 5 s or the folder cannot be written
 */
export async function withFileLock<T>(lockFile: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lockFile, 'wx', 0o644);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new FaultError(`cannot take the lock ${lockFile}: ${errorMessage(error)}`);
      }
    }
    const age = await stat(lockFile).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > STALE_MS) {
      await rm(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new FaultError(`${lockFile} is held by another pingwarden command; try again in a moment`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await work();
  } finally {
    await rm(lockFile, { force: true });
  }
}
