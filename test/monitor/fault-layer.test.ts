import { expect } from 'chai';

import { parseCidr, type Cidr } from '../../lib/config/cidr-list.js';
import type { Target } from '../../lib/config/target.js';
import { classifyFault, faultClassifier, type FaultContext } from '../../lib/monitor/fault-layer.js';
import { unknownHostState, type HostState, type HostStatus } from '../../lib/monitor/host-state.js';
import type { FaultLabel, TraceSnapshot } from '../../lib/shared/fault-evidence.js';
import { testTarget } from '../fakes/fake-config.js';

const AT = new Date('2026-03-01T10:00:00Z');
const GATEWAY = '192.168.1.1';

function lan(text: string): Cidr {
  const cidr = parseCidr(text);
  if (typeof cidr === 'string') throw new Error(cidr);
  return cidr;
}

function states(entries: Record<string, HostStatus>): ReadonlyMap<string, HostState> {
  return new Map(Object.entries(entries).map(([id, status]) => [id, { ...unknownHostState, status }]));
}

/** A snapshot to `target` whose hops answered from these addresses (null: `*`). */
function trace(target: string, addresses: readonly (string | null)[]): TraceSnapshot {
  return {
    at: AT,
    phase: 'down',
    target,
    hops: addresses.map((address, i) => ({ ttl: i + 1, address, rttMs: address === null ? null : 1 + i })),
    reachedTarget: addresses.at(-1) === target,
  };
}

// A home network: a switch in front of the router (the gateway), a modem behind it, three internet anchors
// (cycle:Modem) behind the modem, a printer on the LAN and a remote web server.
const switchTarget = testTarget('192.168.1.2');
const gatewayTarget = testTarget(GATEWAY, { parent: '192.168.1.2' });
const modem = testTarget('192.168.100.1', { parent: GATEWAY });
const anchors = ['9.9.9.9', '1.1.1.1', '8.8.8.8'].map((host) =>
  testTarget(host, { parent: '192.168.100.1', cyclePlug: 'Modem' }),
);
const printer = testTarget('192.168.1.50');
const remote = testTarget('203.0.113.80');
const home: readonly Target[] = [switchTarget, gatewayTarget, modem, ...anchors, printer, remote];
const allUp = {
  '192.168.1.2': 'UP',
  [GATEWAY]: 'UP',
  '192.168.100.1': 'UP',
  '9.9.9.9': 'UP',
  '1.1.1.1': 'UP',
  '8.8.8.8': 'UP',
  '192.168.1.50': 'UP',
  '203.0.113.80': 'UP',
} as const satisfies Record<string, HostStatus>;
const anchorsDown = { '9.9.9.9': 'DOWN', '1.1.1.1': 'DOWN', '8.8.8.8': 'DOWN' } as const;

interface Case {
  readonly name: string;
  readonly target: Target;
  readonly targets?: readonly Target[];
  readonly states: Record<string, HostStatus>;
  readonly trace?: TraceSnapshot | null;
  readonly gateway?: string | null;
  readonly lanNets?: readonly Cidr[];
  readonly want: FaultLabel;
}

const CASES: readonly Case[] = [
  {
    name: 'the gateway host itself down → gateway',
    target: gatewayTarget,
    states: { ...allUp, [GATEWAY]: 'DOWN' },
    want: { layer: 'gateway', reason: 'gateway outage: the gateway 192.168.1.1 itself is down' },
  },
  {
    name: 'an anchor down while the listed gateway is DOWN → gateway',
    target: anchors[0]!,
    targets: [gatewayTarget, ...anchors.map((a) => ({ ...a, parent: null }))],
    states: { ...allUp, ...anchorsDown, [GATEWAY]: 'DOWN' },
    want: { layer: 'gateway', reason: 'gateway outage: gateway 192.168.1.1 down' },
  },
  {
    name: 'the switch in front of the gateway down → LAN',
    target: switchTarget,
    states: { ...allUp, '192.168.1.2': 'DOWN', [GATEWAY]: 'UNREACHABLE' },
    want: {
      layer: 'LAN',
      reason: 'LAN outage: 192.168.1.2 sits between the monitor and the gateway 192.168.1.1 (parent:)',
    },
  },
  {
    name: 'an anchor without parent: down while the gateway is UNREACHABLE behind a down switch → LAN',
    target: testTarget('9.9.9.9', { cyclePlug: 'Modem' }),
    targets: [switchTarget, gatewayTarget, testTarget('9.9.9.9', { cyclePlug: 'Modem' })],
    states: { '192.168.1.2': 'DOWN', [GATEWAY]: 'UNREACHABLE', '9.9.9.9': 'DOWN' },
    want: {
      layer: 'LAN',
      reason: 'LAN outage: 192.168.1.2, between the monitor and the gateway 192.168.1.1, is down',
    },
  },
  {
    name: 'a host on a directly reached network down → LAN',
    target: printer,
    states: { ...allUp, '192.168.1.50': 'DOWN' },
    lanNets: [lan('192.168.1.0/24')],
    want: {
      layer: 'LAN',
      reason:
        "LAN outage: 192.168.1.50 is on the monitor's own network 192.168.1.0/24, gateway 192.168.1.1 up",
    },
  },
  {
    name: 'a remote host down while the anchors answer → remote',
    target: remote,
    states: { ...allUp, '203.0.113.80': 'DOWN' },
    trace: trace('203.0.113.80', [GATEWAY, '192.168.100.1', '100.64.0.1', '198.51.100.7', null]),
    want: {
      layer: 'remote',
      reason: 'remote outage: 203.0.113.80 down while 3 of 3 internet anchors answer, gateway 192.168.1.1 up',
    },
  },
  {
    name: 'one anchor down while the others answer → remote',
    target: anchors[2]!,
    states: { ...allUp, '8.8.8.8': 'DOWN' },
    want: {
      layer: 'remote',
      reason: 'remote outage: 8.8.8.8 down while 2 of 3 internet anchors answer, gateway 192.168.1.1 up',
    },
  },
  {
    name: 'every anchor down, the trace dies beyond the modem → ISP',
    target: anchors[0]!,
    states: { ...allUp, ...anchorsDown },
    trace: trace('9.9.9.9', [GATEWAY, '192.168.100.1', '100.64.0.1', null, null]),
    want: {
      layer: 'ISP',
      reason: 'ISP outage: all 3 internet anchors down, gateway 192.168.1.1 up, last hop 100.64.0.1',
    },
  },
  {
    name: 'every anchor down, the trace ends at the modem → modem-WAN',
    target: anchors[1]!,
    states: { ...allUp, ...anchorsDown },
    trace: trace('1.1.1.1', [GATEWAY, '192.168.100.1', null, null]),
    want: {
      layer: 'modem-WAN',
      reason:
        'modem/WAN outage: all 3 internet anchors down, gateway 192.168.1.1 up, the trace ends at 192.168.100.1',
    },
  },
  {
    name: 'every anchor down, no trace taken → modem-WAN, saying so',
    target: anchors[1]!,
    states: { ...allUp, ...anchorsDown },
    trace: null,
    want: {
      layer: 'modem-WAN',
      reason: 'modem/WAN outage: all 3 internet anchors down, gateway 192.168.1.1 up, no path snapshot',
    },
  },
  {
    name: 'gateway only known from the trace: it answered hop 1, the ISP hop 2 → ISP',
    target: testTarget('9.9.9.9', { cyclePlug: 'Modem' }),
    targets: [testTarget('9.9.9.9', { cyclePlug: 'Modem' })],
    states: { '9.9.9.9': 'DOWN' },
    trace: trace('9.9.9.9', [GATEWAY, '100.64.0.1', null]),
    want: {
      layer: 'ISP',
      reason: 'ISP outage: the internet anchor down, gateway 192.168.1.1 up, last hop 100.64.0.1',
    },
  },
  {
    name: 'no gateway known: the first hop counts as the gateway → modem-WAN',
    target: testTarget('9.9.9.9', { cyclePlug: 'Modem' }),
    targets: [testTarget('9.9.9.9', { cyclePlug: 'Modem' })],
    states: { '9.9.9.9': 'DOWN' },
    gateway: null,
    trace: trace('9.9.9.9', ['10.0.0.1', null, null]),
    want: {
      layer: 'modem-WAN',
      reason: 'modem/WAN outage: the internet anchor down, no gateway known, the trace ends at 10.0.0.1',
    },
  },
  {
    name: 'nothing answered the trace, the gateway not listed → gateway',
    target: testTarget('9.9.9.9', { cyclePlug: 'Modem' }),
    targets: [testTarget('9.9.9.9', { cyclePlug: 'Modem' })],
    states: { '9.9.9.9': 'DOWN' },
    trace: trace('9.9.9.9', [null, null, null]),
    want: {
      layer: 'gateway',
      reason: 'gateway outage: no hop answered the trace, not even the gateway 192.168.1.1',
    },
  },
  {
    name: 'no anchors listed → unknown',
    target: remote,
    targets: [remote],
    states: { '203.0.113.80': 'DOWN' },
    trace: trace('203.0.113.80', [GATEWAY, '100.64.0.1', null]),
    want: {
      layer: null,
      reason: 'fault layer unknown: no internet anchors (hosts with cycle:) to compare with',
    },
  },
  {
    name: 'anchors without a result yet → unknown',
    target: remote,
    states: { ...allUp, '203.0.113.80': 'DOWN', '9.9.9.9': 'UNKNOWN', '1.1.1.1': 'DOWN', '8.8.8.8': 'DOWN' },
    want: {
      layer: null,
      reason: 'fault layer unknown: the internet anchors are neither up nor down yet',
    },
  },
];

describe('classifyFault', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const context: FaultContext = {
        targets: c.targets ?? home,
        states: states(c.states),
        gateway: c.gateway === undefined ? GATEWAY : c.gateway,
        lanNets: c.lanNets ?? [],
      };
      expect(classifyFault(c.target, c.trace ?? null, context)).to.deep.equal(c.want);
    });
  }

  it('never calls a host on the LAN the gateway just because the gateway is on the same network', () => {
    const context: FaultContext = {
      targets: home,
      states: states({ ...allUp, [GATEWAY]: 'DOWN' }),
      gateway: GATEWAY,
      lanNets: [lan('192.168.1.0/24')],
    };
    expect(classifyFault(gatewayTarget, null, context).layer).to.equal('gateway');
  });

  it('labels every outage of one cycle as classifyFault does when one classifier serves them all', () => {
    // One classifier per cycle (built once for a thousand outages) must judge each target as if alone:
    // an anchor that is down itself is not one of the anchors that still answer.
    const context: FaultContext = {
      targets: home,
      states: states({ ...allUp, '9.9.9.9': 'DOWN', '203.0.113.80': 'DOWN', '192.168.1.50': 'DOWN' }),
      gateway: GATEWAY,
      lanNets: [lan('192.168.1.0/24')],
    };
    const classify = faultClassifier(context);
    for (const target of [anchors[0] as Target, remote, printer, anchors[1] as Target]) {
      expect(classify(target, null), target.id).to.deep.equal(classifyFault(target, null, context));
    }
    expect(classify(anchors[0] as Target, null).reason).to.contain('2 of 3 internet anchors answer');
    expect(classify(remote, null).reason).to.contain('2 of 3 internet anchors answer');
    expect(classify(anchors[1] as Target, null).reason).to.contain('1 of 3 internet anchors answers');
  });
});
