import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';

import { expect } from 'chai';

import { survivePipeClose } from '../../lib/cli/closed-console.js';
import { waitFor } from '../support/wait-for.js';

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/pingwarden.js');

const streamError = (code: string) => Object.assign(new Error(`write ${code}`), { code });

describe('cli/closed-console', function () {
  this.timeout(30_000);

  it('a console whose reader left (EPIPE) is no error; any other stream error still is', () => {
    const stream = new PassThrough();
    survivePipeClose([stream]);
    expect(() => stream.emit('error', streamError('EPIPE'))).not.to.throw();
    expect(() => stream.emit('error', streamError('EIO'))).to.throw('write EIO');
  });

  // Found in acceptance: `pingwarden watch ... | head -2` ended the monitor with an EPIPE stack trace.
  it('the built daemon keeps monitoring, into its log files, after its stdout pipe is closed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pw-closed-console-'));
    const child = spawn(process.execPath, [bin, 'watch', '127.0.0.1', '--interval', '1', '--save', dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      child.stdout.destroy();
      const cycles = async () => {
        const file = (await readdir(dir)).find((name) => name.endsWith('.log'));
        const text = file ? await readFile(path.join(dir, file), 'utf8') : '';
        return text.match(/INFO cycle hosts=1 up=1/g)?.length ?? 0;
      };
      await waitFor(
        async () => (await cycles()) >= 3,
        'three cycles logged after stdout closed',
        20_000,
        100,
      );
      expect(child.exitCode, stderr).to.equal(null);
      child.kill('SIGTERM');
      expect(await exited, stderr).to.equal(0);
      expect(stderr).not.to.match(/EPIPE|Unhandled|\n\s+at /);
    } finally {
      child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    }
  });
});
