import { expect } from 'chai';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { MonitorLoop } from '../../lib/monitor/monitor-loop.js';
import { HistoryRecorder } from '../../lib/store/history-recorder.js';
import type { NewHistoryRecord } from '../../lib/store/history-record.js';
import { HistoryWriter } from '../../lib/store/history-writer.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeConfigSource } from '../fakes/fake-config.js';
import { FakeLog } from '../fakes/fake-log.js';
import { FakeNotifier } from '../fakes/fake-notifier.js';
import { fakeProbers, FakePinger } from '../fakes/fake-pinger.js';

/** A writer that counts its batches: one cycle must be one write. */
class CountingWriter extends HistoryWriter {
  readonly batches: NewHistoryRecord[][] = [];
  override append(records: readonly NewHistoryRecord[]): Promise<void> {
    this.batches.push([...records]);
    return super.append(records);
  }
}

describe('store/history-recorder', () => {
  let root: string;
  let dir: string;
  const clock = new FakeClock('2026-11-10T08:00:00Z');
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-recorder-'));
    dir = path.join(root, 'history');
  });
  // Some tests leave a monitor running to play a crash; its file is closed here so no handle outlives the test.
  let writers: HistoryWriter[] = [];
  afterEach(async () => {
    await Promise.all(writers.map((writer) => writer.close()));
    writers = [];
    await rm(root, { recursive: true, force: true });
  });

  /** One monitor process: a loop whose state store and observer is a recorder on `dir`. */
  function monitor(mode: 'daemon' | 'once', pinger: FakePinger, hosts = ['10.0.0.1', '10.0.0.2']) {
    const log = new FakeLog();
    const writer = new CountingWriter({ dir, log });
    writers.push(writer);
    const recorder = new HistoryRecorder({ dir, writer, clock, log, mode, pid: 4242 });
    const notifier = new FakeNotifier();
    const config = new FakeConfigSource(hosts, {
      intervalSeconds: 60,
      realertSeconds: 600,
      historyAliveSeconds: 180,
    });
    const loop = new MonitorLoop({
      clock,
      probers: fakeProbers(pinger),
      outbox: notifier,
      log,
      config,
      stateStore: recorder,
      observers: [recorder],
    });
    /** Runs one cycle, then moves the clock one interval on. */
    const cycle = async () => {
      await loop.runOnce();
      clock.advance(60_000);
    };
    return { log, writer, recorder, notifier, config, loop, cycle };
  }

  async function lines(month = '2026-11'): Promise<string[]> {
    const text = await readFile(path.join(dir, `history-${month}.jsonl`), 'utf8');
    return text
      .trimEnd()
      .split('\n')
      .map((line) => {
        const { v, kind, at, host, state, alert } = JSON.parse(line) as Record<string, unknown>;
        expect(v).to.equal(1);
        return [kind, at, host, state, alert].filter((part) => part !== undefined).join(' ');
      });
  }

  it('writes START, a snapshot and the changes in one batch per cycle, ALIVE marks when quiet, STOP on stop', async () => {
    const clockStart = clock.now().getTime();
    const at = (s: number) => new Date(clockStart + s * 1000).toISOString();
    const pinger = new FakePinger(clock);
    const daemon = monitor('daemon', pinger);
    await daemon.cycle(); // t=0: both come UP
    await daemon.cycle(); // t=60: quiet, alive not due (180 s)
    pinger.down.add('10.0.0.2');
    await daemon.cycle(); // t=120: DOWN
    await daemon.cycle(); // t=180: quiet, alive not due: the DOWN was 60 s ago
    await daemon.cycle(); // t=240
    await daemon.cycle(); // t=300: alive, 180 s after the last record
    await daemon.recorder.stop(); // t=360
    expect(daemon.writer.batches.map((batch) => batch.map((r) => r.kind).join(','))).to.deep.equal([
      'start,snapshot,state,state',
      'state,alert',
      'alive',
      'stop',
    ]);
    expect(await lines()).to.deep.equal([
      `start ${at(0)}`,
      `snapshot ${at(0)}`,
      `state ${at(0)} 10.0.0.1 UP`,
      `state ${at(0)} 10.0.0.2 UP`,
      `state ${at(120)} 10.0.0.2 DOWN`,
      `alert ${at(120)} 10.0.0.2 DOWN`,
      `alive ${at(300)}`,
      `stop ${at(360)}`,
    ]);
  });

  it('resumes after a crash: the open outage keeps its start, no second DOWN, reminders keep their pace, RESTORED has the whole duration', async () => {
    const start = clock.now().getTime();
    const pinger = new FakePinger(clock);
    const first = monitor('daemon', pinger);
    await first.cycle(); // t=0 up
    pinger.down.add('10.0.0.2');
    await first.cycle(); // t=60 DOWN
    await first.cycle(); // t=120
    // SIGKILL: no stop(), no STOP record. The monitor is away for five minutes.
    clock.advance(300_000);

    const second = monitor('daemon', pinger);
    await second.cycle(); // t=480: still down, no alert
    expect(second.notifier.summary).to.deep.equal([]);
    expect(second.loop.snapshot().get('10.0.0.2')).to.deep.include({
      status: 'DOWN',
      since: new Date(start + 60_000),
      lastAlertAt: new Date(start + 60_000),
    });
    for (let i = 0; i < 3; i++) await second.cycle(); // t=540..660: reminder due at 60+600=660
    expect(second.notifier.summary).to.deep.equal(['REMINDER 10.0.0.2']);
    expect(second.notifier.sent[0]!.at).to.deep.equal(new Date(start + 660_000));
    pinger.down.delete('10.0.0.2');
    await second.cycle(); // t=720 RESTORED
    expect(second.notifier.summary).to.deep.equal(['REMINDER 10.0.0.2', 'RESTORED 10.0.0.2']);
    expect(second.notifier.sent[1]!.durationMs).to.equal(660_000);
    expect(first.notifier.summary).to.deep.equal(['DOWN 10.0.0.2']);
  });

  // Issue 13: a DOWN held in memory (disk full) when the monitor was killed was never sent after the restart.
  it('after a crash while a DOWN was held, the restart sends it once, dated from the outage start', async () => {
    const start = clock.now().getTime();
    const pinger = new FakePinger(clock);
    const first = monitor('daemon', pinger);
    await first.cycle(); // t=0 up
    first.notifier.failWith = new Error('ENOSPC: no space left on device');
    pinger.down.add('10.0.0.2');
    await first.cycle(); // t=60 DOWN, held
    await first.cycle(); // t=120 still held
    expect(first.loop.heldAlerts).to.equal(1);
    // SIGKILL with the DOWN held; space comes back before the restart.
    clock.advance(120_000);
    const second = monitor('daemon', pinger);
    await second.cycle(); // t=300: still down: the DOWN goes out now
    await second.cycle(); // t=360: and only once
    expect(second.notifier.summary).to.deep.equal(['DOWN 10.0.0.2']);
    expect(second.notifier.sent[0]!.downSince).to.deep.equal(new Date(start + 60_000));
    // A third run after another crash does not send it again: it is recorded as alerted now.
    const third = monitor('daemon', pinger);
    await third.cycle();
    expect(third.notifier.summary).to.deep.equal([]);
    pinger.down.delete('10.0.0.2');
    await third.cycle();
    expect(third.notifier.summary).to.deep.equal(['RESTORED 10.0.0.2']);
    expect(third.notifier.sent[0]!.durationMs).to.equal(420_000);
  });

  // Found by the soak: a RESTORED held (outbox read-only) when the monitor died was never sent.
  it('after a crash while a RESTORED was held, the restart sends it once, for the whole outage', async () => {
    const start = clock.now().getTime();
    const pinger = new FakePinger(clock);
    const first = monitor('daemon', pinger);
    await first.cycle(); // t=0 up
    pinger.down.add('10.0.0.2');
    await first.cycle(); // t=60 DOWN, sent
    first.notifier.failWith = new Error('EROFS: read-only file system');
    pinger.down.delete('10.0.0.2');
    await first.cycle(); // t=120 UP, the RESTORED held; then SIGKILL
    expect(first.loop.heldAlerts).to.equal(1);
    const second = monitor('daemon', pinger);
    await second.cycle(); // t=180
    await second.cycle(); // t=240
    expect(second.notifier.summary).to.deep.equal(['RESTORED 10.0.0.2']);
    expect(second.notifier.sent[0]!.downSince).to.deep.equal(new Date(start + 60_000));
    const third = monitor('daemon', pinger);
    await third.cycle();
    expect(third.notifier.summary).to.deep.equal([]);
  });

  it('after a crash while a DOWN was held, a host that is back by the restart gets no RESTORED', async () => {
    const pinger = new FakePinger(clock);
    const first = monitor('daemon', pinger);
    await first.cycle();
    first.notifier.failWith = new Error('EROFS: read-only file system');
    pinger.down.add('10.0.0.2');
    await first.cycle(); // DOWN, held; then SIGKILL
    pinger.down.delete('10.0.0.2');
    const second = monitor('daemon', pinger);
    await second.cycle();
    await second.cycle();
    expect(second.notifier.summary).to.deep.equal([]);
    expect(second.loop.snapshot().get('10.0.0.2')?.status).to.equal('UP');
  });

  it('forgets hosts removed from hosts.csv, and a removed host that returns starts afresh', async () => {
    const pinger = new FakePinger(clock);
    pinger.down.add('10.0.0.2');
    const first = monitor('daemon', pinger);
    await first.cycle();
    first.config.setHosts(['10.0.0.1']);
    await first.cycle();
    await first.recorder.stop();
    const second = monitor('daemon', pinger);
    await second.cycle();
    expect([...second.loop.snapshot().keys()]).to.deep.equal(['10.0.0.1', '10.0.0.2']);
    expect(second.notifier.summary).to.deep.equal(['DOWN 10.0.0.2']);
  });

  it('continues a cron session while runs come within two intervals, and starts a new one after a gap', async () => {
    const pinger = new FakePinger(clock);
    const kinds = async () => (await lines()).map((line) => line.split(' ')[0]);
    for (let run = 0; run < 3; run++) {
      const once = monitor('once', pinger);
      await once.cycle();
      await once.recorder.stop();
    }
    clock.advance(300_000); // cron did not run for five minutes
    const late = monitor('once', pinger);
    await late.cycle();
    await late.recorder.stop();
    expect(await kinds()).to.deep.equal(['start', 'snapshot', 'state', 'state', 'alive', 'alive', 'start']);
  });

  it('rebuilds from the newest monthly snapshot without reading older months', async () => {
    await mkdir(dir, { recursive: true });
    // October says 10.0.0.9 is down; November's snapshot no longer lists it: October must not be replayed.
    await writeFile(
      path.join(dir, 'history-2026-10.jsonl'),
      '{"v":1,"kind":"state","at":"2026-10-03T00:00:00Z","host":"10.0.0.9","state":"DOWN","from":"UP","attempts":3,"rtt_ms":null,"interval_s":60}\n',
    );
    await writeFile(
      path.join(dir, 'history-2026-11.jsonl'),
      [
        '{"v":1,"kind":"snapshot","at":"2026-11-01T00:00:00Z","hosts":{"10.0.0.1":{"state":"DOWN","since":"2026-10-31T23:00:00.000Z","last_alert_at":"2026-10-31T23:30:00.000Z","rtt_ms":0.7}}}',
        '{"v":1,"kind":"alert","at":"2026-11-01T00:30:00Z","host":"10.0.0.1","alert":"REMINDER"}',
        '{"v":1,"kind":"state","at":"2026-11-02T00:00:00Z","host":"10.0.0.2","state":"UP","from":"UNKNOWN","attempts":1,"rtt_ms":0.4,"interval_s":60}',
        '',
      ].join('\n'),
    );
    const log = new FakeLog();
    const recorder = new HistoryRecorder({
      dir,
      writer: new HistoryWriter({ dir, log }),
      clock,
      log,
      mode: 'daemon',
      pid: 1,
    });
    const states = await recorder.load();
    expect(Object.fromEntries(states)).to.deep.equal({
      '10.0.0.1': {
        status: 'DOWN',
        since: new Date('2026-10-31T23:00:00Z'),
        lastAlertAt: new Date('2026-11-01T00:30:00Z'),
        lastRttMs: 0.7,
      },
      '10.0.0.2': {
        status: 'UP',
        since: new Date('2026-11-02T00:00:00Z'),
        lastAlertAt: null,
        lastRttMs: 0.4,
      },
    });
  });
});
