import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { UserError } from './errors.js';

/** The sub-folders of logs/ a monitoring run writes to: the outage history and the alert outbox. */
export const LOGS_SUBFOLDERS = ['history', 'outbox'] as const;

/** The logs folder cannot be used; `problem` says why and what to do. */
export class LogsFolderError extends UserError {
  override name = 'LogsFolderError';

  constructor(
    readonly folder: string,
    readonly problem: string,
  ) {
    super(`logs folder ${folder}: ${problem}`);
  }
}

/**
 * Checks that `dir` is (or can become) a folder this process can write in, and throws a {@link LogsFolderError}
 * naming the folder and what to do when not: an unwritable logs folder must be one line and exit 2, not
 * winston's "Unhandled 'error' event" stack. With `create` the folder and its parents are made; without it
 * (check-config) nothing is left behind: the deepest existing ancestor is tried instead.
 */
export async function ensureWritableFolder(
  dir: string,
  options: { readonly create: boolean },
): Promise<void> {
  const existing = await deepestExisting(dir);
  if (!existing.isFolder) {
    throw new LogsFolderError(
      dir,
      `${existing.path} is a file, not a folder; pass --logs DIR naming a folder`,
    );
  }
  try {
    let target = existing.path;
    if (options.create && existing.path !== dir) {
      await mkdir(dir, { recursive: true });
      target = dir;
    }
    const probe = path.join(target, `.pingwarden-write-test-${randomBytes(4).toString('hex')}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new LogsFolderError(
      dir,
      `cannot be ${existing.path === dir ? 'written' : 'created'} (${code}); ` +
        `make ${existing.path} writable by this user (chown/chmod) or pass --logs DIR`,
    );
  }
}

/** {@link ensureWritableFolder} for logs/ and each of {@link LOGS_SUBFOLDERS}. */
export async function ensureWritableLogs(
  logsDir: string,
  options: { readonly create: boolean },
): Promise<void> {
  await ensureWritableFolder(logsDir, options);
  for (const sub of LOGS_SUBFOLDERS) await ensureWritableFolder(path.join(logsDir, sub), options);
}

async function deepestExisting(dir: string): Promise<{ path: string; isFolder: boolean }> {
  let current = path.resolve(dir);
  let shown = dir;
  for (;;) {
    try {
      const info = await stat(current);
      return { path: shown, isFolder: info.isDirectory() };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') {
        // A parent is a file: keep walking up to find it.
      } else if (code !== 'ENOENT') {
        return { path: shown, isFolder: true };
      }
      const parent = path.dirname(current);
      if (parent === current) return { path: current, isFolder: true };
      current = parent;
      shown = path.dirname(shown);
    }
  }
}
