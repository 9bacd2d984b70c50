import { readFile } from 'node:fs/promises';

import { errorMessage } from '../../shared/errors.js';
import type { Log } from '../../shared/log.js';
import { scanFrames } from './quality-bytes.js';
import { decodeFrames, recordWanted, type QualityRecord } from './quality-codec.js';
import { walkFrames } from './quality-file-scan.js';
import type { QualityFile } from './quality-files.js';

/**
 * Reads every record of one quality file in order. A torn or damaged tail (a crash mid-write) or a file that
 * cannot be read is reported to `log` and skipped: the records before it still count.
 */
export async function readQualityFile(
  file: QualityFile,
  log: Log,
  onRecord: (record: QualityRecord) => void,
  /** Records before this time (ms) are skipped without being decoded. */
  fromAt = -Infinity,
  /** Records at or after this time (ms) are skipped without being decoded. */
  toAt = Infinity,
): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file.path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    log.warn('quality file could not be read; skipping it', { file: file.path, error: errorMessage(error) });
    return;
  }
  const { frames, validLength } = scanFrames(bytes, (frame) => recordWanted(frame, fromAt, toAt));
  if (validLength < bytes.length) {
    log.warn('quality file has a torn or damaged end; reading up to it', {
      file: file.path,
      bytes: bytes.length - validLength,
    });
  }
  try {
    decodeFrames(frames, onRecord, fromAt, toAt);
  } catch (error) {
    log.warn('quality file has a record that does not parse; reading up to it', {
      file: file.path,
      error: errorMessage(error),
    });
  }
}

/** The time of the last sound record of a file, from its frame headers; -Infinity when it has none. */
export async function lastRecordAt(file: QualityFile, log: Log): Promise<number> {
  try {
    return (await walkFrames(file.path, () => false)).lastAt;
  } catch (error) {
    log.warn('quality file could not be read; skipping it', { file: file.path, error: errorMessage(error) });
    return -Infinity;
  }
}
