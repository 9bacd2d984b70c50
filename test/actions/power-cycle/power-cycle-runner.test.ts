import { expect } from 'chai';

import { PowerCycleRunner } from '../../../lib/actions/power-cycle/power-cycle-runner.js';
import type { Settings } from '../../../lib/config/types.js';
import type { CycleAttempt } from '../../../lib/monitor/actions.js';
import type { HostStatus } from '../../../lib/monitor/host-state.js';
import { ActionRig } from '../../fakes/action-rig.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { testSettings, testTarget } from '../../fakes/fake-config.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { FakePinger } from '../../fakes/fake-pinger.js';
import { FakePlugSwitch } from '../../fakes/fake-plug-switch.js';

const A = '198.51.100.1';
const B = '198.51.100.2';

/** Lets background work (the power cycle) run until it waits on the fake clock again. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** The pure power-cycle decisions of the cycle, carried out by a real runner with a fake plug and pinger. */
class Rig {
  readonly clock = new FakeClock('2026-01-01T00:00:00Z');
  readonly plugs = new FakePlugSwitch();
  readonly pinger = new FakePinger(this.clock);
  readonly log = new FakeLog();
  readonly attempts: CycleAttempt[] = [];
  readonly cycler: PowerCycleRunner;
  private readonly actions: ActionRig;

  constructor(settings: Partial<Settings> = {}) {
    const targets = [
      testTarget(A, { cyclePlug: 'Modem', line: 1 }),
      testTarget(B, { cyclePlug: 'modem', line: 2 }),
      testTarget('192.0.2.9', { line: 3 }),
    ];
    this.cycler = new PowerCycleRunner({
      clock: this.clock,
      plugs: this.plugs,
      probe: (list, options) =>
        this.pinger.probe(
          list.map((target) => target.id),
          options,
        ),
      log: this.log,
      onAttempt: (attempt) => this.attempts.push(attempt),
    });
    const all = { ...testSettings, ...settings };
    this.actions = new ActionRig(targets, all, [this.cycler], this.log, () => this.clock.now());
  }

  readonly notes = { pendingFor: (id: string) => this.actions.pendingFor(id) };

  /** One monitor cycle that found the trigger hosts in `status`. */
  async cycle(status: HostStatus, b: HostStatus = status): Promise<void> {
    for (const [address, s] of [
      [A, status],
      [B, b],
    ] as const) {
      if (s === 'DOWN') this.pinger.down.add(address);
      else this.pinger.down.delete(address);
    }
    this.actions.cycle({ [A]: status, [B]: b });
    await settle();
  }

  /** Moves time on in 1 s steps, letting the power cycle follow, with a monitor cycle every `every` ms. */
  async run(ms: number, status: HostStatus, every = 60_000): Promise<void> {
    for (let t = 1000; t <= ms; t += 1000) {
      this.clock.advance(1000);
      await settle();
      if (t % every === 0) await this.cycle(status);
    }
  }
}

describe('actions/power-cycle: pure decisions carried out by the PowerCycleRunner', () => {
  it('cycles only once every trigger is down, off for the off time, and notes the restore', async () => {
    const rig = new Rig({ cycleOffSeconds: 30, cycleBootWaitSeconds: 300, cyclePollSeconds: 5 });
    await rig.cycle('UP');
    await rig.cycle('DOWN', 'UP');
    expect(rig.plugs.commands).to.deep.equal([]);

    await rig.cycle('DOWN');
    expect(rig.plugs.states.get('Modem')).to.equal(false);
    expect(rig.notes.pendingFor(A)).to.deep.equal([
      'power cycle 1/2 of Modem started: plug off for 30s, then up to 5m 0s for the link to return',
    ]);
    await rig.run(29_000, 'DOWN', 1e9);
    expect(rig.plugs.states.get('Modem'), 'still off at 29 s').to.equal(false);
    await rig.run(1_000, 'DOWN', 1e9);
    expect(rig.plugs.states.get('Modem'), 'on at 30 s').to.equal(true);

    await rig.run(20_000, 'DOWN', 1e9);
    await rig.cycle('UP', 'DOWN');
    expect(rig.attempts.map((a) => [a.result, a.offMs, a.restoredAfterMs])).to.deep.equal([
      ['restored', 30_000, 20_000],
    ]);
    expect(rig.notes.pendingFor(B)).to.deep.equal([
      'power cycle 1/2 of Modem: plug off 30s, on again; link restored 20s after power-on',
    ]);
    expect(rig.plugs.commands).to.deep.equal(['Modem off', 'Modem on']);
  });

  it('a link back during the off time is the result at once, and the plug still goes on after the off time', async () => {
    const rig = new Rig({ cycleOffSeconds: 30, cycleMinGapSeconds: 0 });
    await rig.cycle('UP');
    await rig.cycle('DOWN');
    await rig.run(10_000, 'DOWN', 1e9);
    await rig.cycle('UP');
    expect(rig.attempts.map((a) => [a.result, a.restoredIn, a.restoredAfterMs])).to.deep.equal([
      ['restored', 'off', null],
    ]);
    expect(rig.notes.pendingFor(A)).to.deep.equal([
      'power cycle 1/2 of Modem: link back while the plug was off; it goes on again after the off time',
    ]);
    expect(rig.plugs.states.get('Modem'), 'still in the off time').to.equal(false);

    // Down again at once: the plug is busy until the procedure has ended with it on.
    await rig.cycle('DOWN');
    expect(rig.plugs.commands).to.deep.equal(['Modem off']);
    await rig.run(20_000, 'DOWN', 1e9);
    expect(rig.plugs.states.get('Modem')).to.equal(true);
    await rig.cycle('DOWN');
    expect(rig.plugs.commands).to.deep.equal(['Modem off', 'Modem on', 'Modem off']);
  });

  it('when the link never returns: exactly max cycles spaced by the minimum gap, then gives up once', async () => {
    const rig = new Rig({
      cycleOffSeconds: 30,
      cycleBootWaitSeconds: 300,
      cyclePollSeconds: 5,
      cycleMaxPerOutage: 2,
      cycleMinGapSeconds: 900,
    });
    await rig.cycle('UP');
    await rig.cycle('DOWN');
    await rig.run(3 * 3600_000, 'DOWN');

    expect(rig.attempts.map((a) => [a.attempt, a.max, a.result])).to.deep.equal([
      [1, 2, 'not-restored'],
      [2, 2, 'not-restored'],
    ]);
    const [first, second] = rig.attempts;
    expect(second!.startedAt.getTime() - first!.startedAt.getTime(), 'gap').to.equal(900_000);
    expect(rig.plugs.commands).to.deep.equal(['Modem off', 'Modem on', 'Modem off', 'Modem on']);
    expect(rig.plugs.states.get('Modem')).to.equal(true);
    expect(rig.log.matching('WARN power cycle: giving up')).to.deep.equal([
      'WARN power cycle: giving up until the link comes back plug=Modem cycles=2',
    ]);
    expect(rig.notes.pendingFor(A).at(-1)).to.equal(
      'power cycle 2/2 of Modem did not restore the link; giving up until it comes back',
    );

    // Once the link is back the counters start afresh: the next outage gets its cycles again.
    await rig.cycle('UP');
    await rig.cycle('DOWN');
    expect(rig.plugs.commands).to.have.length(5);
  });

  it('is not armed until every trigger has answered since start', async () => {
    const rig = new Rig();
    await rig.cycle('DOWN');
    await rig.run(2 * 3600_000, 'DOWN');
    expect(rig.plugs.commands).to.deep.equal([]);
    expect(rig.notes.pendingFor(A)).to.deep.equal([
      'Modem not power-cycled: its trigger hosts have not all answered since pingwarden started (cycling is armed once they have)',
    ]);
    expect(rig.log.matching('WARN power cycle not armed')).to.have.length(1);
  });

  it('reports a plug that does not answer, counts the attempt, and carries on', async () => {
    const rig = new Rig();
    rig.plugs.failing.add('Modem');
    await rig.cycle('UP');
    await rig.cycle('DOWN');
    expect(rig.attempts.map((a) => [a.result, a.error])).to.deep.equal([
      ['plug-failed', 'plug Modem did not switch off (3 tries): connect ECONNREFUSED'],
    ]);
    expect(rig.notes.pendingFor(A)).to.deep.equal([
      'power cycle 1/2 of Modem failed: plug Modem did not switch off (3 tries): connect ECONNREFUSED',
    ]);
    expect(rig.log.matching('ERROR plug may be left OFF')).to.have.length(1);
  });

  it('on stop during the off time, switches the plug back on before resolving', async () => {
    const rig = new Rig({ cycleOffSeconds: 30 });
    await rig.cycle('UP');
    await rig.cycle('DOWN');
    await rig.run(5_000, 'DOWN', 1e9);
    expect(rig.plugs.states.get('Modem')).to.equal(false);
    await rig.cycler.stop();
    expect(rig.plugs.states.get('Modem')).to.equal(true);
    expect(rig.attempts.map((a) => [a.result, a.offMs])).to.deep.equal([['interrupted', 5_000]]);
  });
});
