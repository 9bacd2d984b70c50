import { expect } from 'chai';

import type { CycleAttempt } from '../../lib/monitor/actions.js';
import {
  applyActionEvents,
  evaluateActions,
  initialActionMemory,
  type ActionPolicy,
} from '../../lib/monitor/evaluate-actions.js';
import type { HostState, HostStatus } from '../../lib/monitor/host-state.js';
import { testTarget } from '../fakes/fake-config.js';

const T0 = Date.UTC(2026, 10, 22, 13, 0, 0);
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const targets = [
  testTarget('198.18.0.9', { description: 'ISP first hop', location: 'WAN', cyclePlug: 'Modem' }),
];
const policy: ActionPolicy = {
  powerCycles: true,
  maxPerOutage: 3,
  minGapMs: 60_000,
  offMs: 1_000,
  bootWaitMs: 5_000,
  pollMs: 1_000,
  timeoutSeconds: 1,
  lampPlug: '',
  announceCycles: false,
  dryRun: false,
};
const statesOf = (status: HostStatus, since: Date) =>
  new Map<string, HostState>(
    targets.map((t) => [t.id, { status, since, lastAlertAt: null, lastRttMs: null }]),
  );

describe('monitor: cycle_min_gap_seconds counts from when the plug was really switched', () => {
  it('a cycle that started 3 s after its decision (traces first) keeps the next one 60 s after that start', () => {
    const down = statesOf('DOWN', at(100));
    let memory = evaluateActions(targets, statesOf('UP', at(0)), initialActionMemory, policy, at(0)).memory;
    const first = evaluateActions(targets, down, memory, policy, at(200));
    expect(first.actions.map((a) => a.type)).to.include('power-cycle');
    const attempt: CycleAttempt = {
      plug: 'Modem',
      hosts: targets.map((t) => t.id),
      attempt: 1,
      max: 3,
      result: 'not-restored',
      startedAt: at(203),
      endedAt: at(210),
      offMs: 1_000,
      restoredAfterMs: null,
    };
    memory = applyActionEvents(first.memory, [
      { type: 'power-cycle-result', attempt, bootWaitMs: policy.bootWaitMs },
      { type: 'power-cycle-ended', plug: 'Modem' },
    ]);
    const cycles = (seconds: number) =>
      evaluateActions(targets, down, memory, policy, at(seconds)).actions.filter(
        (a) => a.type === 'power-cycle',
      );
    expect(cycles(260), '60 s after the decision, 57 s after the plug went off').to.have.length(0);
    expect(cycles(263), '60 s after the plug went off').to.have.length(1);
  });
});
