import { expect } from 'chai';

import type { HostState } from '../../lib/monitor/host-state.js';
import { MonitorLoop, type CycleReport, type StateStore } from '../../lib/monitor/monitor-loop.js';
import {
  listedCycles,
  type QualityCycle,
  type QualityMemorySource,
  type RecentCyclesRequest,
} from '../../lib/monitor/quality-resume.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { FakeConfigSource } from '../fakes/fake-config.js';
import { FakeLog } from '../fakes/fake-log.js';
import { FakeNotifier } from '../fakes/fake-notifier.js';
import { fakeProbers, FakePinger } from '../fakes/fake-pinger.js';
import { waitFor } from '../support/wait-for.js';

/** A quality series that answers with fixed cycles, or fails, and remembers what it was asked. */
class FakeQualityMemory implements QualityMemorySource {
  readonly requests: RecentCyclesRequest[] = [];
  constructor(private readonly answer: ReadonlyMap<string, readonly QualityCycle[]> | Error) {}
  recentCycles(request: RecentCyclesRequest) {
    this.requests.push(request);
    return this.answer instanceof Error
      ? Promise.reject(this.answer)
      : Promise.resolve(listedCycles(this.answer));
  }
}

async function firstCycle(memory: FakeQualityMemory) {
  const clock = new FakeClock();
  const log = new FakeLog();
  const saved: StateStore = {
    load: async () =>
      new Map<string, HostState>([
        ['10.0.0.1', { status: 'UP', since: clock.now(), lastAlertAt: null, lastRttMs: 1 }],
      ]),
  };
  const reports: CycleReport[] = [];
  const loop = new MonitorLoop({
    clock,
    probers: fakeProbers(new FakePinger(clock)),
    outbox: new FakeNotifier(),
    log,
    config: new FakeConfigSource(['10.0.0.1'], {
      intervalSeconds: 60,
      flapHighPercent: 30,
      flapLowPercent: 25,
    }),
    stateStore: saved,
    qualityMemory: memory,
    observers: [{ name: 'capture', cycleFinished: (report) => void reports.push(report) }],
  });
  const running = loop.start();
  await waitFor(() => reports.length === 1, 'the first cycle');
  await loop.stop();
  await running;
  return { clock, log, state: reports[0]!.states.get('10.0.0.1')! };
}

describe('monitor/monitor-loop: the quality memory is read back at the first cycle', () => {
  it('asks for the newest 21 cycles within 44 intervals, and steps the host on from the rebuilt flap history', async () => {
    // Answered and not by turns for 20 cycles: with this cycle's answer, 21 results that flap.
    const cycles = Array.from({ length: 20 }, (_, i) => ({
      at: i,
      sent: 5,
      received: i % 2 === 0 ? 0 : 5,
      avgMs: null,
    }));
    const memory = new FakeQualityMemory(new Map([['10.0.0.1', cycles]]));
    const { clock, state } = await firstCycle(memory);
    expect(memory.requests).to.have.length(1);
    const [request] = memory.requests;
    expect(request!.cycles).to.equal(21);
    expect(request!.now.getTime() - request!.fromMs).to.equal(44 * 60_000);
    expect(request!.now.getTime()).to.be.at.most(clock.now().getTime());
    expect(state.flap).to.equal('01010101010101010101' + '1');
    expect(state.status).to.equal('FLAPPING');
  });

  it('goes on with empty memories, with one warning, when the series cannot be read back', async () => {
    const { log, state } = await firstCycle(new FakeQualityMemory(new Error('EIO: i/o error')));
    expect(log.matching('WARN quality series')).to.deep.equal([
      'WARN quality series could not be read back; quality windows start empty error="EIO: i/o error"',
    ]);
    expect(state.status).to.equal('UP');
    expect(state.flap).to.equal('1');
  });
});
