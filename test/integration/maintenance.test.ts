import type { Server } from 'node:net';

import { expect } from 'chai';

import { CliProcess, runCli } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import { SmtpTestServer, type ReceivedMessage } from '../support/smtp-test-server.js';
import { closeServer, tcpService } from '../support/tcp-service.js';
import { waitFor } from '../support/wait-for.js';

const user = 'alerts@example.test';
const password = 'correct horse battery staple';

/** `2026-12-05T22:00` in UTC: the form maintenance.csv takes, read with maintenance_time_zone UTC. */
const wall = (ms: number) => new Date(ms).toISOString().slice(0, 16);

describe('integration: snooze, maintenance window and ack through the daemon (real SMTP)', function () {
  this.timeout(120_000);
  let site: TempSite | undefined;
  let smtp: SmtpTestServer | undefined;
  let daemon: CliProcess | undefined;
  const servers: Server[] = [];
  after(async () => {
    await daemon?.stop('SIGKILL');
    await smtp?.stop();
    for (const server of servers) if (server.listening) await closeServer(server);
    await site?.remove();
  });

  it('holds DOWN while snoozed or in a window and sends it after with the true start; ack stops only reminders', async () => {
    smtp = await SmtpTestServer.start({ user, password });
    const snoozed = await tcpService();
    const windowed = await tcpService();
    servers.push(snoozed.server, windowed.server);
    const snoozedId = `tcp://127.0.0.1:${snoozed.port}`;
    const windowedId = `tcp://127.0.0.1:${windowed.port}`;
    const now = Date.now();
    const maintenance = `target,start,end,note\n${windowedId},${wall(now - 120_000)},${wall(now + 3_600_000)},switch swap\n`;
    site = await tempSite({
      'hosts.csv': `${snoozedId},Mail server,Rack 1\n${windowedId},Web server,Rack 2\n`,
      'maintenance.csv': maintenance,
      'settings.csv':
        'interval_seconds,1\nattempts,1\ntimeout_seconds,1\nrealert_seconds,3\n' +
        'smtp_allow_self_signed,yes\nmaintenance_time_zone,UTC\n',
      ...smtpFiles(smtp.port, user, password, ['ops@example.test']),
    });
    const paths = ['--config', site.configDir, '--logs', site.logsDir];
    const checked = await runCli(['check-config', ...paths]);
    expect(checked.code, checked.output()).to.equal(0);

    const snooze = await runCli(['snooze', snoozedId, '1h', '--note', 'ISP works on the line', ...paths]);
    expect(snooze.code, snooze.output()).to.equal(0);
    expect(snooze.output()).to.match(
      new RegExp(`^snoozed ${snoozedId} \\(1 target\\) for 1h 0m, until `, 'm'),
    );
    const listed = await runCli(['snoozes', ...paths]);
    expect(listed.output()).to.match(
      new RegExp(`^${snoozedId}  until .* \\(59m \\d+s left\\)  ISP works on the line$`, 'm'),
    );

    expect(listed.output()).to.match(
      new RegExp(
        `^${windowedId}  maintenance window \\(maintenance.csv:2\\) until .* left\\)  switch swap$`,
        'm',
      ),
    );
    daemon = new CliProcess(['start', ...paths]);
    await daemon.waitForOutput(/snoozed: no alerts/, 30_000);
    await daemon.waitForOutput(/maintenance window: no alerts/, 30_000);

    const texts = (m: ReceivedMessage) => `${m.parsed.subject ?? ''}\n${m.parsed.text ?? ''}`;
    const mails = (host: string, kind: string) =>
      smtp!.messages.filter((m) => texts(m).includes(host) && texts(m).includes(kind));
    const cycles = () => daemon!.output.match(/cycle.*hosts=2/g)?.length ?? 0;
    const waitCycles = async (n: number) => {
      const target = cycles() + n;
      await waitFor(() => cycles() >= target, `${n} more cycles`, 30_000, 20);
    };

    const downAt = Date.now();
    await closeServer(snoozed.server);
    await closeServer(windowed.server);
    // Well past realert_seconds: neither DOWN nor REMINDER while silenced.
    await waitCycles(5);
    expect(
      smtp.messages.map((m) => m.parsed.subject),
      'no mail while snoozed / in the window',
    ).to.deep.equal([]);
    expect(daemon.output).to.match(/MAINTENANCE/);

    const unsnooze = await runCli(['unsnooze', snoozedId, ...paths]);
    expect(unsnooze.code, unsnooze.output()).to.equal(0);
    const unsnoozedAt = Date.now();
    await waitFor(() => mails(snoozedId, 'DOWN').length > 0, 'the DOWN after unsnooze', 30_000, 20);
    const [down] = mails(snoozedId, 'DOWN');
    const since = /Down since \(UTC\):\s*(\S+)/.exec(down!.parsed.text ?? '')?.[1];
    // Dated from when it stopped answering (inside the snooze), not from the unsnooze.
    expect(Date.parse(since ?? '')).to.be.within(downAt - 1000, unsnoozedAt - 2000);
    expect(down!.parsed.text).to.include('this DOWN was held until the snooze ended');
    expect(mails(windowedId, 'DOWN'), 'the window host is still silent').to.deep.equal([]);

    // Reminders flow until the ack, then stop; RESTORED still goes out.
    await waitFor(() => mails(snoozedId, 'REMINDER').length > 0, 'a REMINDER', 30_000, 20);
    const ack = await runCli(['ack', snoozedId, '--note', 'ticket 4711', ...paths]);
    expect(ack.code, ack.output()).to.equal(0);
    expect(ack.output()).to.include(`acknowledged ${snoozedId} (down since `);
    await daemon.waitForOutput(/outage acknowledged; no more reminders/, 30_000);
    const reminders = mails(snoozedId, 'REMINDER').length;
    await waitCycles(6);
    expect(mails(snoozedId, 'REMINDER').length, 'no REMINDER after the ack').to.equal(reminders);
    const back = await tcpService(snoozed.port);
    servers.push(back.server);
    await waitFor(() => mails(snoozedId, 'RESTORED').length > 0, 'the RESTORED after the ack', 30_000, 20);
    const subjects = smtp.messages.map((m) => m.parsed.subject ?? '');
    expect(
      subjects.filter((s) => s.includes('DOWN') && s.includes(snoozedId)),
      subjects.join('\n'),
    ).to.have.length(1);

    // The window ends (the row is removed; the daemon reloads): DOWN now, dated from the real start.
    const endedAt = Date.now();
    await site.write('maintenance.csv', 'target,start,end,note\n');
    await waitFor(() => mails(windowedId, 'DOWN').length > 0, 'the DOWN after the window', 30_000, 20);
    const windowSince = /Down since \(UTC\):\s*(\S+)/.exec(
      mails(windowedId, 'DOWN')[0]!.parsed.text ?? '',
    )?.[1];
    expect(Date.parse(windowSince ?? '')).to.be.within(downAt - 1000, endedAt - 2000);

    expect(await daemon.stop('SIGTERM')).to.equal(0);
    const report = await runCli(['report', '--format', 'json', ...paths]);
    const json = JSON.parse(report.stdout) as {
      hosts: { host: string; maintenance_seconds: number; outages: { ack: { note: string } | null }[] }[];
    };
    const mail = json.hosts.find((host) => host.host === snoozedId);
    expect(mail?.outages.map((outage) => outage.ack?.note ?? null)).to.deep.equal(['ticket 4711']);
    expect(mail?.maintenance_seconds).to.be.greaterThan(0);
    expect(json.hosts.find((host) => host.host === windowedId)?.maintenance_seconds).to.be.greaterThan(0);
  });

  it('pingwarden once (cron) honours a snooze across runs and dates the DOWN after it from the first failed run', async () => {
    const mailer = await SmtpTestServer.start({ user, password });
    const svc = await tcpService();
    const id = `tcp://127.0.0.1:${svc.port}`;
    const cron = await tempSite({
      'hosts.csv': `${id},Mail server,Rack 1\n`,
      'settings.csv': 'interval_seconds,60\nattempts,1\ntimeout_seconds,1\nsmtp_allow_self_signed,yes\n',
      ...smtpFiles(mailer.port, user, password, ['ops@example.test']),
    });
    try {
      const paths = ['--config', cron.configDir, '--logs', cron.logsDir];
      expect((await runCli(['once', ...paths])).code).to.equal(0);
      expect((await runCli(['snooze', id, '2h', ...paths])).code).to.equal(0);
      await closeServer(svc.server);
      const firstFailure = Date.now();
      for (let run = 0; run < 2; run++) {
        const snoozedRun = await runCli(['once', ...paths]);
        // MAINTENANCE counts as up for cron: exit 0, nothing sent.
        expect(snoozedRun.code, snoozedRun.output()).to.equal(0);
      }
      expect(mailer.messages).to.deep.equal([]);
      expect((await runCli(['unsnooze', id, ...paths])).code).to.equal(0);
      const lastRun = Date.now();
      const after = await runCli(['once', ...paths]);
      expect(after.code, after.output()).to.equal(1);
      await waitFor(() => mailer.messages.length > 0, 'the DOWN email', 30_000, 20);
      expect(mailer.messages.map((m) => m.parsed.subject ?? '')).to.satisfy(
        (subjects: string[]) =>
          subjects.length === 1 && subjects[0]!.includes('DOWN') && subjects[0]!.includes(id),
      );
      const since = /Down since \(UTC\):\s*(\S+)/.exec(mailer.messages[0]!.parsed.text ?? '')?.[1];
      // From the first snoozed run that failed, not from the run after the unsnooze.
      expect(Date.parse(since ?? '')).to.be.within(firstFailure - 1000, lastRun - 1);
    } finally {
      await mailer.stop();
      await cron.remove();
    }
  });

  it('check-config names the file and line of a bad maintenance row; snooze refuses an unknown host', async () => {
    const bad = await tempSite({
      'hosts.csv': '127.0.0.1,Loopback,Here\n',
      'maintenance.csv': '127.0.0.1,2026-12-06T02:00,2026-12-05T22:00,backwards\n10.9.9.9,daily 02:00,30m\n',
    });
    try {
      const paths = ['--config', bad.configDir, '--logs', bad.logsDir];
      const checked = await runCli(['check-config', ...paths]);
      expect(checked.code).to.equal(2);
      expect(checked.output()).to.include(
        `${bad.configDir}/maintenance.csv:1: end 2026-12-05T22:00 is not after start 2026-12-06T02:00`,
      );
      expect(checked.output()).to.include(
        `${bad.configDir}/maintenance.csv:2: unknown host "10.9.9.9": it is not in hosts.csv or sensors.csv`,
      );
      expect(checked.output()).not.to.match(/\n\s+at /);
      await bad.write('maintenance.csv', '');
      const snooze = await runCli(['snooze', '10.9.9.9', '1h', ...paths]);
      expect(snooze.code).to.equal(2);
      expect(snooze.output()).to.include('unknown host "10.9.9.9": it is not in hosts.csv or sensors.csv');
      const duration = await runCli(['snooze', '127.0.0.1', 'soon', ...paths]);
      expect(duration.code).to.equal(2);
      expect(duration.output()).to.include('invalid duration "soon"');
      const ack = await runCli(['ack', '127.0.0.1', ...paths]);
      expect(ack.code).to.equal(2);
      expect(ack.output()).to.include(
        '127.0.0.1 is not down (nothing recorded yet): there is no outage to acknowledge',
      );
    } finally {
      await bad.remove();
    }
  });
});
