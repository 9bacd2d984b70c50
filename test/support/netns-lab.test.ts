import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { expect } from 'chai';

import { systemClock } from '../../lib/shared/clock.js';
import { FpingPinger } from '../../lib/probe/icmp/fping-pinger.js';
import { createLab, LARGE_LAB_RANGE, requireLab, type NetnsLab } from './netns-lab.js';

const run = promisify(execFile);

describe('support/netns-lab with largeRange', function () {
  this.timeout(20_000);
  let lab: NetnsLab | undefined;

  before(async function () {
    await requireLab(this);
    try {
      lab = await createLab({ largeRange: true });
    } catch (error) {
      // Only one lab on the machine can hold the range; a benchmark may be running right now.
      if (!String(error).includes('is in use by another run')) throw error;
      console.log(`      skipped: ${(error as Error).message}`);
      this.skip();
    }
  });

  after(async () => {
    await lab?.destroy();
  });

  function theLab(): NetnsLab {
    if (lab === undefined) throw new Error('lab not created');
    return lab;
  }

  it('answers from the lower half of the range and stays silent in the upper half', async () => {
    const hosts = [
      theLab().largeAnsweringHost(0),
      theLab().largeAnsweringHost(16_383),
      theLab().largeSilentHost(5),
    ];
    expect(hosts).to.deep.equal(['198.18.128.0', '198.18.191.255', '198.18.192.5']);
    const results = await new FpingPinger({ clock: systemClock, sendIntervalMs: 1 }).probe(hosts, {
      attempts: 1,
      timeoutSeconds: 1,
    });
    expect(results.map((r) => r.alive)).to.deep.equal([true, true, false]);
  });

  it('refuses a second lab on the same range, and addresses outside it', async () => {
    const error = await createLab({ largeRange: true }).catch((e: unknown) => e);
    expect(String(error)).to.include(`the large lab range ${LARGE_LAB_RANGE} is in use by another run`);
    expect(() => theLab().largeAnsweringHost(16_384)).to.throw('outside');
  });

  it('frees the range when destroyed', async () => {
    await theLab().destroy();
    const { stdout } = await run('ip', ['route', 'show', LARGE_LAB_RANGE]);
    expect(stdout.trim()).to.equal('');
    lab = undefined;
  });
});
