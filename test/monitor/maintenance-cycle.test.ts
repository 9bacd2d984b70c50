import { expect } from 'chai';

import type { Target } from '../../lib/config/target.js';
import { initialActionMemory, type ActionMemory } from '../../lib/monitor/evaluate-actions.js';
import { cyclePolicy, evaluateCycle, type CycleOutcome } from '../../lib/monitor/evaluate-cycle.js';
import type { HostState } from '../../lib/monitor/host-state.js';
import type { AckRequest, Suppression } from '../../lib/monitor/suppression.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { testSettings, testTarget } from '../fakes/fake-config.js';
import { probeResult } from '../fakes/fake-pinger.js';

const MINUTE = 60_000;

/** Drives evaluateCycle cycle by cycle on a fake clock, as the loop would. */
class Rig {
  readonly clock = new FakeClock('2026-03-01T10:00:00Z');
  states: ReadonlyMap<string, HostState> = new Map();
  memory: ActionMemory = initialActionMemory;
  suppressed = new Map<string, Suppression>();
  acks: AckRequest[] = [];

  constructor(
    readonly targets: readonly Target[],
    readonly settings = { ...testSettings, realertSeconds: 600, indicatorLamp: 'Lamp' },
  ) {}

  cycle(alive: Record<string, boolean>): CycleOutcome {
    const now = this.clock.now();
    const outcome = evaluateCycle({
      states: this.states,
      results: this.targets.map((t) => probeResult(t.id, alive[t.id] ?? true, now)),
      targets: this.targets,
      policy: cyclePolicy(this.settings, { powerCycles: true }),
      now,
      memory: this.memory,
      suppressed: this.suppressed,
      acks: this.acks,
    });
    this.states = outcome.states;
    this.memory = outcome.memory;
    this.clock.advance(MINUTE);
    return outcome;
  }

  status(id: string): string {
    return this.states.get(id)?.status ?? 'none';
  }
}

const kinds = (outcome: CycleOutcome) => outcome.alerts.map((a) => `${a.kind} ${a.target.host}`);

describe('monitor: maintenance windows, snoozes and acks in the cycle (fake clock)', () => {
  it('a snoozed host that goes down gets no DOWN until the snooze ends, then one DOWN from the real start', () => {
    const rig = new Rig([testTarget('modem', { cyclePlug: 'Modem' })]);
    rig.cycle({ modem: true });
    const until = new Date(rig.clock.now().getTime() + 5 * MINUTE);
    rig.suppressed.set('modem', { kind: 'snooze', until, note: 'ISP work' });
    const entering = rig.cycle({ modem: true });
    expect(entering.changes.map((c) => `${c.before.status}->${c.after.status}`)).to.deep.equal([
      'UP->MAINTENANCE',
    ]);
    const failedAt = rig.clock.now();
    for (let i = 0; i < 4; i++) {
      const quiet = rig.cycle({ modem: false });
      expect(kinds(quiet)).to.deep.equal([]);
      // No power cycle and no lamp for a silenced host.
      expect(quiet.actions.filter((a) => a.type !== 'lamp' || a.on)).to.deep.equal([]);
      expect(rig.status('modem')).to.equal('MAINTENANCE');
    }
    rig.suppressed.clear();
    const after = rig.cycle({ modem: false });
    expect(kinds(after)).to.deep.equal(['DOWN modem']);
    expect(after.alerts[0]?.downSince).to.deep.equal(failedAt);
    expect(after.alerts[0]?.notes).to.deep.equal([
      'It stopped answering during a snooze; this DOWN was held until the snooze ended.',
    ]);
    expect(rig.status('modem')).to.equal('DOWN');
    expect(kinds(rig.cycle({ modem: false }))).to.deep.equal([]);
  });

  it('a host that answers again inside its window leaves it quietly (UP, no message)', () => {
    const rig = new Rig([testTarget('a')]);
    rig.cycle({ a: true });
    rig.suppressed.set('a', {
      kind: 'maintenance',
      until: new Date(rig.clock.now().getTime() + 9 * MINUTE),
      note: null,
    });
    rig.cycle({ a: false });
    rig.cycle({ a: true });
    rig.suppressed.clear();
    const out = rig.cycle({ a: true });
    expect(kinds(out)).to.deep.equal([]);
    expect(rig.status('a')).to.equal('UP');
  });

  it('a host already DOWN when its window begins is told DOWN again, dated from the outage start, if still down after', () => {
    const rig = new Rig([testTarget('a')]);
    rig.cycle({ a: true });
    const start = rig.clock.now();
    expect(kinds(rig.cycle({ a: false }))).to.deep.equal(['DOWN a']);
    rig.suppressed.set('a', {
      kind: 'maintenance',
      until: new Date(rig.clock.now().getTime() + 3 * MINUTE),
      note: null,
    });
    // No reminders inside the window although realert (10 min) passes.
    for (let i = 0; i < 12; i++) expect(kinds(rig.cycle({ a: false }))).to.deep.equal([]);
    rig.suppressed.clear();
    const out = rig.cycle({ a: false });
    expect(kinds(out)).to.deep.equal(['DOWN a']);
    expect(out.alerts[0]?.downSince).to.deep.equal(start);
  });

  it('with down_after_cycles, failures inside the window count towards confirmation', () => {
    const rig = new Rig([testTarget('a')], { ...testSettings, realertSeconds: 0, downAfterCycles: 3 });
    rig.cycle({ a: true });
    rig.suppressed.set('a', { kind: 'snooze', until: rig.clock.now(), note: null });
    rig.cycle({ a: true });
    const failedAt = rig.clock.now();
    rig.cycle({ a: false });
    rig.suppressed.clear();
    expect(kinds(rig.cycle({ a: false }))).to.deep.equal([]);
    const confirmed = rig.cycle({ a: false });
    expect(kinds(confirmed)).to.deep.equal(['DOWN a']);
    expect(confirmed.alerts[0]?.downSince).to.deep.equal(failedAt);
  });

  it('an ack stops the REMINDERs of the current outage only; RESTORED still goes out', () => {
    const rig = new Rig([testTarget('a')]);
    rig.cycle({ a: true });
    expect(kinds(rig.cycle({ a: false }))).to.deep.equal(['DOWN a']);
    rig.acks = [{ host: 'a', at: rig.clock.now(), note: 'ISP ticket 42' }];
    const acked = rig.cycle({ a: false });
    expect(acked.acked.map((x) => [x.target.id, x.ack.note])).to.deep.equal([['a', 'ISP ticket 42']]);
    const reminders: string[] = [];
    for (let i = 0; i < 30; i++) reminders.push(...kinds(rig.cycle({ a: false })));
    expect(reminders).to.deep.equal([]);
    expect(rig.states.get('a')?.ack?.note).to.equal('ISP ticket 42');
    expect(kinds(rig.cycle({ a: true }))).to.deep.equal(['RESTORED a']);
    expect(rig.states.get('a')?.ack).to.equal(undefined);
    // The next outage is not acknowledged by the old ack: its reminder comes.
    expect(kinds(rig.cycle({ a: false }))).to.deep.equal(['DOWN a']);
    const next: string[] = [];
    for (let i = 0; i < 10; i++) next.push(...kinds(rig.cycle({ a: false })));
    expect(next).to.deep.equal(['REMINDER a']);
  });

  it('an ack of a host that is not DOWN does nothing', () => {
    const rig = new Rig([testTarget('a')]);
    rig.cycle({ a: true });
    rig.acks = [{ host: 'a', at: rig.clock.now(), note: null }];
    expect(rig.cycle({ a: true }).acked).to.deep.equal([]);
  });

  it('children of a parent in maintenance that does not answer are UNREACHABLE, not DOWN', () => {
    const rig = new Rig([testTarget('switch'), testTarget('ap', { parent: 'switch' })]);
    rig.cycle({});
    rig.suppressed.set('switch', {
      kind: 'maintenance',
      until: new Date(rig.clock.now().getTime() + 9 * MINUTE),
      note: null,
    });
    rig.cycle({ switch: false });
    const out = rig.cycle({ switch: false, ap: false });
    expect(kinds(out)).to.deep.equal([]);
    expect(rig.status('ap')).to.equal('UNREACHABLE');
  });
});
