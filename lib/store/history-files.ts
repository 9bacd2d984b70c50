import path from 'node:path';

import { listFolder } from '../shared/list-folder.js';
import { compareText } from '../shared/compare-text.js';

const FILE_PATTERN = /^history-(\d{4})-(\d{2})\.jsonl$/;

/** One monthly history file. */
export interface HistoryFile {
  readonly path: string;
  /** `YYYY-MM` (UTC), which sorts in time order. */
  readonly month: string;
}

/** The month (UTC) a time belongs to, as `YYYY-MM`. */
export function monthOf(time: Date): string {
  return time.toISOString().slice(0, 7);
}

/** The history file that records written at `time` go to. */
export function historyFileFor(dir: string, time: Date): HistoryFile {
  const month = monthOf(time);
  return { path: path.join(dir, `history-${month}.jsonl`), month };
}

/** Every history file in `dir`, oldest first; none when the folder does not exist yet. */
export async function listHistoryFiles(dir: string): Promise<HistoryFile[]> {
  const names = await listFolder(dir);
  const files: HistoryFile[] = [];
  for (const name of names) {
    const match = FILE_PATTERN.exec(name);
    if (match) files.push({ path: path.join(dir, name), month: `${match[1]}-${match[2]}` });
  }
  return files.sort((a, b) => compareText(a.month, b.month));
}
