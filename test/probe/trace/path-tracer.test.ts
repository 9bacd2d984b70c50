import { expect } from 'chai';

import type { CommandOutput, CommandRunner } from '../../../lib/probe/command-runner.js';
import { PathTracer, type TraceLimits } from '../../../lib/probe/trace/path-tracer.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeLog } from '../../fakes/fake-log.js';

const LIMITS: TraceLimits = { maxHops: 15, waitSeconds: 2, timeoutMs: 10_000, icmp: false };

// Debian traceroute (LANG=C, -n -q 1) to a dead host two routers away: the parser of route checks reads it.
const DEAD_TARGET = `traceroute to 198.18.64.250 (198.18.64.250), 15 hops max, 60 byte packets
 1  198.18.64.2  0.412 ms
 2  198.18.64.10  0.603 ms
 3  *
 4  *
 5  *
`;

const REACHED = `traceroute to 198.18.64.130 (198.18.64.130), 15 hops max, 60 byte packets
 1  198.18.64.2  0.4 ms
 2  198.18.64.10  0.5 ms
 3  198.18.64.130  0.7 ms
`;

interface Call {
  readonly file: string;
  readonly args: readonly string[];
  readonly timeoutMs: number;
}

function runner(answer: Partial<CommandOutput> | Error): { run: CommandRunner; calls: Call[] } {
  const calls: Call[] = [];
  const run: CommandRunner = async (file, args, options) => {
    calls.push({ file, args, timeoutMs: options.timeoutMs });
    if (answer instanceof Error) throw answer;
    return { stdout: '', stderr: '', code: 0, timedOut: false, ...answer };
  };
  return { run, calls };
}

describe('probe/trace/path-tracer', () => {
  it('runs traceroute -n with the hop limit and the time limit, and keeps one silent hop after the last answer', async () => {
    const { run, calls } = runner({ stdout: DEAD_TARGET, code: 0 });
    const clock = new FakeClock(new Date('2026-03-01T10:00:00Z'));
    const tracer = new PathTracer({ run, clock, log: new FakeLog() });
    const trace = await tracer.trace({ destination: '198.18.64.250', phase: 'down' }, LIMITS);
    expect(calls).to.deep.equal([
      {
        file: 'traceroute',
        args: ['-n', '-q', '1', '-w', '2', '-m', '15', '198.18.64.250'],
        timeoutMs: 10_000,
      },
    ]);
    expect(trace).to.deep.equal({
      at: new Date('2026-03-01T10:00:00Z'),
      phase: 'down',
      target: '198.18.64.250',
      hops: [
        { ttl: 1, address: '198.18.64.2', rttMs: 0.412 },
        { ttl: 2, address: '198.18.64.10', rttMs: 0.603 },
        { ttl: 3, address: null, rttMs: null },
      ],
      reachedTarget: false,
    });
  });

  it('says whether the target itself answered, and passes -I for ICMP', async () => {
    const { run, calls } = runner({ stdout: REACHED });
    const tracer = new PathTracer({ run, clock: new FakeClock(), log: new FakeLog() });
    const trace = await tracer.trace(
      { destination: '198.18.64.130', phase: 'restored' },
      { ...LIMITS, icmp: true },
    );
    expect(calls[0]!.args).to.include('-I');
    expect(trace?.reachedTarget).to.equal(true);
    expect(trace?.phase).to.equal('restored');
    expect(trace?.hops.map((hop) => hop.address)).to.deep.equal([
      '198.18.64.2',
      '198.18.64.10',
      '198.18.64.130',
    ]);
  });

  it('without traceroute: one WARN naming the package, no snapshot, and no further attempts', async () => {
    const missing = Object.assign(new Error('spawn traceroute ENOENT'), { code: 'ENOENT' });
    const { run, calls } = runner(missing);
    const log = new FakeLog();
    const tracer = new PathTracer({ run, clock: new FakeClock(), log });
    expect(await tracer.trace({ destination: '198.18.64.250', phase: 'down' }, LIMITS)).to.equal(null);
    expect(await tracer.trace({ destination: '198.18.64.251', phase: 'down' }, LIMITS)).to.equal(null);
    expect(calls).to.have.length(1);
    expect(log.matching('WARN')).to.deep.equal([
      'WARN traceroute not found in PATH: outages are recorded without a path snapshot; install it with "apt-get install traceroute"',
    ]);
  });

  it('a trace killed before it printed a hop is no snapshot (not one where nothing answered)', async () => {
    const { run } = runner({ stdout: '', code: null, timedOut: true });
    const log = new FakeLog();
    const tracer = new PathTracer({ run, clock: new FakeClock(), log });
    expect(await tracer.trace({ destination: '198.18.64.250', phase: 'down' }, LIMITS)).to.equal(null);
    expect(log.matching('WARN trace timed out')).to.have.length(1);
  });

  it('never hands traceroute an argument that reads as an option', async () => {
    const { run, calls } = runner({ stdout: REACHED });
    const tracer = new PathTracer({ run, clock: new FakeClock(), log: new FakeLog() });
    expect(await tracer.trace({ destination: '-f', phase: 'down' }, LIMITS)).to.equal(null);
    expect(calls).to.have.length(0);
  });
});
