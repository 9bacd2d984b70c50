import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { expect } from 'chai';

import { CliProcess } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import { createLab, requireLab, type NetnsLab } from '../support/netns-lab.js';
import { SmtpTestServer } from '../support/smtp-test-server.js';
import { freeUdpPort } from '../support/udp-port.js';
import { waitFor } from '../support/wait-for.js';

const user = 'alerts@example.test';
const password = 'correct horse battery staple';
const KEY = '9d3c2b1a0f9e8d7c6b5a49382716f5e4d3c2b1a0f9e8d7c6b5a49382716f5e4d';
const DOWN_SECONDS = 10;
const SUBJECT = 'Cabin uplink (sensor:cabin) — Lake house';

describe('integration: a sensor in another network namespace (the lab)', function () {
  this.timeout(150_000);
  let lab: NetnsLab | undefined;
  let smtp: SmtpTestServer | undefined;
  let site: TempSite | undefined;
  let daemon: CliProcess | undefined;
  let sensor: CliProcess | undefined;

  before(async function () {
    await requireLab(this);
    lab = await createLab();
  });
  after(async () => {
    await sensor?.stop('SIGKILL');
    await daemon?.stop('SIGKILL');
    await smtp?.stop();
    await lab?.destroy();
    await site?.remove();
  });

  it('keeps the row green; a cut link and a stopped sensor each give DOWN, REMINDER and RESTORED emails', async () => {
    const monitor = lab!.monitorAddress;
    const port = await freeUdpPort(monitor);
    smtp = await SmtpTestServer.start({ user, password });
    site = await tempSite({
      'hosts.csv': '127.0.0.1,Loopback,Admin box\n',
      'settings.csv': [
        'interval_seconds,1',
        'attempts,1',
        'timeout_seconds,1',
        'realert_seconds,4',
        'smtp_allow_self_signed,yes',
        `heartbeat_port,${port}`,
        `heartbeat_listen,${monitor}`,
      ].join('\n'),
      'sensors.csv': `cabin,./cabin.key,${DOWN_SECONDS},Cabin uplink,Lake house\n`,
      ...smtpFiles(smtp.port, user, password, ['ops@example.test']),
    });
    const keyFile = path.join(site.configDir, 'cabin.key');
    await writeFile(keyFile, KEY);
    await chmod(keyFile, 0o600);
    daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
    await daemon.waitForOutput(
      new RegExp(`listening for heartbeats address=${monitor.replace(/\./g, '\\.')}`),
    );

    const startSensor = () =>
      new CliProcess(
        [
          'sensor',
          '--server',
          `${monitor}:${port}`,
          '--name',
          'cabin',
          '--secret-file',
          keyFile,
          '--interval',
          '1',
        ],
        {},
        ['ip', 'netns', 'exec', lab!.namespace],
      );
    const subjects = () => smtp!.messages.map((m) => m.parsed.subject ?? '');
    const waitForSubject = (prefix: string, nth: number) =>
      waitFor(
        () => subjects().filter((s) => s.startsWith(`[pingwarden] ${prefix} ${SUBJECT}`)).length >= nth,
        `${prefix} email #${nth}; got ${JSON.stringify(subjects())}`,
        DOWN_SECONDS * 1000 + 15_000,
        50,
      );
    const upCycles = () => (daemon!.output.match(/cycle hosts=2 up=2 down=0/g) ?? []).length;

    sensor = startSensor();
    // A host found UP at its first probe is logged at debug level: the cycle line shows the sensor up.
    await daemon.waitForOutput(/cycle hosts=2 up=2 down=0/);
    expect(daemon.output, 'heartbeats come from the lab namespace').to.match(
      new RegExp(
        `sensor (rebooted|program restarted) sensor=cabin uptime_s=\\d+ source=${lab!.farAddress.replace(/\./g, '\\.')}`,
      ),
    );
    const before = upCycles();
    await waitFor(() => upCycles() >= before + DOWN_SECONDS + 2, 'the sensor row to stay green', 30_000);
    expect(smtp.messages).to.have.length(0);

    // The cabin's link is cut; the sensor keeps trying.
    await lab!.linkDown();
    await waitForSubject('DOWN', 1);
    await waitForSubject('REMINDER', 1);
    await lab!.linkUp();
    await waitForSubject('RESTORED', 1);
    expect(sensor.output, 'sends fail while the link is down').to.include('heartbeat not sent');

    // The sensor is stopped, then started again.
    expect(await sensor.stop('SIGTERM')).to.equal(0);
    await waitForSubject('DOWN', 2);
    await waitForSubject('REMINDER', 2);
    sensor = startSensor();
    await waitForSubject('RESTORED', 2);
    const restored = smtp.messages.at(-1)!;
    expect(restored.parsed.text).to.match(
      /\n- sensor program restarted; the machine stayed up \(up \d+[dhms]/,
    );

    expect(await sensor.stop('SIGTERM')).to.equal(0);
    expect(await daemon.stop('SIGTERM')).to.equal(0);
    const kinds = subjects().map((s) => s.split(' ')[1]);
    expect(kinds.filter((k) => k === 'DOWN')).to.have.length(2);
    expect(kinds.filter((k) => k === 'RESTORED')).to.have.length(2);
    expect(kinds.at(-1)).to.equal('RESTORED');
  });
});
