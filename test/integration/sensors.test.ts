import { chmod, readdir, readFile, writeFile } from 'node:fs/promises';
import dgram from 'node:dgram';
import path from 'node:path';

import { expect } from 'chai';

import { systemClock } from '../../lib/shared/clock.js';
import { formatSignedHeartbeat } from '../../lib/probe/heartbeat/heartbeat-protocol.js';
import { HeartbeatSender } from '../../lib/sensor/heartbeat-sender.js';
import { FakeLog } from '../fakes/fake-log.js';
import { CliProcess } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import { SmtpTestServer, type ReceivedMessage } from '../support/smtp-test-server.js';
import { freeUdpPort, rssKib } from '../support/udp-port.js';
import { waitFor } from '../support/wait-for.js';

const user = 'alerts@example.test';
const password = 'correct horse battery staple';
const KEY = '5f1b6c0e9a7d4e2fb3c8a1d0e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5';
const DOWN_SECONDS = 10;

/** A site watching 127.0.0.1 and one sensor `cabin`, cycles every second, heartbeats on `port`. */
async function sensorSite(smtp: SmtpTestServer, port: number, extraSettings: string[] = []) {
  const site = await tempSite({
    'hosts.csv': '127.0.0.1,Loopback,Admin box\n',
    'settings.csv': [
      'interval_seconds,1',
      'attempts,1',
      'timeout_seconds,1',
      'realert_seconds,0',
      'smtp_allow_self_signed,yes',
      `heartbeat_port,${port}`,
      ...extraSettings,
    ].join('\n'),
    'sensors.csv': `name,secret_file_or_key,down_seconds,description,location\ncabin,./cabin.key,${DOWN_SECONDS},Cabin uplink,Lake house\n`,
    ...smtpFiles(smtp.port, user, password, ['ops@example.test']),
  });
  const keyFile = path.join(site.configDir, 'cabin.key');
  await writeFile(keyFile, `${KEY}\n`);
  await chmod(keyFile, 0o600);
  return { site, keyFile };
}

async function logOf(site: TempSite): Promise<string> {
  const files = await readdir(site.logsDir);
  const file = files.find((f) => /^pingwarden-\d{4}-\d\d-\d\d\.log$/.test(f));
  return file === undefined ? '' : readFile(path.join(site.logsDir, file), 'utf8');
}

function count(text: string, pattern: RegExp): number {
  return (text.match(new RegExp(pattern.source, 'g')) ?? []).length;
}

function sendTo(socket: dgram.Socket, port: number, text: string | Buffer): Promise<void> {
  return new Promise((resolve) => socket.send(text, port, '127.0.0.1', () => resolve()));
}

function downEmail(smtp: SmtpTestServer): ReceivedMessage | undefined {
  return smtp.messages.find((m) => m.parsed.subject?.startsWith('[pingwarden] DOWN'));
}

describe('integration: remote sensors over UDP on loopback, with a real SMTP server', function () {
  this.timeout(90_000);
  let smtp: SmtpTestServer | undefined;
  let site: TempSite | undefined;
  let daemon: CliProcess | undefined;
  let sensor: CliProcess | undefined;
  let client: dgram.Socket | undefined;
  afterEach(async () => {
    await sensor?.stop('SIGKILL');
    await daemon?.stop('SIGKILL');
    await smtp?.stop();
    await site?.remove();
    client?.close();
    sensor = daemon = smtp = site = client = undefined;
  });

  it('keeps a signed sensor UP, emails DOWN after down_seconds when it stops (forgeries change nothing), RESTORED with the reboot uptime', async () => {
    smtp = await SmtpTestServer.start({ user, password });
    const port = await freeUdpPort();
    const made = await sensorSite(smtp, port);
    site = made.site;
    daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
    await daemon.waitForOutput(
      new RegExp(`listening for heartbeats address=127\\.0\\.0\\.1 port=${port} sensors=1`),
    );

    sensor = new CliProcess([
      'sensor',
      '--server',
      `127.0.0.1:${port}`,
      '--name',
      'cabin',
      '--secret-file',
      made.keyFile,
      '--interval',
      '1',
    ]);
    // A host found UP at its first probe is logged at debug level: the cycle line shows the sensor up.
    await daemon.waitForOutput(/cycle hosts=2 up=2 down=0/);
    const upCycles = count(daemon.output, /cycle hosts=2 up=2 down=0/);
    // Longer than down_seconds: only the heartbeats keep the sensor up.
    await waitFor(
      () => count(daemon!.output, /cycle hosts=2 up=2 down=0/) >= upCycles + DOWN_SECONDS + 2,
      `${DOWN_SECONDS + 2} more cycles with the sensor up`,
      30_000,
    );
    expect(smtp.messages).to.have.length(0);
    expect(daemon.output).not.to.include('to=DOWN');

    expect(await sensor.stop('SIGTERM')).to.equal(0);
    expect(sensor.output).to.include('sensor stopped name=cabin');
    const stoppedAt = Date.now();

    // Forged, unsigned and unknown heartbeats while it is silent must not keep it alive.
    client = dgram.createSocket('udp4');
    const forged = () =>
      formatSignedHeartbeat(
        { name: 'cabin', timestampMs: Date.now(), seq: Date.now(), type: 'PING', uptimeSeconds: 1 },
        'not-the-key-not-the-key',
      );
    await waitFor(
      async () => {
        await sendTo(client!, port, forged());
        await sendTo(client!, port, 'PING');
        await sendTo(client!, port, 'PW1 cabin 1 2 PING 3 deadbeef');
        return downEmail(smtp!) !== undefined;
      },
      'the DOWN email',
      DOWN_SECONDS * 1000 + 10_000,
      100,
    );
    const down = downEmail(smtp)!;
    const elapsed = down.receivedAt - stoppedAt;
    expect(elapsed, 'DOWN after down_seconds plus at most one cycle').to.be.within(
      (DOWN_SECONDS - 1.5) * 1000,
      (DOWN_SECONDS + 1 + 3) * 1000,
    );
    expect(down.parsed.subject).to.equal('[pingwarden] DOWN Cabin uplink (sensor:cabin) — Lake house');
    const text = down.parsed.text ?? '';
    expect(text).to.include('Host:              sensor:cabin');
    expect(text).to.match(
      /\n- last heartbeat at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ; the outage began between then and one heartbeat interval \(\d+s\) later/,
    );
    const since = Date.parse(/Down since \(UTC\): +(\S+)/.exec(text)?.[1] ?? '');
    expect(stoppedAt - since, 'the outage is dated from the last heartbeat').to.be.within(0, 2_500);

    // The cabin comes back from a power cut: a BOOT with a short uptime.
    await sendTo(
      client,
      port,
      formatSignedHeartbeat(
        { name: 'cabin', timestampMs: Date.now(), seq: Date.now(), type: 'BOOT', uptimeSeconds: 185 },
        KEY,
      ),
    );
    const [, restored] = await smtp.waitForMessages(2, 10_000);
    expect(restored!.parsed.subject).to.match(
      /^\[pingwarden\] RESTORED Cabin uplink \(sensor:cabin\) — Lake house after \d+s$/,
    );
    expect(restored!.parsed.text).to.include('\n- sensor rebooted, up 3m 5s\n');

    expect(await daemon.stop('SIGTERM')).to.equal(0);
    const log = await logOf(site);
    expect(log).to.match(/INFO sensor rebooted sensor=cabin uptime_s=185 source=127\.0\.0\.1/);
    expect(log).to.match(/INFO state host=sensor:cabin from=UP to=DOWN/);
    expect(log).to.match(/WARN heartbeats dropped total=\d+ .*bad_signature=\d+/);
    expect(count(log, /WARN heartbeats dropped/), 'drop lines are rate-limited').to.be.at.most(2);
    expect(smtp.messages).to.have.length(2);
  });

  it('still emails DOWN on time while 10k junk datagrams a second arrive for 3 s, without growing memory', async () => {
    smtp = await SmtpTestServer.start({ user, password });
    const port = await freeUdpPort();
    const made = await sensorSite(smtp, port);
    site = made.site;
    daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
    await daemon.waitForOutput(/listening for heartbeats/);

    const stopSender = new AbortController();
    const sender = new HeartbeatSender({
      clock: systemClock,
      log: new FakeLog(),
      host: '127.0.0.1',
      port,
      name: 'cabin',
      key: KEY,
      intervalSeconds: 1,
      uptime: () => 5000,
    });
    const sending = sender.run(stopSender.signal);
    // A host found UP at its first probe is logged at debug level: the cycle line shows the sensor up.
    await daemon.waitForOutput(/cycle hosts=2 up=2 down=0/);
    const upCycles = count(daemon.output, /cycle hosts=2 up=2 down=0/);
    await waitFor(
      () => count(daemon!.output, /cycle hosts=2 up=2 down=0/) >= upCycles + 3,
      'three cycles up',
    );
    const rssBefore = await rssKib(daemon.child.pid!);

    stopSender.abort();
    await sending;
    await sender.close();
    const silentAt = Date.now();

    // The flood: 10k datagrams a second for 3 s, a mix of every kind of junk. Bounded in count and time.
    client = dgram.createSocket('udp4');
    const junk = (i: number): string | Buffer => {
      switch (i % 5) {
        case 0:
          return `junk ${i} ${Math.random()}`;
        case 1: // correct shape and a known name, wrong key: costs the monitor one HMAC each
          return formatSignedHeartbeat(
            { name: 'cabin', timestampMs: Date.now(), seq: Date.now() + i, type: 'PING', uptimeSeconds: 1 },
            `wrong-key-${i}-padding-padding`,
          );
        case 2: // a new sensor name every time: must not create state per name
          return formatSignedHeartbeat(
            { name: `ghost${i}`, timestampMs: Date.now(), seq: i, type: 'PING', uptimeSeconds: 1 },
            KEY,
          );
        case 3:
          return Buffer.alloc(1400, i % 256);
        default:
          return 'PING';
      }
    };
    // 10 datagrams per millisecond on average, sent in batches every few milliseconds.
    let sent = 0;
    const floodStart = Date.now();
    while (Date.now() - floodStart < 3_000 && sent < 30_000) {
      const due = Math.min(30_000, (Date.now() - floodStart + 5) * 10);
      const batch: Promise<void>[] = [];
      while (sent < due) batch.push(sendTo(client, port, junk(sent++)));
      await Promise.all(batch);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const floodSeconds = (Date.now() - silentAt) / 1000;
    const rssAfter = await rssKib(daemon.child.pid!);

    const [down] = await smtp.waitForMessages(1, DOWN_SECONDS * 1000 + 10_000);
    const elapsed = down!.receivedAt - silentAt;
    expect(down!.parsed.subject).to.equal('[pingwarden] DOWN Cabin uplink (sensor:cabin) — Lake house');
    expect(elapsed, 'DOWN on time despite the flood').to.be.within(
      (DOWN_SECONDS - 1.5) * 1000,
      (DOWN_SECONDS + 1 + 3) * 1000,
    );
    const growthMib = (rssAfter - rssBefore) / 1024;
    expect(growthMib, 'RSS growth during the flood (MiB)').to.be.below(24);

    expect(await daemon.stop('SIGTERM')).to.equal(0);
    const log = await logOf(site);
    const summaries = log.split('\n').filter((line) => line.includes('WARN heartbeats dropped'));
    expect(summaries.length, 'one line at once, one at stop').to.be.at.most(2);
    const dropped = summaries.reduce((sum, line) => sum + Number(/total=(\d+)/.exec(line)?.[1] ?? 0), 0);
    expect(log).not.to.include('cycle overran');
    expect(log).not.to.match(/sensor heard sensor=ghost/);
    console.log(
      `      flood: ${sent} datagrams in ${floodSeconds.toFixed(1)} s, ${dropped} counted as dropped; ` +
        `DOWN after ${(elapsed / 1000).toFixed(1)} s; RSS ${Math.round(rssBefore / 1024)} → ` +
        `${Math.round(rssAfter / 1024)} MiB`,
    );
    // Loopback may drop some datagrams when the receive buffer is full; most must have been counted.
    expect(dropped).to.be.above(sent * 0.5);
  });

  it('refuses bad sensor arguments without a stack trace', async () => {
    const bad = new CliProcess([
      'sensor',
      '--server',
      'nowhere',
      '--name',
      'cabin',
      '--secret-file',
      '/nonexistent',
    ]);
    expect(await bad.exit()).to.equal(2);
    expect(bad.stderr.trim()).to.equal(
      'pingwarden: --server "nowhere": expected HOST:PORT (IPv6 as [ADDRESS]:PORT)',
    );
    const noKey = new CliProcess([
      'sensor',
      '--server',
      '127.0.0.1:9',
      '--name',
      'cabin',
      '--secret-file',
      '/nonexistent',
    ]);
    expect(await noKey.exit()).to.equal(2);
    expect(noKey.stderr.trim()).to.equal('pingwarden: key file /nonexistent: not found');
  });
});
