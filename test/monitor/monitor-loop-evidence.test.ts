import { expect } from 'chai';

import { parseCidr } from '../../lib/config/cidr-list.js';
import { MonitorLoop, type CycleReport } from '../../lib/monitor/monitor-loop.js';
import type { PathTracing, TraceLimits, TraceRequest } from '../../lib/probe/trace/path-tracer.js';
import type { NetworkView } from '../../lib/probe/trace/routing-table.js';
import type { TraceSnapshot } from '../../lib/shared/fault-evidence.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeConfigSource, testTarget } from '../fakes/fake-config.js';
import { FakeLog } from '../fakes/fake-log.js';
import { FakeNotifier } from '../fakes/fake-notifier.js';
import { fakeProbers, FakePinger } from '../fakes/fake-pinger.js';

/** Answers every trace with the hops the test set for its destination, and records the requests. */
class FakeTracer implements PathTracing {
  readonly requests: (TraceRequest & { limits: TraceLimits })[] = [];
  constructor(
    private readonly clock: FakeClock,
    private readonly hops: Record<string, readonly (string | null)[]>,
  ) {}
  async trace(request: TraceRequest, limits: TraceLimits): Promise<TraceSnapshot | null> {
    this.requests.push({ ...request, limits });
    const addresses = this.hops[request.destination];
    if (addresses === undefined) return null;
    return {
      at: this.clock.now(),
      phase: request.phase,
      target: request.destination,
      hops: addresses.map((address, i) => ({ ttl: i + 1, address, rttMs: address === null ? null : 1 })),
      reachedTarget: addresses.at(-1) === request.destination,
    };
  }
}

function setup(settings: Record<string, unknown> = {}) {
  const clock = new FakeClock('2026-03-01T10:00:00Z');
  const pinger = new FakePinger(clock);
  const notifier = new FakeNotifier();
  const log = new FakeLog();
  const config = new FakeConfigSource([], {
    traceMaxPerCycle: 3,
    gatewayAddress: '198.18.64.2',
    ...settings,
  });
  config.setTargets([
    testTarget('198.18.64.2', { description: 'Router' }),
    testTarget('198.18.64.240', { cyclePlug: 'Modem', description: 'Anchor A' }),
    testTarget('198.18.64.241', { cyclePlug: 'Modem', description: 'Anchor B' }),
    testTarget('198.18.64.130', { description: 'Web' }),
    testTarget('198.18.65.7', { description: 'Printer' }),
  ]);
  const tracer = new FakeTracer(clock, {
    '198.18.64.240': ['198.18.64.2', '198.18.64.10', null],
    '198.18.64.241': ['198.18.64.2', '198.18.64.10', null],
    '198.18.64.130': ['198.18.64.2', '198.18.64.10', '198.18.64.130'],
  });
  const reports: CycleReport[] = [];
  const network = async (): Promise<NetworkView> => {
    const lan = parseCidr('198.18.65.0/24');
    return { gateway: '192.0.2.1', lanNets: typeof lan === 'string' ? [] : [lan] };
  };
  const loop = new MonitorLoop({
    clock,
    probers: fakeProbers(pinger),
    outbox: notifier,
    log,
    config,
    tracer,
    network,
    powerCycles: false,
    observers: [{ name: 'reports', cycleFinished: (report) => void reports.push(report) }],
  });
  return { clock, pinger, notifier, log, loop, tracer, reports };
}

describe('monitor/monitor-loop: fault layer and path snapshots', () => {
  it('puts the fault layer and the down snapshot in the DOWN alert and the cycle report, gateway from the setting', async () => {
    const { clock, pinger, notifier, loop, tracer, reports, log } = setup();
    await loop.runOnce();
    pinger.down.add('198.18.64.240');
    pinger.down.add('198.18.64.241');
    clock.advance(60_000);
    await loop.runOnce();
    const downs = notifier.sent.filter((alert) => alert.kind === 'DOWN');
    expect(downs.map((alert) => [alert.target.host, alert.fault?.layer])).to.deep.equal([
      ['198.18.64.240', 'ISP'],
      ['198.18.64.241', 'ISP'],
    ]);
    expect(downs[0]!.fault?.reason).to.equal(
      'ISP outage: all 2 internet anchors down, gateway 198.18.64.2 up, last hop 198.18.64.10',
    );
    expect(downs[0]!.trace?.hops.map((hop) => hop.address)).to.deep.equal([
      '198.18.64.2',
      '198.18.64.10',
      null,
    ]);
    expect(tracer.requests.map((r) => `${r.phase} ${r.destination}`)).to.deep.equal([
      'down 198.18.64.240',
      'down 198.18.64.241',
    ]);
    expect(tracer.requests[0]!.limits).to.deep.equal({
      maxHops: 15,
      waitSeconds: 2,
      timeoutMs: 10_000,
      icmp: false,
    });
    expect(reports.at(-1)!.evidence?.get('198.18.64.240')?.fault?.layer).to.equal('ISP');
    expect(log.matching('INFO fault layer host=198.18.64.240 layer=ISP')).to.have.length(1);
    expect(log.matching('INFO trace host=198.18.64.240 phase=down')).to.deep.equal([
      'INFO trace host=198.18.64.240 phase=down hops="1 198.18.64.2 1 ms, 2 198.18.64.10 1 ms, 3 *"',
    ]);

    pinger.down.clear();
    clock.advance(60_000);
    await loop.runOnce();
    const restored = notifier.sent.filter((alert) => alert.kind === 'RESTORED');
    expect(restored.map((alert) => alert.trace?.phase)).to.deep.equal(['restored', 'restored']);
    expect(restored.every((alert) => alert.fault === undefined)).to.equal(true);
  });

  it('takes at most trace_max_per_cycle snapshots; the others are still labelled', async () => {
    const { clock, pinger, notifier, loop, tracer } = setup({ traceMaxPerCycle: 1 });
    await loop.runOnce();
    pinger.down.add('198.18.64.240');
    pinger.down.add('198.18.64.241');
    pinger.down.add('198.18.65.7');
    clock.advance(60_000);
    await loop.runOnce();
    expect(tracer.requests.map((r) => r.destination)).to.deep.equal(['198.18.64.240']);
    const byHost = new Map(notifier.sent.map((alert) => [alert.target.host, alert]));
    // The second anchor is judged with the first one's snapshot, but carries none of its own.
    expect(byHost.get('198.18.64.241')?.fault?.layer).to.equal('ISP');
    expect(byHost.get('198.18.64.241')?.trace).to.equal(undefined);
    expect(byHost.get('198.18.65.7')?.fault?.reason).to.equal(
      "LAN outage: 198.18.65.7 is on the monitor's own network 198.18.65.0/24, gateway 198.18.64.2 up",
    );
  });

  it('a remote host down while the anchors answer is remote; with trace_max_per_cycle 0 nothing is traced', async () => {
    const { clock, pinger, notifier, loop, tracer } = setup({ traceMaxPerCycle: 0 });
    await loop.runOnce();
    pinger.down.add('198.18.64.130');
    clock.advance(60_000);
    await loop.runOnce();
    expect(tracer.requests).to.deep.equal([]);
    expect(notifier.sent.map((alert) => alert.fault?.layer)).to.deep.equal(['remote']);
  });
});
