import { createReadStream, createWriteStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

import { errorMessage } from './errors.js';

const LOG_FILE = /^pingwarden-(\d{4}-\d{2}-\d{2})\.log$/;

/**
 * Gzips the daily log files of days before `today` that are still plain text (`pingwarden-2026-12-01.log`
 * → `.log.gz`, as rotation names them). Rotation only archives a file when a running daemon crosses
 * midnight; `once` from cron, or a daemon restarted every day, would otherwise never gzip anything.
 * Retention still finds the archives: it removes a day's `.log` and `.log.gz` alike.
 *
 * @param today the local date (`YYYY-MM-DD`) of the file being written now, which is left alone
 * @returns one problem per file that could not be archived (the caller logs them); the rest go on
 */
export async function gzipOldLogs(logsDir: string, today: string): Promise<string[]> {
  const problems: string[] = [];
  let names: string[];
  try {
    names = await readdir(logsDir);
  } catch (error) {
    return [`cannot list ${logsDir}: ${errorMessage(error)}`];
  }
  const present = new Set(names);
  for (const name of names.sort()) {
    const day = LOG_FILE.exec(name)?.[1];
    if (day === undefined || day >= today || present.has(`${name}.gz`)) continue;
    const file = path.join(logsDir, name);
    try {
      if (!(await stat(file)).isFile()) continue;
      await pipeline(createReadStream(file), createGzip(), createWriteStream(`${file}.gz`, { flags: 'wx' }));
      await rm(file);
    } catch (error) {
      await rm(`${file}.gz`, { force: true }).catch(() => undefined);
      problems.push(`cannot gzip ${file}: ${errorMessage(error)}`);
    }
  }
  return problems;
}
