import { constants } from 'node:fs';
import { access, open, stat, type FileHandle } from 'node:fs/promises';

import type { ConfigFileContent } from './build-config.js';

/** One config file as read from disk: its text (checked to be UTF-8), absence, or why it cannot be read. */
export interface ConfigFileRead {
  readonly content: ConfigFileContent;
  /** Group or others may read the file. */
  readonly shared: boolean;
}

/** Largest config file read: far above any real hosts.csv (100,000 hosts fit in about 8 MB). */
export const MAX_CONFIG_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Opens a file for reading without waiting: a plain open of a FIFO blocks until some writer shows up,
 * forever for a stray pipe. With O_NONBLOCK it returns at once and the caller's fstat refuses it.
 */
export async function openWithoutBlocking(file: string): Promise<FileHandle> {
  return open(file, constants.O_RDONLY | constants.O_NONBLOCK);
}

/**
 * Reads one config file the way every config file is read: a UTF-16 file or one that is not UTF-8 is a
 * problem naming the fix, a BOM is dropped, a folder or an unreadable file is a problem, not an exception.
 */
export async function readConfigFile(file: string): Promise<ConfigFileRead> {
  let handle: FileHandle | undefined;
  const unreadable = (problem: string): ConfigFileRead => ({
    content: { state: 'unreadable', problem },
    shared: false,
  });
  try {
    handle = await openWithoutBlocking(file);
    const info = await handle.stat();
    if (info.isDirectory()) return unreadable('is a directory, not a file');
    // A FIFO or a device (a link to /dev/zero) would hang the read or never end: only regular files.
    if (!info.isFile()) return unreadable('is not a regular file (a pipe, device or socket)');
    if (info.size > MAX_CONFIG_FILE_BYTES) {
      return unreadable(`is larger than ${MAX_CONFIG_FILE_BYTES / 1024 / 1024} MB; is it the right file?`);
    }
    const bytes = await handle.readFile();
    const shared = (info.mode & 0o077) !== 0;
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      return unreadable('is saved as UTF-16; save it as UTF-8 (in Excel: "CSV UTF-8")');
    }
    let text: string;
    try {
      // The BOM goes too (ignoreBOM: false), which csv-parse would strip anyway.
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      return unreadable('is not valid UTF-8; save it as UTF-8 (in Excel: "CSV UTF-8")');
    }
    return { content: { state: 'text', text }, shared };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { content: { state: 'absent' }, shared: false };
    return unreadable(`cannot read: ${describeFsError(error)}`);
  } finally {
    await handle?.close();
  }
}

/** Why the config folder cannot be used, or null when it is a readable directory. */
export async function checkConfigDirectory(dir: string): Promise<string | null> {
  try {
    if (!(await stat(dir)).isDirectory()) return 'is not a directory';
    // Without read and search permission every file inside "cannot be read", including the ones that do
    // not exist: say it once, about the folder.
    await access(dir, constants.R_OK | constants.X_OK);
    return null;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return 'directory not found';
    if (code === 'EACCES' || code === 'EPERM') {
      return (
        'cannot open the directory: permission denied (the user running pingwarden needs read and ' +
        'search permission on it: chown it to that user or chmod a+rx it)'
      );
    }
    return `cannot open the directory: ${describeFsError(error)}`;
  }
}

/** The `code` of a Node file-system error, or `unknown`. */
export function errorCode(error: unknown): string {
  return error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'unknown';
}

/** A user-facing reason, without the stack or the absolute path Node puts in its messages. */
export function describeFsError(error: unknown): string {
  switch (errorCode(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return errorCode(error);
  }
}
