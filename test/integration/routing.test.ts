import type { Server } from 'node:net';

import { expect } from 'chai';

import { CliProcess, runCli } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import { SmtpTestServer, type ReceivedMessage } from '../support/smtp-test-server.js';
import { closeServer, tcpService } from '../support/tcp-service.js';
import { waitFor } from '../support/wait-for.js';

const user = 'alerts@example.test';
const password = 'correct horse battery staple';

describe('integration: routes.csv, sms: recipients and escalation through the daemon (real SMTP)', function () {
  this.timeout(180_000);
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

  it('sends building-7 alerts to its own recipient only, the short form to sms:, the rest to the default list; escalates once, across a restart', async () => {
    smtp = await SmtpTestServer.start({ user, password });
    const b7switch = await tcpService();
    const b7ap = await tcpService();
    const hq = await tcpService();
    servers.push(b7switch.server, b7ap.server, hq.server);
    site = await tempSite({
      'hosts.csv': `${b7switch.id},B7 switch,Building 7\n${b7ap.id},B7 access point,Building 7\n${hq.id},HQ mail,HQ\n`,
      'routes.csv':
        'match,destinations\nlocation:Building 7,b7-admin@example.test sms:5551234@txt.example.test\n',
      'settings.csv':
        'interval_seconds,1\nattempts,1\ntimeout_seconds,1\nrealert_seconds,0\nsmtp_allow_self_signed,yes\n' +
        'escalate_after_seconds,4\nescalate_to,boss@example.test\n',
      ...smtpFiles(smtp.port, user, password, ['ops@example.test']),
    });
    const paths = ['--config', site.configDir, '--logs', site.logsDir];
    const checked = await runCli(['check-config', ...paths]);
    expect(checked.code, checked.output()).to.equal(0);
    expect(checked.stdout).to.include('1 route(s) in routes.csv, escalation after 4s to 1 destination(s)');

    daemon = new CliProcess(['start', ...paths]);
    await daemon.waitForOutput(/cycle.*hosts=3/, 30_000);
    await Promise.all([closeServer(b7switch.server), closeServer(b7ap.server), closeServer(hq.server)]);

    const to = (address: string) => smtp!.messages.filter((m) => m.envelope.to.includes(address));
    const texts = (m: ReceivedMessage) => `${m.parsed.subject ?? ''}\n${m.parsed.text ?? ''}`;
    // Escalations of one cycle share a digest: each says its own intro line.
    const escalationCount = () =>
      to('boss@example.test').reduce(
        (sum, m) => sum + ((m.parsed.text ?? '').match(/nobody has acknowledged it/g)?.length ?? 0),
        0,
      );
    const hosts = (messages: ReceivedMessage[]) =>
      [b7switch.id, b7ap.id, hq.id].filter((id) => messages.some((m) => texts(m).includes(id)));

    await waitFor(
      () => hosts(to('b7-admin@example.test')).length === 2 && hosts(to('ops@example.test')).length === 1,
      'the DOWN emails of both lists',
      30_000,
      20,
    );
    await waitFor(
      () => to('boss@example.test').filter((m) => texts(m).includes('ESCALATION')).length >= 1,
      'the ESCALATION',
      30_000,
      20,
    );
    // Every host's escalation has gone out once all three are older than 4 s (same cycle or the next).
    await waitFor(() => hosts(to('boss@example.test')).length === 3, 'all three escalations', 30_000, 20);

    // The building-7 admin hears of building 7 only, the default list of the rest only.
    expect(hosts(to('b7-admin@example.test'))).to.deep.equal([b7switch.id, b7ap.id]);
    expect(hosts(to('ops@example.test'))).to.deep.equal([hq.id]);
    for (const message of to('b7-admin@example.test')) {
      expect(message.envelope.to).to.deep.equal(['b7-admin@example.test']);
      expect(message.parsed.subject).to.include('DOWN');
    }
    // The escalation goes to escalate_to only, nobody else.
    for (const message of smtp.messages.filter((m) => texts(m).includes('ESCALATION'))) {
      expect(message.envelope.to).to.deep.equal(['boss@example.test']);
    }
    const escalation = to('boss@example.test')[0]!;
    expect(escalation.parsed.text).to.include('nobody has acknowledged it (pingwarden ack)');

    // The sms: recipient gets a subject-only text of at most 160 characters, nothing else.
    const texted = to('5551234@txt.example.test');
    expect(texted.length).to.be.at.least(1);
    for (const message of texted) {
      expect(message.envelope.to).to.deep.equal(['5551234@txt.example.test']);
      const subject = message.parsed.subject ?? '';
      expect(subject.length + (message.parsed.text ?? '').trim().length).to.be.at.most(160);
      expect(subject).to.match(/DOWN/);
      expect(subject).to.include('B7 switch');
      expect(subject).not.to.include('HQ mail');
    }

    // A restart resumes the escalated outages from the history: no second ESCALATION.
    expect(await daemon.stop('SIGTERM')).to.equal(0);
    expect(escalationCount(), 'one ESCALATION per host').to.equal(3);
    const b7Messages = to('b7-admin@example.test').length;
    const opsMessages = to('ops@example.test').length;
    daemon = new CliProcess(['start', ...paths]);
    const cycles = () => daemon!.output.match(/cycle.*hosts=3/g)?.length ?? 0;
    await waitFor(() => cycles() >= 6, '6 cycles after the restart', 60_000, 20);
    expect(escalationCount(), 'no ESCALATION after the restart').to.equal(3);
    expect(to('b7-admin@example.test').length, 'no DOWN again after the restart').to.equal(b7Messages);
    expect(to('ops@example.test').length, 'no DOWN again after the restart').to.equal(opsMessages);
    expect(await daemon.stop('SIGTERM')).to.equal(0);
  });

  it('pingwarden once (cron): an ack before escalate_after_seconds means no escalation; the other host escalates once', async () => {
    const mailer = await SmtpTestServer.start({ user, password });
    const acked = await tcpService();
    const ignored = await tcpService();
    const cron = await tempSite({
      'hosts.csv': `${acked.id},Acked host,HQ\n${ignored.id},Ignored host,HQ\n`,
      'settings.csv':
        'interval_seconds,60\nattempts,1\ntimeout_seconds,1\nrealert_seconds,0\nsmtp_allow_self_signed,yes\n' +
        'escalate_after_seconds,3\nescalate_to,boss@example.test\n',
      ...smtpFiles(mailer.port, user, password, ['ops@example.test']),
    });
    try {
      const paths = ['--config', cron.configDir, '--logs', cron.logsDir];
      await Promise.all([closeServer(acked.server), closeServer(ignored.server)]);
      const downAt = Date.now();
      expect((await runCli(['once', ...paths])).code).to.equal(1);
      const ack = await runCli(['ack', acked.id, '--note', 'on it', ...paths]);
      expect(ack.code, ack.output()).to.equal(0);
      // The escalation time is wall-clock time since the outage began: let it pass.
      await waitFor(() => Date.now() - downAt > 3500, 'escalate_after_seconds to pass', 10_000, 100);
      for (let run = 0; run < 2; run++) expect((await runCli(['once', ...paths])).code).to.equal(1);
      const escalations = () =>
        mailer.messages.filter((m) => (m.parsed.text ?? '').includes('nobody has acknowledged it'));
      await waitFor(() => escalations().length > 0, 'the ESCALATION email', 30_000, 20);
      const [escalation] = escalations();
      expect(escalations(), 'one escalation, from the second run only').to.have.length(1);
      expect(escalation!.envelope.to).to.deep.equal(['boss@example.test']);
      expect(escalation!.parsed.subject).to.include(`ESCALATION Ignored host (${ignored.id})`);
      expect(escalation!.parsed.text).not.to.include(acked.id);
    } finally {
      await mailer.stop();
      await cron.remove();
    }
  });

  it('check-config names the file and line of a bad route', async () => {
    const bad = await tempSite({
      'hosts.csv': '127.0.0.1,Loopback,Building 7\n',
      'routes.csv': 'location:Building 7,irc\n127.0.0.1,ann@@example.test\nlocation:Building 9,ntfy\n',
    });
    try {
      const checked = await runCli(['check-config', '--config', bad.configDir, '--logs', bad.logsDir]);
      expect(checked.code).to.equal(2);
      const out = checked.output();
      expect(out).to.include(`${bad.configDir}/routes.csv:1: unknown destination "irc"`);
      expect(out).to.include(
        `${bad.configDir}/routes.csv:2: invalid email address "ann@@example.test": it must contain exactly one "@"`,
      );
      expect(out).to.include(
        `${bad.configDir}/routes.csv:3: no host in hosts.csv has the location "Building 9"`,
      );
      expect(out).not.to.match(/\n\s+at /);
    } finally {
      await bad.remove();
    }
  });
});
