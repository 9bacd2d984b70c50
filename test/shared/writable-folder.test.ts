import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { ensureWritableLogs, LogsFolderError } from '../../lib/shared/writable-folder.js';

describe('shared/writable-folder: the logs folder is checked before anything opens it', () => {
  let root = '';
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-folder-'));
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('with create, makes logs/, history/ and outbox/ and leaves no test file behind', async () => {
    const logs = path.join(root, 'a', 'logs');
    await ensureWritableLogs(logs, { create: true });
    expect((await readdir(logs)).sort()).to.deep.equal(['history', 'outbox']);
    expect(await readdir(path.join(logs, 'history'))).to.deep.equal([]);
  });

  it('without create (check-config), creates nothing', async () => {
    const logs = path.join(root, 'logs');
    await ensureWritableLogs(logs, { create: false });
    expect(await readdir(root)).to.deep.equal([]);
  });

  it('a file in the way is a LogsFolderError naming it', async () => {
    const file = path.join(root, 'file');
    await writeFile(file, '');
    for (const logs of [file, path.join(file, 'logs')]) {
      const error = await ensureWritableLogs(logs, { create: true }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(LogsFolderError);
      expect((error as LogsFolderError).message).to.equal(
        `logs folder ${logs}: ${file} is a file, not a folder; pass --logs DIR naming a folder`,
      );
    }
    expect((await stat(file)).isFile()).to.equal(true);
  });
});
