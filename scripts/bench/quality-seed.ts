import path from 'node:path';

import { cyclesToResume } from '../../lib/monitor/quality-resume.js';
import type { Log } from '../../lib/shared/log.js';
import type { QualitySample } from '../../lib/store/quality/quality-aggregate.js';
import { encodeCycle } from '../../lib/store/quality/quality-codec.js';
import { readQualityFile } from '../../lib/store/quality/quality-file-reader.js';
import { QualityFileWriter } from '../../lib/store/quality/quality-file-writer.js';
import { hourOf, listQualityFiles, qualityFileFor } from '../../lib/store/quality/quality-files.js';

/** Bench runs want no warnings about the files they write; any that comes is a bench bug, so it throws. */
const strictLog: Log = {
  debug: () => {},
  info: () => {},
  warn: (message) => {
    throw new Error(`quality seed: ${message}`);
  },
  error: (message) => {
    throw new Error(`quality seed: ${message}`);
  },
};

/**
 * Gives the next `pingwarden once` the link quality series cron's steady state has: the newest raw cycle
 * the previous run wrote, copied at earlier times until a resume finds as many cycles as it reads back (the
 * flap history's 21 results). Without it the "resumed" run would read back a single cycle, a cheaper resume
 * than any cron run after its twenty-first does.
 *
 * The copies are dated at most `intervalMs` apart but within the hour of the cycle copied: the measured run
 * is then a typical one, not the hour's first, which also rolls up the hour before (once an hour).
 * @returns how many cycles were added
 */
export async function seedQualityHistory(logsDir: string, intervalMs: number): Promise<number> {
  const dir = path.join(logsDir, 'quality');
  type RawCycle = { at: number; hosts: readonly string[]; samples: readonly (QualitySample | null)[] };
  const cycles: RawCycle[] = [];
  for (const file of await listQualityFiles(dir)) {
    if (file.tier !== 'raw') continue;
    await readQualityFile(file, strictLog, (record) => {
      if (record.kind === 'cycle') cycles.push(record);
    });
  }
  const last = cycles.reduce<RawCycle | null>((a, b) => (a && a.at >= b.at ? a : b), null);
  if (!last) throw new Error(`quality seed: the previous run left no raw cycle in ${dir}`);
  const writer = new QualityFileWriter({ dir, log: strictLog });
  const count = cyclesToResume({ realertMs: 0 }) - 1;
  const spacing = Math.min(intervalMs, (last.at - hourOf(last.at)) / (count + 1));
  try {
    for (let back = 1; back <= count; back++) {
      const at = last.at - back * spacing;
      await writer.append(qualityFileFor(dir, 'raw', at), last.hosts, (id) =>
        encodeCycle(at, id, last.samples),
      );
    }
  } finally {
    await writer.close();
  }
  return count;
}
