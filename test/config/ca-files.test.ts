import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { loadConfig } from '../../lib/config/load-config.js';
import { ConfigErrors } from '../../lib/shared/errors.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('ca: files of https/tls rows', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'pingwarden-ca-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('are read once at load into the check', async () => {
    await writeFile(path.join(dir, 'ca.pem'), PEM);
    await writeFile(
      path.join(dir, 'hosts.csv'),
      'https://10.0.0.5/,NVR,HQ,ca:ca.pem\ntls://10.0.0.6:993,,,ca:ca.pem\n',
    );
    const config = await loadConfig(dir, { displayDir: 'config', env: {} });
    for (const target of config.targets) {
      expect(target.check).to.have.nested.property('tls.ca.pem', PEM);
    }
  });

  it('missing, empty of certificates, a folder: errors with file:line, every one listed', async () => {
    await writeFile(path.join(dir, 'junk.pem'), 'not a certificate');
    await mkdir(path.join(dir, 'folder.pem'));
    await writeFile(
      path.join(dir, 'hosts.csv'),
      [
        'https://10.0.0.5/,,,ca:missing.pem',
        'tls://10.0.0.6:993,,,ca:junk.pem',
        'https://10.0.0.7/,,,ca:folder.pem',
        'tcp://10.0.0.8:0',
      ].join('\n'),
    );
    const failure = await loadConfig(dir, { displayDir: 'config', env: {} }).catch((error: unknown) => error);
    expect(failure).to.be.instanceOf(ConfigErrors);
    expect((failure as ConfigErrors).problems.map((p) => p.message)).to.deep.equal([
      'config/hosts.csv:1: option "ca" file "missing.pem" not found',
      'config/hosts.csv:2: option "ca" file "junk.pem" holds no PEM certificate (-----BEGIN CERTIFICATE-----)',
      'config/hosts.csv:3: option "ca" file "folder.pem" is a directory, not a file',
      'config/hosts.csv:4: invalid URL "tcp://10.0.0.8:0": needs a port (tcp://HOST:PORT)',
    ]);
  });
});
