import { expect } from 'chai';
import { parseFpingOutput, type FpingRecord } from '../../../lib/probe/icmp/fping-output.js';

const hosts = new Set(['127.0.0.1', '::1', '198.19.16.2', 'router.example', 'no..such']);

describe('parseFpingOutput', () => {
  const cases: [name: string, stdout: string, stderr: string, expected: FpingRecord[]][] = [
    [
      'alive and unreachable lines, IPv4 and IPv6',
      '127.0.0.1 is alive (0.044 ms)\n::1 is alive (12.3 ms)\n198.19.16.2 is unreachable\n',
      '',
      [
        { kind: 'alive', host: '127.0.0.1', rttMs: 0.044 },
        { kind: 'alive', host: '::1', rttMs: 12.3 },
        { kind: 'unreachable', host: '198.19.16.2' },
      ],
    ],
    [
      'an RTT without decimals',
      'router.example is alive (123 ms)\n',
      '',
      [{ kind: 'alive', host: 'router.example', rttMs: 123 }],
    ],
    [
      'a name that does not resolve',
      '',
      'no..such: Name or service not known\n',
      [{ kind: 'address-error', host: 'no..such', reason: 'Name or service not known' }],
    ],
    [
      'a request that could not be sent',
      '198.19.16.2 is unreachable\n',
      '198.19.16.2: error while sending ping: Network is unreachable\n',
      [
        { kind: 'unreachable', host: '198.19.16.2' },
        { kind: 'send-error', host: '198.19.16.2', reason: 'Network is unreachable' },
      ],
    ],
    [
      'a host listed twice',
      '127.0.0.1 is alive (0.05 ms)\n127.0.0.1 is alive (0.06 ms)\n',
      '',
      [
        { kind: 'alive', host: '127.0.0.1', rttMs: 0.05 },
        { kind: 'alive', host: '127.0.0.1', rttMs: 0.06 },
      ],
    ],
    [
      'ICMP errors, duplicates and fping messages decide nothing',
      '198.19.16.2 is unreachable\n',
      [
        'ICMP Host Unreachable from 198.18.0.2 for ICMP Echo sent to 198.19.16.2',
        '127.0.0.1 : duplicate for [0], 64 bytes, 0.05 ms',
        "fping: can't create socket (must run as root?)",
        ' [<- 127.0.0.2]',
        '',
      ].join('\n'),
      [{ kind: 'unreachable', host: '198.19.16.2' }],
    ],
    [
      'lines about hosts that were not asked for',
      '10.0.0.1 is alive (1 ms)\n10.0.0.2 is unreachable\n',
      '10.0.0.3: Name or service not known\n',
      [],
    ],
    ['garbage', 'is alive (1 ms)\n\n127.0.0.1 is alive\n', ': nothing\n', []],
    [
      'an RTT that is not a number, or not followed by " ms)"',
      '127.0.0.1 is alive (1.2.3 ms)\n127.0.0.1 is alive (fast ms)\n127.0.0.1 is alive (7 ms\n::1 is alive ( ms)\n',
      '',
      [],
    ],
    [
      'a last line without a newline, and text after the RTT',
      '::1 is alive (0.5 ms) (0.5 avg, 0% loss)\n127.0.0.1 is alive (2 ms)',
      '198.19.16.2: Name or service not known',
      [
        { kind: 'alive', host: '::1', rttMs: 0.5 },
        { kind: 'alive', host: '127.0.0.1', rttMs: 2 },
        { kind: 'address-error', host: '198.19.16.2', reason: 'Name or service not known' },
      ],
    ],
  ];
  for (const [name, stdout, stderr, expected] of cases) {
    it(name, () => {
      expect(parseFpingOutput(stdout, stderr, hosts)).to.deep.equal(expected);
    });
  }
});
