import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { isHeld, takeOnceLock } from '../../lib/app/once-lock.js';

describe('app: the lock of pingwarden once', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pw-lock-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('is taken with the pid in it, refused to a second run while its holder lives, released', async () => {
    const first = await takeOnceLock(path.join(dir, 'logs'), 4242, () => true);
    expect(isHeld(first)).to.equal(true);
    expect(await readFile(path.join(dir, 'logs', 'once.lock'), 'utf8')).to.equal('4242\n');
    const second = await takeOnceLock(path.join(dir, 'logs'), 4343, () => true);
    expect(second).to.deep.equal({ file: path.join(dir, 'logs', 'once.lock'), pid: 4242 });
    if (isHeld(first)) await first.release();
    expect(isHeld(await takeOnceLock(path.join(dir, 'logs'), 4343, () => true))).to.equal(true);
  });

  it('a lock whose pid no longer runs is stale and taken over', async () => {
    await writeFile(path.join(dir, 'once.lock'), '999999\n');
    const lock = await takeOnceLock(dir, 4242, (pid) => pid !== 999999);
    expect(isHeld(lock)).to.equal(true);
    expect(await readFile(path.join(dir, 'once.lock'), 'utf8')).to.equal('4242\n');
  });

  it('a fresh lock without a pid yet is being written: not taken', async () => {
    await writeFile(path.join(dir, 'once.lock'), '');
    expect(isHeld(await takeOnceLock(dir, 4242, () => false))).to.equal(false);
  });
});
