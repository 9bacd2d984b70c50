import { expect } from 'chai';
import { mkdtemp, readFile, rm, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { MonitorLoop } from '../../lib/monitor/monitor-loop.js';
import type { PathTracing, TraceRequest } from '../../lib/probe/trace/path-tracer.js';
import { buildReport } from '../../lib/report/build-report.js';
import { renderCsv } from '../../lib/report/render-csv.js';
import { renderJson } from '../../lib/report/render-json.js';
import { renderTable } from '../../lib/report/render-table.js';
import type { TraceSnapshot } from '../../lib/shared/fault-evidence.js';
import { HistoryRecorder } from '../../lib/store/history-recorder.js';
import { HistoryWriter } from '../../lib/store/history-writer.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeConfigSource, testTarget } from '../fakes/fake-config.js';
import { FakeLog } from '../fakes/fake-log.js';
import { FakeNotifier } from '../fakes/fake-notifier.js';
import { fakeProbers, FakePinger } from '../fakes/fake-pinger.js';

/** Traces every destination to the same two routers, then silence (or the host, once it answers). */
class TwoRouterTracer implements PathTracing {
  constructor(private readonly clock: FakeClock) {}
  async trace(request: TraceRequest): Promise<TraceSnapshot> {
    const last = request.phase === 'down' ? null : request.destination;
    return {
      at: this.clock.now(),
      phase: request.phase,
      target: request.destination,
      hops: [
        { ttl: 1, address: '198.18.64.2', rttMs: 0.4 },
        { ttl: 2, address: '198.18.64.10', rttMs: 0.6 },
        { ttl: 3, address: last, rttMs: last === null ? null : 0.8 },
      ],
      reachedTarget: last !== null,
    };
  }
}

describe('store: fault layer and path snapshots in the history and the report', () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-evidence-'));
    dir = path.join(root, 'history');
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('stores them on the DOWN and UP state records; the report reads them into the outage', async () => {
    const clock = new FakeClock('2026-11-10T08:00:00Z');
    const log = new FakeLog();
    const writer = new HistoryWriter({ dir, log });
    const recorder = new HistoryRecorder({ dir, writer, clock, log, mode: 'daemon', pid: 4242 });
    const config = new FakeConfigSource([], { intervalSeconds: 60, gatewayAddress: '198.18.64.2' });
    config.setTargets([testTarget('198.18.64.2'), testTarget('198.18.64.250', { cyclePlug: 'Modem' })]);
    const pinger = new FakePinger(clock);
    const loop = new MonitorLoop({
      clock,
      probers: fakeProbers(pinger),
      outbox: new FakeNotifier(),
      log,
      config,
      stateStore: recorder,
      observers: [recorder],
      tracer: new TwoRouterTracer(clock),
      powerCycles: false,
    });
    await loop.runOnce();
    pinger.down.add('198.18.64.250');
    clock.advance(60_000);
    await loop.runOnce();
    pinger.down.clear();
    clock.advance(120_000);
    await loop.runOnce();
    await recorder.stop();

    const records = (await readFile(path.join(dir, 'history-2026-11.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record.kind === 'state' && record.host === '198.18.64.250');
    const reason = 'ISP outage: the internet anchor down, gateway 198.18.64.2 up, last hop 198.18.64.10';
    expect(records.map((r) => [r.state, r.cause, r.cause_reason])).to.deep.equal([
      ['UP', undefined, undefined],
      ['DOWN', 'ISP', reason],
      ['UP', undefined, undefined],
    ]);
    expect(records[1]!.trace).to.deep.equal({
      at: '2026-11-10T08:01:00.000Z',
      phase: 'down',
      target: '198.18.64.250',
      hops: [
        { ttl: 1, address: '198.18.64.2', rtt_ms: 0.4 },
        { ttl: 2, address: '198.18.64.10', rtt_ms: 0.6 },
        { ttl: 3, address: null, rtt_ms: null },
      ],
      reached: false,
    });
    expect((records[2]!.trace as { phase: string }).phase).to.equal('restored');

    // A damaged snapshot on a later line is left out; the line's state still counts.
    await appendFile(
      path.join(dir, 'history-2026-11.jsonl'),
      '{"v":1,"kind":"state","at":"2026-11-10T08:10:00.000Z","host":"198.18.64.250","state":"DOWN","from":"UP","attempts":3,"rtt_ms":null,"interval_s":60,"cause":"moon","trace":{"hops":"x"}}\n',
    );
    const report = await buildReport({
      dir,
      log,
      now: new Date('2026-11-10T08:11:00Z'),
      since: null,
      until: null,
      hosts: ['198.18.64.250'],
    });
    const [first, second] = report.hosts[0]!.outages;
    expect(first!.faultLayer).to.equal('ISP');
    expect(first!.faultReason).to.equal(reason);
    expect(first!.traces.map((trace) => trace.phase)).to.deep.equal(['down', 'restored']);
    expect(first!.traces[0]!.at).to.deep.equal(new Date('2026-11-10T08:01:00Z'));
    expect(second!.faultLayer).to.equal(null);
    expect(second!.traces).to.deep.equal([]);

    const json = JSON.parse(renderJson(report)) as { hosts: { outages: Record<string, unknown>[] }[] };
    expect(json.hosts[0]!.outages[0]!.fault_layer).to.equal('ISP');
    expect(json.hosts[0]!.outages[0]!.traces).to.have.length(2);
    const table = renderTable(report);
    expect(table).to.include('fault layer');
    expect(table).to.include(`ISP          ${reason}  198.18.64.2 > 198.18.64.10 > *`);
    expect(renderCsv(report)).to.include(`ISP,"${reason}",198.18.64.2 > 198.18.64.10 > *`);
  });
});
