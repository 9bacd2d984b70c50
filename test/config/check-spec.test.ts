import { expect } from 'chai';

import { parseCheckSpec, type CheckParameters } from '../../lib/config/check-spec.js';

describe('parseCheckSpec', () => {
  it('reads every parameter of the seed', () => {
    const parsed = parseCheckSpec('traceroute', {
      Target: 'example.net',
      Source: 'eth1',
      Count: '5',
      MinLatencyMs: '10',
      MaxLatencyMs: '250.5',
      RouteIncludeCsv: '192.168.2.1',
      RouteExcludeCsv: '192.168.0.0/24',
      HopsMustIncludeOrg: 'AS12345',
      HopsMustExcludeOrg: 'AS54321,*.fibre.example',
    });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    const { spec } = parsed;
    expect(spec.target).to.equal('example.net');
    expect(spec.source).to.deep.equal({ kind: 'interface', name: 'eth1' });
    expect([spec.count, spec.minLatencyMs, spec.maxLatencyMs]).to.deep.equal([5, 10, 250.5]);
    expect(spec.routeInclude.map((r) => r.text)).to.deep.equal(['192.168.2.1']);
    expect(spec.orgExclude.map((p) => p.text)).to.deep.equal(['AS54321', '*.fibre.example']);
  });

  it('defaults Count to 3 and takes an address as Source', () => {
    const parsed = parseCheckSpec('ping', { Target: '192.0.2.1', Source: '192.0.2.10' });
    if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
    expect(parsed.spec.count).to.equal(3);
    expect(parsed.spec.source).to.deep.equal({ kind: 'address', address: '192.0.2.10' });
  });

  const bad: [string, 'ping' | 'traceroute', CheckParameters, string[]][] = [
    ['no target', 'ping', {}, ['Target is missing (send a Target header or ?Target=host)']],
    ['an option as target', 'ping', { Target: '-f' }, ['Target "-f" must not start with "-"']],
    ['a shell word as target', 'ping', { Target: ';rm -rf /' }, ['Target ";rm -rf /" must not contain ";"']],
    [
      'an option as source',
      'ping',
      { Target: 'h', Source: '--help' },
      ['Source "--help" must not start with "-"'],
    ],
    [
      'a path as source',
      'ping',
      { Target: 'h', Source: 'eth0/../x' },
      [
        'Source "eth0/../x" is neither an IP address nor an interface name (at most 15 letters, digits, "_", ".", "-", "@", ":")',
      ],
    ],
    ['zero count', 'ping', { Target: 'h', Count: '0' }, ['Count must be an integer from 1 to 20, got "0"']],
    [
      'fractional count',
      'ping',
      { Target: 'h', Count: '2.5' },
      ['Count must be an integer from 1 to 20, got "2.5"'],
    ],
    [
      'negative latency',
      'ping',
      { Target: 'h', MinLatencyMs: '-1' },
      ['MinLatencyMs must be a number from 0 to 60000, got "-1"'],
    ],
    [
      'min above max',
      'ping',
      { Target: 'h', MinLatencyMs: '20', MaxLatencyMs: '10' },
      ['MinLatencyMs (20) is greater than MaxLatencyMs (10)'],
    ],
    [
      'route check on ping',
      'ping',
      { Target: 'h', RouteIncludeCsv: '10.0.0.1' },
      ['RouteIncludeCsv needs the hops: use /traceroute'],
    ],
    [
      'bad CIDR',
      'traceroute',
      { Target: 'h', RouteExcludeCsv: '10.0.0.0/40' },
      ['RouteExcludeCsv "10.0.0.0/40" has a prefix length over 32'],
    ],
  ];
  for (const [name, kind, params, problems] of bad) {
    it(`refuses ${name}`, () => expect(parseCheckSpec(kind, params)).to.deep.equal({ ok: false, problems }));
  }
});
