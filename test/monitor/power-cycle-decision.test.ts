import { expect } from 'chai';

import {
  decideCycle,
  initialCyclePlugState,
  type CycleDecision,
  type CyclePlugState,
} from '../../lib/monitor/power-cycle-decision.js';
import type { HostStatus } from '../../lib/monitor/host-state.js';

const now = new Date('2026-01-01T01:00:00Z');
const policy = { maxPerOutage: 2, minGapMs: 900_000 };
const armed: CyclePlugState = { ...initialCyclePlugState, armed: true };
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);

describe('decideCycle', () => {
  const cases: [string, HostStatus[], CyclePlugState, CycleDecision][] = [
    ['all triggers up: nothing to do', ['UP', 'UP'], armed, { kind: 'idle' }],
    ['one of two triggers down: not the WAN', ['DOWN', 'UP'], armed, { kind: 'idle' }],
    ['triggers still unknown', ['UNKNOWN', 'DOWN'], armed, { kind: 'idle' }],
    ['no triggers at all', [], armed, { kind: 'idle' }],
    ['all down, armed, first time: cycle 1', ['DOWN', 'DOWN', 'DOWN'], armed, { kind: 'cycle', attempt: 1 }],
    ['all down but never seen up since start', ['DOWN'], initialCyclePlugState, { kind: 'not-armed' }],
    ['all down while a cycle runs', ['DOWN'], { ...armed, running: true, attempts: 1 }, { kind: 'busy' }],
    [
      'second cycle before the minimum gap',
      ['DOWN'],
      { ...armed, attempts: 1, lastStartAt: minutesAgo(10) },
      { kind: 'wait', untilMs: minutesAgo(10).getTime() + 900_000 },
    ],
    [
      'second cycle exactly at the minimum gap',
      ['DOWN'],
      { ...armed, attempts: 1, lastStartAt: minutesAgo(15) },
      { kind: 'cycle', attempt: 2 },
    ],
    [
      'limit reached: give up, once',
      ['DOWN'],
      { ...armed, attempts: 2, lastStartAt: minutesAgo(60) },
      { kind: 'give-up', attempts: 2 },
    ],
    [
      'limit reached and said',
      ['DOWN'],
      { ...armed, attempts: 2, gaveUp: true, lastStartAt: minutesAgo(600) },
      { kind: 'gave-up' },
    ],
    [
      'link back after cycles: reset',
      ['UP', 'DOWN'],
      { ...armed, attempts: 2, gaveUp: true },
      { kind: 'recovered' },
    ],
    ['link back after one cycle', ['UP'], { ...armed, attempts: 1 }, { kind: 'recovered' }],
  ];
  for (const [name, triggers, state, expected] of cases) {
    it(name, () => expect(decideCycle(triggers, state, now, policy)).to.deep.equal(expected));
  }
});
