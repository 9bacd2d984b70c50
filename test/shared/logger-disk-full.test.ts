import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { createLogger } from '../../lib/shared/logger.js';
import { waitFor } from '../support/wait-for.js';

// Found by the soak (issue 13): log files on a full disk killed the daemon with "Unhandled 'error' event"
// from the rotator's stream. Needs root for the tmpfs.
describe('shared/logger on a full disk', function () {
  this.timeout(20_000);
  let dir = '';
  let mounted = false;
  before(function () {
    if (process.getuid?.() !== 0) {
      if (process.env.PINGWARDEN_REQUIRE_LAB === '1') throw new Error('needs root (tmpfs)');
      console.log('      skipped: needs root to mount a tmpfs');
      this.skip();
    }
  });
  afterEach(async () => {
    if (mounted) execFileSync('umount', ['-l', dir]);
    mounted = false;
    if (dir !== '') await rm(dir, { recursive: true, force: true });
  });

  it('keeps running and says once that log files cannot be written', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-logfull-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'pw-logfull', dir]);
    mounted = true;
    const said: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      said.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      const log = createLogger({ logsDir: dir, retentionDays: 1, level: 'info', console: false });
      log.info('first line');
      await waitFor(
        async () =>
          (await import('node:fs/promises')).readdir(dir).then((n) => n.some((f) => f.endsWith('.log'))),
        'the log file',
        5000,
      );
      await writeFile(path.join(dir, 'filler'), Buffer.alloc(256 * 1024)).catch(() => undefined);
      for (let i = 0; i < 200; i++) log.info(`line ${i} ${'x'.repeat(500)}`);
      await waitFor(
        () => said.some((line) => line.includes('cannot write log files')),
        'the one warning',
        10_000,
      );
      await log.close();
    } finally {
      process.stderr.write = write;
    }
    expect(said.filter((line) => line.includes('cannot write log files'))).to.have.length(1);
    expect(said.join('')).to.include('ENOSPC');
  });
});
