import { expect } from 'chai';

import type { SensorEntry } from '../../../lib/config/sensor-entry.js';
import type { TargetOf } from '../../../lib/config/target.js';
import { MonitorLoop } from '../../../lib/monitor/monitor-loop.js';
import { HeartbeatLedger } from '../../../lib/probe/heartbeat/heartbeat-book.js';
import { HeartbeatProber } from '../../../lib/probe/heartbeat/heartbeat-prober.js';
import { probeTargets, type ProberRegistry } from '../../../lib/probe/prober.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeConfigSource, testTarget } from '../../fakes/fake-config.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { FakeNotifier } from '../../fakes/fake-notifier.js';
import { fakeProbers, FakePinger } from '../../fakes/fake-pinger.js';
import { waitFor } from '../../support/wait-for.js';
import { sensorEntry } from '../../fakes/sensor-entry.js';

const OPTIONS = { attempts: 1, timeoutSeconds: 1 };
const cabin: SensorEntry = sensorEntry('cabin', { description: 'Cabin uplink', location: 'Lake house' });
/** The cabin sensor as the config loader makes its target. */
const cabinTarget: TargetOf<'heartbeat'> = {
  ...testTarget(cabin.host, { description: cabin.description, location: cabin.location, line: cabin.line }),
  check: { kind: 'heartbeat', sensor: cabin.name, downSeconds: cabin.downSeconds },
};

function setup() {
  const clock = new FakeClock('2026-11-22T13:00:00Z');
  const book = new HeartbeatLedger(clock.now());
  const prober = new HeartbeatProber({ clock, book });
  const seconds = (s: number) => new Date(Date.parse('2026-11-22T13:00:00Z') + s * 1000);
  return { clock, book, prober, seconds };
}

describe('probe/heartbeat/heartbeat-prober', () => {
  it('gives no verdict for a sensor never heard until down_seconds have passed since listening began', async () => {
    const { clock, prober, seconds } = setup();
    clock.advance(179_000);
    expect(await prober.probe([cabinTarget])).to.deep.equal([]);
    clock.advance(2_000);
    expect(await prober.probe([cabinTarget])).to.deep.equal([
      {
        host: 'sensor:cabin',
        attempts: 1,
        rttMs: null,
        alive: false,
        startedAt: seconds(0),
        notes: [
          'no heartbeat since the monitor started listening at 2026-11-22T13:00:00Z; the outage may have begun earlier',
        ],
      },
    ]);
  });

  it('is alive within down_seconds of the last heartbeat, then down since that heartbeat', async () => {
    const { clock, book, prober, seconds } = setup();
    book.record('cabin', seconds(0), 'PING', 5000);
    book.record('cabin', seconds(60), 'PING', 5060);
    clock.advance(240_000);
    expect(await prober.probe([cabinTarget])).to.deep.equal([
      { host: 'sensor:cabin', attempts: 1, rttMs: null, alive: true, startedAt: seconds(240) },
    ]);
    clock.advance(1_000);
    expect(await prober.probe([cabinTarget])).to.deep.equal([
      {
        host: 'sensor:cabin',
        attempts: 1,
        rttMs: null,
        alive: false,
        startedAt: seconds(60),
        notes: [
          'last heartbeat at 2026-11-22T13:01:00Z; the outage began between then and one heartbeat interval (1m 0s) later',
        ],
      },
    ]);
  });

  it('reports a boot once, with the first verdict after it', async () => {
    const { clock, book, prober, seconds } = setup();
    book.record('cabin', seconds(0), 'PING', 5000);
    clock.advance(10_000);
    await prober.probe([cabinTarget]);
    book.record('cabin', seconds(15), 'BOOT', 185);
    clock.advance(10_000);
    const [first] = await prober.probe([cabinTarget]);
    expect(first?.notes).to.deep.equal(['sensor rebooted, up 3m 5s']);
    clock.advance(10_000);
    const [second] = await prober.probe([cabinTarget]);
    expect(second?.notes).to.equal(undefined);
  });
});

describe('probe/prober: the registry sends each target to the prober of its kind', () => {
  it('heartbeat targets to the heartbeat prober, icmp to ping; a kind without a prober gets no result', async () => {
    const { clock, book, prober, seconds } = setup();
    book.record('cabin', seconds(0), 'PING', 1);
    const ping = new FakePinger(clock);
    const icmp = fakeProbers(ping).icmp;
    const targets = [testTarget('10.0.0.1'), cabinTarget, testTarget('10.0.0.2')];
    const both: ProberRegistry = {
      icmp,
      route: null,
      heartbeat: prober,
      tcp: null,
      http: null,
      dns: null,
      tls: null,
    };
    const routed = await probeTargets(both, targets, OPTIONS);
    expect(routed.map((r) => [r.host, r.alive])).to.deep.equal([
      ['10.0.0.1', true],
      ['sensor:cabin', true],
      ['10.0.0.2', true],
    ]);
    expect(ping.batches, 'one batch for the whole icmp list').to.deep.equal([['10.0.0.1', '10.0.0.2']]);
    const alone = await probeTargets({ ...both, heartbeat: null }, targets, OPTIONS);
    expect(alone.map((r) => r.host)).to.deep.equal(['10.0.0.1', '10.0.0.2']);
  });
});

describe('a sensor through the monitor loop (no timers)', () => {
  it('goes DOWN after down_seconds dated from its last heartbeat, reminds, and RESTORES with the boot note', async () => {
    const { clock, book, prober } = setup();
    const config = new FakeConfigSource(['10.0.0.1'], { intervalSeconds: 60, realertSeconds: 120 });
    config.config = { ...config.config, targets: [...config.config.targets, cabinTarget], sensors: [cabin] };
    const notifier = new FakeNotifier();
    const loop = new MonitorLoop({
      clock,
      probers: { ...fakeProbers(new FakePinger(clock)), heartbeat: prober },
      outbox: notifier,
      log: new FakeLog(),
      config,
    });
    const idle = () => waitFor(() => clock.pendingSleeps === 1, 'the loop to sleep');
    /** Moves time to the next cycle and waits until that cycle has finished. */
    const nextCycle = async () => {
      clock.advance(60_000);
      await waitFor(() => clock.pendingSleeps === 0, 'the loop to wake');
      await idle();
    };
    const heartbeat = (type: 'PING' | 'BOOT', uptime: number) =>
      book.record('cabin', clock.now(), type, uptime);

    heartbeat('BOOT', 5000);
    const running = loop.start(); // t=0: UP
    await idle();
    await nextCycle();
    heartbeat('PING', 5060); // t=60, the last heartbeat
    for (let t = 120; t <= 240; t += 60) await nextCycle(); // 240: 180 s of silence is not yet DOWN
    expect(notifier.summary).to.deep.equal([]);
    await nextCycle(); // t=300: DOWN
    await nextCycle(); // t=360
    await nextCycle(); // t=420: REMINDER, 120 s after the DOWN
    clock.advance(5_000);
    heartbeat('BOOT', 65); // t=425: the cabin's power came back
    await nextCycle(); // t=480: RESTORED
    await waitFor(() => notifier.sent.length === 3, 'three alerts');
    await loop.stop();
    await running;

    expect(notifier.summary).to.deep.equal([
      'DOWN sensor:cabin',
      'REMINDER sensor:cabin',
      'RESTORED sensor:cabin',
    ]);
    const [down, , restored] = notifier.sent;
    expect(down!.downSince.toISOString()).to.equal('2026-11-22T13:01:00.000Z');
    expect(down!.durationMs).to.equal(240_000);
    expect(down!.target).to.deep.equal({
      host: 'sensor:cabin',
      description: 'Cabin uplink',
      location: 'Lake house',
    });
    expect(down!.notes).to.deep.equal([
      'last heartbeat at 2026-11-22T13:01:00Z; the outage began between then and one heartbeat interval (1m 0s) later',
    ]);
    expect(restored!.durationMs).to.equal(425_000);
    expect(restored!.notes).to.deep.equal(['sensor rebooted, up 1m 5s']);
  });
});
