import { expect } from 'chai';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { MissingToolError } from '../../../lib/shared/errors.js';
import { assertPingInstalled, findExecutable } from '../../../lib/probe/icmp/require-ping.js';

describe('assertPingInstalled', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pingwarden-path-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function missing(searchPath: string, options?: { ipv6?: boolean }): Promise<unknown> {
    return assertPingInstalled(searchPath, options).then(
      () => null,
      (error: unknown) => error,
    );
  }

  it('throws MissingToolError naming the Debian package when PATH holds no ping', async () => {
    const error = await missing(dir);
    expect(error).to.be.instanceOf(MissingToolError);
    expect(error).to.include({ tool: 'ping', debianPackage: 'iputils-ping' });
    expect((error as Error).message).to.equal(
      'ping not found in PATH: install it with "apt-get install iputils-ping"',
    );
  });

  it('throws for an empty PATH', async () => {
    expect(await missing('')).to.be.instanceOf(MissingToolError);
  });

  it('ignores a ping that is not executable, or is a directory', async () => {
    await writeFile(join(dir, 'ping'), '#!/bin/sh\n');
    await chmod(join(dir, 'ping'), 0o644);
    const other = join(dir, 'other');
    await mkdir(join(other, 'ping'), { recursive: true });
    expect(await missing([dir, other].join(delimiter))).to.be.instanceOf(MissingToolError);
  });

  it('ignores relative PATH entries', async () => {
    expect(await findExecutable('sh', '.')).to.equal(null);
  });

  it('accepts an executable ping anywhere in PATH', async () => {
    await writeFile(join(dir, 'ping'), '#!/bin/sh\n');
    await chmod(join(dir, 'ping'), 0o755);
    expect(await missing([join(dir, 'nowhere'), dir].join(delimiter))).to.equal(null);
    expect(await findExecutable('ping', dir)).to.equal(join(dir, 'ping'));
  });

  it('also requires ping6 when IPv6 hosts need it', async () => {
    await writeFile(join(dir, 'ping'), '#!/bin/sh\n');
    await chmod(join(dir, 'ping'), 0o755);
    const error = await missing(dir, { ipv6: true });
    expect(error).to.be.instanceOf(MissingToolError).with.property('tool', 'ping6');
  });

  it('finds the system ping in the real PATH', async () => {
    expect(await missing(process.env.PATH ?? '', { ipv6: true })).to.equal(null);
  });
});
