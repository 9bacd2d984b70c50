import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';

import { expect } from 'chai';

import { gzipOldLogs } from '../../lib/shared/log-archive.js';

describe('shared/log-archive: old daily log files are gzipped at start-up', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-logs-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('gzips every earlier day, leaves today, other files and existing archives alone', async () => {
    await writeFile(path.join(dir, 'pingwarden-2026-11-29.log'), 'day one\n');
    await writeFile(path.join(dir, 'pingwarden-2026-11-30.log'), 'day two\n');
    await writeFile(path.join(dir, 'pingwarden-2026-11-28.log.gz'), 'kept');
    await writeFile(path.join(dir, 'pingwarden-2026-12-01.log'), 'today\n');
    await writeFile(path.join(dir, 'notes.log'), 'mine\n');

    expect(await gzipOldLogs(dir, '2026-12-01')).to.deep.equal([]);

    expect((await readdir(dir)).sort()).to.deep.equal([
      'notes.log',
      'pingwarden-2026-11-28.log.gz',
      'pingwarden-2026-11-29.log.gz',
      'pingwarden-2026-11-30.log.gz',
      'pingwarden-2026-12-01.log',
    ]);
    const unzipped = gunzipSync(await readFile(path.join(dir, 'pingwarden-2026-11-30.log.gz'))).toString();
    expect(unzipped).to.equal('day two\n');
    expect(await readFile(path.join(dir, 'pingwarden-2026-11-28.log.gz'), 'utf8')).to.equal('kept');
  });

  it('reports a folder it cannot list instead of throwing', async () => {
    const problems = await gzipOldLogs(path.join(dir, 'missing'), '2026-12-01');
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^cannot list .*missing: ENOENT/);
  });
});
