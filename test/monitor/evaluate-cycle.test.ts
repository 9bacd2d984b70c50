import { expect } from 'chai';

import type { Target } from '../../lib/config/target.js';
import { initialActionMemory } from '../../lib/monitor/evaluate-actions.js';
import { cyclePolicy, evaluateCycle, type CycleInput } from '../../lib/monitor/evaluate-cycle.js';
import { unknownHostState, type HostState } from '../../lib/monitor/host-state.js';
import { addNote, attachNotes, NO_NOTES } from '../../lib/monitor/pending-notes.js';
import { testSettings, testTarget } from '../fakes/fake-config.js';
import { probeResult } from '../fakes/fake-pinger.js';

const T0 = new Date('2026-01-01T00:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

const modemTriggers = [
  testTarget('a', { cyclePlug: 'Modem', line: 1 }),
  testTarget('b', { cyclePlug: 'modem', line: 2 }),
  testTarget('c', { lamp: false, line: 3 }),
];

function input(targets: readonly Target[], overrides: Partial<CycleInput> = {}): CycleInput {
  return {
    states: new Map(),
    results: targets.map((t) => probeResult(t.id, true, T0)),
    targets,
    policy: cyclePolicy({ ...testSettings, indicatorLamp: 'Lamp' }, { powerCycles: true }),
    now: T0,
    memory: initialActionMemory,
    ...overrides,
  };
}

function up(since: Date): HostState {
  return { ...unknownHostState, status: 'UP', since };
}

describe('monitor/evaluate-cycle (pure: no clock, no I/O)', () => {
  it('steps every target, counts every status, and keeps the state of a target without a result', () => {
    const targets = [testTarget('a'), testTarget('b'), testTarget('quiet')];
    const outcome = evaluateCycle(
      input(targets, {
        results: [probeResult('a', true, T0), probeResult('b', false, T0)],
        states: new Map([['quiet', up(at(-60))]]),
      }),
    );
    expect([...outcome.states].map(([id, s]) => `${id}:${s.status}`)).to.deep.equal([
      'a:UP',
      'b:DOWN',
      'quiet:UP',
    ]);
    expect(outcome.counts).to.deep.equal({
      UNKNOWN: 0,
      UP: 2,
      DEGRADED: 0,
      DOWN: 1,
      UNREACHABLE: 0,
      FLAPPING: 0,
      MAINTENANCE: 0,
    });
    expect(outcome.alerts.map((a) => `${a.kind} ${a.target.host}`)).to.deep.equal(['DOWN b']);
    expect(outcome.changes.map((c) => c.target.id)).to.deep.equal(['a', 'b']);
  });

  it('lists targets no longer configured as removed, and drops their state', () => {
    const outcome = evaluateCycle(
      input([testTarget('a')], { states: new Map([['gone', { ...up(at(-60)), status: 'DOWN' }]]) }),
    );
    expect(outcome.removed.map((r) => `${r.id}:${r.state.status}`)).to.deep.equal(['gone:DOWN']);
    expect([...outcome.states.keys()]).to.deep.equal(['a']);
  });

  it('asks for the lamp every cycle, as data: on while a lamp target is DOWN', () => {
    const states = new Map(modemTriggers.map((t) => [t.id, up(at(-60))]));
    const quiet = evaluateCycle(input(modemTriggers, { states }));
    expect(quiet.actions).to.deep.equal([{ type: 'lamp', plug: 'Lamp', on: false, down: [] }]);
    const down = evaluateCycle(
      input(modemTriggers, {
        states,
        results: [probeResult('a', false, T0), probeResult('b', true, T0), probeResult('c', false, T0)],
      }),
    );
    // c has lamp:no: its outage does not light the lamp.
    expect(down.actions).to.deep.equal([{ type: 'lamp', plug: 'Lamp', on: true, down: ['a'] }]);
  });

  it('decides a power cycle as an action, with a started note for the next alert of its triggers', () => {
    const armed = evaluateCycle(input(modemTriggers));
    const outcome = evaluateCycle(
      input(modemTriggers, {
        states: armed.states,
        memory: armed.memory,
        now: at(60),
        results: modemTriggers.map((t) => probeResult(t.id, t.id === 'c', at(60))),
      }),
    );
    const cycle = outcome.actions.find((action) => action.type === 'power-cycle');
    expect(cycle?.type === 'power-cycle' && cycle.spec).to.deep.include({
      plug: 'Modem',
      attempt: 1,
      max: 2,
    });
    expect(cycle?.type === 'power-cycle' && cycle.spec.triggers.map((t) => t.id)).to.deep.equal(['a', 'b']);
    expect(outcome.memory.plugs.get('modem')).to.include({ attempts: 1, running: true });
    const noted = attachNotes(outcome.alerts, outcome.memory.notes);
    expect(noted.alerts.map((a) => [a.target.host, a.notes?.length ?? 0])).to.deep.equal([
      ['a', 1],
      ['b', 1],
    ]);
    expect(noted.notes.size, 'taken by the alerts').to.equal(0);
  });

  it('never cycles with powerCycles off (pingwarden once): the rows are only reported', () => {
    const policy = cyclePolicy(testSettings, { powerCycles: false });
    const armed = evaluateCycle(input(modemTriggers, { policy }));
    const outcome = evaluateCycle(
      input(modemTriggers, {
        policy,
        states: armed.states,
        memory: armed.memory,
        now: at(60),
        results: modemTriggers.map((t) => probeResult(t.id, false, at(60))),
      }),
    );
    expect(outcome.actions).to.deep.equal([]);
  });
});

describe('monitor/pending-notes', () => {
  it('replaces a keyed note, keeps at most ten per target, and hands them to the next alert only', () => {
    let notes = addNote(NO_NOTES, ['a'], 'power cycle 1/2 started', 'cycle:modem:1');
    notes = addNote(notes, ['a'], 'lamp failed');
    notes = addNote(notes, ['a'], 'power cycle 1/2: link restored', 'cycle:modem:1');
    expect(notes.get('a')?.map((n) => n.text)).to.deep.equal([
      'lamp failed',
      'power cycle 1/2: link restored',
    ]);
    for (let i = 0; i < 20; i++) notes = addNote(notes, ['b'], `note ${i}`);
    expect(notes.get('b')).to.have.length(10);
    expect(notes.get('b')?.[0]?.text).to.equal('note 10');
  });
});
