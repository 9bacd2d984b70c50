import path from 'node:path';

import { buildReport } from '../../lib/report/build-report.js';
import type { Report } from '../../lib/report/report-model.js';
import { QualityRecorder } from '../../lib/store/quality/quality-recorder.js';
import { FakeLog } from '../fakes/fake-log.js';
import { cycleReport, measured } from '../store/quality/quality-fixture.js';
import { FIXTURE_NOW, writeFixture } from './report-fixture.js';

/**
 * The link quality series beside the history fixture (report-fixture.ts), 2026-11-01 00:00 to 03:00 UTC,
 * a cycle every 5 minutes (36 cycles), 5 packets each:
 * - a: 00:00-01:00 all answered, min/avg/max 18/20/25 ms (12 cycles); 01:00-01:30 nothing (6 cycles, the
 *   fixture's outage of a); 01:30-03:00 4 of 5 answered, 30/40/90 ms (18 cycles).
 *   Sent 180, received 60 + 72 = 132: loss 48/180 = 26.667 %. Mean RTT over replies (60×20 + 72×40)/132 =
 *   4080/132 = 30.909 ms. p95 of the 30 cycle averages (12 × 20, 18 × 40), nearest rank 29: 40 ms.
 * - b: every packet answered, 1.2/1.5/2.0 ms: loss 0 %, mean 1.5, p95 1.5, min 1.2, max 2.0.
 * - c: not measured (as a route check would be).
 */
export async function writeQualityFixture(logsDir: string): Promise<void> {
  const recorder = new QualityRecorder({ dir: path.join(logsDir, 'quality'), log: new FakeLog() });
  const start = Date.parse('2026-11-01T00:00:00Z');
  for (let i = 0; i < 36; i++) {
    const minute = i * 5;
    const a =
      minute < 60
        ? measured('a', 5, 5, 18, 20, 25)
        : minute < 90
          ? measured('a', 5, 0)
          : measured('a', 5, 4, 30, 40, 90);
    await recorder.cycleFinished(
      cycleReport(new Date(start + minute * 60_000), [a, measured('b', 5, 5, 1.2, 1.5, 2)]),
    );
  }
  await recorder.stop();
}

/** The fixture's report over the whole day, with the quality series; `graphColumns` as the HTML report. */
export async function qualityFixtureReport(
  options: { graphColumns?: number; before?: (logsDir: string) => Promise<void> } = {},
): Promise<Report> {
  const fixture = await writeFixture();
  try {
    await writeQualityFixture(fixture.logsDir);
    await options.before?.(fixture.logsDir);
    return await buildReport({
      dir: path.join(fixture.logsDir, 'history'),
      log: new FakeLog(),
      now: FIXTURE_NOW,
      since: new Date('2026-11-01T00:00:00Z'),
      until: null,
      hosts: [],
      qualityDir: path.join(fixture.logsDir, 'quality'),
      graphColumns: options.graphColumns ?? 0,
    });
  } finally {
    await fixture.remove();
  }
}
