import { expect } from 'chai';
import { appendFile, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { QualityRecorder } from '../../../lib/store/quality/quality-recorder.js';
import { readRecentCycles } from '../../../lib/store/quality/quality-recent.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { at, cycleReport, measured } from './quality-fixture.js';

const FIVE_MINUTES = 300_000;

describe('store/quality/quality-recent: the newest raw cycles, read back at start', () => {
  let dir: string;
  let log: FakeLog;
  beforeEach(async () => {
    dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'pingwarden-qrecent-')), 'quality');
    log = new FakeLog();
  });
  afterEach(async () => rm(path.dirname(dir), { recursive: true, force: true }));

  /**
   * Every 5 minutes from `from` (inclusive) to `to` (exclusive): a answers `received(i)` of 5 after 12 ms,
   * b answers nothing (7 sent, with the retries), and c is measured only in even cycles.
   */
  async function record(from: Date, to: Date, received: (i: number) => number = () => 5): Promise<void> {
    const recorder = new QualityRecorder({ dir, log });
    let i = 0;
    for (let t = from.getTime(); t < to.getTime(); t += FIVE_MINUTES, i++) {
      const n = received(i);
      await recorder.cycleFinished(
        cycleReport(new Date(t), [
          measured('a', 5, n, n > 0 ? 10 : null, n > 0 ? 12 : null, n > 0 ? 15 : null),
          measured('b', 7, 0),
          ...(i % 2 === 0 ? [measured('c', 5, 5, 1, 1, 1)] : []),
        ]),
      );
    }
    await recorder.stop();
  }

  const times = (cycles: readonly { at: number }[] | undefined) =>
    (cycles ?? []).map((cycle) => new Date(cycle.at).toISOString().slice(11, 16));

  it('gives each host its newest cycles, oldest first, no more than asked for', async () => {
    await record(at('10:00'), at('12:00'), (i) => i % 5);
    const recent = await readRecentCycles(dir, log, {
      now: at('12:00'),
      cycles: 4,
      fromMs: at('08:00').getTime(),
    });
    expect(times(recent.get('a'))).to.deep.equal(['11:40', '11:45', '11:50', '11:55']);
    expect(recent.get('a')).to.deep.equal([
      { at: at('11:40').getTime(), sent: 5, received: 0, avgMs: null },
      { at: at('11:45').getTime(), sent: 5, received: 1, avgMs: 12 },
      { at: at('11:50').getTime(), sent: 5, received: 2, avgMs: 12 },
      { at: at('11:55').getTime(), sent: 5, received: 3, avgMs: 12 },
    ]);
    expect(recent.get('b')?.map((c) => [c.sent, c.received])).to.deep.equal([
      [7, 0],
      [7, 0],
      [7, 0],
      [7, 0],
    ]);
    // c was measured in two of those four cycles: it gets those two, not four of its own.
    expect(times(recent.get('c'))).to.deep.equal(['11:40', '11:50']);
    expect(log.matching('WARN')).to.deep.equal([]);
  });

  it('reads yesterday’s raw file only when today’s has too few cycles, and nothing before fromMs', async () => {
    await record(at('23:45'), at('00:10', 1));
    const cycles = await readRecentCycles(dir, log, {
      now: at('00:10', 1),
      cycles: 21,
      fromMs: at('23:50').getTime(),
    });
    expect(times(cycles.get('a'))).to.deep.equal(['23:50', '23:55', '00:00', '00:05']);
    const onlyToday = await readRecentCycles(dir, log, { now: at('00:10', 1), cycles: 2, fromMs: 0 });
    expect(times(onlyToday.get('a'))).to.deep.equal(['00:00', '00:05']);
  });

  it('ignores records dated after now (a clock that was ahead once), and a raw file from the future', async () => {
    // First the future day's file (the recorder deletes raw files older than two days before each cycle).
    await record(at('10:00', 3), at('10:10', 3));
    await record(at('10:00'), at('10:30'));
    expect((await readdir(dir)).filter((name) => name.startsWith('raw-')).sort()).to.deep.equal([
      'raw-2026-11-01.pwq',
      'raw-2026-11-04.pwq',
    ]);
    const recent = await readRecentCycles(dir, log, { now: at('10:12'), cycles: 21, fromMs: 0 });
    expect(times(recent.get('a'))).to.deep.equal(['10:00', '10:05', '10:10']);
  });

  it('skips a damaged file with a warning naming it, and reads the others', async () => {
    await record(at('23:30'), at('00:10', 1));
    const files = (await readdir(dir)).filter((name) => name.startsWith('raw-')).sort();
    expect(files).to.deep.equal(['raw-2026-11-01.pwq', 'raw-2026-11-02.pwq']);
    // Today's file: a torn write at its end (power lost mid-write).
    await appendFile(path.join(dir, files[1]!), Buffer.from([200, 0, 0, 0, 1, 2, 3]));
    // Yesterday's: garbage in place of its frames.
    await writeFile(path.join(dir, files[0]!), Buffer.alloc(64, 0xab));
    const recent = await readRecentCycles(dir, log, { now: at('00:10', 1), cycles: 21, fromMs: 0 });
    expect(times(recent.get('a'))).to.deep.equal(['00:00', '00:05']);
    // Yesterday's file holds nothing sound to read: it contributes nothing, and nothing crashes.
    const warnings = log.matching('WARN').map((line) => line.replace(/file=\S*\//, 'file='));
    expect(warnings).to.deep.equal([
      'WARN quality file has a torn or damaged end; reading up to it file=raw-2026-11-02.pwq bytes=7',
      'WARN quality file has a torn or damaged end; reading up to it file=raw-2026-11-01.pwq bytes=64',
    ]);
  });

  it('warns naming a file it cannot read; a missing folder is simply no memory', async () => {
    const none = await readRecentCycles(dir, log, { now: at('10:00'), cycles: 21, fromMs: 0 });
    expect([none.cycleCount, none.get('a')]).to.deep.equal([0, undefined]);
    expect(log.lines).to.deep.equal([]);
    await mkdir(path.join(dir, 'raw-2026-11-01.pwq'), { recursive: true });
    const recent = await readRecentCycles(dir, log, { now: at('10:00'), cycles: 21, fromMs: 0 });
    expect([recent.cycleCount, recent.get('a')]).to.deep.equal([0, undefined]);
    expect(log.matching('WARN')).to.have.length(1);
    expect(log.matching('WARN')[0]).to.match(
      /^WARN quality file could not be read; skipping it file=.*raw-2026-11-01\.pwq/,
    );
  });
});
