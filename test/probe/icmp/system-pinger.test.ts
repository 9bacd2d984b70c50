import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { systemClock } from '../../../lib/shared/clock.js';
import { PingwardenError } from '../../../lib/shared/errors.js';
import type { ProbeOptions, ProbeResult } from '../../../lib/probe/pinger.js';
import { pingConfigFor, SystemPinger } from '../../../lib/probe/icmp/system-pinger.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { ipv6LoopbackReason, timed } from './pinger-contract.js';
import { cleanupStaleLabs, createLab, requireLab, type NetnsLab } from '../../support/netns-lab.js';

const run = promisify(execFile);

/** The one result of probing one host. */
async function probeOne(pinger: SystemPinger, host: string, options: ProbeOptions): Promise<ProbeResult> {
  const [result] = await pinger.probe([host], options);
  if (result === undefined) throw new Error(`no result for ${host}`);
  return result;
}

const once: ProbeOptions = { attempts: 1, timeoutSeconds: 1 };

describe('pingConfigFor', () => {
  it('builds one process that sends a request every timeout until the deadline, host after --', () => {
    expect(pingConfigFor('192.0.2.7', { attempts: 3, timeoutSeconds: 2 })).to.deep.equal({
      numeric: true,
      timeout: 2,
      deadline: 6,
      min_reply: 1,
      v6: false,
      extra: ['-i', '2.167', '--'],
    });
  });

  it('spaces requests so that exactly `attempts` of them fit before the whole-second deadline', () => {
    for (const [attempts, timeoutSeconds] of [
      [1, 1],
      [3, 2],
      [20, 1],
      [5, 60],
    ] as const) {
      const config = pingConfigFor('192.0.2.7', { attempts, timeoutSeconds });
      const spacing = Number(config.extra?.[1]);
      const deadline = Number(config.deadline);
      expect((attempts - 1) * spacing, 'last request before the deadline').to.be.below(deadline);
      expect(deadline - (attempts - 1) * spacing, 'last wait').to.be.at.least(0.7 * timeoutSeconds);
      expect(attempts * spacing - deadline, 'one more request is well past it').to.be.at.least(0.25);
    }
  });

  for (const host of ['::1', 'fe80::1', '2001:db8::1']) {
    it(`asks for IPv6 for ${host}`, () => {
      expect(pingConfigFor(host, once).v6).to.equal(true);
    });
  }

  for (const host of ['127.0.0.1', 'router.example', '-f']) {
    it(`does not ask for IPv6 for ${host}`, () => {
      expect(pingConfigFor(host, once).v6).to.equal(false);
    });
  }
});

describe('SystemPinger', () => {
  it('rejects a maxConcurrent that is not a positive integer', () => {
    expect(() => new SystemPinger({ clock: systemClock, maxConcurrent: 0 })).to.throw(RangeError);
  });

  for (const options of [
    { attempts: 0, timeoutSeconds: 1 },
    { attempts: 1, timeoutSeconds: 0.5 },
  ]) {
    it(`rejects ${JSON.stringify(options)}`, async () => {
      const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 1 });
      const error = await pinger.probe(['127.0.0.1'], options).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(RangeError);
    });
  }

  it('rejects, rather than reporting hosts down, when ping cannot be run', async () => {
    const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 2 });
    const saved = process.env.PATH;
    // The package spawns "ping" through the PATH of process.env.
    process.env.PATH = '/nonexistent';
    try {
      const error = await pinger
        .probe(['127.0.0.1', '127.0.0.2', '127.0.0.3'], once)
        .catch((e: unknown) => e);
      expect(error).to.be.instanceOf(PingwardenError);
      expect((error as Error).message).to.match(/^could not run ping: /);
    } finally {
      process.env.PATH = saved;
    }
  });

  describe('against loopback', () => {
    it('finds 127.0.0.1 alive after one request, with an RTT, dated before the spawn', async () => {
      const clock = new FakeClock('2026-03-01T10:00:00Z');
      const pinger = new SystemPinger({ clock, maxConcurrent: 4 });
      const result = await probeOne(pinger, '127.0.0.1', { attempts: 3, timeoutSeconds: 1 });
      expect(result).to.deep.include({ host: '127.0.0.1', alive: true, attempts: 1 });
      expect(result.rttMs).to.be.a('number').within(0, 1000);
      expect(result.startedAt.toISOString()).to.equal('2026-03-01T10:00:00.000Z');
      expect(result).not.to.have.property('error');
    });

    it('finds ::1 alive through ping6', async function () {
      const reason = await ipv6LoopbackReason();
      if (reason !== null) {
        console.log(`      skipped: no IPv6 loopback: ${reason}`);
        this.skip();
      }
      const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 1 });
      const result = await probeOne(pinger, '::1', once);
      expect(result).to.deep.include({ host: '::1', alive: true, attempts: 1 });
      expect(result.rttMs).to.be.a('number');
    });

    it('returns results in input order', async () => {
      const hosts = ['127.0.0.3', '127.0.0.1', '127.0.0.2', '127.0.0.4'];
      const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 2 });
      const results = await pinger.probe(hosts, once);
      expect(results.map((r) => [r.host, r.alive])).to.deep.equal(hosts.map((h) => [h, true]));
    });

    // A name with an empty label is refused inside the C library before any DNS query is sent (checked with
    // strace): "nonexistent.invalid" would be sent to the configured resolver, which this test must not do.
    it('reports a name that does not resolve as dead with a reason, without waiting', async () => {
      const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 1 });
      const { value: result, ms } = await timed(() =>
        probeOne(pinger, 'no..such.invalid', { attempts: 3, timeoutSeconds: 2 }),
      );
      expect(result).to.deep.include({
        host: 'no..such.invalid',
        alive: false,
        attempts: 0,
        rttMs: null,
        error: 'Name or service not known',
      });
      expect(ms).to.be.below(2000);
    });

    it('passes a host that looks like an option to ping as a host, not an option', async () => {
      const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 1 });
      const result = await probeOne(pinger, '-f..invalid', once);
      // Without "--" ping would parse -f (flood) and complain about the rest instead.
      expect(result).to.deep.include({ alive: false, attempts: 0, error: 'Name or service not known' });
    });
  });

  describe('in the network lab', function () {
    this.timeout(20_000);
    let lab: NetnsLab | undefined;
    let live = '';
    let pulled = '';

    before(async function () {
      await requireLab(this);
      lab = await createLab();
      live = lab.host(1);
      pulled = lab.host(2);
      await lab.addHost(live);
      await lab.addHost(pulled);
    });

    after(async () => {
      await lab?.destroy();
    });

    function theLab(): NetnsLab {
      if (lab === undefined) throw new Error('lab not created');
      return lab;
    }

    it('finds a lab host alive after one request', async () => {
      const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 1 });
      const result = await probeOne(pinger, live, { attempts: 3, timeoutSeconds: 1 });
      expect(result).to.deep.include({ alive: true, attempts: 1 });
      expect(result.rttMs).to.be.a('number');
    });

    it('finds a pulled host dead after every attempt, in about attempts × timeout', async () => {
      await theLab().removeHost(pulled);
      try {
        const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 1 });
        const { value: result, ms } = await timed(() =>
          probeOne(pinger, pulled, { attempts: 3, timeoutSeconds: 1 }),
        );
        expect(result).to.deep.include({ host: pulled, alive: false, attempts: 3, rttMs: null });
        expect(result).not.to.have.property('error');
        expect(ms).to.be.within(2900, 5000);
      } finally {
        await theLab().addHost(pulled);
      }
    });

    it('probes 20 hosts with 5 dead in parallel, in about one dead host time', async () => {
      const hosts = Array.from({ length: 20 }, (_, i) => theLab().host(100 + i));
      const dead = new Set([hosts[0], hosts[3], hosts[9], hosts[10], hosts[19]]);
      for (const host of hosts) if (!dead.has(host)) await theLab().addHost(host);
      const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 10 });
      const { value: results, ms } = await timed(() =>
        pinger.probe(hosts, { attempts: 2, timeoutSeconds: 1 }),
      );
      expect(results.map((r) => r.host)).to.deep.equal(hosts);
      for (const r of results) {
        expect(r, r.host).to.deep.include(dead.has(r.host) ? { alive: false, attempts: 2 } : { alive: true });
      }
      // Serially the dead hosts alone would take 5 × 2 × 1 s = 10 s.
      expect(ms).to.be.below(6000);
    });

    it('skips hosts not yet started when aborted, and finishes the running one', async () => {
      await theLab().removeHost(pulled);
      try {
        const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 1 });
        const controller = new AbortController();
        const probing = pinger.probe([pulled, live, live], once, controller.signal);
        controller.abort();
        const results = await probing;
        expect(results.map((r) => [r.host, r.alive, r.attempts])).to.deep.equal([[pulled, false, 1]]);
      } finally {
        await theLab().addHost(pulled);
      }
    });

    it('finds hosts dead while the link is down and alive again after', async () => {
      const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 2 });
      await theLab().linkDown();
      try {
        const down = await pinger.probe([live], once);
        expect(down.map((r) => [r.alive, r.attempts])).to.deep.equal([[false, 1]]);
      } finally {
        await theLab().linkUp();
      }
      const up = await pinger.probe([live], { attempts: 2, timeoutSeconds: 1 });
      expect(up.map((r) => r.alive)).to.deep.equal([true]);
    });

    it('answers for a whole range with AnyIP and goes silent when it is removed', async () => {
      const pinger = new SystemPinger({ clock: systemClock, maxConcurrent: 4 });
      const hosts = [1, 2000, 4095].map((n) => theLab().anyIpHost(n));
      await theLab().enableAnyIp();
      try {
        expect((await pinger.probe(hosts, once)).map((r) => r.alive)).to.deep.equal([true, true, true]);
      } finally {
        await theLab().disableAnyIp();
      }
      expect((await pinger.probe(hosts, once)).map((r) => r.alive)).to.deep.equal([false, false, false]);
    });

    it('refuses addresses outside the lab range', async () => {
      for (const ip of ['192.0.2.1', '198.18.0.5', '198.19.255.1', theLab().anyIpHost(3)]) {
        const error = await theLab()
          .addHost(ip)
          .catch((e: unknown) => e);
        expect(error, ip).to.be.instanceOf(Error);
      }
    });

    it('removes namespaces left by dead processes and keeps its own', async () => {
      // Above pid_max (4194304), so no live process can own it.
      const stale = 'pwlab-999999999-1';
      await run('ip', ['netns', 'add', stale]);
      try {
        // Another run cleaning up at the same moment may have removed it first.
        expect(await cleanupStaleLabs()).to.satisfy(
          (removed: string[]) => !removed.includes(theLab().namespace),
        );
      } finally {
        await run('ip', ['netns', 'del', stale]).catch(() => undefined);
      }
      const { stdout } = await run('ip', ['netns', 'list']);
      expect(stdout).to.include(theLab().namespace);
      expect(stdout).not.to.include(stale);
    });
  });
});
