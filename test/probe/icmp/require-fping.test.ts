import { expect } from 'chai';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MissingToolError } from '../../../lib/shared/errors.js';
import { locateFping } from '../../../lib/probe/icmp/require-fping.js';

describe('locateFping', () => {
  let withFping = '';
  let without = '';

  before(async () => {
    withFping = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-path-'));
    without = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-path-'));
    await writeFile(path.join(withFping, 'fping'), '#!/bin/sh\n');
    await chmod(path.join(withFping, 'fping'), 0o755);
  });

  after(async () => {
    await rm(withFping, { recursive: true, force: true });
    await rm(without, { recursive: true, force: true });
  });

  it('refuses to start when pinger is fping and PATH holds none, naming the Debian package', async () => {
    const error = await locateFping('fping', without).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(MissingToolError);
    expect((error as Error).message).to.equal(
      'fping not found in PATH: install it with "apt-get install fping"',
    );
  });

  const cases: [setting: 'ping' | 'fping' | 'auto', where: () => string, expected: () => string | null][] = [
    ['auto', () => without, () => null],
    ['auto', () => withFping, () => path.join(withFping, 'fping')],
    ['fping', () => `${without}:${withFping}`, () => path.join(withFping, 'fping')],
    ['ping', () => withFping, () => null],
  ];
  for (const [setting, where, expected] of cases) {
    it(`pinger ${setting}: finds ${setting === 'ping' ? 'nothing (not needed)' : 'fping when installed'}`, async () => {
      expect(await locateFping(setting, where())).to.equal(expected());
    });
  }

  it('finds the system fping in the real PATH', async () => {
    expect(await locateFping('fping', process.env.PATH ?? '')).to.be.a('string');
  });
});
