import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import {
  DAEMON_ENVIRONMENT,
  DAEMON_NODE_FLAGS,
  daemonEnvironmentAssignments,
} from '../../lib/cli/daemon-node-flags.js';
import { ONCE_NODE_FLAGS } from '../../lib/cli/once-node-flags.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFile(path.join(repoRoot, file), 'utf8');
const flags = DAEMON_NODE_FLAGS.join(' ');
const assignments = daemonEnvironmentAssignments();

/** The options node reports it was started with, given `nodeFlags` (an unknown flag makes node exit 9). */
async function nodeStartedWith(nodeFlags: readonly string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    ...nodeFlags,
    '-e',
    `console.log(process.execArgv.slice(0, ${nodeFlags.length}).join(" "))`,
  ]);
  return stdout.trim();
}

describe('the V8 flags and environment the daemon is started with', () => {
  it('are a non-empty list this Node accepts (an unknown flag makes node exit 9)', async () => {
    expect(DAEMON_NODE_FLAGS).to.have.length.above(0);
    expect(await nodeStartedWith(DAEMON_NODE_FLAGS)).to.equal(flags);
  });

  it('set MALLOC_ARENA_MAX to a number', () => {
    expect(DAEMON_ENVIRONMENT.MALLOC_ARENA_MAX).to.match(/^[1-9][0-9]*$/);
    expect(assignments).to.equal(`MALLOC_ARENA_MAX=${DAEMON_ENVIRONMENT.MALLOC_ARENA_MAX}`);
  });

  it('are in the shebang of bin/pingwarden.js, for npx and running it directly', async () => {
    const [shebang] = (await read('bin/pingwarden.js')).split('\n');
    expect(shebang).to.equal(`#!/usr/bin/env -S ${assignments} node ${flags}`);
  });

  it('reach the process when bin/pingwarden.js is run directly (env -S splits the shebang)', async () => {
    // A module preloaded through NODE_OPTIONS reports what node was started with; `--version` then exits.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-flags-'));
    try {
      const report = path.join(dir, 'report.mjs');
      await writeFile(
        report,
        'process.stderr.write(JSON.stringify({ argv: process.execArgv, arena: process.env.MALLOC_ARENA_MAX }));',
      );
      const { stdout, stderr } = await promisify(execFile)(
        path.join(repoRoot, 'bin/pingwarden.js'),
        ['--version'],
        {
          env: { ...process.env, MALLOC_ARENA_MAX: '', NODE_OPTIONS: `--import=${report}` },
        },
      );
      expect(stdout.trim()).to.match(/^\d+\.\d+\.\d+/);
      const started = JSON.parse(stderr) as { argv: string[]; arena: string };
      expect(started.argv).to.deep.equal([...DAEMON_NODE_FLAGS]);
      expect(started.arena).to.equal(DAEMON_ENVIRONMENT.MALLOC_ARENA_MAX);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('are what `npm start` passes', async () => {
    const pkg = JSON.parse(await read('package.json')) as { scripts: { start: string } };
    expect(pkg.scripts.start).to.equal(`${assignments} node ${flags} bin/pingwarden.js start`);
  });

  it('are what the systemd unit passes', async () => {
    const unit = (await read('scripts/systemd/pingwarden.service')).split('\n');
    const execStart = unit.find((line) => line.startsWith('ExecStart='));
    expect(execStart).to.match(new RegExp(`^ExecStart=/usr/bin/node ${flags} bin/pingwarden\\.js start `));
    for (const [name, value] of Object.entries(DAEMON_ENVIRONMENT))
      expect(unit).to.include(`Environment=${name}=${value}`);
  });
});

describe('the V8 flags cron runs of once are started with', () => {
  it('are a list this Node accepts', async () => {
    expect(ONCE_NODE_FLAGS).to.have.length.above(0);
    expect(await nodeStartedWith(ONCE_NODE_FLAGS)).to.equal(ONCE_NODE_FLAGS.join(' '));
  });

  it('are on every cron line of the README', async () => {
    // A crontab entry: five time fields, then the command.
    const cronLines = (await read('README.md'))
      .split('\n')
      .filter((line) => /^(?:[*0-9][*0-9/,-]* ){5}.*\bonce\b/.test(line));
    expect(cronLines).to.have.length.above(1);
    for (const line of cronLines)
      expect(line).to.include(`node ${ONCE_NODE_FLAGS.join(' ')} bin/pingwarden.js once`);
  });
});
