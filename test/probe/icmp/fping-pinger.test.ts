import { expect } from 'chai';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../../lib/shared/clock.js';
import { FaultError } from '../../../lib/shared/errors.js';
import { FpingPinger, fpingArgs } from '../../../lib/probe/icmp/fping-pinger.js';
import { SystemPinger } from '../../../lib/probe/icmp/system-pinger.js';
import { createLab, requireLab, type NetnsLab } from '../../support/netns-lab.js';
import { describePingerContract, shapeOf, timed } from './pinger-contract.js';

const once = { attempts: 1, timeoutSeconds: 1 };

describePingerContract('FpingPinger', (clock) => new FpingPinger({ clock, sendIntervalMs: 1 }));

describe('fpingArgs', () => {
  const cases: [timeoutSeconds: number, interval: number, expected: string[]][] = [
    [1, 1, ['-e', '-r', '0', '-t', '1000', '-i', '1']],
    [2, 10, ['-e', '-r', '0', '-t', '2000', '-i', '10']],
    [60, 1000, ['-e', '-r', '0', '-t', '60000', '-i', '1000']],
  ];
  for (const [timeoutSeconds, interval, expected] of cases) {
    it(`sends one request per host per round, timeout ${timeoutSeconds} s, ${interval} ms apart`, () => {
      expect(fpingArgs(timeoutSeconds, interval)).to.deep.equal(expected);
    });
  }
});

describe('FpingPinger', () => {
  const tools: string[] = [];
  after(async () => {
    for (const dir of tools) await rm(dir, { recursive: true, force: true });
  });

  /** A stand-in fping that prints `stderr` and exits with `code`, for fping's own failures. */
  async function failingTool(code: number, stderr: string): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-fping-'));
    tools.push(dir);
    const file = path.join(dir, 'fping');
    await writeFile(file, `#!/bin/sh\ncat >/dev/null\necho ${JSON.stringify(stderr)} >&2\nexit ${code}\n`);
    await chmod(file, 0o755);
    return file;
  }

  for (const sendIntervalMs of [0, 0.5, -1]) {
    it(`refuses a send interval of ${sendIntervalMs} ms`, () => {
      expect(() => new FpingPinger({ clock: systemClock, sendIntervalMs })).to.throw(RangeError);
    });
  }

  it('rejects, rather than reporting hosts down, when fping cannot be run', async () => {
    const pinger = new FpingPinger({ clock: systemClock, sendIntervalMs: 1, command: '/nonexistent/fping' });
    const error = await pinger.probe(['127.0.0.1'], once).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(FaultError);
    expect((error as Error).message).to.equal('could not run fping: spawn /nonexistent/fping ENOENT');
  });

  const failures: [code: number, stderr: string, message: string][] = [
    [3, 'fping: bad option', 'fping failed (exit 3): fping: bad option'],
    [
      4,
      "fping: can't create socket (must run as root?)",
      "fping failed (exit 4): fping: can't create socket (must run as root?)",
    ],
  ];
  for (const [code, stderr, message] of failures) {
    it(`rejects when fping exits with ${code}`, async () => {
      const command = await failingTool(code, stderr);
      const pinger = new FpingPinger({ clock: systemClock, sendIntervalMs: 1, command });
      const error = await pinger.probe(['127.0.0.1'], once).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(FaultError);
      expect((error as Error).message).to.equal(message);
    });
  }

  // Found in acceptance: Ctrl-C or systemd's SIGTERM reaches fping too, and every clean stop logged
  // "ERROR cycle failed error=fping failed (killed by SIGTERM)".
  it('a round killed by the stop signal while stopping is no fault: its hosts are left out', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-fping-'));
    tools.push(dir);
    const command = path.join(dir, 'fping');
    await writeFile(command, '#!/bin/sh\ncat >/dev/null\nsleep 0.3\nkill -TERM $$\n');
    await chmod(command, 0o755);
    const pinger = new FpingPinger({ clock: systemClock, sendIntervalMs: 1, command });
    const stopping = new AbortController();
    const probing = pinger.probe(['127.0.0.1', '::1'], once, stopping.signal);
    stopping.abort();
    expect(await probing).to.deep.equal([]);
    // Without a stop, the same death is still a fault (fping lost, broken): never hosts reported down.
    const error = await pinger.probe(['127.0.0.1'], once).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(FaultError);
    expect((error as Error).message).to.equal('fping failed (killed by SIGTERM)');
  });

  const invalid: [host: string, error: string][] = [
    ['-f', 'invalid host: must not start with "-"'],
    ['127.0.0.1\n127.0.0.2', 'invalid host: must not contain spaces or other whitespace'],
    ['#comment', 'invalid host: must not start with "#"'],
  ];
  for (const [host, error] of invalid) {
    it(`never hands ${JSON.stringify(host)} to fping: dead with a reason, others still probed`, async () => {
      const pinger = new FpingPinger({ clock: systemClock, sendIntervalMs: 1 });
      const results = await pinger.probe([host, '127.0.0.1'], once);
      expect(results.map(shapeOf)).to.deep.equal([
        { host, alive: false, attempts: 0, hasRtt: false, error },
        { host: '127.0.0.1', alive: true, attempts: 1, hasRtt: true },
      ]);
    });
  }

  describe('in the network lab', function () {
    this.timeout(20_000);
    let lab: NetnsLab | undefined;

    before(async function () {
      await requireLab(this);
      lab = await createLab();
    });

    after(async () => {
      await lab?.destroy();
    });

    function theLab(): NetnsLab {
      if (lab === undefined) throw new Error('lab not created');
      return lab;
    }

    it('finishes the round in flight when aborted and leaves out hosts that need another', async () => {
      const live = theLab().host(1);
      await theLab().addHost(live);
      const silent = theLab().host(2);
      const controller = new AbortController();
      const pinger = new FpingPinger({ clock: systemClock, sendIntervalMs: 1 });
      const { value: results, ms } = await timed(() => {
        const probing = pinger.probe([silent, live], { attempts: 3, timeoutSeconds: 1 }, controller.signal);
        controller.abort();
        return probing;
      });
      expect(results.map(shapeOf)).to.deep.equal([{ host: live, alive: true, attempts: 1, hasRtt: true }]);
      expect(ms).to.be.within(900, 2000);
    });

    it('gives the same results as SystemPinger on the same batch', async () => {
      const answering = Array.from({ length: 12 }, (_, i) => theLab().host(200 + i));
      for (const host of answering) await theLab().addHost(host);
      const silent = Array.from({ length: 4 }, (_, i) => theLab().host(300 + i));
      const hosts = [
        '127.0.0.1',
        ...answering.slice(0, 6),
        silent[0],
        'no..such.invalid',
        ...answering.slice(6),
        ...silent.slice(1),
      ].filter((host): host is string => host !== undefined);
      const options = { attempts: 2, timeoutSeconds: 1 };
      const [viaFping, viaPing] = await Promise.all([
        new FpingPinger({ clock: systemClock, sendIntervalMs: 1 }).probe(hosts, options),
        new SystemPinger({ clock: systemClock, maxConcurrent: 16 }).probe(hosts, options),
      ]);
      expect(viaFping.map(shapeOf)).to.deep.equal(viaPing.map(shapeOf));
      expect(viaFping.filter((r) => r.alive)).to.have.length(13);
    });
  });
});
