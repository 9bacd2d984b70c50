import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { expect } from 'chai';

import { CliProcess } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import { createLab, requireLab, type NetnsLab } from '../support/netns-lab.js';
import { SmtpTestServer } from '../support/smtp-test-server.js';
import { waitFor } from '../support/wait-for.js';

const user = 'alerts@example.test';
const password = 'correct horse battery staple';
const recipients = ['ops@example.test', 'boss@example.test'];
const fastSettings = [
  'key,value',
  'interval_seconds,2',
  'attempts,1',
  'timeout_seconds,1',
  'realert_seconds,4',
  'smtp_allow_self_signed,yes',
].join('\n');

describe('integration: the daemon end to end', function () {
  this.timeout(60_000);

  describe('in the network lab, with a real SMTP server', () => {
    let lab: NetnsLab | undefined;
    let smtp: SmtpTestServer | undefined;
    let site: TempSite | undefined;
    let daemon: CliProcess | undefined;
    let target = '';

    before(async function () {
      await requireLab(this);
      lab = await createLab();
      target = lab.host(7);
      await lab.addHost(target);
    });
    after(async () => {
      await daemon?.stop('SIGKILL');
      await smtp?.stop();
      await lab?.destroy();
      await site?.remove();
    });

    it('sends exactly one DOWN, reminders at the cadence and one RESTORED with the duration, then stops on SIGTERM', async () => {
      smtp = await SmtpTestServer.start({ user, password });
      site = await tempSite({
        'hosts.csv': `host,description,location\n127.0.0.1,Loopback,Admin box\n${target},Cisco Router,Bldg 6 MDF 101\n`,
        'settings.csv': fastSettings,
        ...smtpFiles(smtp.port, user, password, recipients),
      });
      daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
      await daemon.waitForOutput(/cycle hosts=2 up=2 down=0/);

      await lab!.removeHost(target);
      const [down] = await smtp.waitForMessages(1, 15_000);
      expect(down!.parsed.subject).to.equal(`[pingwarden] DOWN Cisco Router (${target}) — Bldg 6 MDF 101`);
      expect(down!.parsed.to).to.have.property('text', recipients.join(', '));
      expect(down!.startTls, 'STARTTLS with the self-signed certificate').to.equal(true);
      expect(down!.authUser).to.equal(user);
      expect(down!.parsed.text).to.match(/Down since \(UTC\): +\d{4}-\d\d-\d\dT/);

      const [, reminder] = await smtp.waitForMessages(2, 15_000);
      expect(reminder!.parsed.subject).to.match(
        new RegExp(
          `^\\[pingwarden\\] REMINDER Cisco Router \\(${target.replace(/\./g, '\\.')}\\) — Bldg 6 MDF 101 down for \\d+s$`,
        ),
      );
      const sinceDown = reminder!.receivedAt - down!.receivedAt;
      expect(sinceDown, 'reminder cadence').to.be.within(3_000, 9_000);

      await lab!.addHost(target);
      await waitFor(
        () => smtp!.messages.some((m) => m.parsed.subject?.includes('RESTORED')),
        'the RESTORED email',
        15_000,
      );
      const subjects = smtp.messages.map((m) => m.parsed.subject?.split(' ')[1]);
      expect(subjects.filter((s) => s === 'DOWN')).to.have.length(1);
      expect(subjects.at(-1)).to.equal('RESTORED');
      const restored = smtp.messages.at(-1)!;
      const seconds = Number(/after (\d+)s$/.exec(restored.parsed.subject ?? '')?.[1]);
      const outageSeconds = (restored.receivedAt - down!.receivedAt) / 1000;
      expect(seconds, 'RESTORED duration').to.be.within(outageSeconds - 2, outageSeconds + 3);

      expect(await daemon.stop('SIGTERM')).to.equal(0);
      expect(daemon.output).to.include('pingwarden stopped');
      const logFiles = await readdir(site.logsDir);
      const logFile = logFiles.find((f) => /^pingwarden-\d{4}-\d\d-\d\d\.log$/.test(f));
      expect(logFile, `a daily log file in ${logFiles.join(', ')}`).to.be.a('string');
      const log = await readFile(path.join(site.logsDir, logFile!), 'utf8');
      expect(log).to.match(new RegExp(`INFO state host=${target.replace(/\./g, '\\.')} from=UP to=DOWN`));
      expect(log).to.match(/INFO cycle hosts=2 up=1 down=1/);
      expect(log, 'the SMTP password never reaches the log').not.to.include(password);
    });
  });

  describe('config edits while running', () => {
    let site: TempSite | undefined;
    let daemon: CliProcess | undefined;
    after(async () => {
      await daemon?.stop('SIGKILL');
      await site?.remove();
    });

    it('picks up a changed hosts.csv, keeps the last good config on a broken edit, and reloads on SIGHUP', async () => {
      site = await tempSite({
        'hosts.csv': '127.0.0.1,Loopback,Here\n',
        'settings.csv': 'interval_seconds,1\nattempts,1\ntimeout_seconds,1\n',
      });
      daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
      await daemon.waitForOutput(/cycle hosts=1 up=1/);
      expect(daemon.output).to.include('email is not configured: alerts are logged only');

      await site.write('hosts.csv', '127.0.0.1,Loopback,Here\nlocalhost,Loopback by name,Here\n');
      await daemon.waitForOutput(/config reloaded hosts=2/);
      await daemon.waitForOutput(/cycle hosts=2 up=2/);

      await site.write('hosts.csv', '127.0.0.1,Loopback,Here\n-f,Hostile,Here\n');
      await daemon.waitForOutput(/config reload failed; keeping the last good config problems=1/);
      // The problem is its own line, written right after: it may arrive in the next chunk of output.
      await daemon.waitForOutput(/hosts\.csv:2: invalid host "-f"/);
      const cyclesBefore = (daemon.output.match(/cycle hosts=2 up=2/g) ?? []).length;
      await waitFor(
        () => (daemon!.output.match(/cycle hosts=2 up=2/g) ?? []).length > cyclesBefore,
        'a cycle on the last good config',
      );

      await site.write('hosts.csv', '127.0.0.1,Loopback,Here\n');
      daemon.child.kill('SIGHUP');
      await daemon.waitForOutput(/reload requested signal=SIGHUP/);
      await daemon.waitForOutput(/config reloaded hosts=1/);
      // The removal is logged by the cycle that follows the reload.
      await daemon.waitForOutput(/host removed host=localhost/);
      expect(await daemon.stop('SIGINT')).to.equal(0);
      expect(daemon.stderr).not.to.match(/\n\s+at /);
    });
  });
});
