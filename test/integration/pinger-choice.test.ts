import { mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { findExecutable } from '../../lib/probe/icmp/require-ping.js';
import { runCli } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';

describe('integration: choosing ping or fping', function () {
  this.timeout(30_000);
  const made: TempSite[] = [];
  let pingOnly = '';

  before(async () => {
    // A PATH with the system ping but no fping, as on a machine without the fping package.
    pingOnly = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-path-'));
    for (const tool of ['ping', 'ping6']) {
      const found = await findExecutable(tool, process.env.PATH ?? '');
      if (found !== null) await symlink(found, path.join(pingOnly, tool));
    }
  });

  after(async () => {
    for (const site of made) await site.remove();
    await rm(pingOnly, { recursive: true, force: true });
  });

  async function once(settings: string, env: NodeJS.ProcessEnv = {}) {
    const site = await tempSite({
      'hosts.csv': '127.0.0.1,Loopback,Here\n127.0.0.2,Loopback 2,Here\n',
      'settings.csv': settings,
    });
    made.push(site);
    return runCli(['once', '--config', site.configDir, '--logs', site.logsDir], env);
  }

  it('refuses to start with pinger fping when fping is not installed, naming the package', async () => {
    const { code, stdout, stderr } = await once('pinger,fping\n', { PATH: pingOnly });
    expect(code).to.equal(2);
    expect(stderr.trim()).to.equal(
      'pingwarden: fping not found in PATH: install it with "apt-get install fping"',
    );
    expect(stdout).to.equal('');
  });

  const cases: [settings: string, fpingInstalled: boolean, line: string][] = [
    ['pinger,fping\n', true, 'pinger backend=fping hosts=2 setting=fping'],
    ['fping_threshold,1\n', true, 'pinger backend=fping hosts=2 setting=auto'],
    ['fping_threshold,2\n', true, 'pinger backend=ping hosts=2 setting=auto'],
    ['fping_threshold,1\n', false, 'pinger backend=ping hosts=2 setting=auto'],
    ['pinger,ping\nfping_threshold,0\n', true, 'pinger backend=ping hosts=2 setting=ping'],
  ];
  for (const [settings, fpingInstalled, line] of cases) {
    const label = `${settings.trim().replace(/\n/g, ' ')}${fpingInstalled ? '' : ' without fping'}`;
    it(`${label}: ${line}`, async () => {
      const { code, output } = await once(settings, fpingInstalled ? {} : { PATH: pingOnly });
      expect(code).to.equal(0);
      expect(output()).to.include(line);
      expect(output()).to.match(/cycle hosts=2 up=2 down=0/);
    });
  }
});
