import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { expect } from 'chai';

import { main } from '../../lib/cli/main.js';
import { tempSite, type TempSite } from '../support/config-dir.js';

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'pingwarden', ...args], {
    out: (text) => out.push(text),
    err: (text) => err.push(text),
  });
  return { code, out, err };
}

describe('pingwarden check-config', () => {
  let site: TempSite | undefined;
  afterEach(async () => site?.remove());

  it('lists the problems of hosts.csv, sensors.csv key files and orgs.csv in one run, in file order', async () => {
    site = await tempSite({
      'hosts.csv': '127.0.0.1,Loopback,Admin box\n-f,Bad,Here\n',
      'settings.csv': 'heartbeat_port,7777\n',
      'sensors.csv': 'cabin,./cabin.key,300,Cabin,Woods\n',
      'orgs.csv': 'prefix,org\n203.0.113.0/24,AS64500 Example\n203.0.113.0,AS1\n',
    });
    await writeFile(path.join(site.configDir, 'cabin.key'), 'short\n', { mode: 0o600 });
    const { code, out, err } = await run(['check-config', '--config', site.configDir]);
    const dir = site.configDir;
    expect(code).to.equal(2);
    expect(out).to.deep.equal([]);
    expect(err).to.deep.equal([
      `${path.join(dir, 'hosts.csv')}:2: invalid host "-f": must not start with "-"`,
      `${path.join(dir, 'sensors.csv')}:1: key file ./cabin.key: the key is shorter than 16 characters`,
      `${path.join(dir, 'orgs.csv')}:3: invalid prefix "203.0.113.0": write it as address/length, e.g. 203.0.113.0/24`,
      '3 problems found; nothing started',
    ]);
  });

  it('reads orgs.csv like every file: UTF-16 is a problem naming the fix', async () => {
    site = await tempSite({ 'hosts.csv': '127.0.0.1\n' });
    await writeFile(
      path.join(site.configDir, 'orgs.csv'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('prefix,org\n', 'utf16le')]),
    );
    const { code, err } = await run(['check-config', '--config', site.configDir]);
    expect(code).to.equal(2);
    expect(err[0]).to.equal(
      `${path.join(site.configDir, 'orgs.csv')}: is saved as UTF-16; save it as UTF-8 (in Excel: "CSV UTF-8")`,
    );
  });

  it('counts sensors apart from hosts', async () => {
    site = await tempSite({
      'hosts.csv': '127.0.0.1,Loopback,Admin box\n',
      'settings.csv': 'heartbeat_port,7777\n',
      'sensors.csv': 'cabin,3f9c0a7be1d24c55a8e0f7d1c2b3a495,300,Cabin,Woods\n',
    });
    const { code, out } = await run(['check-config', '--config', site.configDir, '--logs', site.logsDir]);
    expect(code).to.equal(0);
    expect(out).to.deep.equal([
      `${site.configDir}: OK, 1 host(s), 1 sensor(s), email off (no server_info.csv): alerts are logged only`,
    ]);
  });
});
