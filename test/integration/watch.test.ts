import { readdir, readFile, rm } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { expect } from 'chai';

import { CliProcess, runCli } from '../support/cli-process.js';
import { HttpTestServer } from '../support/http-test-server.js';
import { createLab, requireLab, type NetnsLab } from '../support/netns-lab.js';
import { waitFor } from '../support/wait-for.js';

describe('integration: pingwarden watch', function () {
  this.timeout(60_000);

  it('refuses a bad host with the hosts.csv message, exit 2, no stack trace', async () => {
    const result = await runCli(['watch', '127.0.0.1', '--interval', '1', '--', '-f']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('command line:2: invalid host "-f": must not start with "-"');
    expect(result.stderr).to.include('1 problem found; nothing started');
    expect(result.stderr).not.to.match(/\n\s+at /);
  });

  it('without --save the start line names no logs folder: nothing is written', async () => {
    const watch = new CliProcess(['watch', '127.0.0.1', '--interval', '1']);
    try {
      await watch.waitForOutput(/pingwarden started/);
      expect(watch.output).to.match(
        /pingwarden started pid=\d+ hosts=1 interval_s=1 config="\(command line\)" logs=\(none\)/,
      );
    } finally {
      await watch.stop('SIGTERM');
    }
  });

  describe('in the network lab, with a local Discord', () => {
    let lab: NetnsLab | undefined;
    let discord: HttpTestServer | undefined;
    let watch: CliProcess | undefined;
    let saveDir = '';

    before(async function () {
      await requireLab(this);
      lab = await createLab();
    });
    after(async () => {
      await watch?.stop('SIGKILL');
      await discord?.stop();
      await lab?.destroy();
      if (saveDir) await rm(saveDir, { recursive: true, force: true });
    });

    it('monitors hosts from argv, posts DOWN and UP to Discord, and keeps logs and state in --save DIR', async () => {
      const target = lab!.host(20);
      await lab!.addHost(target);
      discord = await HttpTestServer.start();
      saveDir = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-watch-'));
      const save = path.join(saveDir, 'cloudflare');
      watch = new CliProcess([
        'watch',
        target,
        '127.0.0.1',
        '--interval',
        '1',
        '--discord-webhook',
        discord.url('/api/webhooks/1/token'),
        '--save',
        save,
      ]);
      await watch.waitForOutput(/cycle hosts=2 up=2 down=0/);
      await lab!.removeHost(target);
      await waitFor(() => discord!.requests.length === 1, 'the DOWN post', 20_000);
      await lab!.addHost(target);
      await waitFor(() => discord!.requests.length === 2, 'the UP post', 20_000);
      const titles = discord.requests.map(
        (r) => (JSON.parse(r.body) as { embeds: { title: string }[] }).embeds[0]!.title,
      );
      expect(titles).to.deep.equal([`${target} is DOWN`, `${target} is UP`]);
      expect(await watch.stop('SIGTERM')).to.equal(0);

      const files = await readdir(save);
      expect(files).to.include('history');
      const report = await runCli(['report', '--format', 'json', '--logs', save, '--config', save]);
      expect(report.code, report.stderr).to.equal(0);
      const hosts = (JSON.parse(report.stdout) as { hosts: { host: string; outages: unknown[] }[] }).hosts;
      expect(hosts.find((h) => h.host === target)?.outages, 'the outage in the report').to.have.length(1);
      const logFile = files.find((f) => /^pingwarden-\d{4}-\d\d-\d\d\.log$/.test(f));
      expect(logFile, `a log file in ${files.join(', ')}`).to.be.a('string');
      const log = await readFile(path.join(save, logFile!), 'utf8');
      expect(log).to.match(new RegExp(`state host=${target.replace(/\./g, '\\.')} from=UP to=DOWN`));
      expect(log).to.match(/outbox sent notifier=discord/);
      expect(await readdir(path.join(save, 'outbox', 'discord'))).to.deep.equal([]);
    });
  });
});
