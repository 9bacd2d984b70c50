import { execFileSync } from 'node:child_process';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';

import { expect } from 'chai';

import { CliProcess, runCli } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import { createLab, requireLab, type NetnsLab } from '../support/netns-lab.js';
import { NetnsSmtpServer } from '../support/netns-smtp-server.js';
import { SmtpTestServer } from '../support/smtp-test-server.js';
import { waitFor } from '../support/wait-for.js';

const user = 'alerts@example.test';
const password = 'correct horse battery staple';
const recipients = ['ops@example.test'];
const fastSettings = [
  'interval_seconds,1',
  'attempts,1',
  'timeout_seconds,1',
  'realert_seconds,0',
  'smtp_allow_self_signed,yes',
  'smtp_timeout_seconds,2',
  'outbox_retry_max_seconds,2',
].join('\n');

/** The `Name: value` line of a plain-text email body. */
function field(text: string, name: string): string {
  return new RegExp(`^${name.replace(/[()]/g, '\\$&')}: +(.*)$`, 'm').exec(text)?.[1] ?? '';
}

async function queuedFiles(logsDir: string): Promise<string[]> {
  return readdir(path.join(logsDir, 'outbox', 'email')).catch(() => []);
}

describe('integration: alerts that survive the outage (outbox, digest, parents)', function () {
  this.timeout(90_000);

  let lab: NetnsLab | undefined;
  let smtp: SmtpTestServer | undefined;
  let site: TempSite | undefined;
  let daemon: CliProcess | undefined;

  before(async function () {
    await requireLab(this);
    lab = await createLab();
  });
  let mounted: string | undefined;
  afterEach(async () => {
    await daemon?.stop('SIGKILL');
    if (mounted !== undefined) execFileSync('umount', ['-l', mounted]);
    mounted = undefined;
    await smtp?.stop();
    await site?.remove();
    daemon = undefined;
    smtp = undefined;
    site = undefined;
  });
  after(async () => {
    await lab?.destroy();
  });

  async function start(hostsCsv: string): Promise<CliProcess> {
    smtp ??= await SmtpTestServer.start({ user, password });
    site = await tempSite({
      'hosts.csv': hostsCsv,
      'settings.csv': fastSettings,
      ...smtpFiles(smtp.port, user, password, recipients),
    });
    return new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
  }

  // Issue 13 item 1, on a real full disk: logs/outbox is a tiny tmpfs filled to the brim.
  it('outbox on a full disk: the DOWN is held with an ERROR line, no .tmp stays, and it is emailed once space returns', async () => {
    const target = lab!.host(12);
    await lab!.addHost(target);
    daemon = await start(`${target},Cisco Router,Bldg 6 MDF 101\n`);
    const outboxDir = path.join(site!.logsDir, 'outbox');
    await mkdir(outboxDir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'pw-h13-full', outboxDir]);
    mounted = outboxDir;
    await mkdir(path.join(outboxDir, 'email'));
    // Fill it: writes fail with ENOSPC from here on.
    const filler = path.join(outboxDir, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
    } catch {
      // dd stops with "No space left on device": the point.
    }
    await daemon.waitForOutput(/cycle hosts=1 up=1 down=0/);
    await lab!.removeHost(target);
    await daemon.waitForOutput(/ERROR notify failed; alerts held in memory and retried every cycle .*ENOSPC/);
    expect((await queuedFiles(site!.logsDir)).filter((name) => name.endsWith('.tmp'))).to.deep.equal([]);
    expect(smtp!.messages).to.have.length(0);
    await rm(filler);
    const [down] = await smtp!.waitForMessages(1, 20_000);
    expect(down!.parsed.subject).to.equal(`[pingwarden] DOWN Cisco Router (${target}) — Bldg 6 MDF 101`);
    await daemon.waitForOutput(/notify recovered; held alerts stored/);
    const cycles = (daemon.output.match(/ cycle hosts=/g) ?? []).length;
    await waitFor(
      () => (daemon!.output.match(/ cycle hosts=/g) ?? []).length >= cycles + 3,
      'more cycles',
      15_000,
    );
    expect(smtp!.messages, 'once').to.have.length(1);
    await lab!.addHost(target);
  });

  // Issue 13: `once` exited 0 with its DOWN held in memory only, so the email was gone for good.
  it('once on a full outbox disk: retries, exits 1 naming the held alert, and the next run sends the DOWN once', async () => {
    const target = lab!.host(14);
    smtp ??= await SmtpTestServer.start({ user, password });
    site = await tempSite({
      'hosts.csv': `${target},Cisco Router,Bldg 6 MDF 101\n`,
      'settings.csv': `${fastSettings}\nonce_held_retry_seconds,2\n`,
      ...smtpFiles(smtp.port, user, password, recipients),
    });
    const once = () => runCli(['once', '--config', site!.configDir, '--logs', site!.logsDir]);
    const outboxDir = path.join(site.logsDir, 'outbox');
    await mkdir(outboxDir, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'pw-h13-once', outboxDir]);
    mounted = outboxDir;
    await mkdir(path.join(outboxDir, 'email'));
    const filler = path.join(outboxDir, 'filler');
    try {
      execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=4k'], { stdio: 'ignore' });
    } catch {
      // dd stops with "No space left on device": the point.
    }
    const first = await once();
    expect(first.code, first.output()).to.equal(1);
    expect(first.stderr).to.include(
      `pingwarden: 1 alert could not be stored in ${site.logsDir}/outbox (disk full or read-only?) after 2 s ` +
        'of retries; the next run sends the DOWN again once logs/ can be written',
    );
    expect(first.stderr).to.not.match(/\n\s+at /);
    expect(smtp.messages).to.have.length(0);
    await rm(filler);
    const second = await once();
    expect(second.code, second.output()).to.equal(1);
    const [down] = await smtp.waitForMessages(1, 20_000);
    expect(down!.parsed.subject).to.equal(`[pingwarden] DOWN Cisco Router (${target}) — Bldg 6 MDF 101`);
    const third = await once();
    expect(third.code, third.output()).to.equal(1);
    expect(smtp.messages, 'the DOWN once').to.have.length(1);
  });

  it('SMTP down while a host goes down and comes back: both emails arrive afterwards, once each, with the true times', async () => {
    const target = lab!.host(10);
    await lab!.addHost(target);
    daemon = await start(`${target},Cisco Router,Bldg 6 MDF 101\n`);
    await daemon.waitForOutput(/cycle hosts=1 up=1 down=0/);
    const port = smtp!.port;
    await smtp!.stop();

    const wentDown = Date.now();
    await lab!.removeHost(target);
    await daemon.waitForOutput(/outbox send failed notifier=email id=\S+ attempt=1/);
    const cameBack = Date.now();
    await lab!.addHost(target);
    await daemon.waitForOutput(/state host=\S+ from=DOWN to=UP/);
    await waitFor(async () => (await queuedFiles(site!.logsDir)).length === 2, 'two queued messages', 10_000);
    const serverBack = Date.now();
    smtp = await SmtpTestServer.start({ user, password, port });

    const [down, restored] = await smtp.waitForMessages(2, 20_000);
    // outbox_retry_max_seconds is 2 here: the backlog goes out within one capped wait (plus sending time).
    expect(restored!.receivedAt - serverBack, 'backlog delivered soon after the server returned').to.be.below(
      4000,
    );
    expect(down!.parsed.subject).to.equal(`[pingwarden] DOWN Cisco Router (${target}) — Bldg 6 MDF 101`);
    expect(restored!.parsed.subject).to.match(/^\[pingwarden\] RESTORED Cisco Router .* after \d+s$/);
    // Real event times: the outage began when the host went away, not when the mail could be sent.
    const downSince = Date.parse(field(down!.parsed.text ?? '', 'Down since (UTC)'));
    expect(downSince).to.be.within(wentDown - 1500, cameBack);
    const restoredAt = Date.parse(field(restored!.parsed.text ?? '', 'Restored at (UTC)'));
    // The email gives whole seconds (truncated): the bound is floored to the second as well.
    const wholeSecond = (ms: number) => Math.floor(ms / 1000) * 1000;
    expect(restoredAt).to.be.within(wholeSecond(cameBack - 1000), serverBack + 1000);
    expect(down!.parsed.text).to.match(/^Queued: composed at .+, sent at .+ once delivery worked again/);
    expect(restored!.parsed.text, 'held back behind the DOWN message').to.match(/^Queued: composed at /);
    expect(down!.parsed.messageId).to.match(/^<\d{8}T\d{9}Z-[0-9a-f]{8}@pingwarden>$/);

    await waitFor(async () => (await queuedFiles(site!.logsDir)).length === 0, 'an empty outbox');
    const cycles = (daemon.output.match(/ cycle hosts=/g) ?? []).length;
    await waitFor(
      () => (daemon!.output.match(/ cycle hosts=/g) ?? []).length >= cycles + 3,
      'three more cycles',
      15_000,
    );
    expect(smtp.messages, 'once each').to.have.length(2);
    expect(await daemon.stop('SIGTERM')).to.equal(0);
  });

  it('the WAN dies, taking the mail server with it: the DOWN and RESTORED story arrives afterwards, once, with the true times', async () => {
    const target = lab!.host(40);
    const mailHost = lab!.host(41);
    await lab!.addHost(target);
    await lab!.addHost(mailHost);
    const wanMail = await NetnsSmtpServer.start(lab!, mailHost, { user, password });
    try {
      site = await tempSite({
        'hosts.csv': `${target},ISP gateway,WAN\n127.0.0.1,Admin box,Here\n`,
        'settings.csv': fastSettings,
        ...smtpFiles(wanMail.port, user, password, recipients),
        'server_info.csv': `${mailHost},${wanMail.port}\n`,
      });
      daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
      await daemon.waitForOutput(/cycle hosts=2 up=2 down=0/);

      const linkDown = Date.now();
      await lab!.linkDown();
      await daemon.waitForOutput(/outbox send failed notifier=email/, 20_000);
      await daemon.waitForOutput(/outbox send failed notifier=email id=\S+ attempt=2/, 20_000);
      const linkUp = Date.now();
      await lab!.linkUp();

      const [down, restored] = await wanMail.waitForMessages(2, 30_000);
      expect(down!.subject).to.equal(`[pingwarden] DOWN ISP gateway (${target}) — WAN`);
      expect(restored!.subject).to.match(/^\[pingwarden\] RESTORED ISP gateway .* after \d+s$/);
      expect(down!.text).to.match(/^Queued: composed at /);
      expect(Date.parse(field(down!.text, 'Down since (UTC)'))).to.be.within(linkDown - 1500, linkUp);
      expect(Date.parse(field(restored!.text, 'Restored at (UTC)'))).to.be.within(
        linkUp - 1000,
        linkUp + 5000,
      );
      expect(down!.receivedAt, 'delivered after the WAN returned').to.be.greaterThan(linkUp);

      await waitFor(async () => (await queuedFiles(site!.logsDir)).length === 0, 'an empty outbox');
      const cycles = (daemon.output.match(/ cycle hosts=/g) ?? []).length;
      await waitFor(
        () => (daemon!.output.match(/ cycle hosts=/g) ?? []).length >= cycles + 3,
        'three more cycles',
        15_000,
      );
      expect(
        wanMail.messages.map((m) => m.subject.split(' ')[1]),
        'once each',
      ).to.deep.equal(['DOWN', 'RESTORED']);
      expect(new Set(wanMail.messages.map((m) => m.messageId)).size).to.equal(2);
    } finally {
      await wanMail.stop();
    }
  });

  it('SIGKILL with a message queued: after a restart it is delivered exactly once', async () => {
    const target = lab!.host(11);
    await lab!.addHost(target);
    daemon = await start(`${target},Switch,Closet\n`);
    await daemon.waitForOutput(/cycle hosts=1 up=1 down=0/);
    const port = smtp!.port;
    await smtp!.stop();
    await lab!.removeHost(target);
    await daemon.waitForOutput(/outbox send failed notifier=email/);
    await daemon.stop('SIGKILL');
    const files = await queuedFiles(site!.logsDir);
    expect(files).to.have.length(1);

    const list = new CliProcess(['outbox', '--config', site!.configDir, '--logs', site!.logsDir]);
    expect(await list.exit()).to.equal(0);
    expect(list.stdout).to.match(/^notifier +id +age +attempts +last error$/m);
    expect(list.stdout).to.match(
      new RegExp(
        `^email +${files[0]!.replace('.json', '')} +\\S+ +[1-9]\\d* +email via 127\\.0\\.0\\.1:${port} failed`,
        'm',
      ),
    );

    smtp = await SmtpTestServer.start({ user, password, port });
    daemon = new CliProcess(['start', '--config', site!.configDir, '--logs', site!.logsDir]);
    await smtp.waitForMessages(1, 15_000);
    await daemon.waitForOutput(/outbox sent notifier=email/);
    const cycles = (daemon.output.match(/ cycle hosts=/g) ?? []).length;
    await waitFor(
      () => (daemon!.output.match(/ cycle hosts=/g) ?? []).length >= cycles + 3,
      'three more cycles',
      15_000,
    );
    expect(smtp.messages.map((m) => m.parsed.subject)).to.deep.equal([
      `[pingwarden] DOWN Switch (${target}) — Closet`,
    ]);
    expect(await queuedFiles(site!.logsDir)).to.deep.equal([]);
    await lab!.addHost(target);
  });

  it('three hosts down in one cycle make ONE digest email, and their return another', async () => {
    const hosts = [30, 31, 32].map((n) => lab!.host(n));
    for (const host of hosts) await lab!.addHost(host);
    const locations = ['Bldg 6', 'Bldg 1', 'Bldg 6'];
    const rows = hosts.map((host, i) => `${host},AP ${i + 1},${locations[i]}`);
    daemon = await start(`${rows.join('\n')}\n127.0.0.1,Admin box,Here\n`);
    await daemon.waitForOutput(/cycle hosts=4 up=4 down=0/);

    await lab!.linkDown();
    const [digest] = await smtp!.waitForMessages(1, 20_000);
    const names = hosts.map((host, i) => `AP ${i + 1} (${host})`);
    const overview = `3 of 4 hosts down: ${names[0]}, ${names[1]} and ${names[2]}`;
    expect(digest!.parsed.subject).to.equal(`[pingwarden] 3 DOWN: ${overview}`);
    const text = digest!.parsed.text ?? '';
    expect(text.split('\n')[0]).to.equal(`${overview}.`);
    expect(text.split('\n').filter((line) => line.startsWith('== '))).to.deep.equal([
      '== Bldg 6 ==',
      '== Bldg 1 ==',
    ]);

    // Hosts come back in the cycle whose probes first cross the restored link; a link that returns while a
    // cycle's pings are in flight can split the restores over two cycles, so count events, not emails.
    const allUp = / cycle hosts=4 up=4 down=0 unknown=0 alerts=0/g;
    const allUpBefore = (daemon.output.match(allUp) ?? []).length;
    await lab!.linkUp();
    await waitFor(
      () => (daemon!.output.match(allUp) ?? []).length > allUpBefore,
      'a quiet all-up cycle after the restores',
      20_000,
    );
    await waitFor(async () => (await queuedFiles(site!.logsDir)).length === 0, 'an empty outbox');
    const restores = smtp!.messages.slice(1).map((m) => m.parsed.subject ?? '');
    const restored = restores.map((subject) =>
      Number(/^\[pingwarden\] (\d+) RESTORED:/.exec(subject)?.[1] ?? 1),
    );
    expect(
      restores.every((subject) => /^\[pingwarden\] (\d+ )?RESTORED/.test(subject)),
      restores.join('; '),
    ).to.equal(true);
    expect(
      restored.reduce((a, b) => a + b, 0),
      restores.join('; '),
    ).to.equal(3);
    if (restores.length === 1) expect(restores[0]).to.equal('[pingwarden] 3 RESTORED: all 4 hosts up');
  });

  it('50 hosts behind one switch go down with it: one email naming the switch and listing all 50', async () => {
    const parent = lab!.host(100);
    const children = Array.from({ length: 50 }, (_, i) => lab!.host(101 + i));
    for (const host of [parent, ...children]) await lab!.addHost(host);
    const rows = [
      `${parent},Core switch,Bldg 6 MDF`,
      ...children.map((host, i) => `${host},AP ${i + 1},Floor ${1 + (i % 3)},parent:${parent}`),
    ];
    daemon = await start(`${rows.join('\n')}\n127.0.0.1,Admin box,Here\n`);
    await daemon.waitForOutput(/cycle hosts=52 up=52 down=0/, 20_000);

    await lab!.linkDown();
    const [message] = await smtp!.waitForMessages(1, 20_000);
    expect(message!.parsed.subject).to.equal(`[pingwarden] DOWN Core switch (${parent}) — Bldg 6 MDF`);
    const text = message!.parsed.text ?? '';
    expect(text).to.include('Unreachable behind it (50):');
    for (const [i, host] of children.entries()) {
      expect(text).to.include(`  - AP ${i + 1} (${host}) — Floor ${1 + (i % 3)}\n`);
    }
    await daemon.waitForOutput(/cycle hosts=52 up=1 down=1 unknown=0 unreachable=50/);
    const cycles = (daemon.output.match(/ cycle hosts=/g) ?? []).length;
    await waitFor(
      () => (daemon!.output.match(/ cycle hosts=/g) ?? []).length >= cycles + 2,
      'two more cycles',
      15_000,
    );
    expect(smtp!.messages, 'one email, not 51').to.have.length(1);

    const allUp = / cycle hosts=52 up=52 down=0/g;
    const allUpBefore = (daemon.output.match(allUp) ?? []).length;
    await lab!.linkUp();
    await smtp!.waitForMessages(2, 20_000);
    expect(smtp!.messages[1]!.parsed.subject).to.match(/^\[pingwarden\] RESTORED Core switch/);
    await waitFor(
      () => (daemon!.output.match(allUp) ?? []).length > allUpBefore + 1,
      'two all-up cycles',
      20_000,
    );
    expect(smtp!.messages, 'the children come back quietly').to.have.length(2);
  });
});
