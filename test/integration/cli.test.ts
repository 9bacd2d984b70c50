import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { expect } from 'chai';

import { runCli } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import { createLab, requireLab, type NetnsLab } from '../support/netns-lab.js';
import { SmtpTestServer } from '../support/smtp-test-server.js';

const stackTrace = /\n\s+at [^\n]+:\d+:\d+/;
const sites: TempSite[] = [];
async function site(files: Record<string, string>): Promise<TempSite> {
  const made = await tempSite(files);
  sites.push(made);
  return made;
}
const dirs = (s: TempSite) => ['--config', s.configDir, '--logs', s.logsDir];

describe('integration: pingwarden commands', function () {
  this.timeout(30_000);
  after(async () => {
    for (const made of sites) await made.remove();
  });

  describe('check-config and start on a bad config', () => {
    const badFiles = {
      'hosts.csv':
        'host,description,location\n127.0.0.1,Loopback,Here\n-f,Hostile,Here\n"a\nb",Newline,Here\n',
      'settings.csv': 'interval_seconds,0\ncolour,blue\n',
    };

    it('check-config prints every problem as file:line and exits 2, without a stack trace', async () => {
      const bad = await site(badFiles);
      const { code, stdout, stderr } = await runCli(['check-config', ...dirs(bad)]);
      expect(code).to.equal(2);
      const lines = stderr.trim().split('\n');
      const file = (name: string) => path.join(bad.configDir, name);
      expect(lines[0]).to.equal(`${file('hosts.csv')}:3: invalid host "-f": must not start with "-"`);
      expect(lines[1]).to.match(new RegExp(`^${file('hosts.csv')}:4: `));
      expect(lines[2]).to.match(new RegExp(`^${file('settings.csv')}:1: interval_seconds`));
      expect(lines[3]).to.match(new RegExp(`^${file('settings.csv')}:2: unknown setting "colour"`));
      expect(lines.at(-1)).to.equal('4 problems found; nothing started');
      expect(stdout).to.equal('');
      expect(stderr).not.to.match(stackTrace);
    });

    it('start refuses to run on the same config with the same messages', async () => {
      const bad = await site(badFiles);
      const check = await runCli(['check-config', ...dirs(bad)]);
      const start = await runCli(['start', ...dirs(bad)]);
      expect(start.code).to.equal(2);
      expect(start.stderr).to.equal(check.stderr);
    });

    it('check-config accepts the shipped example config', async () => {
      const { code, stdout } = await runCli(['check-config', '--config', 'config']);
      expect(code).to.equal(0);
      expect(stdout.trim()).to.equal(
        'config: OK, 2 host(s), email off (no server_info.csv): alerts are logged only',
      );
    });

    it('names the package to install when ping is missing', async () => {
      const good = await site({ 'hosts.csv': '127.0.0.1,Loopback,Here\n' });
      const { code, stderr } = await runCli(['once', ...dirs(good)], { PATH: '/nonexistent' });
      expect(code).to.equal(2);
      expect(stderr.trim()).to.equal(
        'pingwarden: ping not found in PATH: install it with "apt-get install iputils-ping"',
      );
    });

    it('prints the version of package.json with --version and exits 0', async () => {
      const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
      for (const flag of ['--version', '-V']) {
        const { code, stdout } = await runCli([flag]);
        expect(code, flag).to.equal(0);
        expect(stdout.trim(), flag).to.equal(version);
      }
    });

    it('rejects an unknown command with help and exit 2', async () => {
      const { code, stderr } = await runCli(['frobnicate']);
      expect(code).to.equal(2);
      expect(stderr).to.include("unknown command 'frobnicate'");
      expect(stderr).not.to.match(stackTrace);
    });
  });

  describe('once (cron mode)', () => {
    it('keeps the parse of hosts.csv in logs/hosts-cache.v8, and the next run sees an edit of the file', async () => {
      const cron = await site({
        'hosts.csv': '127.0.0.1,Loopback,Here\n',
        'settings.csv': 'attempts,1\ntimeout_seconds,1\n',
      });
      const first = await runCli(['once', ...dirs(cron)]);
      expect(first.code, first.output()).to.equal(0);
      expect(first.stdout).to.include('cycle hosts=1 up=1 ');
      const cached = await readFile(path.join(cron.logsDir, 'hosts-cache.v8'));
      expect(cached.includes('Loopback')).to.equal(true);

      await cron.write('hosts.csv', '127.0.0.1,Loopback,Here\n127.0.0.2,Second loopback,There\n');
      const edited = await runCli(['once', ...dirs(cron)]);
      expect(edited.code, edited.output()).to.equal(0);
      expect(edited.stdout).to.include('cycle hosts=2 up=2 ');
      expect(
        (await readFile(path.join(cron.logsDir, 'hosts-cache.v8'))).includes('Second loopback'),
      ).to.equal(true);
    });

    let lab: NetnsLab | undefined;
    before(async function () {
      await requireLab(this);
      lab = await createLab();
    });
    after(async () => lab?.destroy());

    it('exits 0 when all are up, 1 while one is down, and keeps state between runs in the history for one DOWN and one RESTORED', async () => {
      const target = lab!.host(3);
      await lab!.addHost(target);
      const cron = await site({
        'hosts.csv': `127.0.0.1,Loopback,Here\n${target},Switch,Closet\n`,
        'settings.csv': 'attempts,1\ntimeout_seconds,1\n',
      });
      const once = () => runCli(['once', ...dirs(cron)]);

      expect((await once()).code).to.equal(0);
      await lab!.removeHost(target);
      const firstDown = await once();
      const secondDown = await once();
      await lab!.addHost(target);
      const restored = await once();

      expect([firstDown.code, secondDown.code, restored.code]).to.deep.equal([1, 1, 0]);
      const alerts = (text: string) => text.split('\n').filter((line) => line.includes(' alert kind='));
      expect(alerts(firstDown.output())).to.have.length(1);
      expect(alerts(firstDown.output())[0]).to.include(`alert kind=DOWN host=${target}`);
      expect(alerts(secondDown.output()), 'no second DOWN from a later cron run').to.deep.equal([]);
      expect(alerts(restored.output())).to.have.length(1);
      expect(alerts(restored.output())[0]).to.include(`alert kind=RESTORED host=${target}`);
      // The history carried the outage from run to run; the report shows it, closed.
      const report = await runCli(['report', '--format', 'json', '--host', target, ...dirs(cron)]);
      expect(report.code).to.equal(0);
      const [host] = (JSON.parse(report.stdout) as { hosts: { outages: { end: string | null }[] }[] }).hosts;
      expect(host!.outages).to.have.length(1);
      expect(host!.outages[0]!.end).to.be.a('string');
    });
  });

  describe('test-email', () => {
    it('sends one test message to every recipient through a real SMTP server', async () => {
      const user = 'alerts@example.test';
      const password = 'pa55-word';
      const smtp = await SmtpTestServer.start({ user, password });
      try {
        const mail = await site({
          'hosts.csv': '127.0.0.1\n',
          'settings.csv': 'smtp_allow_self_signed,yes\n',
          ...smtpFiles(smtp.port, user, password, ['a@example.test', 'b@example.test']),
        });
        const { code, stdout } = await runCli(['test-email', ...dirs(mail)]);
        expect(code).to.equal(0);
        expect(stdout).to.match(
          /^test email sent to a@example\.test, b@example\.test \(message id <.+>\)\n$/,
        );
        const [message] = await smtp.waitForMessages(1);
        expect(message!.envelope.to).to.deep.equal(['a@example.test', 'b@example.test']);
        expect(message!.parsed.subject).to.match(/^\[pingwarden\] /);
      } finally {
        await smtp.stop();
      }
    });

    it('says how to configure email when server_info.csv is missing', async () => {
      const plain = await site({ 'hosts.csv': '127.0.0.1\n' });
      const { code, stderr } = await runCli(['test-email', ...dirs(plain)]);
      expect(code).to.equal(2);
      expect(stderr.trim()).to.equal(
        `pingwarden: email is not configured: create ${plain.configDir}/server_info.csv (server_address,port)`,
      );
    });
  });

  describe('the installed entry point', () => {
    it('runs the compiled CLI through bin/pingwarden.js', async () => {
      const logs = await mkdtemp(path.join(os.tmpdir(), 'pingwarden-bin-'));
      try {
        const { stdout } = await promisify(execFile)(process.execPath, [
          'bin/pingwarden.js',
          'check-config',
          '--config',
          'config',
          '--logs',
          logs,
        ]);
        expect(stdout).to.include('config: OK, 2 host(s)');
      } finally {
        await rm(logs, { recursive: true, force: true });
      }
    });
  });
});
