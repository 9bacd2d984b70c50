import { expect } from 'chai';

import { writeFixture } from '../report/report-fixture.js';
import { runCli } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import { SmtpTestServer } from '../support/smtp-test-server.js';

describe('integration: report --email through a real SMTP server', function () {
  this.timeout(60_000);
  const user = 'alerts@example.test';
  const password = 'pa55-word';
  let smtp: SmtpTestServer | undefined;
  let site: TempSite | undefined;
  let fixture: Awaited<ReturnType<typeof writeFixture>> | undefined;
  afterEach(async () => {
    await smtp?.stop();
    await site?.remove();
    await fixture?.remove();
  });

  it('emails the summary in the body and the HTML report as an attachment that parses', async () => {
    smtp = await SmtpTestServer.start({ user, password });
    fixture = await writeFixture();
    site = await tempSite({
      'hosts.csv': 'host,description,location\n127.0.0.1,Loopback,Here\n',
      'settings.csv': 'smtp_allow_self_signed,yes\nreport_schedule,monthly\n',
      ...smtpFiles(smtp.port, user, password, ['boss@example.test']),
    });
    const args = ['report', '--email', '--since', '2026-11-01', '--until', '2026-11-02'];
    const result = await runCli([...args, '--config', site.configDir, '--logs', fixture.logsDir]);
    expect(result.code, result.output()).to.equal(0);
    expect(result.stdout).to.match(
      /^report 2026-11-01 00:00:00 to 2026-11-02 00:00:00 UTC emailed to boss@example\.test \(message id <.+>\)\n$/,
    );
    const [message] = await smtp.waitForMessages(1);
    const mail = message!.parsed;
    expect(mail.subject).to.match(
      /^\[pingwarden\] Report 2026-11-01 to 2026-11-02: 3 outages, lowest availability /,
    );
    expect(mail.text).to.match(/host +monitored +up +down/);
    expect(mail.headers.get('x-pingwarden-kind')).to.equal('REPORT');
    expect(mail.attachments).to.have.length(1);
    const [page] = mail.attachments;
    expect(page!.filename).to.equal('pingwarden-report-2026-11-01--2026-11-02.html');
    expect(page!.contentType).to.equal('text/html');
    const html = page!.content.toString('utf8');
    expect(html).to.match(/^<!DOCTYPE html>/);
    expect(html).to.include('<td>2026-11-01 05:00:00 ±2h 0m 0s</td>');
  });

  it('says how to configure email when there is none (exit 2, nothing sent)', async () => {
    fixture = await writeFixture();
    site = await tempSite({ 'hosts.csv': '127.0.0.1\n' });
    const result = await runCli(['report', '--email', '--config', site.configDir, '--logs', fixture.logsDir]);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include('email is not configured: create');
  });
});
