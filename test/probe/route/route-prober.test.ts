import { expect } from 'chai';

import type { CheckSpec } from '../../../lib/config/check-spec.js';
import { parseHostOptions } from '../../../lib/config/host-options.js';
import { routeCheckOf } from '../../../lib/config/route-check-options.js';
import type { TargetOf } from '../../../lib/config/target.js';
import type { DeepProbeReport, DeepProbeRunner } from '../../../lib/probe/route/deep-probe-result.js';
import { RouteProber } from '../../../lib/probe/route/route-prober.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { testTarget } from '../../fakes/fake-config.js';

/** A hosts.csv row with route-check options, as the config loader makes it. */
function routeTarget(host: string, optionText: string): TargetOf<'route'> {
  const parsed = parseHostOptions(optionText);
  const route = routeCheckOf(host, parsed.options, 3);
  if (route === null || 'problems' in route) throw new Error(`not a route check: ${optionText}`);
  return { ...testTarget(host), check: { kind: 'route', spec: route.spec } };
}

/** Answers as `verdicts` says for each target, and records the specs it was given. */
class FakeRouteProber implements DeepProbeRunner {
  readonly specs: CheckSpec[] = [];
  constructor(private readonly healthy: ReadonlySet<string>) {}
  probe(spec: CheckSpec): Promise<DeepProbeReport> {
    this.specs.push(spec);
    const ok = this.healthy.has(spec.target);
    return Promise.resolve({
      verdict: ok ? 'healthy' : 'unhealthy',
      kind: spec.kind,
      target: spec.target,
      source: null,
      destination: spec.target,
      checks: [
        { check: 'reachable', passed: true, reason: 'answered 3 of 3' },
        ok
          ? { check: 'org-include *.hargray.net,AS12345', passed: true, reason: 'hop 3 matches' }
          : {
              check: 'org-include *.hargray.net,AS12345',
              passed: false,
              reason: 'no hop matches *.hargray.net or AS12345',
            },
      ],
      rttsMs: [21, 20, 22],
      hops: [],
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 30,
    });
  }
}

describe('probe/route/route-prober', () => {
  const clock = new FakeClock();
  const options = { attempts: 3, timeoutSeconds: 2 };

  it('deep-probes each target with the spec parsed at load, and keeps the order', async () => {
    const prober = new FakeRouteProber(new Set(['1.1.1.1']));
    const route = new RouteProber({ prober, clock, maxConcurrent: 2 });
    const results = await route.probe(
      [
        routeTarget('8.8.8.8', 'hop-org:*.hargray.net,AS12345'),
        routeTarget('1.1.1.1', 'hop-org:*.hargray.net,AS12345'),
      ],
      options,
    );
    expect(prober.specs.map((s) => s.target)).to.deep.equal(['8.8.8.8', '1.1.1.1']);
    expect(results.map((r) => [r.host, r.alive, r.rttMs, r.attempts, r.error])).to.deep.equal([
      [
        '8.8.8.8',
        false,
        20,
        3,
        'route check failed: org-include *.hargray.net,AS12345: no hop matches *.hargray.net or AS12345',
      ],
      ['1.1.1.1', true, 20, 3, undefined],
    ]);
  });

  it('skips everything not started once aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const route = new RouteProber({ prober: new FakeRouteProber(new Set()), clock, maxConcurrent: 2 });
    const results = await route.probe([routeTarget('1.1.1.1', 'min-rtt:10')], options, controller.signal);
    expect(results).to.deep.equal([]);
  });

  it('reports a target whose route cannot be checked (traceroute missing) as failing, never as a pass', async () => {
    const route = new RouteProber({
      prober: {
        probe: () =>
          Promise.reject(
            new Error('traceroute not found in PATH: install it with "apt-get install traceroute"'),
          ),
      },
      clock,
      maxConcurrent: 1,
    });
    const results = await route.probe([routeTarget('1.1.1.1', 'via:192.0.2.0/24')], options);
    expect(results.map((r) => [r.host, r.alive, r.error])).to.deep.equal([
      [
        '1.1.1.1',
        false,
        'route check: traceroute not found in PATH: install it with "apt-get install traceroute"',
      ],
    ]);
  });
});
