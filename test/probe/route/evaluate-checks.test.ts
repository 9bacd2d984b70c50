import { expect } from 'chai';

import { parseCheckSpec, type CheckParameters } from '../../../lib/config/check-spec.js';
import type { DeepProbeObservation, ReportedHop } from '../../../lib/probe/route/deep-probe-result.js';
import { evaluateChecks } from '../../../lib/probe/route/evaluate-checks.js';
import type { OrgAnswer } from '../../../lib/probe/orgs/org-lookup.js';

function spec(params: CheckParameters) {
  const parsed = parseCheckSpec('traceroute', { Target: '198.18.9.9', ...params });
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.spec;
}

const found = (org: string): OrgAnswer => ({ status: 'found', org });
function hop(
  ttl: number,
  address: string | null,
  org: OrgAnswer | null = null,
  name: string | null = null,
): ReportedHop {
  return {
    ttl,
    addresses: address === null ? [] : [{ address, name, org }],
    rttsMs: address === null ? [] : [1],
    lost: address === null ? 3 : 0,
    annotations: [],
  };
}

const path: DeepProbeObservation = {
  kind: 'traceroute',
  target: '198.18.9.9',
  destination: '198.18.9.9',
  reached: true,
  sent: 3,
  rttsMs: [20.5, 21, 22.25],
  hops: [
    hop(1, '198.18.1.2', found('AS64502 Slow Mobile'), 'gw.mobile.example'),
    hop(2, null),
    hop(3, '198.18.3.2', found('AS64500 Core')),
    hop(4, '198.18.9.9', { status: 'unknown' }),
  ],
  error: null,
};

describe('evaluateChecks', () => {
  const cases: [string, CheckParameters, DeepProbeObservation, [string, boolean, string][]][] = [
    [
      'latency bounds met',
      { MinLatencyMs: '10', MaxLatencyMs: '30' },
      path,
      [
        ['reachable', true, '198.18.9.9 answered 3 of 3'],
        ['min-latency', true, 'fastest reply 20.5 ms >= 10 ms'],
        ['max-latency', true, 'slowest reply 22.25 ms <= 30 ms'],
      ],
    ],
    [
      'too fast for the backup link',
      { MinLatencyMs: '21' },
      path,
      [
        ['reachable', true, '198.18.9.9 answered 3 of 3'],
        ['min-latency', false, 'fastest reply 20.5 ms < 21 ms'],
      ],
    ],
    [
      'a dead target fails every latency check',
      { MinLatencyMs: '10', MaxLatencyMs: '30' },
      { ...path, reached: false, rttsMs: [], hops: [hop(1, null)] },
      [
        ['reachable', false, 'failed: no reply from 198.18.9.9'],
        ['min-latency', false, 'failed: no reply from the target'],
        ['max-latency', false, 'failed: no reply from the target'],
      ],
    ],
    [
      // The seed compared the whole CIDR text with each hop, so an include range could never match.
      'a CIDR include is satisfied by any hop inside it',
      { RouteIncludeCsv: '198.18.3.0/24,198.18.1.2', RouteExcludeCsv: '198.18.0.0/30' },
      path,
      [
        ['reachable', true, '198.18.9.9 answered 3 of 3'],
        // The ranges are alternatives; the first hop inside any of them answers.
        ['route-include 198.18.3.0/24,198.18.1.2', true, 'hop 1 198.18.1.2 is in 198.18.1.2'],
        ['route-exclude 198.18.0.0/30', true, 'no hop in 198.18.0.0/30 (1 hop did not answer)'],
      ],
    ],
    [
      'route checks that fail',
      { RouteIncludeCsv: '198.18.5.0/24,198.18.6.0/24', RouteExcludeCsv: '198.18.1.0/24' },
      path,
      [
        ['reachable', true, '198.18.9.9 answered 3 of 3'],
        [
          'route-include 198.18.5.0/24,198.18.6.0/24',
          false,
          'no hop in 198.18.5.0/24,198.18.6.0/24 (1 hop did not answer)',
        ],
        ['route-exclude 198.18.1.0/24', false, 'hop 1 198.18.1.2 is in 198.18.1.0/24'],
      ],
    ],
    [
      'org include and exclude by ASN and by name',
      { HopsMustIncludeOrg: 'AS64509,*.mobile.example', HopsMustExcludeOrg: 'AS64501' },
      path,
      [
        ['reachable', true, '198.18.9.9 answered 3 of 3'],
        [
          'org-include AS64509,*.mobile.example',
          true,
          'hop 1 198.18.1.2 (gw.mobile.example) belongs to AS64502 Slow Mobile, matching *.mobile.example',
        ],
        ['org-exclude AS64501', true, 'no hop matches AS64501'],
      ],
    ],
    [
      'an org include that no hop matches',
      { HopsMustIncludeOrg: 'AS64509,*.hargray.net' },
      path,
      [
        ['reachable', true, '198.18.9.9 answered 3 of 3'],
        ['org-include AS64509,*.hargray.net', false, 'no hop matches AS64509 or *.hargray.net'],
      ],
    ],
    [
      // The seed never checked excluded orgs at all.
      'an excluded org on the path fails',
      { HopsMustExcludeOrg: 'AS64500' },
      path,
      [
        ['reachable', true, '198.18.9.9 answered 3 of 3'],
        ['org-exclude AS64500', false, 'hop 3 198.18.3.2 belongs to AS64500 Core, matching AS64500'],
      ],
    ],
    [
      'a failed lookup is never a pass',
      { HopsMustIncludeOrg: 'AS64501', HopsMustExcludeOrg: 'AS64501' },
      {
        ...path,
        hops: [hop(1, '198.18.1.2', { status: 'failed', reason: 'ipinfo did not answer within 2000 ms' })],
      },
      [
        ['reachable', true, '198.18.9.9 answered 3 of 3'],
        [
          'org-include AS64501',
          false,
          'failed: lookup failed for 198.18.1.2: ipinfo did not answer within 2000 ms',
        ],
        [
          'org-exclude AS64501',
          false,
          'failed: lookup failed for 198.18.1.2: ipinfo did not answer within 2000 ms',
        ],
      ],
    ],
    [
      'a tool error is the reason',
      {},
      { ...path, reached: false, rttsMs: [], hops: [], destination: null, error: 'No such device' },
      [['reachable', false, 'failed: No such device']],
    ],
    [
      'an unreachable marker is named',
      {},
      {
        ...path,
        reached: false,
        rttsMs: [],
        hops: [{ ...hop(1, '198.18.1.2'), annotations: ['!N'] }],
      },
      [['reachable', false, 'failed: hop 1 reported !N (unreachable)']],
    ],
  ];
  for (const [name, params, seen, expected] of cases) {
    it(name, () => {
      const outcomes = evaluateChecks(spec(params), seen);
      expect(outcomes.map((o) => [o.check, o.passed, o.reason])).to.deep.equal(expected);
    });
  }
});
