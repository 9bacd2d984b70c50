import { expect } from 'chai';
import { createSocket } from 'node:dgram';
import type { Clock } from '../../../lib/shared/clock.js';
import { systemClock } from '../../../lib/shared/clock.js';
import type { Pinger, ProbeOptions, ProbeResult } from '../../../lib/probe/pinger.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { createLab, requireLab, type NetnsLab } from '../../support/netns-lab.js';

/** Builds the backend under test around a clock. */
export type PingerFactory = (clock: Clock) => Pinger;

/** A result without the parts that vary from run to run (the RTT's value, the start time). */
export interface ResultShape {
  readonly host: string;
  readonly alive: boolean;
  readonly attempts: number;
  readonly hasRtt: boolean;
  readonly error?: string;
}

/** The comparable part of a result: what both backends must agree on exactly. */
export function shapeOf(result: ProbeResult): ResultShape {
  return {
    host: result.host,
    alive: result.alive,
    attempts: result.attempts,
    hasRtt: result.rttMs !== null,
    ...(result.error === undefined ? {} : { error: result.error }),
  };
}

/** Runs `fn` and returns its value with the elapsed wall time in milliseconds. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

/** Why this machine has no usable IPv6 loopback (binding ::1 fails when IPv6 is disabled), or null. */
export function ipv6LoopbackReason(): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = createSocket('udp6');
    socket.once('error', (error) => {
      socket.close();
      resolve(`cannot bind ::1 (${error.message})`);
    });
    socket.bind(0, '::1', () => {
      socket.close();
      resolve(null);
    });
  });
}

const once: ProbeOptions = { attempts: 1, timeoutSeconds: 1 };
const alive = (host: string): ResultShape => ({ host, alive: true, attempts: 1, hasRtt: true });
const dead = (host: string, attempts: number): ResultShape => ({
  host,
  alive: false,
  attempts,
  hasRtt: false,
});

/**
 * The behaviour every {@link Pinger} backend must have, against real hosts: loopback, and hosts in a network
 * lab this suite creates and removes. Each backend's test file calls this once, so both are held to the same
 * expected results, shape for shape.
 */
export function describePingerContract(name: string, makePinger: PingerFactory): void {
  describe(`${name} (Pinger contract)`, function () {
    this.timeout(20_000);

    for (const options of [
      { attempts: 0, timeoutSeconds: 1 },
      { attempts: 1, timeoutSeconds: 0.5 },
      { attempts: 1.5, timeoutSeconds: 1 },
    ]) {
      it(`rejects ${JSON.stringify(options)} with a RangeError`, async () => {
        const error = await makePinger(systemClock)
          .probe(['127.0.0.1'], options)
          .catch((e: unknown) => e);
        expect(error).to.be.instanceOf(RangeError);
      });
    }

    it('probes nothing for an empty list', async () => {
      expect(await makePinger(systemClock).probe([], once)).to.deep.equal([]);
    });

    it('probes nothing when aborted before it starts', async () => {
      const controller = new AbortController();
      controller.abort();
      const { value, ms } = await timed(() =>
        makePinger(systemClock).probe(['127.0.0.1', '127.0.0.2'], once, controller.signal),
      );
      expect(value).to.deep.equal([]);
      expect(ms).to.be.below(500);
    });

    describe('against loopback', () => {
      it('finds 127.0.0.1 alive after one request, with an RTT, dated by the clock', async () => {
        const clock = new FakeClock('2026-03-01T10:00:00Z');
        const results = await makePinger(clock).probe(['127.0.0.1'], { attempts: 3, timeoutSeconds: 1 });
        expect(results.map(shapeOf)).to.deep.equal([alive('127.0.0.1')]);
        expect(results[0]?.rttMs).to.be.a('number').within(0, 1000);
        expect(results[0]?.startedAt.toISOString()).to.equal('2026-03-01T10:00:00.000Z');
      });

      it('finds ::1 alive', async function () {
        const reason = await ipv6LoopbackReason();
        if (reason !== null) {
          console.log(`      skipped: no IPv6 loopback: ${reason}`);
          this.skip();
        }
        const results = await makePinger(systemClock).probe(['::1'], once);
        expect(results.map(shapeOf)).to.deep.equal([alive('::1')]);
      });

      it('with packets 3, sends all three, reports their loss and RTT spread, and the average as rttMs', async () => {
        const results = await makePinger(systemClock).probe(['127.0.0.1', '127.0.0.2', '127.0.0.1'], {
          attempts: 3,
          timeoutSeconds: 1,
          packets: 3,
          packetIntervalMs: 20,
        });
        expect(results.map((r) => [r.host, r.alive, r.attempts])).to.deep.equal([
          ['127.0.0.1', true, 3],
          ['127.0.0.2', true, 3],
          ['127.0.0.1', true, 3],
        ]);
        for (const result of results) {
          const quality = result.quality;
          expect(quality).to.include({ sent: 3, received: 3 });
          const { minMs, avgMs, maxMs, mdevMs } = quality ?? {};
          expect(minMs).to.be.a('number').within(0, 1000);
          expect(avgMs)
            .to.be.a('number')
            .within(minMs ?? 0, maxMs ?? 0);
          expect(mdevMs)
            .to.be.a('number')
            .within(0, (maxMs ?? 0) - (minMs ?? 0));
          expect(result.rttMs).to.equal(avgMs);
        }
      });

      it('fills quality with one packet too: one sent, one received', async () => {
        const [result] = await makePinger(systemClock).probe(['127.0.0.1'], once);
        expect(result?.quality).to.include({ sent: 1, received: 1 });
        expect(result?.quality?.avgMs).to.equal(result?.rttMs);
      });

      it('returns one result per listed host, in input order, duplicates included', async () => {
        const hosts = ['127.0.0.3', '127.0.0.1', '127.0.0.2', '127.0.0.1', 'localhost'];
        const results = await makePinger(systemClock).probe(hosts, once);
        expect(results.map(shapeOf)).to.deep.equal(hosts.map(alive));
      });

      // An empty label is refused inside the C library before any DNS query is sent (checked with strace):
      // "nonexistent.invalid" would go to the configured resolver, which a test must not do.
      it('reports a name that does not resolve as dead with a reason and no attempt, without waiting', async () => {
        const { value: results, ms } = await timed(() =>
          makePinger(systemClock).probe(['127.0.0.1', 'no..such.invalid'], {
            attempts: 3,
            timeoutSeconds: 2,
          }),
        );
        expect(results.map(shapeOf)).to.deep.equal([
          alive('127.0.0.1'),
          {
            host: 'no..such.invalid',
            alive: false,
            attempts: 0,
            hasRtt: false,
            error: 'Name or service not known',
          },
        ]);
        expect(ms).to.be.below(2000);
      });
    });

    describe('in the network lab', () => {
      let lab: NetnsLab | undefined;
      let live = '';
      let pulled = '';
      let others: string[] = [];

      before(async function () {
        await requireLab(this);
        lab = await createLab();
        live = lab.host(1);
        pulled = lab.host(2);
        others = [lab.host(3), lab.host(4)];
        for (const host of [live, ...others]) await lab.addHost(host);
      });

      after(async () => {
        await lab?.destroy();
      });

      function theLab(): NetnsLab {
        if (lab === undefined) throw new Error('lab not created');
        return lab;
      }

      it('finds a lab host alive after one request', async () => {
        const results = await makePinger(systemClock).probe([live], { attempts: 3, timeoutSeconds: 1 });
        expect(results.map(shapeOf)).to.deep.equal([alive(live)]);
      });

      it('finds a silent host dead after every attempt, in about attempts × timeout', async () => {
        const { value: results, ms } = await timed(() =>
          makePinger(systemClock).probe([pulled], { attempts: 3, timeoutSeconds: 1 }),
        );
        expect(results.map(shapeOf)).to.deep.equal([dead(pulled, 3)]);
        expect(ms).to.be.within(2900, 4500);
      });

      it('with packets 3, retries a host that answered none of them attempts − 1 times before it is dead', async () => {
        const { value: results, ms } = await timed(() =>
          makePinger(systemClock).probe([live, pulled], {
            attempts: 2,
            timeoutSeconds: 1,
            packets: 3,
            packetIntervalMs: 50,
          }),
        );
        expect(results.map(shapeOf)).to.deep.equal([
          { host: live, alive: true, attempts: 3, hasRtt: true },
          dead(pulled, 4),
        ]);
        expect(results[0]?.quality).to.include({ sent: 3, received: 3 });
        expect(results[1]?.quality).to.deep.equal({
          sent: 4,
          received: 0,
          minMs: null,
          avgMs: null,
          maxMs: null,
          mdevMs: null,
        });
        // Three packets 50 ms apart plus a 1 s wait, then one retry with its own 1 s wait.
        expect(ms).to.be.within(1900, 4500);
      });

      it('probes a mixed batch in input order, in about one dead host time', async () => {
        const hosts = Array.from({ length: 20 }, (_, i) => theLab().host(100 + i));
        const silent = new Set([hosts[0], hosts[3], hosts[9], hosts[10], hosts[19]]);
        for (const host of hosts) if (!silent.has(host)) await theLab().addHost(host);
        const { value: results, ms } = await timed(() =>
          makePinger(systemClock).probe(hosts, { attempts: 2, timeoutSeconds: 1 }),
        );
        expect(results.map(shapeOf)).to.deep.equal(hosts.map((h) => (silent.has(h) ? dead(h, 2) : alive(h))));
        // One after another, the silent hosts alone would take 5 × 2 × 1 s = 10 s.
        expect(ms).to.be.within(1900, 4500);
      });

      it('when aborted, returns only finished probes, in input order, without waiting for all', async () => {
        const hosts = [pulled, live, ...others];
        const options = { attempts: 3, timeoutSeconds: 1 };
        const controller = new AbortController();
        const { value: results, ms } = await timed(() => {
          const probing = makePinger(systemClock).probe(hosts, options, controller.signal);
          controller.abort();
          return probing;
        });
        const shapes = results.map(shapeOf);
        // Whatever a backend had started is finished properly; the rest is left out, never half-judged.
        expect(shapes.map((s) => s.host)).to.satisfy((got: string[]) => isSubsequence(got, hosts));
        for (const shape of shapes) {
          expect(shape).to.deep.equal(shape.host === pulled ? dead(pulled, 3) : alive(shape.host));
        }
        expect(ms).to.be.below(4500);
      });

      it('finds hosts dead while the link is down and alive again after', async () => {
        const pinger = makePinger(systemClock);
        await theLab().linkDown();
        try {
          expect((await pinger.probe([live], once)).map(shapeOf)).to.deep.equal([dead(live, 1)]);
        } finally {
          await theLab().linkUp();
        }
        // A link that has just come up may lose the first request (the neighbour entry is renewed), so the
        // second attempt may be the one answered.
        const [back] = await pinger.probe([live], { attempts: 3, timeoutSeconds: 1 });
        expect(back).to.deep.include({ host: live, alive: true });
        expect(back?.attempts).to.be.within(1, 2);
      });
    });
  });
}

function isSubsequence(items: readonly string[], of: readonly string[]): boolean {
  let position = 0;
  for (const item of items) {
    position = of.indexOf(item, position);
    if (position === -1) return false;
    position += 1;
  }
  return true;
}
