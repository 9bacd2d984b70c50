import { expect } from 'chai';

import type { Target } from '../../lib/config/target.js';
import type { StateChange } from '../../lib/monitor/evaluate-cycle.js';
import { unknownHostState, type HostStatus } from '../../lib/monitor/host-state.js';
import { planTraces } from '../../lib/monitor/trace-plan.js';
import { probeResult } from '../fakes/fake-pinger.js';
import { testTarget } from '../fakes/fake-config.js';

const AT = new Date('2026-03-01T10:00:00Z');

function change(target: Target, from: HostStatus, to: HostStatus): StateChange {
  return {
    target,
    before: { ...unknownHostState, status: from },
    after: { ...unknownHostState, status: to },
    result: probeResult(target.id, to === 'UP', AT),
  };
}

const planned = (changes: readonly StateChange[], max: number) =>
  planTraces(changes, max).map((plan) => `${plan.phase} ${plan.destination}`);

describe('monitor/trace-plan', () => {
  it('traces at most trace_max_per_cycle hosts, WAN anchors first, so a site-wide outage forks only a few', () => {
    const hosts = Array.from({ length: 500 }, (_, i) => testTarget(`198.19.${i >> 8}.${i & 255}`));
    const anchor = testTarget('198.18.64.250', { cyclePlug: 'Modem' });
    const changes = [...hosts.map((host) => change(host, 'UP', 'DOWN')), change(anchor, 'UP', 'DOWN')];
    expect(planned(changes, 3)).to.deep.equal(['down 198.18.64.250', 'down 198.19.0.0', 'down 198.19.0.1']);
  });

  it('0 turns snapshots off', () => {
    expect(planned([change(testTarget('198.18.64.250'), 'UP', 'DOWN')], 0)).to.deep.equal([]);
  });

  it('never traces hosts UNREACHABLE behind a down parent, sensors, or hosts that stay down', () => {
    const parent = testTarget('198.18.64.2');
    const child = testTarget('198.18.64.130', { parent: '198.18.64.2' });
    const sensor = {
      ...testTarget('sensor:shed'),
      check: { kind: 'heartbeat', sensor: 'shed', downSeconds: 60 },
    } as const;
    const changes = [
      change(parent, 'UP', 'DOWN'),
      change(child, 'UP', 'UNREACHABLE'),
      change(sensor, 'UP', 'DOWN'),
      change(testTarget('198.18.64.9'), 'UNREACHABLE', 'UNREACHABLE'),
    ];
    expect(planned(changes, 10)).to.deep.equal(['down 198.18.64.2']);
  });

  it('traces outages that end after those that begin, and only when the host answers again', () => {
    const changes = [
      change(testTarget('198.18.64.5'), 'DOWN', 'UP'),
      change(testTarget('198.18.64.6'), 'DOWN', 'MAINTENANCE'),
      change(testTarget('198.18.64.7'), 'UP', 'DOWN'),
    ];
    expect(planned(changes, 10)).to.deep.equal(['down 198.18.64.7', 'restored 198.18.64.5']);
    expect(planned(changes, 1)).to.deep.equal(['down 198.18.64.7']);
  });
});
