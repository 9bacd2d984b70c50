import { expect } from 'chai';
import { appendFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { readHostQuality } from '../../../lib/report/quality-summary.js';
import { readQualityWindow, type QualitySlice } from '../../../lib/store/quality/quality-window.js';
import { QualityRecorder } from '../../../lib/store/quality/quality-recorder.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { at, cycleReport, measured } from './quality-fixture.js';

describe('store/quality/quality-recorder', () => {
  let dir: string;
  let log: FakeLog;
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'pingwarden-quality-')), 'quality');
    log = new FakeLog();
  });
  afterEach(async () => rm(path.dirname(dir), { recursive: true, force: true }));

  const slices = async (since: Date, until: Date) => {
    const seen: QualitySlice[] = [];
    await readQualityWindow(dir, since.getTime(), until.getTime(), log, (slice) => seen.push(slice));
    return seen;
  };

  /** Every 5 minutes from `from` (inclusive) to `to` (exclusive), one cycle of a (5 sent, 4 back) and b. */
  async function run(recorder: QualityRecorder, from: Date, to: Date): Promise<void> {
    for (let t = from.getTime(); t < to.getTime(); t += 300_000) {
      await recorder.cycleFinished(
        cycleReport(new Date(t), [measured('a', 5, 4, 10, 12, 15), measured('b', 5, 0)]),
      );
    }
  }

  it('keeps every cycle raw, exactly to a tenth of a millisecond', async () => {
    const recorder = new QualityRecorder({ dir, log });
    await recorder.cycleFinished(
      cycleReport(at('10:00'), [
        measured('a', 5, 5, 0.31, 0.44, 0.72),
        measured('b', 5, 0),
        measured('c', 20, 17, 1500, 4512.3, 9000),
        // A route check or heartbeat carries no quality: nothing is kept for it.
        { host: 'd', alive: true, attempts: 1, rttMs: 3, startedAt: at('10:00') },
      ]),
    );
    await recorder.stop();
    const got = await slices(at('00:00'), at('00:00', 1));
    expect(got).to.deep.equal([
      {
        tier: 'raw',
        host: 'a',
        at: at('10:00').getTime(),
        sample: { sent: 5, received: 5, minMs: 0.3, avgMs: 0.4, maxMs: 0.7 },
      },
      {
        tier: 'raw',
        host: 'b',
        at: at('10:00').getTime(),
        sample: { sent: 5, received: 0, minMs: null, avgMs: null, maxMs: null },
      },
      {
        tier: 'raw',
        host: 'c',
        at: at('10:00').getTime(),
        sample: { sent: 20, received: 17, minMs: 1500, avgMs: 4512.3, maxMs: 9000 },
      },
    ]);
  });

  it('rolls up each hour at the first cycle of the next, and each day at the first of the next', async () => {
    const recorder = new QualityRecorder({ dir, log });
    await run(recorder, at('22:00'), at('01:05', 1));
    await recorder.stop();
    // Read the rollups alone: after deleting the raw files only they remain.
    for (const name of await readdir(dir)) if (name.startsWith('raw-')) await rm(path.join(dir, name));
    const hours = (await slices(at('21:00'), at('23:00', 1))).filter((s) => s.tier === 'hourly');
    expect(hours.map((s) => `${new Date(s.at).toISOString().slice(0, 13)} ${s.host}`)).to.deep.equal([
      '2026-11-01T22 a',
      '2026-11-01T22 b',
      '2026-11-01T23 a',
      '2026-11-01T23 b',
      // Day 2 is a partial day of this window, so its hours are read ...
      '2026-11-02T00 a',
      '2026-11-02T00 b',
    ]);
    const first = hours[0]!;
    expect(
      first.tier === 'hourly' && [first.aggregate.cycles, first.aggregate.sent, first.aggregate.received],
    ).to.deep.equal([12, 60, 48]);
    // ... while a whole day inside the window comes from its daily rollup.
    const days = (await slices(at('00:00'), at('00:00', 2))).filter((s) => s.tier === 'daily');
    expect(
      days.map(
        (s) => s.tier === 'daily' && [s.host, s.aggregate.cycles, s.aggregate.sent, s.aggregate.received],
      ),
    ).to.deep.equal([
      ['a', 24, 120, 96],
      ['b', 24, 120, 0],
    ]);
  });

  it('rolls up after a restart what the previous run left unrolled, from the raw cycles', async () => {
    const first = new QualityRecorder({ dir, log });
    await run(first, at('10:00'), at('10:30'));
    await first.stop();
    // A new process (a crash, or cron's next run) carries on in the same hour, then the hour ends.
    const second = new QualityRecorder({ dir, log });
    await run(second, at('10:30'), at('11:05'));
    await second.stop();
    const third = new QualityRecorder({ dir, log });
    await run(third, at('11:05'), at('11:10'));
    await third.stop();
    for (const name of await readdir(dir)) if (name.startsWith('raw-')) await rm(path.join(dir, name));
    const hours = (await slices(at('00:00'), at('12:00'))).filter(
      (s) => s.tier === 'hourly' && s.host === 'a',
    );
    // One rollup for 10:00 with all twelve cycles: none lost, none counted twice.
    expect(
      hours.map((s) => s.tier === 'hourly' && [new Date(s.at).toISOString(), s.aggregate.cycles]),
    ).to.deep.equal([['2026-11-01T10:00:00.000Z', 12]]);
  });

  it('writes the hour and the day a stopped monitor left open when it starts again days later', async () => {
    const first = new QualityRecorder({ dir, log });
    await run(first, at('22:00'), at('23:30'));
    await first.stop();
    const later = new QualityRecorder({ dir, log });
    await run(later, at('00:30', 2), at('00:35', 2));
    await later.stop();
    for (const name of await readdir(dir)) if (name.startsWith('raw-')) await rm(path.join(dir, name));
    const got = await slices(at('00:00'), at('00:00', 1));
    // 22:00-23:25 is 18 cycles: the whole first day, from its rollups (12 at 22:00, 6 at 23:00).
    expect(got.map((s) => s.tier !== 'raw' && [s.tier, s.host, s.aggregate.cycles])).to.deep.equal([
      ['daily', 'a', 18],
      ['daily', 'b', 18],
    ]);
  });

  it('cuts off a torn write before the next append and reads everything before it', async () => {
    const first = new QualityRecorder({ dir, log });
    await run(first, at('10:00'), at('10:10'));
    await first.stop();
    const raw = path.join(dir, 'raw-2026-11-01.pwq');
    const before = (await stat(raw)).size;
    // Half a frame, as a power loss in the middle of a write leaves it.
    await appendFile(raw, Buffer.from([40, 0, 0, 0, 1, 2, 3, 4, 2, 9]));
    expect((await slices(at('00:00'), at('12:00'))).length).to.equal(4);
    expect(log.lines.some((line) => line.startsWith('WARN quality file has a torn or damaged end'))).to.equal(
      true,
    );
    const second = new QualityRecorder({ dir, log });
    await run(second, at('10:10'), at('10:15'));
    await second.stop();
    expect(log.lines).to.include(
      `WARN quality file ends with a torn or damaged write; cutting it off file=${raw} bytes=10`,
    );
    expect((await stat(raw)).size).to.be.greaterThan(before);
    expect(
      (await slices(at('00:00'), at('12:00'))).map((s) => new Date(s.at).toISOString().slice(11, 16)),
    ).to.deep.equal(['10:00', '10:00', '10:05', '10:05', '10:10', '10:10']);
  });

  it('deletes raw days older than quality_raw_days and keeps the rollups', async () => {
    const recorder = new QualityRecorder({ dir, log });
    await run(recorder, at('23:50'), at('00:10', 1));
    await recorder.cycleFinished(cycleReport(at('00:05', 3), [measured('a', 5, 5, 1, 1, 1)], 2));
    await recorder.stop();
    const names = (await readdir(dir)).sort();
    expect(names).to.deep.equal([
      'daily-2026-11.pwq',
      'hourly-2026-11-01.pwq',
      'hourly-2026-11-02.pwq',
      'raw-2026-11-02.pwq',
      'raw-2026-11-04.pwq',
    ]);
    expect(log.lines).to.include(
      `INFO quality file expired; deleted file=${path.join(dir, 'raw-2026-11-01.pwq')}`,
    );
  });

  it('gives loss, mean RTT and p95 that add up by hand', async () => {
    const recorder = new QualityRecorder({ dir, log });
    // a, four cycles: 5/5 at avg 10, 5/5 at 20, 5/3 at 30, 5/0. Sent 20, received 13: loss 7/20 = 35 %.
    // Mean over replies: (5×10 + 5×20 + 3×30) / 13 = 240/13 = 18.46 ms. p95 of (10, 20, 30), nearest rank 3: 30.
    const samples = [
      measured('a', 5, 5, 8, 10, 12),
      measured('a', 5, 5, 15, 20, 40),
      measured('a', 5, 3, 25, 30, 35),
      measured('a', 5, 0),
    ];
    for (const [i, result] of samples.entries()) {
      await recorder.cycleFinished(cycleReport(new Date(at('10:00').getTime() + i * 300_000), [result]));
    }
    await recorder.stop();
    const quality = await readHostQuality(dir, at('00:00').getTime(), at('00:00', 1).getTime(), log, 0);
    const a = quality.get('a')!.summary;
    expect(a).to.deep.include({
      sent: 20,
      received: 13,
      lossPercent: 35,
      rttP95Ms: 30,
      rttMinMs: 8,
      rttMaxMs: 40,
      p95Exact: true,
    });
    expect(a.rttAvgMs).to.be.closeTo(240 / 13, 1e-9);
  });
});
