import { expect } from 'chai';
import { PingwardenError } from '../../../lib/shared/errors.js';
import type { Pinger, ProbeOptions, ProbeResult } from '../../../lib/probe/pinger.js';
import {
  chooseBackend,
  IcmpProber,
  type PingerChoice,
  type PingerSetting,
} from '../../../lib/probe/icmp/icmp-prober.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { FakePinger } from '../../fakes/fake-pinger.js';

describe('chooseBackend', () => {
  const cases: [setting: PingerSetting, hosts: number, installed: boolean, expected: 'ping' | 'fping'][] = [
    ['auto', 50, true, 'ping'],
    ['auto', 51, true, 'fping'],
    ['auto', 10_000, false, 'ping'],
    ['ping', 10_000, true, 'ping'],
    ['fping', 1, true, 'fping'],
    ['fping', 1, false, 'ping'],
  ];
  for (const [setting, hosts, installed, expected] of cases) {
    it(`${setting} with ${hosts} hosts, fping ${installed ? 'installed' : 'missing'}: ${expected}`, () => {
      expect(
        chooseBackend({ pinger: setting, fpingThreshold: 50, fpingIntervalMs: 1 }, hosts, installed),
      ).to.equal(expected);
    });
  }
});

/** A FakePinger that remembers its name, to see which backend a probe went to. */
class NamedPinger implements Pinger {
  readonly calls: string[][] = [];
  private readonly inner: FakePinger;
  constructor(clock: FakeClock) {
    this.inner = new FakePinger(clock);
  }
  probe(hosts: readonly string[], options: ProbeOptions): Promise<ProbeResult[]> {
    this.calls.push([...hosts]);
    return this.inner.probe(hosts, options);
  }
}

describe('IcmpProber', () => {
  function setup(choice: PingerChoice, installed = true) {
    const clock = new FakeClock();
    const log = new FakeLog();
    const system = new NamedPinger(clock);
    const fping = new NamedPinger(clock);
    const intervals: number[] = [];
    let current = choice;
    const pinger = new IcmpProber({
      choice: () => current,
      system,
      fping: installed
        ? (interval) => {
            intervals.push(interval);
            return fping;
          }
        : null,
      log,
    });
    const change = (next: Partial<PingerChoice>) => (current = { ...current, ...next });
    return { pinger, system, fping, log, intervals, change };
  }
  const options = { attempts: 1, timeoutSeconds: 1 };
  const hosts = (n: number) => Array.from({ length: n }, (_, i) => `10.0.0.${i + 1}`);

  it('follows the settings and the host count from probe to probe, logging each change of backend', async () => {
    const { pinger, system, fping, log, intervals, change } = setup({
      pinger: 'auto',
      fpingThreshold: 2,
      fpingIntervalMs: 5,
    });
    await pinger.probeHosts(hosts(2), options);
    await pinger.probeHosts(hosts(3), options);
    await pinger.probeHosts(hosts(3), options);
    change({ pinger: 'ping' });
    await pinger.probeHosts(hosts(3), options);
    expect(system.calls.map((c) => c.length)).to.deep.equal([2, 3]);
    expect(fping.calls.map((c) => c.length)).to.deep.equal([3, 3]);
    expect(intervals).to.deep.equal([5, 5]);
    expect(log.lines).to.deep.equal([
      'INFO pinger backend=ping hosts=2 setting=auto',
      'INFO pinger backend=fping hosts=3 setting=auto',
      'INFO pinger backend=ping hosts=3 setting=ping',
    ]);
  });

  it('falls back to ping with one warning when fping is asked for but missing (after a reload)', async () => {
    const { pinger, system, log } = setup({ pinger: 'fping', fpingThreshold: 50, fpingIntervalMs: 1 }, false);
    await pinger.probeHosts(hosts(1), options);
    await pinger.probeHosts(hosts(1), options);
    expect(system.calls).to.have.length(2);
    expect(log.lines).to.deep.equal([
      'WARN fping is not installed; probing with ping install="apt-get install fping"',
      'INFO pinger backend=ping hosts=1 setting=fping',
    ]);
  });

  it('falls back to ping for a cycle when fping cannot run, warning once per distinct failure', async () => {
    const clock = new FakeClock();
    const log = new FakeLog();
    const system = new NamedPinger(clock);
    let failure: Error | null = new PingwardenError("fping failed (exit 4): fping: can't create socket");
    const broken: Pinger = {
      probe: async (hosts, options) => {
        if (failure !== null) throw failure;
        return system.probe(hosts, options);
      },
    };
    const pinger = new IcmpProber({
      choice: () => ({ pinger: 'fping', fpingThreshold: 50, fpingIntervalMs: 1 }),
      system,
      fping: () => broken,
      log,
    });
    for (let cycle = 0; cycle < 3; cycle++) {
      expect((await pinger.probeHosts(hosts(2), options)).map((r) => r.alive)).to.deep.equal([true, true]);
    }
    failure = null;
    await pinger.probeHosts(hosts(2), options);
    failure = new RangeError('a bug');
    const error = await pinger.probeHosts(hosts(2), options).catch((e: unknown) => e);
    expect(error, 'anything but an fping failure is a bug and is not hidden').to.be.instanceOf(RangeError);
    expect(log.matching('WARN')).to.deep.equal([
      'WARN fping failed; probing with ping this cycle error="fping failed (exit 4): fping: can\'t create socket"',
    ]);
  });
});
