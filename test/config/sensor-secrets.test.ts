import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { loadConfig } from '../../lib/config/load-config.js';
import { ConfigErrors } from '../../lib/shared/errors.js';

const KEY = '0123456789abcdef0123456789abcdef';

describe('sensor key files (loadConfig)', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pw-sensors-'));
    await writeFile(path.join(dir, 'hosts.csv'), '127.0.0.1\n');
    await writeFile(path.join(dir, 'settings.csv'), 'heartbeat_port,7777\n');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  async function problemsOf(): Promise<string[]> {
    try {
      await loadConfig(dir, { displayDir: 'config', env: {} });
    } catch (error) {
      if (error instanceof ConfigErrors) return error.problems.map((p) => p.message);
      throw error;
    }
    return [];
  }

  it('reads a key file relative to the config folder, trimmed, and adds sensors to the hosts', async () => {
    await mkdir(path.join(dir, 'keys'));
    await writeFile(path.join(dir, 'keys/cabin.key'), `  ${KEY}\n`, { mode: 0o600 });
    await chmod(path.join(dir, 'keys/cabin.key'), 0o600);
    await writeFile(path.join(dir, 'sensors.csv'), 'cabin,./keys/cabin.key,180,Cabin,Lake\n');
    const config = await loadConfig(dir, { displayDir: 'config', env: {} });
    expect(config.sensors?.map((s) => [s.name, s.key])).to.deep.equal([['cabin', KEY]]);
    expect(
      config.targets.map((t) => [t.id, t.check.kind, t.label.description, t.label.location]),
    ).to.deep.equal([
      ['127.0.0.1', 'icmp', '', ''],
      ['sensor:cabin', 'heartbeat', 'Cabin', 'Lake'],
    ]);
    expect(config.targets[1]!.check).to.deep.equal({ kind: 'heartbeat', sensor: 'cabin', downSeconds: 180 });
    expect(config.warnings).to.deep.equal([]);
  });

  it('warns when a key file is readable by others', async () => {
    await writeFile(path.join(dir, 'cabin.key'), KEY);
    await chmod(path.join(dir, 'cabin.key'), 0o644);
    await writeFile(path.join(dir, 'sensors.csv'), 'cabin,./cabin.key,180\n');
    const config = await loadConfig(dir, { displayDir: 'config', env: {} });
    expect(config.warnings).to.deep.equal([
      // Relative to the config folder, so the command works from where pingwarden was started.
      'config/cabin.key: readable by other users; run "chmod 600 config/cabin.key"',
    ]);
  });

  it('reports missing, empty and short key files with the sensors.csv line', async () => {
    await writeFile(path.join(dir, 'empty.key'), '\n');
    await writeFile(path.join(dir, 'short.key'), 'abc\n');
    await writeFile(
      path.join(dir, 'sensors.csv'),
      'name,secret_file_or_key,down_seconds\na,./nope.key,60\nb,./empty.key,60\nc,./short.key,60\n',
    );
    expect(await problemsOf()).to.deep.equal([
      'config/sensors.csv:2: key file ./nope.key: not found',
      'config/sensors.csv:3: key file ./empty.key: is empty',
      'config/sensors.csv:4: key file ./short.key: the key is shorter than 16 characters',
    ]);
  });

  it('refuses a FIFO or a device as a key file instead of hanging on it', async () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe.key')]);
    await symlink('/dev/zero', path.join(dir, 'zero.key'));
    await writeFile(path.join(dir, 'sensors.csv'), 'a,./pipe.key,60\nb,./zero.key,60\n');
    expect(await problemsOf()).to.deep.equal([
      'config/sensors.csv:1: key file ./pipe.key: is not a regular file',
      'config/sensors.csv:2: key file ./zero.key: is not a regular file',
    ]);
  });

  it('refuses sensors while heartbeat_port is 0', async () => {
    await writeFile(path.join(dir, 'settings.csv'), 'heartbeat_port,0\n');
    await writeFile(path.join(dir, 'sensors.csv'), `cabin,${KEY},60\n`);
    expect(await problemsOf()).to.deep.equal([
      'config/sensors.csv: sensors are listed but heartbeat_port and http_port are 0 (off): set heartbeat_port (UDP) or http_port (HTTP push) in settings.csv',
    ]);
  });

  it('lets hosts.csv list no hosts when there are sensors', async () => {
    await writeFile(path.join(dir, 'hosts.csv'), '# heartbeats only\n');
    await writeFile(path.join(dir, 'sensors.csv'), `cabin,${KEY},60\n`);
    const config = await loadConfig(dir, { displayDir: 'config', env: {} });
    expect(config.targets.map((t) => t.id)).to.deep.equal(['sensor:cabin']);
    await writeFile(path.join(dir, 'sensors.csv'), '# none yet\n');
    expect(await problemsOf()).to.deep.equal([
      'config/hosts.csv: no hosts listed (add one per line: host,description,location)',
    ]);
  });

  it('has no sensors without sensors.csv', async () => {
    const config = await loadConfig(dir, { displayDir: 'config', env: {} });
    expect(config.sensors).to.deep.equal([]);
    expect(config.targets.map((t) => t.id)).to.deep.equal(['127.0.0.1']);
  });
});
