import { expect } from 'chai';

import { MonitorLoop } from '../../lib/monitor/monitor-loop.js';
import type { ControlSource, OperatorControls } from '../../lib/monitor/suppression.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeConfigSource } from '../fakes/fake-config.js';
import { FakeLog } from '../fakes/fake-log.js';
import { FakeNotifier } from '../fakes/fake-notifier.js';
import { fakeProbers, FakePinger } from '../fakes/fake-pinger.js';

/** Controls a test sets between cycles, or a file that cannot be read. */
class TestControls implements ControlSource {
  controls: OperatorControls = { snoozes: [], acks: [] };
  broken = false;
  read(): Promise<OperatorControls> {
    return this.broken
      ? Promise.reject(new Error('logs/snoozes.json: not valid JSON'))
      : Promise.resolve(this.controls);
  }
}

describe('monitor/monitor-loop: snoozes and acks read every cycle', () => {
  it('applies a snooze given between cycles, and keeps monitoring when the controls cannot be read', async () => {
    const clock = new FakeClock('2026-06-01T00:00:00Z');
    const pinger = new FakePinger(clock);
    const notifier = new FakeNotifier();
    const log = new FakeLog();
    const controls = new TestControls();
    const loop = new MonitorLoop({
      clock,
      probers: fakeProbers(pinger),
      outbox: notifier,
      log,
      config: new FakeConfigSource(['10.0.0.1', '10.0.0.2'], { intervalSeconds: 60, realertSeconds: 0 }),
      controls,
    });
    await loop.runOnce();
    const until = new Date(clock.now().getTime() + 3_600_000);
    controls.controls = {
      snoozes: [{ selector: { kind: 'host', host: '10.0.0.1' }, at: clock.now(), until, note: null }],
      acks: [],
    };
    pinger.down.add('10.0.0.1');
    clock.advance(60_000);
    await loop.runOnce();
    expect(notifier.sent).to.deep.equal([]);
    expect(loop.snapshot().get('10.0.0.1')?.status).to.equal('MAINTENANCE');

    // A damaged file: logged, no snooze applies, the cycle still runs and alerts.
    controls.broken = true;
    clock.advance(60_000);
    await loop.runOnce();
    expect(notifier.sent.map((a) => `${a.kind} ${a.target.host}`)).to.deep.equal(['DOWN 10.0.0.1']);
    expect(log.lines).to.include(
      'ERROR snoozes and acks could not be read; none apply this cycle error="logs/snoozes.json: not valid JSON"',
    );
  });
});
