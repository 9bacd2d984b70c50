import { expect } from 'chai';

import type { AlertBatch } from '../../lib/monitor/alert.js';
import { CycleLog } from '../../lib/monitor/cycle-log.js';
import type { HostState } from '../../lib/monitor/host-state.js';
import {
  MonitorLoop,
  type CycleReport,
  type MonitorObserver,
  type StateStore,
} from '../../lib/monitor/monitor-loop.js';
import { AlertLog } from '../../lib/notify/channels/log/alert-log.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeConfigSource, testTarget } from '../fakes/fake-config.js';
import { FakeLog } from '../fakes/fake-log.js';
import { FakeNotifier } from '../fakes/fake-notifier.js';
import { fakeProbers, FakePinger } from '../fakes/fake-pinger.js';
import { waitFor } from '../support/wait-for.js';

/** Keeps each cycle's states, as the history does, and hands them to the next run. */
class MemoryStateStore implements StateStore, MonitorObserver {
  readonly name = 'memory';
  states = new Map<string, HostState>();
  async load() {
    return new Map(this.states);
  }
  cycleFinished(report: CycleReport) {
    this.states = new Map(report.states);
  }
}

function setup(hosts = ['10.0.0.1', '10.0.0.2'], stateStore?: MemoryStateStore) {
  const clock = new FakeClock();
  const pinger = new FakePinger(clock);
  const notifier = new FakeNotifier();
  const log = new FakeLog();
  const config = new FakeConfigSource(hosts, { intervalSeconds: 60, realertSeconds: 180 });
  const loop = new MonitorLoop({
    clock,
    probers: fakeProbers(pinger),
    outbox: notifier,
    log,
    config,
    ...(stateStore && { stateStore }),
    observers: [...(stateStore ? [stateStore] : []), new CycleLog(log), new AlertLog(log)],
  });
  /** Lets the loop finish its cycle and go to sleep, then moves time to the next cycle. */
  const nextCycle = async () => {
    await waitFor(() => clock.pendingSleeps === 1, 'the loop to sleep');
    clock.advance(60_000);
  };
  return { clock, pinger, notifier, log, config, loop, nextCycle };
}

describe('monitor/monitor-loop', () => {
  it('probes every interval and hands the outbox DOWN, REMINDER and RESTORED', async () => {
    const { pinger, notifier, loop, nextCycle } = setup();
    const running = loop.start();
    await nextCycle(); // cycle 1 at t=0: all up
    pinger.down.add('10.0.0.2');
    await nextCycle(); // t=60: DOWN
    await nextCycle(); // t=120
    await nextCycle(); // t=180
    await nextCycle(); // t=240: reminder, 180 s after the DOWN alert
    pinger.down.delete('10.0.0.2');
    await nextCycle(); // t=300: RESTORED
    await waitFor(() => notifier.sent.length === 3, 'three alerts');
    await loop.stop();
    await running;
    expect(notifier.summary).to.deep.equal(['DOWN 10.0.0.2', 'REMINDER 10.0.0.2', 'RESTORED 10.0.0.2']);
    expect(notifier.sent[2]!.durationMs).to.equal(240_000);
    expect(pinger.batches.length).to.be.greaterThanOrEqual(6);
  });

  it('logs one summary line per cycle and one line per state change, a first UP at debug level only', async () => {
    const { clock, pinger, log, loop } = setup();
    pinger.down.add('10.0.0.1');
    void loop.start();
    await waitFor(() => clock.pendingSleeps === 1, 'the first cycle to end');
    await loop.stop();
    expect(log.matching('INFO cycle')).to.deep.equal([
      'INFO cycle hosts=2 up=1 down=1 unknown=0 alerts=1 ms=0',
    ]);
    expect(log.matching('INFO state')).to.deep.equal([
      'INFO state host=10.0.0.1 from=UNKNOWN to=DOWN description="Host 10.0.0.1" location=Lab attempts=3 rtt_ms=none',
    ]);
    expect(log.matching('DEBUG state')).to.deep.equal([
      'DEBUG state host=10.0.0.2 from=UNKNOWN to=UP description="Host 10.0.0.2" location=Lab attempts=1 rtt_ms=0.5',
    ]);
  });

  // Found in acceptance: Ctrl-C (or systemd's SIGTERM) also kills the ping children, whose failed results
  // became a DOWN alert for every host probed at that moment.
  it('a probe that fails while the monitor is stopping is not judged: no DOWN; an answer still counts', async () => {
    const { clock, pinger, notifier, log, loop, nextCycle } = setup(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    void loop.start();
    await nextCycle(); // cycle 1: all up
    let stopped: Promise<void> | undefined;
    pinger.onProbe = () => {
      // The stop arrives while the probes run, and takes two of them with it.
      stopped = loop.stop();
      pinger.down.add('10.0.0.1').add('10.0.0.2');
    };
    await waitFor(() => stopped !== undefined, 'the second cycle');
    await stopped;
    expect(notifier.sent).to.deep.equal([]);
    expect(log.matching('INFO state')).to.deep.equal([]);
    expect(log.matching('INFO stopping')).to.deep.equal([
      'INFO stopping: failed probes of this cycle are not judged hosts=2',
    ]);
    expect(loop.snapshot().get('10.0.0.1')?.status).to.equal('UP');
    expect(clock.pendingSleeps).to.equal(0);
  });

  it('starts the next cycle at once, with a warning, when a cycle overruns the interval', async () => {
    const { clock, pinger, log, loop } = setup();
    let probes = 0;
    pinger.onProbe = () => {
      probes++;
      if (probes === 1) clock.advance(75_000);
    };
    void loop.start();
    await waitFor(() => probes === 2, 'the second cycle');
    await loop.stop();
    expect(log.matching('WARN')).to.deep.equal([
      'WARN cycle overran interval; starting the next one now overrun_ms=15000 interval_s=60',
    ]);
  });

  it('never runs two cycles at once', async () => {
    const { clock, pinger, loop } = setup();
    let active = 0;
    let maxActive = 0;
    pinger.onProbe = async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      clock.advance(30_000);
      await new Promise((resolve) => setTimeout(resolve, 2));
      active--;
    };
    void loop.start();
    for (let i = 0; i < 5; i++) {
      await waitFor(() => clock.pendingSleeps === 1, 'sleep');
      clock.advance(30_000);
    }
    await loop.stop();
    expect(maxActive).to.equal(1);
  });

  // Item 1 of issue 13: an alert the outbox could not store (disk full) was gone for good, yet recorded.
  it('holds alerts the outbox cannot store, retries them in order every cycle, and records them only once stored', async () => {
    const { pinger, notifier, log, loop, nextCycle } = setup();
    notifier.failWith = new Error("ENOSPC: no space left on device, open 'logs/outbox/email/x.json.tmp'");
    pinger.down.add('10.0.0.1');
    void loop.start();
    await nextCycle(); // t=0: DOWN, cannot be stored
    pinger.down.delete('10.0.0.1');
    await nextCycle(); // t=60: RESTORED, held behind it
    await waitFor(() => log.matching('ERROR notify failed').length === 2, 'two failures, a minute apart');
    expect(log.matching('ERROR')[1]).to.equal(
      'ERROR notify failed; alerts held in memory and retried every cycle notifier=fake held=2 kind=DOWN ' +
        'host=10.0.0.1 error="ENOSPC: no space left on device, open \'logs/outbox/email/x.json.tmp\'"',
    );
    expect(loop.heldAlerts).to.equal(2);
    // Observers (the history, the alert log) have not been told of alerts that are not queued.
    expect(log.matching('WARN alert')).to.deep.equal([]);
    notifier.failWith = null;
    await nextCycle(); // t=120: space is back
    await waitFor(() => notifier.sent.length === 2, 'both held alerts stored');
    await loop.stop();
    expect(notifier.summary).to.deep.equal(['DOWN 10.0.0.1', 'RESTORED 10.0.0.1']);
    expect(loop.heldAlerts).to.equal(0);
    expect(log.matching('INFO notify recovered')).to.have.length(1);
    expect(log.matching('WARN alert')).to.have.length(1);
  });

  // `pingwarden once` has no next cycle: it keeps offering held alerts for a while before it ends.
  it('runOnce with retryHeldForMs stores held alerts once space returns, and tells the observers', async () => {
    const { clock, pinger, notifier, log, loop } = setup(['10.0.0.1']);
    notifier.failWith = new Error('ENOSPC: no space left on device');
    pinger.down.add('10.0.0.1');
    const done = loop.runOnce({ retryHeldForMs: 30_000 });
    await waitFor(() => clock.pendingSleeps === 1, 'the first retry wait');
    clock.advance(1_000);
    await waitFor(() => clock.pendingSleeps === 1, 'the second retry wait');
    notifier.failWith = null;
    clock.advance(1_000);
    const summary = await done;
    expect(summary.heldAlerts).to.equal(0);
    expect(notifier.summary).to.deep.equal(['DOWN 10.0.0.1']);
    // The alert log (like the history) hears of the alert once it is stored.
    expect(log.matching('WARN alert')).to.have.length(1);
  });

  it('runOnce with retryHeldForMs gives up at the deadline and reports what is still held', async () => {
    const { clock, pinger, notifier, log, loop } = setup(['10.0.0.1']);
    notifier.failWith = new Error('EROFS: read-only file system');
    pinger.down.add('10.0.0.1');
    const done = loop.runOnce({ retryHeldForMs: 3_000 });
    for (let i = 0; i < 3; i++) {
      await waitFor(() => clock.pendingSleeps === 1, `retry wait ${i + 1}`);
      clock.advance(1_000);
    }
    const summary = await done;
    expect(summary.heldAlerts).to.equal(1);
    expect(loop.heldAlerts).to.equal(1);
    expect(notifier.sent).to.deep.equal([]);
    expect(log.matching('WARN alert')).to.deep.equal([]);
  });

  it('stops promptly while sleeping', async () => {
    const { clock, loop } = setup(['10.0.0.1']);
    const running = loop.start();
    await waitFor(() => clock.pendingSleeps === 1, 'sleep');
    await loop.stop();
    // A stop that waited for the sleep to end would time this test out.
    await running;
  });

  it('closes the outage of a host removed from the config without a RESTORED alert, and starts added ones as UNKNOWN', async () => {
    const { pinger, notifier, log, config, loop, nextCycle } = setup();
    pinger.down.add('10.0.0.2');
    void loop.start();
    await nextCycle();
    config.setHosts(['10.0.0.1', '10.0.0.3']);
    await nextCycle();
    await waitFor(() => log.matching('INFO cycle').length === 2, 'second cycle');
    await loop.stop();
    expect(notifier.summary).to.deep.equal(['DOWN 10.0.0.2']);
    expect(log.lines.filter((line) => line.includes('reason=removed'))).to.have.length(1);
    expect(log.matching('DEBUG state host=10.0.0.3')).to.deep.equal([
      'DEBUG state host=10.0.0.3 from=UNKNOWN to=UP description="" location="" attempts=1 rtt_ms=0.5',
    ]);
    expect([...loop.snapshot().keys()]).to.deep.equal(['10.0.0.1', '10.0.0.3']);
  });

  it('resumes from saved state: no second DOWN after a restart, and RESTORED has the full duration', async () => {
    const store = new MemoryStateStore();
    const first = setup(['10.0.0.1'], store);
    first.pinger.down.add('10.0.0.1');
    expect((await first.loop.runOnce()).counts.DOWN).to.equal(1);

    const second = setup(['10.0.0.1'], store);
    second.clock.advance(120_000);
    second.pinger.down.add('10.0.0.1');
    await second.loop.runOnce();
    second.clock.advance(60_000);
    second.pinger.down.delete('10.0.0.1');
    const summary = await second.loop.runOnce();

    expect(first.notifier.summary).to.deep.equal(['DOWN 10.0.0.1']);
    expect(second.notifier.summary).to.deep.equal(['RESTORED 10.0.0.1']);
    expect(second.notifier.sent[0]!.durationMs).to.equal(180_000);
    expect(summary.counts.UP).to.equal(1);
  });

  it('commits the alerts to the outbox before observers (the history) see the cycle, and survives a failing observer', async () => {
    const clock = new FakeClock();
    const pinger = new FakePinger(clock);
    const notifier = new FakeNotifier();
    const log = new FakeLog();
    const seen: string[] = [];
    const loop = new MonitorLoop({
      clock,
      probers: fakeProbers(pinger),
      outbox: notifier,
      log,
      config: new FakeConfigSource(['10.0.0.1', '10.0.0.2']),
      observers: [
        {
          name: 'broken',
          cycleFinished: () => {
            throw new Error('disk full');
          },
        },
        {
          name: 'recorder',
          cycleFinished: (report) => {
            seen.push(
              `changes=${report.changes.map((c) => `${c.target.id}:${c.before.status}>${c.after.status}`).join(',')}` +
                ` alerts=${report.alerts.length} queued_before=${notifier.sent.length} down=${report.summary.counts.DOWN}`,
            );
          },
        },
      ],
    });
    pinger.down.add('10.0.0.2');
    await loop.runOnce();
    expect(seen).to.deep.equal([
      'changes=10.0.0.1:UNKNOWN>UP,10.0.0.2:UNKNOWN>DOWN alerts=1 queued_before=1 down=1',
    ]);
    expect(notifier.summary).to.deep.equal(['DOWN 10.0.0.2']);
    expect(log.matching('ERROR')).to.deep.equal(['ERROR observer failed observer=broken error="disk full"']);
  });

  it('a crash while the history is written leaves the alert queued: the outbox commit comes first', async () => {
    const clock = new FakeClock();
    const pinger = new FakePinger(clock);
    const order: string[] = [];
    const outbox = new FakeNotifier('outbox');
    outbox.onBatch = (batch) => order.push(`outbox ${batch.alerts.map((a) => a.kind).join(',')}`);
    // The history's write never completes: the process is "killed" inside it.
    let killed = false;
    const history: MonitorObserver = {
      name: 'history',
      cycleFinished: (report) => {
        order.push(`history alerts=${report.alerts.length}`);
        killed = true;
        return new Promise<void>(() => {});
      },
    };
    const loop = new MonitorLoop({
      clock,
      probers: fakeProbers(pinger),
      outbox,
      log: new FakeLog(),
      config: new FakeConfigSource(['10.0.0.1']),
      observers: [history],
    });
    pinger.down.add('10.0.0.1');
    void loop.runOnce();
    await waitFor(() => killed, 'the history write to start');
    expect(order).to.deep.equal(['outbox DOWN', 'history alerts=1']);
    expect(outbox.summary).to.deep.equal(['DOWN 10.0.0.1']);
  });

  it('logs a failed cycle and tries again at the next interval', async () => {
    const { clock, pinger, log, loop, nextCycle } = setup();
    let calls = 0;
    pinger.onProbe = () => {
      calls++;
      if (calls === 2) throw new Error('could not run ping: spawn EAGAIN');
    };
    void loop.start();
    await nextCycle();
    await nextCycle();
    await waitFor(() => calls === 3 && clock.pendingSleeps === 1, 'the third cycle');
    await loop.stop();
    expect(log.matching('ERROR')).to.deep.equal([
      'ERROR cycle failed error="could not run ping: spawn EAGAIN"',
    ]);
    expect(log.matching('INFO cycle')).to.have.length(2);
  });
});

describe('monitor/monitor-loop with parent: hosts', () => {
  it('steps parents first: children of a down switch are UNREACHABLE and listed in its one DOWN alert', async () => {
    const clock = new FakeClock();
    const pinger = new FakePinger(clock);
    const notifier = new FakeNotifier();
    const log = new FakeLog();
    const config = new FakeConfigSource([]);
    const hosts = ['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.0.254'];
    config.setTargets(
      hosts.map((host, index) =>
        testTarget(host, {
          description: `Host ${host}`,
          location: 'Lab',
          // The switch is listed last: order in the file must not matter.
          parent: host === '10.0.0.254' ? null : '10.0.0.254',
          line: index + 1,
        }),
      ),
    );
    const loop = new MonitorLoop({
      clock,
      probers: fakeProbers(pinger),
      outbox: notifier,
      log,
      config,
      observers: [new CycleLog(log)],
    });
    await loop.runOnce();
    for (const host of hosts) pinger.down.add(host);
    clock.advance(60_000);
    const summary = await loop.runOnce();
    expect(notifier.summary).to.deep.equal(['DOWN 10.0.0.254']);
    expect(notifier.sent[0]!.unreachableChildren?.map((c) => c.host)).to.deep.equal([
      '10.0.1.1',
      '10.0.1.2',
      '10.0.1.3',
    ]);
    expect(summary.counts).to.include({ DOWN: 1, UNREACHABLE: 3, UNKNOWN: 0 });
    expect(log.matching('INFO cycle').at(-1)).to.equal(
      'INFO cycle hosts=4 up=0 down=1 unknown=0 unreachable=3 alerts=1 ms=0',
    );
    expect(log.matching('INFO state host=10.0.1.1').at(-1)).to.match(/from=UP to=UNREACHABLE/);

    // The switch is back but one AP still fails: it is judged in the next cycle (its probe ran while the
    // switch was coming back), then alerts on its own.
    for (const host of ['10.0.0.254', '10.0.1.1', '10.0.1.3']) pinger.down.delete(host);
    clock.advance(60_000);
    await loop.runOnce();
    expect(notifier.summary).to.deep.equal(['DOWN 10.0.0.254', 'RESTORED 10.0.0.254']);
    clock.advance(60_000);
    await loop.runOnce();
    expect(notifier.summary).to.deep.equal(['DOWN 10.0.0.254', 'RESTORED 10.0.0.254', 'DOWN 10.0.1.2']);
    expect(notifier.sent[2]!.downSince.toISOString()).to.equal('2026-01-01T00:01:00.000Z');
  });
});

/** A switch 10.0.0.254 with two hosts behind it, known UP after one cycle. */
async function switchWithTwo() {
  const clock = new FakeClock();
  const pinger = new FakePinger(clock);
  const notifier = new FakeNotifier();
  const config = new FakeConfigSource([]);
  const hosts = ['10.0.0.254', '10.0.1.1', '10.0.1.2'];
  config.setTargets(
    hosts.map((host, index) =>
      testTarget(host, { parent: index === 0 ? null : '10.0.0.254', line: index + 1 }),
    ),
  );
  const loop = new MonitorLoop({
    clock,
    probers: fakeProbers(pinger),
    outbox: notifier,
    log: new FakeLog(),
    config,
  });
  await loop.runOnce();
  clock.advance(60_000);
  return { pinger, notifier, loop };
}

describe('monitor/monitor-loop confirming parents and children', () => {
  it('re-probes a parent that answered while its children failed: a link dying mid-cycle is one DOWN', async () => {
    const { pinger, notifier, loop } = await switchWithTwo();
    // The switch still answered the cycle's probe, but died before its children's replies.
    pinger.down.add('10.0.1.1');
    pinger.down.add('10.0.1.2');
    pinger.onProbe = (batch) => {
      if (batch.length === 1 && batch[0] === '10.0.0.254') pinger.down.add('10.0.0.254');
    };
    const summary = await loop.runOnce();
    expect(pinger.batches.at(-1)).to.deep.equal(['10.0.0.254']);
    expect(notifier.summary).to.deep.equal(['DOWN 10.0.0.254']);
    expect(summary.counts).to.include({ DOWN: 1, UNREACHABLE: 2 });
  });

  it('re-probes children that answered while their parent died: all of them are listed in its DOWN', async () => {
    const { pinger, notifier, loop } = await switchWithTwo();
    // 10.0.1.1 replied just before the switch died; its re-probe finds it cut off.
    pinger.down.add('10.0.0.254');
    pinger.down.add('10.0.1.2');
    pinger.onProbe = (batch) => {
      if (batch.length === 1 && batch[0] === '10.0.1.1') pinger.down.add('10.0.1.1');
    };
    await loop.runOnce();
    expect(pinger.batches.at(-1)).to.deep.equal(['10.0.1.1']);
    expect(notifier.summary).to.deep.equal(['DOWN 10.0.0.254']);
    expect(notifier.sent[0]!.unreachableChildren?.map((c) => c.host)).to.deep.equal(['10.0.1.1', '10.0.1.2']);
  });

  it('keeps a child DOWN on its own when the re-probed parent still answers', async () => {
    const { pinger, notifier, loop } = await switchWithTwo();
    pinger.down.add('10.0.1.1');
    await loop.runOnce();
    expect(pinger.batches.slice(-2)).to.deep.equal([['10.0.0.254', '10.0.1.1', '10.0.1.2'], ['10.0.0.254']]);
    expect(notifier.summary).to.deep.equal(['DOWN 10.0.1.1']);
  });
});

describe('monitor/monitor-loop digests (AlertSink.sendBatch)', () => {
  it("hands the outbox each cycle's alerts at once, with the counts for the overview", async () => {
    const clock = new FakeClock();
    const pinger = new FakePinger(clock);
    const batches: AlertBatch[] = [];
    const sink = { name: 'digest', sendBatch: async (batch: AlertBatch) => void batches.push(batch) };
    const config = new FakeConfigSource(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    const loop = new MonitorLoop({
      clock,
      probers: fakeProbers(pinger),
      outbox: sink,
      log: new FakeLog(),
      config,
    });
    await loop.runOnce();
    expect(batches, 'no alerts, no batch').to.deep.equal([]);
    pinger.down.add('10.0.0.1');
    pinger.down.add('10.0.0.3');
    clock.advance(60_000);
    await loop.runOnce();
    expect(batches).to.have.length(1);
    const [batch] = batches;
    expect(batch!.alerts.map((a) => `${a.kind} ${a.target.host}`)).to.deep.equal([
      'DOWN 10.0.0.1',
      'DOWN 10.0.0.3',
    ]);
    expect({
      hosts: batch!.hosts,
      down: batch!.down.map((d) => d.host),
      unreachable: batch!.unreachable,
    }).to.deep.equal({
      hosts: 3,
      down: ['10.0.0.1', '10.0.0.3'],
      unreachable: 0,
    });
  });
});
