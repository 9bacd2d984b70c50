import { expect } from 'chai';

import { FaultError, MissingToolError } from '../../../lib/shared/errors.js';
import { parseCheckSpec, type CheckParameters, type DeepProbeKind } from '../../../lib/config/check-spec.js';
import type { CommandOutput, CommandRunner } from '../../../lib/probe/command-runner.js';
import { execCommand } from '../../../lib/probe/command-runner.js';
import { DeepProber } from '../../../lib/probe/route/deep-probe.js';
import { noOrgLookup, type OrgLookup } from '../../../lib/probe/orgs/org-lookup.js';
import { FakeClock } from '../../fakes/fake-clock.js';

/** A runner that records the command and answers with canned output. */
function fakeRunner(output: Partial<CommandOutput>) {
  const calls: { file: string; args: readonly string[] }[] = [];
  const run: CommandRunner = (file, args) => {
    calls.push({ file, args });
    return Promise.resolve({ stdout: '', stderr: '', code: 0, timedOut: false, ...output });
  };
  return { run, calls };
}

function prober(run: CommandRunner, orgs: OrgLookup = noOrgLookup, resolveHopNames = false) {
  return new DeepProber({
    run,
    orgs,
    clock: new FakeClock(),
    timeoutSeconds: 2,
    maxHops: 20,
    resolveHopNames,
  });
}

function spec(kind: DeepProbeKind, params: CheckParameters) {
  const parsed = parseCheckSpec(kind, params);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.spec;
}

const PING_OK = [
  'PING 198.18.9.9 (198.18.9.9) from 198.18.0.1 eth1: 56(84) bytes of data.',
  '64 bytes from 198.18.9.9: icmp_seq=1 ttl=62 time=20.4 ms',
  '64 bytes from 198.18.9.9: icmp_seq=2 ttl=62 time=21.0 ms',
  '',
  '--- 198.18.9.9 ping statistics ---',
  '3 packets transmitted, 2 received, 33.3333% packet loss, time 402ms',
].join('\n');

// iputils 20221126 on ::1 (LANG=C): no space before the address in the header, colons in the source.
const PING6_OK = [
  'PING ::1(::1) 56 data bytes',
  '64 bytes from ::1: icmp_seq=1 ttl=64 time=0.033 ms',
  '64 bytes from ::1: icmp_seq=2 ttl=64 time=0.051 ms',
  '',
  '--- ::1 ping statistics ---',
  '2 packets transmitted, 2 received, 0% packet loss, time 201ms',
].join('\n');

const TRACE = [
  'traceroute to 198.18.9.9 (198.18.9.9), 20 hops max, 60 byte packets',
  ' 1  198.18.1.2  0.1 ms  0.1 ms  0.1 ms',
  ' 2  198.18.9.9  0.3 ms  0.2 ms  0.2 ms',
].join('\n');

describe('DeepProber', () => {
  it('pings from the source with the count, and the target after "--"', async () => {
    const { run, calls } = fakeRunner({ stdout: PING_OK, code: 0 });
    const report = await prober(run).probe(
      spec('ping', { Target: '198.18.9.9', Source: 'eth1', Count: '3', MinLatencyMs: '10' }),
    );
    expect(calls).to.deep.equal([
      {
        file: 'ping',
        args: ['-n', '-c', '3', '-i', '0.2', '-W', '2', '-w', '3', '-I', 'eth1', '--', '198.18.9.9'],
      },
    ]);
    expect(report.verdict).to.equal('healthy');
    expect(report.rttsMs).to.deep.equal([20.4, 21]);
    expect(report.checks[0]?.reason).to.equal('198.18.9.9 answered 2 of 3');
  });

  it('reads iputils IPv6 output: the replies and the destination of `PING ::1(::1)`', async () => {
    const { run } = fakeRunner({ stdout: PING6_OK, code: 0 });
    const report = await prober(run).probe(spec('ping', { Target: '::1', Count: '2' }));
    expect(report.verdict).to.equal('healthy');
    expect(report.destination).to.equal('::1');
    expect(report.rttsMs).to.deep.equal([0.033, 0.051]);
  });

  it('pings ::1 with the real iputils ping (IPv6 loopback)', async function () {
    const probe = new DeepProber({
      run: execCommand,
      orgs: noOrgLookup,
      clock: new FakeClock(),
      timeoutSeconds: 2,
      maxHops: 20,
      resolveHopNames: false,
    });
    const report = await probe.probe(spec('ping', { Target: '::1', Count: '2', MaxLatencyMs: '50' }));
    if (
      report.checks[0]?.reason.includes('Address family') ||
      report.checks[0]?.reason.includes('unreachable')
    ) {
      this.skip(); // no IPv6 on this machine's loopback
    }
    expect(report.destination).to.equal('::1');
    expect(report.rttsMs).to.have.length(2);
    expect(report.verdict, JSON.stringify(report.checks)).to.equal('healthy');
  });

  it('runs traceroute numerically with -i for an interface and -s for an address', async () => {
    const first = fakeRunner({ stdout: TRACE });
    await prober(first.run).probe(spec('traceroute', { Target: '198.18.9.9', Source: 'eth1' }));
    expect(first.calls[0]?.args).to.deep.equal([
      '-n',
      '-q',
      '3',
      '-w',
      '2',
      '-m',
      '20',
      '-i',
      'eth1',
      '198.18.9.9',
    ]);
    const second = fakeRunner({ stdout: TRACE });
    await prober(second.run).probe(
      spec('traceroute', { Target: '198.18.9.9', Source: '198.18.0.1', Count: '1' }),
    );
    expect(second.calls[0]?.args).to.deep.equal([
      '-n',
      '-q',
      '1',
      '-w',
      '2',
      '-m',
      '20',
      '-s',
      '198.18.0.1',
      '198.18.9.9',
    ]);
  });

  it('uses ICMP echo probes with -I when asked', async () => {
    const { run, calls } = fakeRunner({ stdout: TRACE });
    await new DeepProber({
      run,
      orgs: noOrgLookup,
      clock: new FakeClock(),
      timeoutSeconds: 2,
      maxHops: 20,
      resolveHopNames: false,
      icmp: true,
    }).probe(spec('traceroute', { Target: '198.18.9.9' }));
    expect(calls[0]?.args).to.deep.equal(['-n', '-I', '-q', '3', '-w', '2', '-m', '20', '198.18.9.9']);
  });

  it('lets traceroute resolve names only when a name pattern needs them and names are allowed', async () => {
    const withNames = fakeRunner({ stdout: TRACE });
    await prober(withNames.run, noOrgLookup, true).probe(
      spec('traceroute', { Target: '198.18.9.9', HopsMustIncludeOrg: '*.hargray.net' }),
    );
    expect(withNames.calls[0]?.args[0]).to.equal('-q');
    const asnOnly = fakeRunner({ stdout: TRACE });
    await prober(asnOnly.run, noOrgLookup, true).probe(
      spec('traceroute', { Target: '198.18.9.9', HopsMustIncludeOrg: 'AS1' }),
    );
    expect(asnOnly.calls[0]?.args[0]).to.equal('-n');
  });

  it('takes the target RTTs from its own answers and looks up each hop once', async () => {
    const asked: string[] = [];
    const orgs: OrgLookup = {
      name: 'test',
      lookup: (address) => {
        asked.push(address);
        return Promise.resolve({
          status: 'found',
          org: address === '198.18.1.2' ? 'AS64502 Mobile' : 'AS64500 Lab',
        });
      },
    };
    const report = await prober(fakeRunner({ stdout: TRACE }).run, orgs).probe(
      spec('traceroute', { Target: '198.18.9.9', HopsMustIncludeOrg: 'AS64502' }),
    );
    expect(asked).to.deep.equal(['198.18.1.2', '198.18.9.9']);
    expect(report.rttsMs).to.deep.equal([0.3, 0.2, 0.2]);
    expect(report.verdict).to.equal('healthy');
  });

  it('reports a failure to bind the source as the reason', async () => {
    const { run } = fakeRunner({ stderr: 'ping: SO_BINDTODEVICE nosuch0: No such device\n', code: 2 });
    const report = await prober(run).probe(spec('ping', { Target: '198.18.9.9', Source: 'nosuch0' }));
    expect(report.verdict).to.equal('unhealthy');
    expect(report.checks).to.deep.equal([
      { check: 'reachable', passed: false, reason: 'failed: No such device' },
    ]);
  });

  it('says which package to install when traceroute is missing', async () => {
    const run: CommandRunner = () =>
      Promise.reject(Object.assign(new Error('spawn traceroute ENOENT'), { code: 'ENOENT' }));
    const failure = await prober(run)
      .probe(spec('traceroute', { Target: '198.18.9.9' }))
      .catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(MissingToolError);
    expect((failure as Error).message).to.equal(
      'traceroute not found in PATH: install it with "apt-get install traceroute"',
    );
  });

  it('reports a traceroute that is present but cannot be started as a fault, not a missing tool', async () => {
    const run: CommandRunner = () =>
      Promise.reject(Object.assign(new Error('spawn traceroute EACCES'), { code: 'EACCES' }));
    const failure = await prober(run)
      .probe(spec('traceroute', { Target: '198.18.9.9' }))
      .catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(FaultError);
    expect((failure as Error).message).to.equal('could not run traceroute: spawn traceroute EACCES');
  });
});
