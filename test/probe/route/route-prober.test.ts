import { expect } from 'chai';

import { parseHostOptions } from '../../../lib/config/host-options.js';
import type { CheckSpec } from '../../../lib/config/check-spec.js';
import type { DeepProbeReport, DeepProbeRunner } from '../../../lib/probe/route/deep-probe-result.js';
import { RouteCheckingPinger } from '../../../lib/probe/route/route-checking-pinger.js';
import { routeCheckSpec } from '../../../lib/probe/route/route-check-spec.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakePinger } from '../../fakes/fake-pinger.js';

function options(text: string): ReadonlyMap<string, string> {
  const parsed = parseHostOptions(text);
  if (parsed.problems.length > 0) throw new Error(parsed.problems.join('\n'));
  return parsed.options;
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

describe('routeCheckSpec', () => {
  it('is null for a row without route-check options', () =>
    expect(routeCheckSpec('192.0.2.1', options(''), 3)).to.equal(null));

  it('asks for a traceroute when a path option is given', () => {
    const parsed = routeCheckSpec('1.1.1.1', options('hop-org:*.hargray.net,AS12345 source:eth0'), 3);
    if (!parsed?.ok) throw new Error('expected a spec');
    expect(parsed.spec.kind).to.equal('traceroute');
    expect(parsed.spec.orgInclude.map((p) => p.text)).to.deep.equal(['*.hargray.net', 'AS12345']);
    expect(parsed.spec.source).to.deep.equal({ kind: 'interface', name: 'eth0' });
  });

  it('asks for a deep ping for latency options alone', () => {
    const parsed = routeCheckSpec('1.1.1.1', options('min-rtt:10'), 5);
    if (!parsed?.ok) throw new Error('expected a spec');
    expect([parsed.spec.kind, parsed.spec.minLatencyMs, parsed.spec.count]).to.deep.equal(['ping', 10, 5]);
  });
});

describe('RouteCheckingPinger', () => {
  const clock = new FakeClock();
  const rows = new Map<string, ReadonlyMap<string, string>>([
    ['192.0.2.1', options('')],
    ['1.1.1.1', options('hop-org:*.hargray.net,AS12345')],
    ['8.8.8.8', options('hop-org:*.hargray.net,AS12345')],
    ['9.9.9.9', options('min-rtt:20 max-rtt:10')],
  ]);

  it('pings plain hosts, deep-probes route-checked ones, and keeps the order', async () => {
    const inner = new FakePinger(clock);
    const prober = new FakeRouteProber(new Set(['1.1.1.1']));
    const pinger = new RouteCheckingPinger({
      inner,
      prober,
      optionsOf: (host) => rows.get(host),
      clock,
      maxConcurrent: 2,
    });
    const results = await pinger.probe(['8.8.8.8', '192.0.2.1', '1.1.1.1', '9.9.9.9'], {
      attempts: 3,
      timeoutSeconds: 2,
    });
    expect(inner.batches).to.deep.equal([['192.0.2.1']]);
    expect(prober.specs.map((s) => s.target)).to.deep.equal(['8.8.8.8', '1.1.1.1']);
    expect(results.map((r) => [r.host, r.alive, r.rttMs, r.error])).to.deep.equal([
      [
        '8.8.8.8',
        false,
        20,
        'route check failed: org-include *.hargray.net,AS12345: no hop matches *.hargray.net or AS12345',
      ],
      ['192.0.2.1', true, 0.5, undefined],
      ['1.1.1.1', true, 20, undefined],
      ['9.9.9.9', false, null, 'route check: MinLatencyMs (20) is greater than MaxLatencyMs (10)'],
    ]);
  });

  it('skips everything not started once aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const pinger = new RouteCheckingPinger({
      inner: new FakePinger(clock),
      prober: new FakeRouteProber(new Set()),
      optionsOf: (host) => rows.get(host),
      clock,
      maxConcurrent: 2,
    });
    const results = await pinger.probe(['1.1.1.1'], { attempts: 3, timeoutSeconds: 2 }, controller.signal);
    expect(results).to.deep.equal([]);
  });
});

describe('RouteCheckingPinger when traceroute cannot run', () => {
  it('reports the host as failing its route check, and still pings the others', async () => {
    const clock = new FakeClock();
    const inner = new FakePinger(clock);
    const pinger = new RouteCheckingPinger({
      inner,
      prober: {
        probe: () =>
          Promise.reject(
            new Error('traceroute not found in PATH: install it with "apt-get install traceroute"'),
          ),
      },
      optionsOf: (host) => (host === '1.1.1.1' ? options('via:192.0.2.0/24') : options('')),
      clock,
      maxConcurrent: 1,
    });
    const results = await pinger.probe(['1.1.1.1', '192.0.2.1'], { attempts: 1, timeoutSeconds: 1 });
    expect(results.map((r) => [r.host, r.alive, r.error])).to.deep.equal([
      [
        '1.1.1.1',
        false,
        'route check: traceroute not found in PATH: install it with "apt-get install traceroute"',
      ],
      ['192.0.2.1', true, undefined],
    ]);
  });
});
