import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { expect } from 'chai';

import { runCli } from '../support/cli-process.js';
import { tempSite, type TempSite } from '../support/config-dir.js';
import { createLab, requireLab, type NetnsLab } from '../support/netns-lab.js';

interface QualityJson {
  packets_sent: number;
  packets_received: number;
  loss_percent: number;
  rtt_avg_ms: number | null;
  rtt_p95_ms: number | null;
}

describe('integration: the link quality series, from `once` runs to the report', function () {
  this.timeout(120_000);
  let lab: NetnsLab | undefined;
  let site: TempSite | undefined;

  before(async function () {
    await requireLab(this);
    lab = await createLab();
  });
  after(async () => {
    await lab?.destroy();
    await site?.remove();
  });

  it('keeps every run’s packets and reports loss and RTT per host, with a graph in the HTML', async () => {
    const answering = lab!.host(5);
    await lab!.addHost(answering);
    // Routed into the lab, owned by nobody there: it never answers.
    const silent = lab!.host(6);
    site = await tempSite({
      'hosts.csv': `127.0.0.1,Loopback,Admin box\n${answering},Switch,Hall\n${silent},Gone,Cellar\n`,
      'settings.csv': 'attempts,1\ntimeout_seconds,1\n',
    });
    const dirs = ['--config', site.configDir, '--logs', site.logsDir];
    for (let run = 0; run < 2; run++) {
      const once = await runCli(['once', ...dirs]);
      expect(once.code, once.output()).to.equal(1);
    }
    const files = await readdir(path.join(site.logsDir, 'quality'));
    expect(files.filter((name) => /^raw-\d{4}-\d{2}-\d{2}\.pwq$/.test(name)).length).to.be.within(1, 2);

    const json = await runCli(['report', '--format', 'json', ...dirs]);
    expect(json.code, json.output()).to.equal(0);
    const hosts = (JSON.parse(json.stdout) as { hosts: { host: string; quality: QualityJson | null }[] })
      .hosts;
    const quality = new Map(hosts.map((host) => [host.host, host.quality]));
    for (const host of ['127.0.0.1', answering]) {
      const q = quality.get(host)!;
      expect(q, `${host} has no link quality: the icmp prober must fill ProbeResult.quality`).to.not.equal(
        null,
      );
      // Two runs of the same number of packets each, every one answered.
      expect(q.packets_sent % 2, host).to.equal(0);
      expect(q.packets_received, host).to.equal(q.packets_sent);
      expect(q.loss_percent, host).to.equal(0);
      expect(q.rtt_avg_ms, host)
        .to.be.a('number')
        .and.to.be.at.most(q.rtt_p95_ms! + 1000);
    }
    const lost = quality.get(silent)!;
    expect(lost.packets_received).to.equal(0);
    expect(lost.loss_percent).to.equal(100);
    expect(lost.rtt_avg_ms).to.equal(null);

    const html = await runCli(['report', '--format', 'html', ...dirs]);
    expect(html.code, html.output()).to.equal(0);
    expect(html.stdout.match(/<svg class="quality"/g)).to.have.length(3);
  });
});
