import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { DAEMON_NODE_FLAGS } from '../../lib/cli/daemon-node-flags.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFile(path.join(repoRoot, file), 'utf8');
const flags = DAEMON_NODE_FLAGS.join(' ');

describe('the V8 flags the daemon is started with', () => {
  it('are a non-empty list this Node accepts (an unknown flag makes node exit 9)', async () => {
    expect(DAEMON_NODE_FLAGS).to.have.length.above(0);
    const { stdout } = await promisify(execFile)(process.execPath, [
      ...DAEMON_NODE_FLAGS,
      '-e',
      `console.log(process.execArgv.slice(0, ${DAEMON_NODE_FLAGS.length}).join(" "))`,
    ]);
    expect(stdout.trim()).to.equal(flags);
  });

  it('are in the shebang of bin/pingwarden.js, for npx and running it directly', async () => {
    const [shebang] = (await read('bin/pingwarden.js')).split('\n');
    expect(shebang).to.equal(`#!/usr/bin/env -S node ${flags}`);
  });

  it('are what `npm start` passes', async () => {
    const pkg = JSON.parse(await read('package.json')) as { scripts: { start: string } };
    expect(pkg.scripts.start).to.equal(`node ${flags} bin/pingwarden.js start`);
  });

  it('are what the systemd unit passes', async () => {
    const unit = await read('scripts/systemd/pingwarden.service');
    const execStart = unit.split('\n').find((line) => line.startsWith('ExecStart='));
    expect(execStart).to.match(new RegExp(`^ExecStart=/usr/bin/node ${flags} bin/pingwarden\\.js start `));
  });
});
