import path from 'node:path';

import type { Clock } from '../shared/clock.js';
import type { Log } from '../shared/log.js';
import { HistoryRecorder } from '../store/history-recorder.js';
import { HistoryWriter } from '../store/history-writer.js';
import { QualityRecorder } from '../store/quality/quality-recorder.js';

/**
 * The outage history of a run: the one writer of logs/history/ and the recorder the loop reports to, and
 * the link quality series beside it.
 */
export interface History {
  /** Other features (plug power cycles) append their records through it. */
  readonly writer: HistoryWriter;
  readonly recorder: HistoryRecorder;
  /** The link quality series in `<logsDir>/quality`, another observer of the loop. */
  readonly quality: QualityRecorder;
}

/** Builds the history in `<logsDir>/history`; `once` runs count sessions differently from the daemon. */
export function buildHistory(input: {
  readonly logsDir: string;
  readonly clock: Clock;
  readonly log: Log;
  readonly mode: 'once' | 'daemon';
  readonly pid: number;
}): History {
  const dir = path.join(input.logsDir, 'history');
  const writer = new HistoryWriter({ dir, log: input.log });
  const recorder = new HistoryRecorder({
    dir,
    writer,
    clock: input.clock,
    log: input.log,
    mode: input.mode,
    pid: input.pid,
  });
  const quality = new QualityRecorder({ dir: path.join(input.logsDir, 'quality'), log: input.log });
  return { writer, recorder, quality };
}
