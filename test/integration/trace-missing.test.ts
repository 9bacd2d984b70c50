import { expect } from 'chai';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { runCli } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';

/**
 * Without traceroute in PATH, an outage is still judged and recorded: one WARN names the package, and the
 * run goes on. Loopback only: a closed TCP port on 127.0.0.1 is the outage, so a trace would go to 127.0.0.1.
 */
describe('integration: path snapshots without traceroute', function () {
  this.timeout(60_000);
  let site: TempSite | undefined;
  let bin = '';

  before(async () => {
    // A PATH with ping and nothing else.
    bin = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-no-traceroute-'));
    await symlink('/usr/bin/ping', path.join(bin, 'ping'));
    site = await tempSite({
      'hosts.csv': 'host,description,location\n127.0.0.1,Loopback,Lab\ntcp://127.0.0.1:1,Closed port,Lab\n',
      'settings.csv': 'key,value\nattempts,1\ntimeout_seconds,1\n',
    });
  });
  after(async () => {
    await site?.remove();
    await rm(bin, { recursive: true, force: true });
  });

  it('one WARN naming the package; the DOWN is recorded with its fault reason and no snapshot', async () => {
    const result = await runCli(['once', '--config', site!.configDir, '--logs', site!.logsDir], {
      PATH: bin,
    });
    expect(result.code).to.equal(1);
    const warnings = result
      .output()
      .split('\n')
      .filter((line) => line.includes('traceroute not found in PATH'));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include(
      'outages are recorded without a path snapshot; install it with "apt-get install traceroute"',
    );
    const dir = path.join(site!.logsDir, 'history');
    const [file] = (await readdir(dir)).filter((name) => name.endsWith('.jsonl'));
    const down = (await readFile(path.join(dir, file!), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((record) => record.kind === 'state' && record.state === 'DOWN');
    expect(down).to.include({
      cause_reason: 'fault layer unknown: no internet anchors (hosts with cycle:) to compare with',
    });
    expect(down).not.to.have.property('trace');
    expect(down).not.to.have.property('cause');
  });
});
