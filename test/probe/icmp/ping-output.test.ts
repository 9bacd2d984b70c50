import { expect } from 'chai';
import { parsePingOutput, type PingOutputSummary } from '../../../lib/probe/icmp/ping-output.js';

// Real iputils 20221126 output (LANG=C), captured on loopback and in the network lab.
const cases: { name: string; output: string; expected: PingOutputSummary }[] = [
  {
    name: 'a reply to the first request',
    output: `PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.358 ms

--- 127.0.0.1 ping statistics ---
1 packets transmitted, 1 received, 0% packet loss, time 0ms
rtt min/avg/max/mdev = 0.358/0.358/0.358/0.000 ms
`,
    expected: { transmitted: 1, received: 1, failure: null },
  },
  {
    name: 'a silent host',
    output: `PING 198.19.128.6 (198.19.128.6) 56(84) bytes of data.

--- 198.19.128.6 ping statistics ---
3 packets transmitted, 0 received, 100% packet loss, time 2037ms

`,
    expected: { transmitted: 3, received: 0, failure: null },
  },
  {
    name: 'an ICMP error from a router (ping stops at once with a deadline)',
    output: `PING 198.19.128.6 (198.19.128.6) 56(84) bytes of data.
From 198.18.0.2 icmp_seq=1 Destination Net Unreachable

--- 198.19.128.6 ping statistics ---
1 packets transmitted, 0 received, +1 errors, 100% packet loss, time 0ms
`,
    expected: { transmitted: 1, received: 0, failure: null },
  },
  {
    name: 'a name that does not resolve',
    output: 'ping: nonexistent.invalid: Name or service not known\n',
    expected: { transmitted: null, received: 0, failure: 'Name or service not known' },
  },
  {
    name: 'no route',
    output: 'ping: connect: Network is unreachable\n',
    expected: { transmitted: null, received: 0, failure: 'Network is unreachable' },
  },
  {
    name: 'ping6 wording',
    output: 'ping6: connect: No route to host\n',
    expected: { transmitted: null, received: 0, failure: 'No route to host' },
  },
  { name: 'nothing at all', output: '', expected: { transmitted: null, received: 0, failure: null } },
];

describe('parsePingOutput', () => {
  for (const { name, output, expected } of cases) {
    it(name, () => {
      expect(parsePingOutput(output)).to.deep.equal(expected);
    });
  }
});
