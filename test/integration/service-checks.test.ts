import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';

import { expect } from 'chai';

import { CliProcess, runCli } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import { DnsTestServer } from '../support/dns-test-server.js';
import { SmtpTestServer, type ReceivedMessage } from '../support/smtp-test-server.js';
import { makeCertificate } from '../support/test-certificate.js';
import { waitFor } from '../support/wait-for.js';

const user = 'alerts@example.test';
const password = 'correct horse battery staple';

async function listen(server: Server | HttpServer, port = 0): Promise<number> {
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

describe('integration: tcp, http(s), dns and tls rows through the daemon', function () {
  this.timeout(90_000);
  let site: TempSite | undefined;
  let smtp: SmtpTestServer | undefined;
  let daemon: CliProcess | undefined;
  let dns: DnsTestServer | undefined;
  const closers: (() => Promise<void>)[] = [];
  after(async () => {
    await daemon?.stop('SIGKILL');
    await smtp?.stop();
    await dns?.stop();
    for (const close of closers) await close().catch(() => undefined);
    await site?.remove();
  });

  it('alerts with each reason by email, keeps credentials masked, records history', async () => {
    smtp = await SmtpTestServer.start({ user, password });
    dns = await DnsTestServer.start({ 'www.office.test': { A: ['10.1.2.3'] } });
    let tcp = createTcpServer((socket) => socket.destroy());
    const tcpPort = await listen(tcp);
    closers.push(() => new Promise((resolve) => (tcp.listening ? tcp.close(() => resolve()) : resolve())));
    let status = 200;
    const web = createHttpServer((_request, response) => {
      response.statusCode = status;
      response.end('<h1>Welcome</h1>');
    });
    const webPort = await listen(web);
    closers.push(() => new Promise((resolve) => web.close(() => resolve())));
    site = await tempSite({ 'settings.csv': 'key,value\n' });
    const soon = await makeCertificate(site.root, 'soon', 3);
    const secure = createHttpsServer({ cert: soon.cert, key: soon.key }, (_request, response) =>
      response.end('ok'),
    );
    const securePort = await listen(secure);
    closers.push(() => new Promise((resolve) => secure.close(() => resolve())));

    const web1 = `http://admin:s3cret@127.0.0.1:${webPort}/login`;
    const hosts = [
      'host,description,location,options',
      '127.0.0.1,Loopback,Admin box',
      `tcp://127.0.0.1:${tcpPort},Mail server,Rack 1,parent:127.0.0.1`,
      `${web1},Intranet,HQ,keyword:Welcome`,
      `https://127.0.0.1:${securePort}/,Portal,HQ,ca:portal.pem cert-days:14`,
      `dns://${dns.address}:${dns.port}/www.office.test,Office DNS,HQ,expect:10.1.2.3`,
    ].join('\n');
    const files: Record<string, string> = {
      'hosts.csv': `${hosts}\n`,
      'portal.pem': soon.cert,
      'settings.csv':
        'key,value\ninterval_seconds,2\nattempts,1\ntimeout_seconds,1\nrealert_seconds,0\nsmtp_allow_self_signed,yes\n',
      ...smtpFiles(smtp.port, user, password, ['ops@example.test']),
    };
    for (const [file, text] of Object.entries(files)) await site.write(file, text);

    const checked = await runCli(['check-config', '--config', site.configDir]);
    expect(checked.code, checked.output()).to.equal(0);

    daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
    const on = soon.expiresAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
    // One alert is one email; alerts of one cycle together are one digest, whose body lists each.
    const byHost = (host: string, state: string) => (m: ReceivedMessage) =>
      `${m.parsed.subject ?? ''}\n${m.parsed.text ?? ''}`.includes(state) &&
      `${m.parsed.subject ?? ''}\n${m.parsed.text ?? ''}`.includes(host);
    const mailFor = async (host: string, state: string): Promise<ReceivedMessage> => {
      await waitFor(() => smtp!.messages.some(byHost(host, state)), `${state} email for ${host}`, 30_000, 50);
      return smtp!.messages.find(byHost(host, state))!;
    };

    // Still answering: DEGRADED with the expiry date, never DOWN.
    const cert = await mailFor(`https://127.0.0.1:${securePort}/`, 'DEGRADED');
    expect(cert.parsed.text).to.include(`certificate expires in 2 days, on ${on} (cert-days:14)`);

    await new Promise<void>((resolve) => tcp.close(() => resolve()));
    const port = await mailFor(`tcp://127.0.0.1:${tcpPort}`, 'DOWN');
    expect(port.parsed.subject).to.include('Mail server');
    expect(port.parsed.text).to.include(`TCP port ${tcpPort}: connection refused`);

    status = 503;
    const masked = `http://admin:***@127.0.0.1:${webPort}/login`;
    const http = await mailFor(masked, 'DOWN');
    expect(http.parsed.text).to.include('HTTP 503');

    dns.zone = {};
    const name = await mailFor(`dns://${dns.address}:${dns.port}/www.office.test`, 'DOWN');
    expect(name.parsed.text).to.include('DNS A www.office.test: no such name (NXDOMAIN)');

    // A restart resumes the open outages from the history; the services are back, so they are RESTORED.
    expect(await daemon.stop('SIGTERM')).to.equal(0);
    const firstOutput = daemon.output;

    status = 200;
    tcp = createTcpServer((socket) => socket.destroy());
    await listen(tcp, tcpPort);
    dns.zone = { 'www.office.test': { A: ['10.1.2.3'] } };
    daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
    const restored = await mailFor(masked, 'RESTORED');
    await mailFor(`dns://${dns.address}:${dns.port}/www.office.test`, 'RESTORED');
    await mailFor(`tcp://127.0.0.1:${tcpPort}`, 'RESTORED');
    // The outages kept their start across the restart: the RESTORED text gives the whole duration.
    expect(restored.parsed.text).to.include('Intranet');

    expect(await daemon.stop('SIGTERM')).to.equal(0);
    const history = await readFile(
      path.join(site.logsDir, 'history', (await readdir(path.join(site.logsDir, 'history')))[0]!),
      'utf8',
    ).catch(() => '');
    expect(history, 'the history names the masked URL').to.include(masked);
    const report = await runCli([
      'report',
      '--config',
      site.configDir,
      '--logs',
      site.logsDir,
      '--format',
      'csv',
    ]);
    expect(report.code, report.output()).to.equal(0);
    expect(report.stdout).to.include(masked);
    expect(report.stdout).to.include(`tcp://127.0.0.1:${tcpPort}`);

    await site.write(
      'hosts.csv',
      `${hosts}\ntcp://127.0.0.1,No port,HQ\nhttps://admin:hunter2@x.test/,,,keyword:a method:HEAD\n`,
    );
    const bad = await runCli(['check-config', '--config', site.configDir]);
    expect(bad.code).to.equal(2);
    expect(bad.output()).to.include(
      `${path.join(site.configDir, 'hosts.csv')}:7: invalid URL "tcp://127.0.0.1": needs a port`,
    );
    expect(bad.output()).to.include(
      `${path.join(site.configDir, 'hosts.csv')}:8: a keyword needs a body: method:HEAD gets none`,
    );
    expect(bad.output()).not.to.include('hunter2');
    expect(bad.output()).not.to.match(/\n\s+at /);

    const sources: [string, string][] = [
      ['first daemon output', firstOutput],
      ['second daemon output', daemon.output],
      ...smtp.messages.map((m, n): [string, string] => [
        `email ${n}`,
        `${m.parsed.subject}\n${m.parsed.text}`,
      ]),
      ...(await Promise.all(
        (await listFiles(site.logsDir)).map(async (file): Promise<[string, string]> => [
          file,
          await readFile(file, 'utf8'),
        ]),
      )),
    ];
    expect(sources.map(([, text]) => text).join('\n')).to.include(masked);
    expect(
      sources.filter(([, text]) => text.includes('s3cret')).map(([name]) => name),
      'the URL password appears nowhere',
    ).to.deep.equal([]);
  });

  it('pingwarden once: exit 0 while the page answers, 1 with the reason when it does not', async () => {
    let status = 200;
    const web = createHttpServer((_request, response) => {
      response.statusCode = status;
      response.end('ok');
    });
    const port = await listen(web);
    closers.push(() => new Promise((resolve) => web.close(() => resolve())));
    const cron = await tempSite({
      'hosts.csv': `http://127.0.0.1:${port}/health,Health,HQ\n`,
      'settings.csv': 'key,value\nattempts,1\ntimeout_seconds,1\n',
    });
    closers.push(() => cron.remove());
    const up = await runCli(['once', '--config', cron.configDir, '--logs', cron.logsDir]);
    expect(up.code, up.output()).to.equal(0);
    status = 500;
    const down = await runCli(['once', '--config', cron.configDir, '--logs', cron.logsDir]);
    expect(down.code, down.output()).to.equal(1);
    expect(down.output()).to.include('reason="HTTP 500"');
  });
});

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter(
      (entry) =>
        entry.isFile() &&
        !entry.name.endsWith('.pem') &&
        !entry.name.endsWith('.key') &&
        !entry.name.endsWith('.crt'),
    )
    .map((entry) => path.join(entry.parentPath, entry.name));
}
