import { expect } from 'chai';

import type { Target } from '../../lib/config/target.js';
import type { Alert } from '../../lib/monitor/alert.js';
import {
  childrenToConfirm,
  dependencyOrder,
  isParentDown,
  parentsOf,
  parentsToConfirm,
  withUnreachableChildren,
} from '../../lib/monitor/dependency-tree.js';
import type { ProbeResult } from '../../lib/probe/pinger.js';
import { testTarget } from '../fakes/fake-config.js';
import { unknownHostState, type HostState, type HostStatus } from '../../lib/monitor/host-state.js';

/** `host` or `host>parent` */
function entries(...specs: string[]): Target[] {
  return specs.map((spec, index) => {
    const [host = '', parent] = spec.split('>');
    return testTarget(host, {
      description: `D ${host}`,
      location: 'L',
      parent: parent ?? null,
      line: index + 1,
    });
  });
}

function states(map: Record<string, HostStatus>): Map<string, HostState> {
  return new Map(
    Object.entries(map).map(([host, status]) => [host, { ...unknownHostState, status, since: new Date(0) }]),
  );
}

function alertFor(host: string, kind: Alert['kind'] = 'DOWN'): Alert {
  return {
    kind,
    target: { host, description: `D ${host}`, location: 'L' },
    at: new Date(0),
    downSince: new Date(0),
    durationMs: 0,
    attempts: 3,
    lastRttMs: null,
  };
}

describe('monitor/dependency-tree', () => {
  describe('dependencyOrder', () => {
    const cases: [name: string, hosts: string[], order: string[]][] = [
      ['no parents: file order', ['a', 'b', 'c'], ['a', 'b', 'c']],
      ['a parent listed after its child moves before it', ['c>b', 'b>a', 'a'], ['a', 'b', 'c']],
      ['siblings keep file order', ['x', 'c2>p', 'p', 'c1>p'], ['x', 'p', 'c2', 'c1']],
    ];
    for (const [name, hosts, order] of cases) {
      it(name, () => {
        const list = entries(...hosts);
        expect(dependencyOrder(list).map((t) => t.id)).to.deep.equal(order);
      });
    }
  });

  describe('isParentDown', () => {
    const list = entries('p', 'c>p', 'lone');
    const parents = parentsOf(list);
    const cases: [parent: HostStatus, expected: boolean][] = [
      ['UP', false],
      ['UNKNOWN', false],
      ['DOWN', true],
      ['UNREACHABLE', true],
    ];
    for (const [status, expected] of cases) {
      it(`parent ${status}: ${expected}`, () =>
        expect(isParentDown('c', parents, states({ p: status }))).to.equal(expected));
    }
    it('a parent that recovers in this cycle still counts: its children were probed meanwhile', () =>
      expect(isParentDown('c', parents, states({ p: 'UP' }), states({ p: 'DOWN' }))).to.equal(true));
    it('a host without parent: false', () =>
      expect(isParentDown('lone', parents, new Map())).to.equal(false));
  });

  describe('parentsToConfirm', () => {
    const list = entries('r', 'sw>r', 'ap1>sw', 'ap2>sw', 'cam>ap1');
    const parents = parentsOf(list);
    const results = (alive: Record<string, boolean>) =>
      new Map<string, ProbeResult>(
        Object.entries(alive).map(([host, up]) => [
          host,
          { host, alive: up, attempts: 1, rttMs: up ? 1 : null, startedAt: new Date(0) },
        ]),
      );
    const cases: [name: string, alive: Record<string, boolean>, done: string[], expected: string[]][] = [
      ['all answer: nothing', { r: true, sw: true, ap1: true, ap2: true, cam: true }, [], []],
      [
        'a child fails under an answering parent',
        { r: true, sw: true, ap1: false, ap2: true, cam: true },
        [],
        ['sw'],
      ],
      [
        'two children of one parent: it once',
        { r: true, sw: true, ap1: false, ap2: false, cam: false },
        [],
        ['sw'],
      ],
      [
        'a failed parent is not re-probed, its answering parent is',
        { r: true, sw: false, ap1: false, ap2: false, cam: false },
        [],
        ['r'],
      ],
      ['already re-probed this cycle', { r: true, sw: true, ap1: false, ap2: true, cam: true }, ['sw'], []],
    ];
    for (const [name, alive, done, expected] of cases) {
      it(name, () =>
        expect(parentsToConfirm(results(alive), parents, new Set(done))).to.deep.equal(expected),
      );
    }
  });

  describe('childrenToConfirm', () => {
    const list = entries('sw', 'ap1>sw', 'ap2>sw');
    const parents = parentsOf(list);
    const results = (alive: Record<string, boolean>) =>
      new Map<string, ProbeResult>(
        Object.entries(alive).map(([host, up]) => [
          host,
          { host, alive: up, attempts: 1, rttMs: up ? 1 : null, startedAt: new Date(0) },
        ]),
      );
    it('the children that answered while their parent did not', () =>
      expect(
        childrenToConfirm(results({ sw: false, ap1: true, ap2: false }), parents, new Set()),
      ).to.deep.equal(['ap1']));
    it('none while the parent answers, or once done', () => {
      expect(
        childrenToConfirm(results({ sw: true, ap1: true, ap2: false }), parents, new Set()),
      ).to.deep.equal([]);
      expect(
        childrenToConfirm(results({ sw: false, ap1: true, ap2: true }), parents, new Set(['ap1', 'ap2'])),
      ).to.deep.equal([]);
    });
  });

  describe('withUnreachableChildren', () => {
    const list = entries('sw', 'ap1>sw', 'ap2>sw', 'cam>ap1', 'other');
    const listed = (alerts: Alert[]) => alerts.map((a) => (a.unreachableChildren ?? []).map((c) => c.host));

    it('lists UNREACHABLE hosts at any depth under a DOWN alert, in file order', () => {
      const now = states({ sw: 'DOWN', ap1: 'UNREACHABLE', ap2: 'UNREACHABLE', cam: 'UNREACHABLE' });
      expect(listed(withUnreachableChildren([alertFor('sw')], list, now))).to.deep.equal([
        ['ap1', 'ap2', 'cam'],
      ]);
    });

    it('lists them under a REMINDER too, but never under RESTORED', () => {
      const now = states({ sw: 'DOWN', ap1: 'UNREACHABLE' });
      const alerts = [alertFor('sw', 'REMINDER'), alertFor('other', 'RESTORED')];
      expect(listed(withUnreachableChildren(alerts, list, now))).to.deep.equal([['ap1'], []]);
    });

    it('skips children that answer or are DOWN on their own (and what lies behind them)', () => {
      const now = states({ sw: 'DOWN', ap1: 'DOWN', ap2: 'UP', cam: 'UNREACHABLE' });
      const [alert] = withUnreachableChildren([alertFor('sw')], list, now);
      expect(alert).not.to.have.property('unreachableChildren');
    });
  });
});
