import { expect } from 'chai';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { CliProcess } from '../support/cli-process.js';
import { smtpFiles, tempSite, type TempSite } from '../support/config-dir.js';
import { requireLab } from '../support/netns-lab.js';
import { SmtpTestServer, type ReceivedMessage } from '../support/smtp-test-server.js';
import { createUplinkLab, type UplinkLab } from '../support/uplink-lab.js';
import { waitFor } from '../support/wait-for.js';

const run = promisify(execFile);
const user = 'alerts@example.test';
const password = 'correct horse battery staple';
const recipients = ['ops@example.test'];

/**
 * The uplink lab as a home network: the fast uplink router (B.2) is the monitor's gateway (set with
 * gateway_address: the machine's real gateway is never traced or pinged), the core router (B.10) the first
 * hop beyond it, B.250 a dead internet host and B.130 one that answers. Each test runs a daemon
 * (`start --dry-run`: no plug is ever asked, no discovery is broadcast) whose hosts.csv breaks at one layer.
 */
describe('integration: fault layer and path snapshot in the lab (traceroute, real SMTP)', function () {
  this.timeout(120_000);
  let lab: UplinkLab | undefined;
  let smtp: SmtpTestServer | undefined;
  const sites: TempSite[] = [];
  let daemon: CliProcess | undefined;
  let b = '';

  before(async function () {
    await requireLab(this);
    lab = await createUplinkLab({ fastMs: 1, slowMs: 1 });
    b = lab.range.slice(0, -'.0/24'.length);
    smtp = await SmtpTestServer.start({ user, password });
  });
  afterEach(async () => {
    await daemon?.stop('SIGKILL');
    daemon = undefined;
  });
  after(async () => {
    await daemon?.stop('SIGKILL');
    await smtp?.stop();
    await lab?.destroy();
    for (const site of sites) await site.remove();
  });

  /** Runs a daemon on `hosts` until a DOWN message about `host` arrives; returns it and the site. */
  /** Starts a daemon (`start --dry-run`) on a site with `hosts`; its messages go to the test's SMTP server. */
  async function startDaemon(hosts: string[], settings: string[] = []): Promise<TempSite> {
    const site = await tempSite({
      'hosts.csv': `host,description,location,options\n${hosts.join('\n')}\n`,
      'settings.csv': [
        'key,value',
        'interval_seconds,2',
        'attempts,1',
        'timeout_seconds,1',
        'smtp_allow_self_signed,yes',
        `gateway_address,${b}.2`,
        'trace_max_hops,6',
        'trace_timeout_seconds,10',
        ...settings,
      ].join('\n'),
      ...smtpFiles(smtp!.port, user, password, recipients),
    });
    sites.push(site);
    daemon = new CliProcess(['start', '--dry-run', '--config', site.configDir, '--logs', site.logsDir]);
    return site;
  }

  /** Runs a daemon on `hosts` until a DOWN message about `host` arrives; returns it and the site. */
  async function downMessage(
    hosts: string[],
    host: string,
  ): Promise<{ message: ReceivedMessage; site: TempSite }> {
    const before = smtp!.messages.length;
    const site = await startDaemon(hosts);
    const about = (m: ReceivedMessage) =>
      m.parsed.text?.includes(`(${host})`) && m.parsed.subject?.includes('DOWN');
    await waitFor(() => smtp!.messages.slice(before).some(about), `a DOWN message about ${host}`, 60_000, 50);
    return { message: smtp!.messages.slice(before).find(about)!, site };
  }

  async function stateRecords(site: TempSite, host: string): Promise<Record<string, unknown>[]> {
    const dir = path.join(site.logsDir, 'history');
    await daemon?.stop('SIGTERM');
    daemon = undefined;
    const { stdout } = await run('sh', ['-c', 'cat "$1"/history-*.jsonl', 'sh', dir]);
    return stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((record) => record.kind === 'state' && record.host === host);
  }

  it('ISP: the anchor is dead beyond the router; the DOWN email names the layer and carries the hops with the router', async () => {
    const anchor = `${b}.250`;
    const { message, site } = await downMessage(
      [`${b}.2,Router,Lab`, `${anchor},Internet anchor,Lab,cycle:Modem`],
      anchor,
    );
    const reason = `ISP outage: the internet anchor down, gateway ${b}.2 up, last hop ${b}.10`;
    expect(message.parsed.subject).to.equal(`[pingwarden] DOWN Internet anchor (${anchor}) — Lab`);
    const text = message.parsed.text ?? '';
    expect(text.split('\n')[0]).to.equal(
      `Internet anchor (${anchor}) — Lab is DOWN: it stopped answering. ${reason}.`,
    );
    expect(text).to.match(
      new RegExp(
        `Path when it went down \\(traceroute to ${anchor.replace(/\./g, '\\.')}, .*; did not reach the host\\):`,
      ),
    );
    expect(text).to.match(
      new RegExp(
        `\\n  1  ${b.replace(/\./g, '\\.')}\\.2  [0-9.]+ ms\\n  2  ${b.replace(/\./g, '\\.')}\\.10  [0-9.]+ ms\\n  3  \\*\\n`,
      ),
    );
    const [, down] = await stateRecords(site, anchor).then((records) => [
      null,
      records.find((r) => r.state === 'DOWN'),
    ]);
    expect(down).to.include({ cause: 'ISP', cause_reason: reason });
    expect(
      (down!.trace as { hops: { address: string | null }[] }).hops.map((hop) => hop.address),
    ).to.deep.equal([`${b}.2`, `${b}.10`, null]);

    // The report shows it, and JSON carries the hops.
    const report = new CliProcess([
      'report',
      '--format',
      'json',
      '--config',
      site.configDir,
      '--logs',
      site.logsDir,
    ]);
    expect(await report.exit()).to.equal(0);
    const json = JSON.parse(report.stdout) as {
      hosts: { host: string; outages: Record<string, unknown>[] }[];
    };
    const outage = json.hosts.find((host) => host.host === anchor)!.outages[0]!;
    expect(outage.fault_layer).to.equal('ISP');
    expect((outage.traces as { hops: unknown[] }[])[0]!.hops).to.have.length(3);
  });

  it("modem-WAN: the trace ends at the modem (the anchor's parent:)", async () => {
    const anchor = `${b}.250`;
    const { message } = await downMessage(
      [
        `${b}.2,Router,Lab`,
        `${b}.10,Modem,Lab,parent:${b}.2`,
        `${anchor},Internet anchor,Lab,cycle:Modem parent:${b}.10`,
      ],
      anchor,
    );
    expect(message.parsed.text?.split('\n')[0]).to.include(
      `modem/WAN outage: the internet anchor down, gateway ${b}.2 up, the trace ends at ${b}.10.`,
    );
  });

  it('remote: one internet host dead while the anchor answers', async () => {
    const dead = `${b}.250`;
    const { message } = await downMessage(
      [`${b}.2,Router,Lab`, `${b}.130,Internet anchor,Lab,cycle:Modem`, `${dead},Web server,Lab`],
      dead,
    );
    expect(message.parsed.text?.split('\n')[0]).to.include(
      `remote outage: ${dead} down while 1 of 1 internet anchor answers, gateway ${b}.2 up.`,
    );
  });

  it('LAN: a dead switch in front of the router (the router has parent:SWITCH)', async () => {
    const sw = `${b}.249`;
    const { message } = await downMessage(
      [
        `${sw},Switch,Lab`,
        `${b}.2,Router,Lab,parent:${sw}`,
        `${b}.130,Internet anchor,Lab,cycle:Modem parent:${b}.2`,
      ],
      sw,
    );
    expect(message.parsed.text?.split('\n')[0]).to.include(
      `LAN outage: ${sw} sits between the monitor and the gateway ${b}.2 (parent:).`,
    );
  });

  it('RESTORED: the message and the UP record carry the snapshot taken when the host answered again', async () => {
    const anchor = `${b}.201`;
    const responder = await lab!.addResponder(anchor, { delayMs: 1 });
    // ICMP probes: the echo responder behind the router answers them, so the trace reaches the host.
    const site = await startDaemon(
      [`${b}.2,Router,Lab`, `${anchor},Internet anchor,Lab,cycle:Modem`],
      ['probe_traceroute_icmp,yes'],
    );
    await daemon!.waitForOutput(/cycle hosts=2 up=2 down=0/, 30_000);
    const before = smtp!.messages.length;
    await responder.drop(100);
    const about = (kind: string) => (m: ReceivedMessage) =>
      (m.parsed.subject ?? '').startsWith(`[pingwarden] ${kind} Internet anchor (${anchor})`);
    await waitFor(() => smtp!.messages.slice(before).some(about('DOWN')), 'the DOWN message', 30_000, 50);
    await responder.drop(0);
    await waitFor(
      () => smtp!.messages.slice(before).some(about('RESTORED')),
      'the RESTORED message',
      30_000,
      50,
    );
    const restored = smtp!.messages.slice(before).find(about('RESTORED'))!;
    const escaped = anchor.replace(/\./g, '\\.');
    expect(restored.parsed.text).to.match(
      new RegExp(
        `Path when it was restored \\(traceroute to ${escaped}, .*; reached the host\\):\n  1  ${b.replace(/\./g, '\\.')}\\.2  `,
      ),
    );
    const records = await stateRecords(site, anchor);
    const up = records.findLast((record) => record.state === 'UP');
    expect(up?.trace).to.include({ phase: 'restored', target: anchor, reached: true });
  });

  it('gateway: the router stops answering (its link goes down inside the lab)', async () => {
    const fast = lab!.namespaces.fast;
    const anchor = `${b}.250`;
    await run('ip', ['-n', fast, 'link', 'set', 'eth0', 'down']);
    try {
      const { message } = await downMessage(
        [`${b}.2,Router,Lab`, `${anchor},Internet anchor,Lab,cycle:Modem`],
        `${b}.2`,
      );
      const text = message.parsed.text ?? '';
      expect(text).to.include(`gateway outage: the gateway ${b}.2 itself is down.`);
      // The anchor's outage is the gateway's too (both in one digest, or the anchor's own message).
      await waitFor(
        () =>
          smtp!.messages.some((m) => (m.parsed.text ?? '').includes(`gateway outage: gateway ${b}.2 down.`)),
        'the anchor labelled gateway',
        30_000,
        50,
      );
    } finally {
      await run('ip', ['-n', fast, 'link', 'set', 'eth0', 'up']);
    }
  });
});
