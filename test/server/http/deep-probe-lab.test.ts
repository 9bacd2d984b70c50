import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { systemClock } from '../../../lib/shared/clock.js';
import { parseOrgs } from '../../../lib/config/parse-orgs.js';
import { execCommand } from '../../../lib/probe/command-runner.js';
import { DeepProber } from '../../../lib/probe/route/deep-probe.js';
import type { DeepProbeReport } from '../../../lib/probe/route/deep-probe-result.js';
import { OfflineOrgLookup } from '../../../lib/probe/orgs/offline-org-lookup.js';
import { HttpServer } from '../../../lib/server/http/http-server.js';
import { PingwardenMetrics } from '../../../lib/server/http/metrics.js';
import { FakeLog } from '../../fakes/fake-log.js';
import { CliProcess, runCli } from '../../support/cli-process.js';
import { tempSite, type TempSite } from '../../support/config-dir.js';
import { SimulatedPlug } from '../../support/kasa-simulator.js';
import { requireLab } from '../../support/netns-lab.js';
import { createUplinkLab, type UplinkLab } from '../../support/uplink-lab.js';
import { waitFor } from '../../support/wait-for.js';

const TOKEN = 'lab-token-0123456789';

describe('deep probes over two uplinks (network lab, real ping and traceroute)', function () {
  this.timeout(60_000);
  let lab: UplinkLab | undefined;
  let server: HttpServer | undefined;
  let base = '';

  before(async function () {
    await requireLab(this);
    lab = await createUplinkLab({ fastMs: 1, slowMs: 20 });
    const b = lab.range.slice(0, -'.0/24'.length);
    const { prefixes, errors } = parseOrgs(
      [
        `${lab.fastNet},AS64501 Fast Fibre`,
        `${lab.slowNet},AS64502 Slow Mobile`,
        `${b}.8/29,AS64500 Lab Core`,
        `${b}.128/25,AS64510 Lab Targets`,
      ].join('\n'),
      'orgs.csv',
    );
    expect(errors).to.deep.equal([]);
    const prober = new DeepProber({
      run: execCommand,
      orgs: new OfflineOrgLookup(prefixes),
      clock: systemClock,
      timeoutSeconds: 1,
      maxHops: 8,
      // Reverse DNS of lab addresses would ask the real resolver: never in tests.
      resolveHopNames: false,
    });
    server = new HttpServer(
      {
        listen: '127.0.0.1',
        port: 0,
        token: TOKEN,
        maxConcurrentProbes: 16,
        maxQueuedProbes: 256,
        rateLimitPerMinute: 0,
      },
      {
        prober,
        metrics: new PingwardenMetrics({ defaultMetrics: false }),
        clock: systemClock,
        log: new FakeLog(),
      },
    );
    base = `http://127.0.0.1:${(await server.start()).port}`;
  });

  after(async () => {
    await server?.stop();
    await lab?.destroy();
  });

  async function get(path: string, headers: Record<string, string>) {
    const response = await fetch(`${base}${path}`, {
      headers: { Authorization: `Bearer ${TOKEN}`, ...headers },
    });
    return { status: response.status, body: (await response.json()) as DeepProbeReport };
  }
  const reasons = (body: DeepProbeReport) =>
    body.checks.map((c) => `${c.passed ? 'pass' : 'FAIL'} ${c.check}: ${c.reason}`);

  it('/ping with Source = the slow uplink and MinLatencyMs=10 gives 200', async () => {
    const { status, body } = await get('/ping', {
      Target: lab!.pingTarget,
      Source: lab!.slowLink,
      MinLatencyMs: '10',
    });
    expect(status, reasons(body).join('\n')).to.equal(200);
    expect(body.rttsMs.length).to.equal(3);
    expect(Math.min(...body.rttsMs)).to.be.at.least(10);
    console.log(`      slow uplink RTTs: ${body.rttsMs.join(', ')} ms`);
  });

  it('/ping with Source = the fast uplink and MinLatencyMs=10 gives 503 with the reason', async () => {
    // Five requests: on a loaded machine one reply over the fast uplink can take 10 ms, the fastest of five not.
    const { status, body } = await get('/ping', {
      Target: lab!.pingTarget,
      Source: lab!.fastLink,
      MinLatencyMs: '10',
      Count: '5',
    });
    expect(status).to.equal(503);
    expect(body.verdict).to.equal('unhealthy');
    expect(body.checks[0]).to.deep.include({ check: 'reachable', passed: true });
    expect(body.checks[1]?.check).to.equal('min-latency');
    expect(body.checks[1]?.reason).to.match(/^fastest reply [0-9.]+ ms < 10 ms$/);
    console.log(`      fast uplink RTTs: ${body.rttsMs.join(', ')} ms`);
  });

  it('query parameters work as well as headers (MaxLatencyMs=15 fails on the slow uplink)', async () => {
    const response = await fetch(
      `${base}/ping?Target=${lab!.pingTarget}&Source=${lab!.slowLink}&MaxLatencyMs=15&Count=2&token=${TOKEN}`,
    );
    const body = (await response.json()) as DeepProbeReport;
    expect(response.status).to.equal(503);
    expect(body.rttsMs.length).to.equal(2);
    expect(body.checks[1]?.reason).to.match(/^slowest reply [0-9.]+ ms > 15 ms$/);
  });

  it('Source may be an address: the slow uplink address passes MinLatencyMs=10, the fast one fails', async () => {
    const slow = await get('/ping', { Target: lab!.pingTarget, Source: lab!.slowSource, MinLatencyMs: '10' });
    expect(slow.status, reasons(slow.body).join('\n')).to.equal(200);
    const fast = await get('/ping', {
      Target: lab!.pingTarget,
      Source: lab!.fastSource,
      MinLatencyMs: '10',
      Count: '5',
    });
    expect(fast.status, reasons(fast.body).join('\n')).to.equal(503);
    const trace = await get('/traceroute', {
      Target: lab!.traceTarget,
      Source: lab!.slowSource,
      RouteIncludeCsv: lab!.slowNet,
    });
    expect(trace.status, reasons(trace.body).join('\n')).to.equal(200);
  });

  it('a dead target gives 503', async () => {
    const { status, body } = await get('/ping', { Target: lab!.deadTarget, Source: lab!.fastLink });
    expect(status).to.equal(503);
    expect(reasons(body)).to.deep.equal([`FAIL reachable: failed: no reply from ${lab!.deadTarget}`]);
  });

  it('no token gives 401', async () => {
    const response = await fetch(`${base}/ping?Target=${lab!.pingTarget}`);
    expect(response.status).to.equal(401);
  });

  it('/traceroute sees the three hops of each uplink', async () => {
    for (const [source, hops] of [
      [lab!.fastLink, [lab!.fastGateway, lab!.coreViaFast, lab!.traceTarget]],
      [lab!.slowLink, [lab!.slowGateway, lab!.coreViaSlow, lab!.traceTarget]],
    ] as const) {
      const { status, body } = await get('/traceroute', { Target: lab!.traceTarget, Source: source });
      expect(status, reasons(body).join('\n')).to.equal(200);
      expect(body.hops.map((hop) => hop.addresses.map((a) => a.address).join(' '))).to.deep.equal([...hops]);
    }
  });

  it('/traceroute route include/exclude by CIDR tells the uplinks apart', async () => {
    const headers = {
      Target: lab!.traceTarget,
      RouteIncludeCsv: lab!.slowNet,
      RouteExcludeCsv: lab!.fastNet,
    };
    const slow = await get('/traceroute', { ...headers, Source: lab!.slowLink });
    expect(slow.status, reasons(slow.body).join('\n')).to.equal(200);
    expect(reasons(slow.body)).to.deep.equal([
      `pass reachable: ${lab!.traceTarget} answered 3 of 3`,
      `pass route-include ${lab!.slowNet}: hop 1 ${lab!.slowGateway} is in ${lab!.slowNet}`,
      `pass route-exclude ${lab!.fastNet}: no hop in ${lab!.fastNet}`,
    ]);
    const fast = await get('/traceroute', { ...headers, Source: lab!.fastLink });
    expect(fast.status).to.equal(503);
    expect(reasons(fast.body)).to.deep.equal([
      `pass reachable: ${lab!.traceTarget} answered 3 of 3`,
      `FAIL route-include ${lab!.slowNet}: no hop in ${lab!.slowNet}`,
      `FAIL route-exclude ${lab!.fastNet}: hop 1 ${lab!.fastGateway} is in ${lab!.fastNet}`,
    ]);
  });

  it('/traceroute org include/exclude with an offline orgs.csv', async () => {
    const headers = {
      Target: lab!.traceTarget,
      HopsMustIncludeOrg: 'AS64999,*Mobile*',
      HopsMustExcludeOrg: 'AS64501',
      MinLatencyMs: '0',
    };
    const slow = await get('/traceroute', { ...headers, Source: lab!.slowLink });
    expect(slow.status, reasons(slow.body).join('\n')).to.equal(200);
    expect(reasons(slow.body).slice(2)).to.deep.equal([
      `pass org-include AS64999,*Mobile*: hop 1 ${lab!.slowGateway} belongs to AS64502 Slow Mobile, matching *Mobile*`,
      'pass org-exclude AS64501: no hop matches AS64501',
    ]);
    const fast = await get('/traceroute', { ...headers, Source: lab!.fastLink });
    expect(fast.status).to.equal(503);
    expect(reasons(fast.body).slice(2)).to.deep.equal([
      'FAIL org-include AS64999,*Mobile*: no hop matches AS64999 or *Mobile*',
      `FAIL org-exclude AS64501: hop 1 ${lab!.fastGateway} belongs to AS64501 Fast Fibre, matching AS64501`,
    ]);
    expect(fast.body.hops[0]?.addresses[0]?.org).to.deep.equal({
      status: 'found',
      org: 'AS64501 Fast Fibre',
    });
  });

  it('pingwarden probe tells the uplinks apart the same way (exit 0 slow, 1 fast)', async () => {
    const probe = (source: string) =>
      runCli([
        'probe',
        '--target',
        lab!.pingTarget,
        '--source',
        source,
        '--min-latency-ms',
        '10',
        '--count',
        '5',
        '--config',
        '/nonexistent',
      ]);
    const slow = await probe(lab!.slowLink);
    expect(slow.code, slow.output()).to.equal(0);
    expect(slow.stdout.split('\n')[0]).to.equal(`ping ${lab!.pingTarget} from ${lab!.slowLink}: HEALTHY`);
    const fast = await probe(lab!.fastLink);
    expect(fast.code, fast.output()).to.equal(1);
    expect(fast.stdout).to.match(/min-latency +FAIL +fastest reply [0-9.]+ ms < 10 ms/);
  });

  it('traces with ICMP echo when probe_traceroute_icmp is set', async () => {
    const site = await tempSite({
      'settings.csv': 'probe_traceroute_icmp,yes\ntimeout_seconds,1\nprobe_resolve_hop_names,no\n',
    });
    try {
      const result = await runCli([
        'probe',
        '--target',
        lab!.traceTarget,
        '--source',
        lab!.slowLink,
        '--route-include',
        lab!.slowNet,
        '--json',
        '--config',
        site.configDir,
      ]);
      expect(result.code, result.output()).to.equal(0);
      const report = JSON.parse(result.stdout) as DeepProbeReport;
      expect(report.hops.map((hop) => hop.addresses[0]?.address)).to.deep.equal([
        lab!.slowGateway,
        lab!.coreViaSlow,
        lab!.traceTarget,
      ]);
    } finally {
      await site.remove();
    }
  });

  it('handles 200 parallel requests, each answered truthfully, with bounded concurrency', async () => {
    const started = Date.now();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        get('/ping', {
          Target: lab!.pingTarget,
          Source: i % 2 === 0 ? lab!.slowLink : lab!.fastLink,
          MinLatencyMs: '10',
          Count: '3',
        }).then((r) => ({ slow: i % 2 === 0, ...r })),
      ),
    );
    const elapsed = Date.now() - started;
    // The slow uplink adds 20 ms to every reply: it can only pass.
    expect(results.filter((r) => r.slow).map((r) => r.status)).to.deep.equal(Array(100).fill(200));
    // Every verdict matches the RTTs it reports, whatever the load did to the fast uplink's replies.
    for (const { status, body } of results) {
      expect(body.rttsMs.length).to.equal(3);
      expect(status).to.equal(Math.min(...body.rttsMs) >= 10 ? 200 : 503);
    }
    const fastRejected = results.filter((r) => !r.slow && r.status === 503).length;
    expect(fastRejected).to.be.greaterThan(90);
    console.log(
      `      200 parallel /ping requests (16 at a time): ${elapsed} ms; fast uplink refused ${fastRejected}/100`,
    );
  });

  describe('org lookup through IPinfo (a fake IPinfo on 127.0.0.1)', () => {
    let ipinfo: Server | undefined;
    let site: TempSite | undefined;
    let failing = false;
    const asked: string[] = [];
    after(async () => {
      ipinfo?.closeAllConnections();
      await new Promise((resolve) => (ipinfo ? ipinfo.close(resolve) : resolve(undefined)));
      await site?.remove();
    });

    it('passes on what IPinfo says, and fails with "lookup failed" when it cannot answer', async () => {
      ipinfo = createServer((req, res) => {
        const ip = decodeURIComponent((req.url ?? '').split('/')[1] ?? '');
        asked.push(`${ip} ${req.headers.authorization ?? ''}`);
        if (failing) return void res.writeHead(500).end();
        const org = ip === lab!.slowGateway ? 'AS64502 Slow Mobile' : 'AS64510 Lab';
        res.setHeader('content-type', 'application/json').end(JSON.stringify({ ip, org }));
      });
      await new Promise<void>((resolve) => ipinfo!.listen(0, '127.0.0.1', resolve));
      const port = (ipinfo.address() as AddressInfo).port;
      site = await tempSite({
        'settings.csv': [
          'timeout_seconds,1',
          'probe_resolve_hop_names,no',
          'ipinfo_token,tok-lab',
          `ipinfo_url,http://127.0.0.1:${port}`,
          'ipinfo_timeout_seconds,2',
        ].join('\n'),
      });
      const probe = () =>
        runCli([
          'probe',
          '--target',
          lab!.traceTarget,
          '--source',
          lab!.slowLink,
          '--hop-org-include',
          'AS64502',
          '--config',
          site!.configDir,
        ]);
      const ok = await probe();
      expect(ok.code, ok.output()).to.equal(0);
      expect(ok.stdout).to.include(
        `hop 1 ${lab!.slowGateway} belongs to AS64502 Slow Mobile, matching AS64502`,
      );
      expect(asked).to.include(`${lab!.slowGateway} Bearer tok-lab`);

      failing = true;
      const failed = await probe();
      expect(failed.code, failed.output()).to.equal(1);
      expect(failed.stdout).to.match(
        /org-include AS64502 +FAIL +failed: lookup failed for [0-9.]+: ipinfo answered HTTP 500/,
      );
    });
  });

  describe('route checks as host checks: the failover example', () => {
    let site: TempSite | undefined;
    after(async () => {
      await lab?.restorePrimary().catch(() => undefined);
      await site?.remove();
    });

    it('a plain ping stays UP over the backup line, the route-checked row goes DOWN with the reason', async () => {
      const { fastNet, slowNet, slowGateway, pingTarget, traceTarget } = lab!;
      site = await tempSite({
        'hosts.csv': [
          'host,description,location,options',
          `${pingTarget},Internet (plain ping),Lab`,
          `${traceTarget},Primary ISP in use,Lab,hop-org:AS64501 not-via:${slowNet}`,
        ].join('\n'),
        'orgs.csv': `${fastNet},AS64501 Fast Fibre\n${slowNet},AS64502 Slow Mobile\n`,
        'settings.csv': 'timeout_seconds,1\nattempts,2\nprobe_max_hops,8\nprobe_resolve_hop_names,no\n',
      });
      const once = () => runCli(['once', '--config', site!.configDir, '--logs', site!.logsDir]);

      const before = await once();
      expect(before.code, before.output()).to.equal(0);

      await lab!.failPrimary();
      const failed = await once();
      expect(failed.code, failed.output()).to.equal(1);
      expect(failed.output(), failed.output()).to.include(
        `reason="route check failed: route-exclude ${slowNet}: hop 1 ${slowGateway} is in ${slowNet}; ` +
          `org-include AS64501: no hop matches AS64501"`,
      );
      // The DOWN alert (log line here, email subject/body with SMTP) carries the failed checks as its reason.
      const alert = failed
        .output()
        .split('\n')
        .find((line) => line.includes(`alert kind=DOWN host=${traceTarget} `));
      expect(alert, failed.output()).to.include(`reason="route check failed: route-exclude ${slowNet}`);
      expect(failed.output()).to.not.include(`alert kind=DOWN host=${pingTarget} `);

      await lab!.restorePrimary();
      const restored = await once();
      expect(restored.code, restored.output()).to.equal(0);
      expect(restored.output()).to.include(`alert kind=RESTORED host=${traceTarget} `);
    });
  });

  describe('route checks drive the Kasa power cycle and the lamp (simulated plugs on loopback)', () => {
    const MODEM = '127.0.0.181';
    const LAMP = '127.0.0.182';
    let site: TempSite | undefined;
    let daemon: CliProcess | undefined;
    let modem: SimulatedPlug | undefined;
    let lamp: SimulatedPlug | undefined;
    after(async () => {
      await daemon?.stop('SIGKILL');
      await modem?.stop();
      await lamp?.stop();
      await lab?.restorePrimary().catch(() => undefined);
      await site?.remove();
    });

    it('the backup line takes over: lamp on, modem cycled, and the link counts as back only on the primary path', async () => {
      const { fastNet, slowNet, traceTarget } = lab!;
      modem = await SimulatedPlug.start({ alias: 'Modem', address: MODEM, on: true });
      lamp = await SimulatedPlug.start({ alias: 'Lamp', address: LAMP, on: false });
      const modemStates: boolean[] = [];
      const watch = setInterval(() => {
        if (modemStates.at(-1) !== modem!.on) modemStates.push(modem!.on);
      }, 20);
      try {
        site = await tempSite({
          'hosts.csv': `host,description,location,options\n${traceTarget},Primary ISP in use,Lab,"hop-org:AS64501 cycle:Modem"\n`,
          'orgs.csv': `${fastNet},AS64501 Fast Fibre\n${slowNet},AS64502 Slow Mobile\n`,
          'kasa.csv': `Modem,${MODEM}\nLamp,${LAMP}\n`,
          'settings.csv': [
            'interval_seconds,1',
            'attempts,1',
            'timeout_seconds,1',
            'probe_max_hops,8',
            'probe_resolve_hop_names,no',
            'indicator_lamp,Lamp',
            'kasa_timeout_seconds,2',
            'cycle_off_seconds,1',
            'cycle_boot_wait_seconds,30',
            'cycle_poll_seconds,1',
            'cycle_min_gap_seconds,60',
          ].join('\n'),
        });
        daemon = new CliProcess(['start', '--config', site.configDir, '--logs', site.logsDir]);
        await daemon.waitForOutput(/cycle hosts=1 up=1 down=0/, 20_000);

        await lab!.failPrimary();
        await waitFor(() => lamp!.on, 'the lamp on', 20_000);
        await waitFor(() => modemStates.join() === 'true,false,true', 'the modem cycled off and on', 20_000);
        // Everything still answers over the backup line; a plain ping would call the link back at once.
        const downCycles = () => (daemon!.output.match(/cycle hosts=1 up=0 down=1/g) ?? []).length;
        const seen = downCycles();
        await waitFor(() => downCycles() >= seen + 2, 'two more cycles with the primary still gone', 20_000);
        expect(daemon.output).to.not.match(/power cycle done plug=Modem .*result=restored/);

        await lab!.restorePrimary();
        await daemon.waitForOutput(/power cycle done plug=Modem attempt=1\/\d+ result=restored/, 30_000);
        await waitFor(() => !lamp!.on, 'the lamp off after recovery', 20_000);
        expect(await daemon.stop('SIGTERM')).to.equal(0);
      } finally {
        clearInterval(watch);
      }
    });
  });
});
